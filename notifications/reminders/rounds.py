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
from workflow.rounds import rounds_in_force


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
    """Rounds in a reminder window whose report is not yet filed, one row per coordinator.

    The rounds are those in force (`workflow.rounds.rounds_in_force`): an organisation that
    never saved its rounds is reminded of the default dates. The reminder's item is the
    organisation; the round is in its key ("2569-half")."""
    today = settings.today
    latest = today + timedelta(days=max(settings.days_before, default=0))
    earliest = today - timedelta(days=OVERDUE_WINDOW_DAYS)
    # A round of year Y is due at the latest six months after Y ends (workflow.rounds).
    rounds = rounds_in_force(range(thai.fiscal_year(earliest) - 1, thai.fiscal_year(latest) + 1))
    r = rounds.c
    whens = [(r.due_date < today, const(OVERDUE)), (r.due_date == today, const(DUE_TODAY))]
    for days in sorted(settings.days_before):  # the nearest window wins
        whens.append((r.due_date <= today + timedelta(days=days), const(due_kind(days))))
    filed = sa.exists().where(
        ReportSnapshot.round_id == r.id,
        Document.id == ReportSnapshot.document_id,
        Document.state.in_((DocState.IN_REVIEW, DocState.APPROVED)),
    )
    return (
        sa.select(
            r.org_id,
            const("round").label("item_type"),
            r.org_id.label("item_id"),
            (sa.cast(r.fiscal_year, sa.String) + "-" + r.kind).label("round_key"),
            sa.case(*whens).label("kind"),
            User.id.label("recipient_id"),
            r.kind.label("round_kind"),
            r.fiscal_year,
            r.period_start,
            r.period_end,
            r.due_date,
            Organisation.thai_digits,
        )
        .select_from(rounds)
        .join(
            MeasurePlan,
            sa.and_(MeasurePlan.org_id == r.org_id, MeasurePlan.fiscal_year == r.fiscal_year),
        )
        .join(
            User,
            sa.and_(User.id == MeasurePlan.coordinator_id, User.active, User.org_id == r.org_id),
        )
        .join(Organisation, Organisation.id == r.org_id)
        .where(r.due_date.between(earliest, latest), ~filed)
    )
