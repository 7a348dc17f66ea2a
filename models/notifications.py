"""In-app notifications and the ledger that makes each reminder go out at most once."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

import clock
from extensions import db
from models.types import UTCDateTime


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (sa.Index("ix_notifications_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    url: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Reminder(db.Model):
    """One reminder to one person about one item in one round, claimed before it is sent.

    The unique constraint, not a check in Python, is what stops two runs (on two machines)
    from both sending it. `sent_at` is set only after the e-mail went out; a claim whose send
    failed is released for the next run.
    """

    __tablename__ = "reminders"
    __table_args__ = (
        sa.UniqueConstraint("item_type", "item_id", "round_key", "kind", "recipient_id"),
        # Only the unsent: a few among every reminder ever sent (migration i21a00000001).
        sa.Index(
            "ix_reminders_unsent",
            "claimed_at",
            postgresql_where=sa.text("sent_at IS NULL"),
            sqlite_where=sa.text("sent_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    item_type: Mapped[str] = mapped_column(sa.String(20))  # round, measure, document
    item_id: Mapped[int]
    round_key: Mapped[str] = mapped_column(sa.String(40))
    kind: Mapped[str] = mapped_column(sa.String(30))
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    url: Mapped[str] = mapped_column(sa.String(500), default="")
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    claim_token: Mapped[str] = mapped_column(sa.String(40))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
