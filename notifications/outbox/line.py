"""LINE through the Messaging API and its maintained SDK (line-bot-sdk v3; LINE Notify closed
on 31 March 2025).

- Each organisation's channel access token and secret are stored encrypted (Fernet, key
  NOTIFY_SECRET_KEY from the environment) and never shown again.
- A person links their LINE account by sending the organisation's bot a one-time code shown
  to them in the app; the webhook checks LINE's signature with the SDK's WebhookParser.
- A push carries X-Line-Retry-Key derived from the delivery's id (a morning digest's: from
  the person and the day), so a retry after a timeout never delivers twice (LINE answers 409
  to a key it has already accepted).
- The free plan gives a monthly quota counted per recipient: a meter per organisation and
  month counts pushes; within LINE_QUOTA_MARGIN of the quota, and on 429, the delivery falls
  back to e-mail.
"""

import secrets
import uuid
from datetime import date, datetime, timedelta

import sqlalchemy as sa
import urllib3
from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import (
    ApiClient,
    Configuration,
    MessagingApi,
    PushMessageRequest,
    ReplyMessageRequest,
    TextMessage,
)
from linebot.v3.messaging.exceptions import ApiException
from linebot.v3.webhooks import MessageEvent, TextMessageContent

import clock
from extensions import db
from models import LineChannel, LineLink, LineMeter, NotifyDelivery
from notifications.mail import header_safe
from notifications.outbox.texts import line_message

CODE_MINUTES = 15
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
CODE_LENGTH = 8
RETRY_KEY_NAMESPACE = uuid.UUID("6f1d8a52-8f3e-4f77-9d64-2f0c1d6a7b15")
TIMEOUT_SECONDS = 10


class LineError(Exception):
    """LINE did not take the message; retried later."""


class FallBack(Exception):
    """LINE cannot take it now (quota nearly spent, or 429): send it by e-mail instead."""


class NoChannel(Exception):
    """The organisation has no LINE channel (its webhook does not exist)."""


class BadWebhook(ValueError):
    """Signed, yet not what LINE sends."""


class NotConfigured(Exception):
    """NOTIFY_SECRET_KEY is missing or wrong, so tokens can be neither stored nor read."""


# -- the encrypted token -------------------------------------------------------------------


def _fernet() -> Fernet:
    key = current_app.config.get("NOTIFY_SECRET_KEY") or ""
    try:
        return Fernet(key.encode())
    except (ValueError, TypeError) as error:
        raise NotConfigured("ยังไม่ได้ตั้งค่า NOTIFY_SECRET_KEY ของระบบ (ผู้ดูแลเซิร์ฟเวอร์)") from error


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(value: str) -> str:
    try:
        return _fernet().decrypt(value.encode()).decode()
    except InvalidToken as error:
        raise NotConfigured("ถอดรหัสโทเคน LINE ไม่ได้: NOTIFY_SECRET_KEY ถูกเปลี่ยน") from error


# -- pushing -------------------------------------------------------------------------------


def retry_key(delivery_id: int) -> str:
    """The same UUID for every attempt of one delivery."""
    return str(uuid.uuid5(RETRY_KEY_NAMESPACE, f"delivery:{delivery_id}"))


def digest_retry_key(user_id: int, day: date) -> str:
    """The same UUID for every attempt of one person's digest of one day."""
    return str(uuid.uuid5(RETRY_KEY_NAMESPACE, f"digest:{user_id}:{day.isoformat()}"))


def month_of(moment: datetime | None = None) -> str:
    return clock.local(moment or clock.now()).strftime("%Y-%m")


def pushed_this_month(org_id: int) -> int:
    meter = db.session.get(LineMeter, (org_id, month_of()))
    return meter.pushed if meter else 0


def messaging_api(token: str) -> MessagingApi:
    """The SDK's client for one channel, pointed at LINE_API_HOST (tests: a fake on loopback)."""
    configuration = Configuration(access_token=token)
    configuration.retries = 0  # a retry is ours to make, with the same retry key
    api = MessagingApi(ApiClient(configuration))
    api.line_base_path = current_app.config["LINE_API_HOST"].rstrip("/")
    return api


def push(delivery: NotifyDelivery, text, base_url: str) -> None:
    """Push the event's message to the person's LINE; raise FallBack or LineError."""
    push_text(
        delivery.org_id, delivery.user_id, line_message(text, base_url), retry_key(delivery.id)
    )


