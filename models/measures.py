"""Integrity measures (มาตรการ / โครงการ / กิจกรรม) of a fiscal-year plan, their progress and evidence."""

import enum
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

import clock
from extensions import db
from models.org import Unit, User
from models.types import UTCDateTime, str_enum


class Rhythm(enum.StrEnum):
    """How often a measure reports progress."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SEMIANNUAL = "semiannual"
    YEARLY = "yearly"

    @property
    def label(self) -> str:
        return RHYTHM_LABELS[self]


RHYTHM_LABELS = {
    Rhythm.MONTHLY: "รายเดือน",
    Rhythm.QUARTERLY: "รายไตรมาส",
    Rhythm.SEMIANNUAL: "ทุก ๖ เดือน",
    Rhythm.YEARLY: "รายปี",
}


class MeasureStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return MEASURE_STATUS_LABELS[self]


MEASURE_STATUS_LABELS = {
    MeasureStatus.NOT_STARTED: "ยังไม่ดำเนินการ",
    MeasureStatus.IN_PROGRESS: "อยู่ระหว่างดำเนินการ",
    MeasureStatus.DONE: "ดำเนินการแล้ว",
    MeasureStatus.CANCELLED: "ยกเลิก",
}
OVERDUE_LABEL = "เกินกำหนด"

measure_units = sa.Table(
    "measure_units",
    db.metadata,
    sa.Column("measure_id", sa.ForeignKey("measures.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("unit_id", sa.ForeignKey("units.id"), primary_key=True),
)
measure_people = sa.Table(
    "measure_people",
    db.metadata,
    sa.Column("measure_id", sa.ForeignKey("measures.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id"), primary_key=True),
)


class MeasurePlan(db.Model):
    """มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. N."""

    __tablename__ = "measure_plans"
    __table_args__ = (sa.UniqueConstraint("org_id", "fiscal_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    fiscal_year: Mapped[int]  # B.E.
    title: Mapped[str] = mapped_column(sa.String(300))
    # Who drafts the plan's progress reports; round reminders go to this person.
    coordinator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    coordinator: Mapped[User | None] = relationship()
    measures: Mapped[list["Measure"]] = relationship(
        back_populates="plan", order_by="Measure.position"
    )


class Measure(db.Model):
    __tablename__ = "measures"
    __table_args__ = (
        sa.CheckConstraint("end_month >= start_month", name="period_ordered"),
        sa.CheckConstraint(
            "(start_month IS NULL) = (end_month IS NULL)", name="period_whole_or_unstated"
        ),
        sa.CheckConstraint("budget IS NULL OR budget >= 0", name="budget_not_negative"),
        sa.CheckConstraint(
            "(status = 'cancelled') = (cancel_reason IS NOT NULL)",
            name="cancel_reason_iff_cancelled",
        ),
        sa.Index("ix_measures_plan_position", "plan_id", "position"),
        # The follow-up reminders' window, over the few measures with an adopted date.
        sa.Index(
            "ix_measures_follow_up_due",
            "follow_up_due",
            postgresql_where=sa.text("follow_up_due IS NOT NULL"),
            sqlite_where=sa.text("follow_up_due IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("measure_plans.id"))
    position: Mapped[int] = mapped_column(default=1)
    indicators: Mapped[list[int]] = mapped_column(sa.JSON, default=list)  # ITA indicators 1-10
    question_codes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)  # i10, e7, O20, ...
    title: Mapped[str] = mapped_column(sa.String(500))
    # The numbered heading it sits under ("2. …" with its measures 2.1, 2.2 …), if any.
    parent_title: Mapped[str | None] = mapped_column(sa.String(500))
    analysis: Mapped[str] = mapped_column(sa.Text, default="")  # ผลการวิเคราะห์
    steps: Mapped[list[str]] = mapped_column(sa.JSON, default=list)  # ขั้นตอน/วิธีการ, in order
    # First day of the first month, and of the last (the period runs to its end). Both unstated
    # when the plan gives no period: the measure then runs through its plan's fiscal year.
    start_month: Mapped[date | None]
    end_month: Mapped[date | None]
    # None: not stated, or ไม่ใช้งบประมาณ (printed as the organisation's setting says)
    budget: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    follow_up: Mapped[str] = mapped_column(sa.Text, default="")  # การกำกับติดตาม / การรายงานผล
    # A date the follow-up names ("รายงานภายในวันที่ …"), adopted as a due date that reminds
    # like a round; an entry recorded after it was adopted answers it.
    follow_up_due: Mapped[date | None]
    follow_up_due_set_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # None: the plan sets no reporting rhythm; the measure then owes no periodic update.
    rhythm: Mapped[Rhythm | None] = mapped_column(str_enum(Rhythm, "report_rhythm"))
    status: Mapped[MeasureStatus] = mapped_column(
        str_enum(MeasureStatus, "measure_status"), default=MeasureStatus.NOT_STARTED
    )
    cancel_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)

    plan: Mapped[MeasurePlan] = relationship(back_populates="measures")
    # in the organisation's order, as printed
    units: Mapped[list[Unit]] = relationship(secondary=measure_units, order_by=Unit.in_order())
    people: Mapped[list[User]] = relationship(secondary=measure_people, order_by=User.full_name)
    entries: Mapped[list["ProgressEntry"]] = relationship(
        order_by="[ProgressEntry.entry_date, ProgressEntry.id]", cascade="all, delete-orphan"
    )
    evidence: Mapped[list["Evidence"]] = relationship(
        order_by="Evidence.id", cascade="all, delete-orphan"
    )


class MeasureEvent(db.Model):
    """Who changed what on a measure, and when (status changes keep old and new status).

    A status change also carries the date it took effect (Bangkok), which reports go by: it may
    be earlier than when it was recorded (created_at), never later.
    """

    __tablename__ = "measure_events"
    __table_args__ = (
        sa.CheckConstraint(
            "new_status IS NULL OR effective_date IS NOT NULL",
            name="status_change_has_effective_date",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(
        sa.ForeignKey("measures.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(20))  # created, edited, status, progress, evidence
    old_status: Mapped[MeasureStatus | None] = mapped_column(str_enum(MeasureStatus, "old_status"))
    new_status: Mapped[MeasureStatus | None] = mapped_column(str_enum(MeasureStatus, "new_status"))
    effective_date: Mapped[date | None]
    note: Mapped[str] = mapped_column(sa.Text, default="")
    actor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(sa.String(250))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class ProgressEntry(db.Model):
    """การดำเนินการ: what was done, on which date, by whom."""

    __tablename__ = "progress_entries"
    # "Any entry dated in this period?" from the index alone (the measure reminders ask it of
    # every open measure and passed period; migration i22h21remind2).
    __table_args__ = (sa.Index("ix_progress_entries_measure_date", "measure_id", "entry_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(
        sa.ForeignKey("measures.id", ondelete="CASCADE"), index=True
    )
    entry_date: Mapped[date]
    text: Mapped[str] = mapped_column(sa.Text)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    author: Mapped[User] = relationship()


class Evidence(db.Model):
    """An evidence URL (http/https) on the agency website, and what the link checker last saw."""

    __tablename__ = "evidence"
    __table_args__ = (sa.UniqueConstraint("measure_id", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(sa.ForeignKey("measures.id", ondelete="CASCADE"))
    progress_entry_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("progress_entries.id", ondelete="SET NULL")
    )
    url: Mapped[str] = mapped_column(sa.String(2000))
    title: Mapped[str] = mapped_column(sa.String(300))
    added_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    last_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status: Mapped[int | None]  # HTTP status of the last check
    last_ok_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(sa.String(300))

    added_by: Mapped[User] = relationship()

    @property
    def is_broken(self) -> bool:
        return self.last_checked_at is not None and self.last_ok_at != self.last_checked_at
