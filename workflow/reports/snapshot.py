"""The frozen table of a progress report: every measure of the plan as it stood at a round's end."""

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

import clock
import thai
from extensions import db
from models import Measure, MeasureEvent, MeasurePlan, MeasureStatus, ReportRound
from workflow.calendar import period_label

SNAPSHOT_VERSION = 1
NO_BUDGET = "ไม่ใช้งบประมาณ"
COUNT_ORDER = (
    MeasureStatus.DONE,
    MeasureStatus.IN_PROGRESS,
    MeasureStatus.NOT_STARTED,
    MeasureStatus.CANCELLED,
)


def build_snapshot(plan: MeasurePlan, report_round: ReportRound) -> dict:
    """Plain JSON data (dates as ISO strings), in a fixed order, since the signed hash covers it."""
    as_of = report_round.period_end
    measures = sorted(plan.measures, key=lambda m: (m.position, m.id))
    statuses = statuses_as_of([m.id for m in measures], as_of)
    rows = [measure_row(m, statuses.get(m.id, MeasureStatus.NOT_STARTED), as_of) for m in measures]
    return {
        "version": SNAPSHOT_VERSION,
        "as_of": as_of.isoformat(),
        "round": round_data(report_round),
        "plan": {"id": plan.id, "title": plan.title, "fiscal_year": plan.fiscal_year},
        "counts": [
            {
                "status": s.value,
                "label": s.label,
                "count": sum(r["status"] == s.value for r in rows),
            }
            for s in COUNT_ORDER
        ],
        "measures": rows,
    }


def round_data(report_round: ReportRound) -> dict:
    return {
        "id": report_round.id,
        "kind": report_round.kind.value,
        "label": thai.to_arabic_digits(report_round.kind.label),
        "fiscal_year": report_round.fiscal_year,
        "period_start": report_round.period_start.isoformat(),
        "period_end": report_round.period_end.isoformat(),
        "due_date": report_round.due_date.isoformat(),
    }


def statuses_as_of(measure_ids: list[int], as_of: date) -> dict[int, MeasureStatus]:
    """Each measure's status after its last status change on or before `as_of` (Bangkok dates).

    A measure with no such change had not started yet.
    """
    if not measure_ids:
        return {}
    stmt = (
        sa.select(MeasureEvent)
        .where(MeasureEvent.measure_id.in_(measure_ids), MeasureEvent.new_status.is_not(None))
        .order_by(MeasureEvent.created_at, MeasureEvent.id)
    )
    statuses = {}
    for event in db.session.scalars(stmt):
        if clock.local(event.created_at).date() <= as_of:
            statuses[event.measure_id] = event.new_status
    return statuses


def measure_row(measure: Measure, status: MeasureStatus, as_of: date) -> dict:
    """One row of the table: what the measure is, who does it, and what was done by `as_of`."""
    return {
        "id": measure.id,
        "position": measure.position,
        "indicators": list(measure.indicators),
        "codes": list(measure.question_codes),
        "title": measure.title,
        "steps": list(measure.steps),
        "units": [u.name for u in measure.units],
        "people": [p.display_name for p in measure.people],
        "follow_up": measure.follow_up,
        "rhythm": measure.rhythm.value,
        "rhythm_label": thai.to_arabic_digits(measure.rhythm.label),
        "period_label": period_label(measure.start_month, measure.end_month, thai_digits=False),
        "budget": None if measure.budget is None else f"{measure.budget:.2f}",
        "budget_label": budget_label(measure.budget),
        "status": status.value,
        "status_label": thai.to_arabic_digits(status.label),
        "entries": [
            {"date": e.entry_date.isoformat(), "text": e.text, "by": e.author.display_name}
            for e in measure.entries
            if e.entry_date <= as_of
        ],
        "evidence": [
            {"title": ev.title, "url": ev.url}
            for ev in measure.evidence
            if clock.local(ev.added_at).date() <= as_of
        ],
    }


def budget_label(budget: Decimal | None) -> str:
    """'50,000 บาท', '1,234.50 บาท' or 'ไม่ใช้งบประมาณ' (Arabic digits; templates convert)."""
    if budget is None:
        return NO_BUDGET
    if budget == budget.to_integral_value():
        return f"{int(budget):,} บาท"
    return f"{budget:,.2f} บาท"