def push_text(org_id: int, user_id: int, message: str, key: str) -> None:
    """Push one text message to the person's LINE, counted in the organisation's monthly
    meter; `key` is the X-Line-Retry-Key of every attempt. Raise FallBack or LineError."""
    channel = db.session.get(LineChannel, org_id)
    link = db.session.get(LineLink, user_id)
    if channel is None or link is None or not link.line_user_id:
        raise FallBack("ยังไม่ได้เชื่อมบัญชี LINE หรือองค์กรยังไม่ได้ตั้งค่า LINE")
    margin = int(current_app.config.get("LINE_QUOTA_MARGIN") or 0)
    if pushed_this_month(org_id) + 1 > channel.monthly_quota - margin:
        raise FallBack(f"ข้อความ LINE ของเดือนนี้ใกล้ครบโควตา {channel.monthly_quota:,} ข้อความ")
    request = PushMessageRequest(to=link.line_user_id, messages=[TextMessage(text=message)])
    try:
        token = decrypt(channel.token_encrypted)
    except NotConfigured as error:
        raise FallBack(str(error)) from error
    try:
        messaging_api(token).push_message(
            request, x_line_retry_key=key, _request_timeout=TIMEOUT_SECONDS
        )
    except ApiException as error:
        if error.status == 409:  # this retry key was accepted before: it is delivered
            _count(org_id)
            return
        if error.status == 429:
            raise FallBack("LINE ตอบ 429 (โควตาหมดหรือส่งถี่เกินไป)") from error
        raise LineError(
            f"LINE ตอบ {error.status}: {header_safe(str(error.body or ''), 200)}"
        ) from error
    except (urllib3.exceptions.HTTPError, OSError) as error:
        raise LineError(f"ติดต่อ LINE ไม่ได้: {type(error).__name__}") from error
    _count(org_id)


def _count(org_id: int) -> None:
    """One more push this month (a row per organisation and month, updated in place)."""
    month = month_of()
    updated = db.session.execute(
        sa.update(LineMeter)
        .where(LineMeter.org_id == org_id, LineMeter.month == month)
        .values(pushed=LineMeter.pushed + 1)
    ).rowcount
    if not updated:
        db.session.add(LineMeter(org_id=org_id, month=month, pushed=1))
        db.session.flush()


# -- linking a person's account ------------------------------------------------------------


def new_code(user) -> LineLink:
    """A fresh one-time code for the person to send the organisation's bot."""
    link = db.session.get(LineLink, user.id) or LineLink(user_id=user.id, org_id=user.org_id)
    link.code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    link.code_expires_at = clock.now() + timedelta(minutes=CODE_MINUTES)
    db.session.add(link)
    db.session.flush()
    return link


def unlink(user) -> None:
    link = db.session.get(LineLink, user.id)
    if link is not None:
        db.session.delete(link)
        db.session.flush()


def handle_webhook(org_id: int, body: str, signature: str) -> int:
    """Check LINE's signature with the organisation's channel secret, link the accounts whose
    codes arrived, answer each in LINE; returns how many were linked. Raises
    InvalidSignatureError for a request LINE did not sign, BadWebhook for a body LINE
    would not send, NoChannel when the organisation has no LINE."""
    channel = db.session.get(LineChannel, org_id)
    if channel is None:
        raise NoChannel(org_id)
    try:
        events = WebhookParser(decrypt(channel.secret_encrypted)).parse(body, signature)
    except (InvalidSignatureError, NotConfigured):
        raise
    except Exception as error:  # the SDK's parser raises whatever the body makes it raise
        raise BadWebhook(f"{type(error).__name__}") from error
    linked = 0
    for event in events:
        if not (isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent)):
            continue
        done = _link(org_id, event.message.text.strip().upper(), event.source.user_id)
        linked += done
        reply = (
            "เชื่อมบัญชี LINE กับระบบ ITA Workflow แล้ว ท่านจะได้รับการแจ้งเตือนที่นี่"
            if done
            else "ไม่พบรหัสนี้หรือรหัสหมดอายุแล้ว กรุณาขอรหัสใหม่ในหน้าตั้งค่าการแจ้งเตือนของระบบ"
        )
        _reply(channel, event.reply_token, reply)
    return linked


def _link(org_id: int, code: str, line_user_id: str | None) -> bool:
    if not line_user_id or len(code) != CODE_LENGTH:
        return False
    link = db.session.scalars(
        sa.select(LineLink).where(LineLink.code == code, LineLink.org_id == org_id)
    ).one_or_none()
    if link is None or link.code_expires_at is None or link.code_expires_at < clock.now():
        return False
    link.line_user_id, link.linked_at = line_user_id, clock.now()
    link.code, link.code_expires_at = None, None
    db.session.flush()
    return True


def _reply(channel: LineChannel, reply_token: str | None, text: str) -> None:
    """A reply (free of the monthly quota); a failure only loses the courtesy message."""
    if not reply_token:
        return
    try:
        messaging_api(decrypt(channel.token_encrypted)).reply_message(
            ReplyMessageRequest(reply_token=reply_token, messages=[TextMessage(text=text)]),
            _request_timeout=TIMEOUT_SECONDS,
        )
    except (ApiException, urllib3.exceptions.HTTPError, OSError):
        current_app.logger.warning("LINE reply to a linking message failed", exc_info=True)


__all__ = ["InvalidSignatureError"]
