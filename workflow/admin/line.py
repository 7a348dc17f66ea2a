"""The organisation's LINE Official Account, set by its admin: the channel access token and
secret (stored encrypted, never shown again) and the monthly quota; the month's meter."""

import re
from dataclasses import dataclass
from datetime import datetime

import clock
import thai
from extensions import db
from models import LineChannel, User
from notifications.outbox import line
from workflow.admin.common import own_organisation
from workflow.errors import ValidationFailed

TOKEN = re.compile(r"[A-Za-z0-9+/=._-]{20,400}")
SECRET = re.compile(r"[0-9a-fA-F]{32}")


@dataclass
class LineStatus:
    configured: bool
    updated_at: datetime | None
    quota: int
    pushed: int  # this month
    month: str  # "ธันวาคม 2569" (B.E.; the page converts the digits)


def line_status(actor: User) -> LineStatus:
    own_organisation(actor)
    channel = db.session.get(LineChannel, actor.org_id)
    return LineStatus(
        configured=channel is not None,
        updated_at=channel.updated_at if channel else None,
        quota=channel.monthly_quota if channel else 300,
        pushed=line.pushed_this_month(actor.org_id),
        month=_month_label(clock.local(clock.now())),
    )


def _month_label(moment: datetime) -> str:
    return f"{thai.MONTHS[moment.month - 1]} {thai.be_year(moment.year)}"


def save_line_channel(actor: User, token: str, secret: str, quota: int | None) -> LineChannel:
    """Store the channel's token and secret encrypted (both required when first set; blank
    keeps the stored one later) and the monthly quota."""
    own_organisation(actor, lock=True)
    channel = db.session.get(LineChannel, actor.org_id)
    token, secret = (token or "").strip(), (secret or "").strip()
    if channel is None and not token:
        raise ValidationFailed("กรุณากรอก Channel access token", field="token")
    if channel is None and not secret:
        raise ValidationFailed("กรุณากรอก Channel secret", field="secret")
    if token and not TOKEN.fullmatch(token):
        raise ValidationFailed(
            "Channel access token ไม่ถูกต้อง (คัดลอกจาก LINE Developers Console)", field="token"
        )
    if secret and not SECRET.fullmatch(secret):
        raise ValidationFailed("Channel secret ต้องเป็นเลขฐานสิบหก ๓๒ ตัว", field="secret")
    if quota is None or not 0 <= quota <= 10_000_000:
        raise ValidationFailed("กรุณากรอกจำนวนข้อความต่อเดือนเป็นตัวเลข", field="quota")
    try:
        if channel is None:
            channel = LineChannel(org_id=actor.org_id, token_encrypted="", secret_encrypted="")
            db.session.add(channel)
        if token:
            channel.token_encrypted = line.encrypt(token)
        if secret:
            channel.secret_encrypted = line.encrypt(secret)
    except line.NotConfigured as error:
        raise ValidationFailed(str(error), field="token") from error
    channel.monthly_quota = quota
    channel.updated_at = clock.now()
    db.session.flush()
    return channel


def remove_line_channel(actor: User) -> None:
    own_organisation(actor, lock=True)
    channel = db.session.get(LineChannel, actor.org_id)
    if channel is not None:
        db.session.delete(channel)
        db.session.flush()
