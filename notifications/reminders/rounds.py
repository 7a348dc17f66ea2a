"""Round reminders: a progress report due in N days, due today, or overdue, to the coordinator
of that fiscal year's plan, until a report of the round is under review or approved."""

from collections.abc import Iterator, Sequence
from datetime import timedelta
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.engine import Row

import thai
from extensions import db
from models import (
    DocState,
    Document,
    MeasurePlan,
    Organisation,
    ReportRound,
    ReportSnapshot,
    RoundKind,
    User,
)
from notifications.reminders.common import (
    DUE_TODAY,
    OVERDUE,
    OVERDUE_WINDOW_DAYS,
    Links,
    Message,
    Restrict,
    Settings,
    be_date,
    be_number,
    const,
    due_kind,
)


class RoundSource:
    item_type = "round"

    def batches(self, settings: Settings, restrict: Restrict) -> Iterator[Sequence[Row]]:
        yield db.session.execute(restrict(candidates(settings).subquery())).all()

    def render(self, row: Row, settings: Settings, links: Links) -> Message:
        digits = row.thai_digits
        due = be_date(row.due_date, digits)
        report = _report_name(RoundKind(row.round_kind), row.fiscal_year, digits)
        if row.kind == OVERDUE:
            subject, when = f"เลยกำหนดส่ง{report} (กำหนด {due})", f"เลยกำหนดส่งเมื่อวันที่ {due} แล้ว"
        elif row.kind == DUE_TODAY:
            subject, when = f"วันนี้ครบกำหนดส่ง{report} ({due})", f"ครบกำหนดส่งวันนี้ ({due})"
        else:
            days = be_number(row.kind.removeprefix("due_"), digits)
            subject = f"อีก {days} วันครบกำหนดส่ง{report} ({due})"
            when = f"ครบกำหนดส่งวันที่ {due} (อีก {days} วัน)"
        body = (
            f"{report} ผลการดำเนินงานระหว่างวันที่ {be_date(row.period_start, digits)}"
            f" ถึง {be_date(row.period_end, digits)} {when}"
            " ขณะนี้ยังไม่มีรายงานของรอบนี้ที่เสนอเข้าสู่การพิจารณา"
            "\nท่านได้รับแจ้งในฐานะผู้ประสานงานการจัดทำรายงานของแผนมาตรการปีนี้"
        )
        path = links.path("reports.index", "reports.index", fiscal_year=row.fiscal_year)
        return Message(subject, body, path)


@lru_cache(maxsize=256)
def _report_name(kind: RoundKind, fiscal_year: int, digits: bool) -> str:
    return thai.digits(
        f"รายงานความก้าวหน้าตามมาตรการ{kind.label} ปีงบประมาณ พ.ศ. {fiscal_year}", digits
    )


def candidates(settings: Settings) -> sa.Select:
    """Rounds in a reminder window whose report is not yet filed, one row per coordinator."""
    today = settings.today
    whens = [
        (ReportRound.due_date < today, const(OVERDUE)),
        (ReportRound.due_date == today, const(DUE_TODAY)),
    ]
    for days in sorted(settings.days_before):  # the nearest window wins
        whens.append((ReportRound.due_date <= today + timedelta(days=days), const(due_kind(days))))
    latest = today + timedelta(days=max(settings.days_before, default=0))
    earliest = today - timedelta(days=OVERDUE_WINDOW_DAYS)
    filed = sa.exists().where(
        ReportSnapshot.round_id == ReportRound.id,
        Document.id == ReportSnapshot.document_id,
        Document.state.in_((DocState.IN_REVIEW, DocState.APPROVED)),
    )
    round_key = (
        sa.cast(ReportRound.fiscal_year, sa.String) + "-" + sa.cast(ReportRound.kind, sa.String)
    )
    return (
        sa.select(
            ReportRound.org_id,
            const("round").label("item_type"),
            ReportRound.id.label("item_id"),
            round_key.label("round_key"),
            sa.case(*whens).label("kind"),
            User.id.label("recipient_id"),
            ReportRound.kind.label("round_kind"),
            ReportRound.fiscal_year,
            ReportRound.period_start,
            ReportRound.period_end,
            ReportRound.due_date,
            Organisation.thai_digits,
        )
        .join(
            MeasurePlan,
            sa.and_(
                MeasurePlan.org_id == ReportRound.org_id,
                MeasurePlan.fiscal_year == ReportRound.fiscal_year,
            ),
        )
        .join(
            User,
            sa.and_(
                User.id == MeasurePlan.coordinator_id,
                User.active,
                User.org_id == ReportRound.org_id,
            ),
        )
        .join(Organisation, Organisation.id == ReportRound.org_id)
        .where(ReportRound.due_date.between(earliest, latest), ~filed)
    )
