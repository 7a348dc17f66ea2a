"""Report rounds of a fiscal year (quarters, 6 months, the year) and the organisation's holidays."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.types import UTCDateTime, str_enum


class RoundKind(enum.StrEnum):
    Q1 = "q1"
    Q2 = "q2"
    Q3 = "q3"
    Q4 = "q4"
    HALF = "half"  # รอบ ๖ เดือน (1 Oct - 31 Mar)
    ANNUAL = "annual"  # รอบ ๑๒ เดือน (1 Oct - 30 Sep)

    @property
    def label(self) -> str:
        return ROUND_LABELS[self]


ROUND_LABELS = {
    RoundKind.Q1: "ไตรมาสที่ ๑",
    RoundKind.Q2: "ไตรมาสที่ ๒",
    RoundKind.Q3: "ไตรมาสที่ ๓",
    RoundKind.Q4: "ไตรมาสที่ ๔",
    RoundKind.HALF: "รอบ ๖ เดือน",
    RoundKind.ANNUAL: "รอบ ๑๒ เดือน",
}


class ReportRound(db.Model):
    """A round's dates as the organisation saved them. A round without a row has the default
    dates (workflow.rounds); a row is written only when an admin saves or confirms the dates,
    or when a report is made for the round (the report points at it)."""

    __tablename__ = "report_rounds"
    __table_args__ = (
        sa.UniqueConstraint("org_id", "fiscal_year", "kind"),
        sa.CheckConstraint("period_end >= period_start", name="period_ordered"),
        sa.CheckConstraint("due_date >= period_end", name="due_after_period"),
        sa.CheckConstraint(
            "(checked_at IS NULL) = (checked_by_id IS NULL)", name="checked_with_checker"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    fiscal_year: Mapped[int]  # B.E.
    kind: Mapped[RoundKind] = mapped_column(str_enum(RoundKind, "round_kind"))
    period_start: Mapped[date]
    period_end: Mapped[date]
    due_date: Mapped[date]
    # An admin saved or confirmed these dates (the set-up checklist asks for it).
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))


class Holiday(db.Model):
    """An organisation's own day off, or (with `works`) a national holiday it works through.

    Working-day counts skip weekends, Thailand's public holidays (workflow.calendar) and the
    organisation's own days, except the national ones it marked as worked.
    """

    __tablename__ = "holidays"
    __table_args__ = (sa.UniqueConstraint("org_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    day: Mapped[date]
    name: Mapped[str] = mapped_column(sa.String(200))
    works: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
