"""The OIT board: per organisation and assessment year, each OIT item's owner, due date, evidence
URLs on the organisation's website (checked by the link checker), and the documents published at
a public URL as the evidence of an item."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

import clock
from extensions import db
from models.types import UTCDateTime


class OitItem(db.Model):
    """What the organisation keeps for one OIT item of one year. The item's text is the
    catalogue's; a row exists once someone set an owner, a due date, evidence or a check."""

    __tablename__ = "oit_items"
    __table_args__ = (
        sa.UniqueConstraint("org_id", "fiscal_year", "code"),
        sa.CheckConstraint(
            "(checked_at IS NULL) = (checked_by_id IS NULL)", name="checked_with_checker"
        ),
        sa.Index("ix_oit_items_due_date", "due_date"),  # the reminders' window
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    fiscal_year: Mapped[int]  # the assessment year (B.E.)
    code: Mapped[str] = mapped_column(sa.String(10))  # O1 ... O26
    owner_unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"))
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    due_date: Mapped[date | None] = mapped_column(sa.Date)
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # ตรวจแล้ว
    checked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)

    owner_unit = relationship("Unit")
    owner = relationship("User", foreign_keys=[owner_id])
    checked_by = relationship("User", foreign_keys=[checked_by_id])
    evidence: Mapped[list["OitEvidence"]] = relationship(
        back_populates="item", order_by="OitEvidence.id", cascade="all, delete-orphan"
    )


class OitEvidence(db.Model):
    """One URL of an item's evidence. The link checker fills the last four columns."""

    __tablename__ = "oit_evidence"
    __table_args__ = (
        sa.UniqueConstraint("item_id", "url"),
        # The broken links, a few among hundreds of thousands: "has a broken link?" by index.
        sa.Index(
            "ix_oit_evidence_broken",
            "item_id",
            postgresql_where=sa.text("broken_since IS NOT NULL"),
            sqlite_where=sa.text("broken_since IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("oit_items.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(sa.String(2000))
    title: Mapped[str] = mapped_column(sa.String(300))
    added_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    last_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status: Mapped[int | None]
    last_ok_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(sa.String(300))
    broken_since: Mapped[datetime | None] = mapped_column(
        UTCDateTime
    )  # first failed check in a row

    item: Mapped[OitItem] = relationship(back_populates="evidence")


class Publication(db.Model):
    """An approved memo served read-only at /p/<org slug>/<year>/<item>. Unpublishing sets
    `retracted_at`; the row stays, and a later publication of the item is a new row."""

    __tablename__ = "publications"
    __table_args__ = (
        sa.CheckConstraint(
            "(retracted_at IS NULL) = (retracted_by_id IS NULL)", name="retracted_with_who"
        ),
        sa.Index("ix_publications_place", "org_id", "fiscal_year", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id"), index=True)
    fiscal_year: Mapped[int]  # the assessment year whose OIT item this is
    code: Mapped[str] = mapped_column(sa.String(10))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    published_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    retracted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    retracted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    document = relationship("Document")
    published_by = relationship("User", foreign_keys=[published_by_id])

    @property
    def live(self) -> bool:
        return self.retracted_at is None
