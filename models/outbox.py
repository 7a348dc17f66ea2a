"""The notification outbox: what happened to a memo (an event) and who is to hear of it on which
channel (its deliveries), written in the same transaction as the decision, so a rollback sends
nothing and a commit always sends. In-app notifications are written at once (models.Notification);
e-mail and LINE wait here for the sender (notifications/outbox/sender.py).
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

import clock
from extensions import db
from models.types import UTCDateTime

CHANNELS = ("app", "email", "line")
MODES = ("instant", "digest", "off")
CHANNEL_LABELS = {"app": "ในระบบ (กระดิ่ง)", "email": "อีเมล", "line": "LINE"}
MODE_LABELS = {"instant": "ทันที", "digest": "สรุปรวมวันละครั้ง (๐๗.๓๐ น.)", "off": "ไม่รับ"}


class NotifyEvent(db.Model):
    """One thing that happened to a memo, with the text every channel tells of it."""

    __tablename__ = "notify_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))  # notifications.outbox.events.KINDS
    actor_name: Mapped[str] = mapped_column(sa.String(300))
    number: Mapped[str] = mapped_column(sa.String(100), default="")
    subject: Mapped[str] = mapped_column(sa.String(500))
    decision: Mapped[str] = mapped_column(sa.String(300), default="")
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    step_title: Mapped[str] = mapped_column(sa.String(300), default="")  # the step it reached
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class NotifyDelivery(db.Model):
    """One event to one person on one channel: at most one row, so at most one send.

    `status`: pending (to send), digest (waits for the person's daily digest), sent, failed
    (gave up after MAX_ATTEMPTS, the last error kept), fallback (LINE could not take it; an
    e-mail delivery was added instead). A sender claims pending rows with a token and a
    lease (`claimed_at`) so two senders never hold one row at once.
    """

    __tablename__ = "notify_deliveries"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "user_id", "channel"),
        sa.Index("ix_notify_deliveries_due", "status", "retry_at"),
        sa.CheckConstraint("channel IN ('email', 'line')", name="known_channel"),
        sa.CheckConstraint(
            "status IN ('pending', 'digest', 'sent', 'failed', 'fallback')", name="known_status"
        ),
        sa.CheckConstraint("(status = 'sent') = (sent_at IS NOT NULL)", name="sent_iff_sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("notify_events.id"))
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    channel: Mapped[str] = mapped_column(sa.String(10))
    status: Mapped[str] = mapped_column(sa.String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_token: Mapped[str | None] = mapped_column(sa.String(40))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    event: Mapped[NotifyEvent] = relationship()


class NotifyPreference(db.Model):
    """How a person wants to hear on one channel; no row means the default (instant)."""

    __tablename__ = "notify_preferences"
    __table_args__ = (
        sa.CheckConstraint("channel IN ('app', 'email', 'line')", name="known_channel"),
        sa.CheckConstraint("mode IN ('instant', 'digest', 'off')", name="known_mode"),
    )

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    channel: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    mode: Mapped[str] = mapped_column(sa.String(10))


class DigestRun(db.Model):
    """A person's daily digest of one day on one channel, claimed before it is sent (at most
    one a day per channel: e-mail, or one LINE push)."""

    __tablename__ = "notify_digests"
    __table_args__ = (sa.CheckConstraint("channel IN ('email', 'line')", name="known_channel"),)

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    # the rows from before LINE had a digest were e-mail digests
    channel: Mapped[str] = mapped_column(sa.String(10), primary_key=True, server_default="email")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    # When a run took it: a claim neither sent nor failed long after is a run that died mid-send.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LineChannel(db.Model):
    """An organisation's LINE Official Account: its channel access token and secret, encrypted
    with NOTIFY_SECRET_KEY (never shown again once saved)."""

    __tablename__ = "line_channels"

    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), primary_key=True)
    token_encrypted: Mapped[str] = mapped_column(sa.Text)
    secret_encrypted: Mapped[str] = mapped_column(sa.Text)
    monthly_quota: Mapped[int] = mapped_column(default=300)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class LineLink(db.Model):
    """A person's LINE account, linked by sending the bot a one-time code shown to them."""

    __tablename__ = "line_links"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    line_user_id: Mapped[str | None] = mapped_column(sa.String(64))
    code: Mapped[str | None] = mapped_column(sa.String(12), unique=True)
    code_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    linked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LineMeter(db.Model):
    """Messages pushed per organisation per month (LINE counts per recipient)."""

    __tablename__ = "line_meters"

    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), primary_key=True)
    month: Mapped[str] = mapped_column(sa.String(7), primary_key=True)  # "2026-12"
    pushed: Mapped[int] = mapped_column(default=0)
