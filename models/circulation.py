"""What happens to a memo after its approval: cancelled or superseded by a later memo, and sent
round (แจ้งเวียน) to named people who acknowledge it."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

import clock
from extensions import db
from models.document import Document
from models.org import Unit, User
from models.types import UTCDateTime, str_enum


class RevocationKind(enum.StrEnum):
    CANCEL = "cancel"
    SUPERSEDE = "supersede"

    @property
    def label(self) -> str:
        return {"cancel": "ยกเลิก", "supersede": "แทนที่"}[self.value]


class Revocation(db.Model):
    """A memo (`document`) that, once approved through its chain, cancels or supersedes an
    approved memo of the same organisation (`target`). `done_at` is set at that approval; the
    target then stays, marked, and keeps its number."""

    __tablename__ = "revocations"
    __table_args__ = (
        sa.CheckConstraint("document_id <> target_id", name="not_itself"),
        sa.CheckConstraint("length(reason) > 0", name="reason_given"),
        sa.CheckConstraint("(done_at IS NULL) = (done_by_id IS NULL)", name="done_with_signer"),
        # A memo is cancelled or superseded once, whatever code writes it.
        sa.Index(
            "uq_revocations_target_done",
            "target_id",
            unique=True,
            sqlite_where=sa.text("done_at IS NOT NULL"),
            postgresql_where=sa.text("done_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id"), unique=True)
    target_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id"), index=True)
    kind: Mapped[RevocationKind] = mapped_column(str_enum(RevocationKind, "revocation_kind"))
    reason: Mapped[str] = mapped_column(sa.Text)
    started_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    document: Mapped[Document] = relationship(foreign_keys=[document_id])
    target: Mapped[Document] = relationship(foreign_keys=[target_id])


class CirculationRecipient(db.Model):
    """One person an approved memo was sent round to, and when they acknowledged it (รับทราบ)."""

    __tablename__ = "circulation_recipients"
    __table_args__ = (
        sa.UniqueConstraint("document_id", "user_id"),
        sa.CheckConstraint(
            "acknowledged_at IS NULL OR acknowledged_at >= sent_at", name="ack_after_sent"
        ),
        sa.Index("ix_circulation_recipients_user", "user_id", "acknowledged_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    # The unit the person was reached through, when the sender chose a whole unit.
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"))
    sent_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    unit: Mapped[Unit | None] = relationship()
    sent_by: Mapped[User] = relationship(foreign_keys=[sent_by_id])
