"""When a measure is late, and when its next progress update is due."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

import clock
from extensions import db
from models import Measure, MeasurePlan, MeasureStatus, Rhythm
from workflow.calendar import Period, month_end, rhythm_periods
from workflow.rounds import rounds_for

FINISHED = (MeasureStatus.DONE, MeasureStatus.CANCELLED)
OVERDUE = "overdue"  # the status filter for measures past their period


def is_overdue(measure: Measure, today: date | None = None) -> bool:
    """The period has ended (after the last day of end_month) and the measure is not finished."""
    today = today or clock.today()
    return measure.status not in FINISHED and today > month_end(measure.end_month)


def update_periods(org_id: int, fiscal_year: int) -> dict[Rhythm, list[Period]]:
    """The update periods of every rhythm, from the organisation's rounds of the year."""
    rounds = {
        kind: Period(r.period_start, r.period_end, r.due_date)
        for kind, r in rounds_for(org_id, fiscal_year).items()
    }
    return {rhythm: rhythm_periods(fiscal_year, rhythm, rounds) for rhythm in Rhythm}


def next_update(
    measure: Measure, periods: list[Period], today: date | None = None
) -> Period | None:
    """The first period of the measure's own months, not yet past its due date, without an entry.

    None when the measure is finished or every period is reported or past.
    """
    today = today or clock.today()
    if measure.status in FINISHED:
        return None
    last_day = month_end(measure.end_month)
    dated = [e.entry_date for e in measure.entries]
    for period in periods:
        if period.end < measure.start_month or period.start > last_day or period.due < today:
            continue
        if not any(period.contains(day) for day in dated):
            return period
    return None


@dataclass
class Row:
    """One measure of the plan table with what the list shows beside it."""

    measure: Measure
    overdue: bool
    next_update: Period | None


def plan_rows(
    plan: MeasurePlan, unit_id: int | None = None, status: str | None = None
) -> list[Row]:
    """The plan's measures in order, filtered by a responsible unit and a status (or overdue)."""
    today = clock.today()
    periods = update_periods(plan.org_id, plan.fiscal_year)
    stmt = (
        sa.select(Measure)
        .where(Measure.plan_id == plan.id)
        .options(
            selectinload(Measure.units), selectinload(Measure.people), selectinload(Measure.entries)
        )
        .order_by(Measure.position, Measure.id)
    )
    rows = [
        Row(m, is_overdue(m, today), next_update(m, periods[m.rhythm], today))
        for m in db.session.scalars(stmt)
    ]
    if unit_id:
        rows = [r for r in rows if any(u.id == unit_id for u in r.measure.units)]
    if status == OVERDUE:
        rows = [r for r in rows if r.overdue]
    elif status:
        rows = [r for r in rows if r.measure.status.value == status]
    return rows
