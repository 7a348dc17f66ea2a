"""When a measure is late, and when its next progress update is due.

One rule for "missing", used by the measure page, the plan's and the list's "เกินกำหนด" filter,
"งานของฉัน", the executive home and the reminder run (`notifications.reminders.measures`, in
SQL; `tests/test_measures_missing.py` proves they agree): a reporting period of the measure's
rhythm that overlaps its months, whose due date has passed, with no progress entry dated inside
it, while the measure is open. A measure is late ("เกินกำหนด") when it misses a period of this
or the last fiscal year, or when its own period is over and it is still open.
"""

import enum
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import sqlalchemy as sa
from flask import g
from sqlalchemy.orm import selectinload

import clock
import thai
from extensions import db
from models import Measure, MeasurePlan, MeasureStatus, ProgressEntry, Rhythm
from workflow.calendar import Period, month_end, rhythm_periods
from workflow.request_cache import reading_page
from workflow.rounds import rounds_of_years

FINISHED = (MeasureStatus.DONE, MeasureStatus.CANCELLED)
OVERDUE = "overdue"  # the status filter for measures past their period


def months_of(measure: Measure) -> tuple[date, date]:
    """The measure's first and last month; its plan's fiscal year when it states no period."""
    if measure.start_month is not None and measure.end_month is not None:
        return measure.start_month, measure.end_month
    return plan_months(measure.plan.fiscal_year)


def plan_months(fiscal_year: int) -> tuple[date, date]:
    start, end = thai.fiscal_year_bounds(fiscal_year)
    return start, end.replace(day=1)


def runs_past_plan_year(measure: Measure) -> bool:
    """The measure's period ends after its plan's fiscal year: allowed (real plans do it), shown
    as a warning so that it is a choice, not a slip."""
    return (
        measure.end_month is not None
        and measure.end_month > plan_months(measure.plan.fiscal_year)[1]
    )


def is_overdue(measure: Measure, today: date | None = None) -> bool:
    """The period has ended (after the last day of end_month) and the measure is not finished."""
    today = today or clock.today()
    return measure.status not in FINISHED and today > month_end(months_of(measure)[1])


def applies(measure: Measure, period: Period) -> bool:
    """The period overlaps the measure's own months."""
    first, last = months_of(measure)
    return period.end >= first and period.start <= month_end(last)


def periods_of(measure: Measure, by_rhythm: dict[Rhythm, list[Period]]) -> list[Period]:
    """The update periods the measure owes: none when it states no reporting rhythm."""
    return by_rhythm.get(measure.rhythm, []) if measure.rhythm is not None else []


def missing_periods(
    measure: Measure, periods: list[Period], today: date | None = None
) -> list[Period]:
    """The measure's periods past their due date with no entry dated inside (none once the
    measure is finished)."""
    today = today or clock.today()
    if measure.status in FINISHED:
        return []
    dated = [e.entry_date for e in measure.entries]
    return [
        p
        for p in periods
        if p.due < today and applies(measure, p) and not any(p.contains(d) for d in dated)
    ]


def chased_years(today: date) -> tuple[int, int]:
    """Missed updates are chased for the plans of this and the last fiscal year (as the
    reminder run does); older plans are closed business."""
    year = thai.fiscal_year(today)
    return year - 1, year


@dataclass(frozen=True)
class PeriodReport:
    """One reporting period on a measure's page: reported, missing, or not yet due."""

    period: Period
    entries: int
    state: str  # REPORTED, MISSING or DUE


REPORTED, MISSING, DUE = "reported", "missing", "due"


def period_reports(
    measure: Measure, periods: list[Period], today: date | None = None
) -> list[PeriodReport]:
    """Every period of the measure's rhythm and months that has begun by today, oldest first."""
    today = today or clock.today()
    missing = set(missing_periods(measure, periods, today))
    found = []
    for period in periods:
        if not applies(measure, period) or period.start > today:
            continue
        count = sum(period.contains(e.entry_date) for e in measure.entries)
        state = REPORTED if count else (MISSING if period in missing else DUE)
        found.append(PeriodReport(period, count, state))
    return found


def update_periods(org_id: int, fiscal_year: int) -> dict[Rhythm, list[Period]]:
    """The update periods of every rhythm, from the organisation's rounds of the year."""
    return read_periods(org_id, {fiscal_year})[fiscal_year]


def read_periods(org_id: int, years: set[int]) -> dict[int, dict[Rhythm, list[Period]]]:
    """Update periods per fiscal year and rhythm, from the organisation's rounds in force (the
    saved ones, defaults for the rest). In a GET each year is read once (the late-measure rule
    and the rows shown both ask)."""
    kept = g.setdefault("_read_periods", {}) if reading_page() else {}
    wanted = {year for year in years if (org_id, year) not in kept}
    if wanted:
        for year, found in rounds_of_years(org_id, wanted).items():
            rounds = {kind: r.period for kind, r in found.items()}
            kept[org_id, year] = {rhythm: rhythm_periods(year, rhythm, rounds) for rhythm in Rhythm}
    return {year: kept[org_id, year] for year in years}


def late_condition(org_id: int, today: date | None = None) -> sa.ColumnElement[bool]:
    """SQL for `Row.overdue` of one organisation's measures (MeasurePlan joined): open, and its
    period over or a period of a chased year missed, by `missing_periods`' rule."""
    today = today or clock.today()
    years = chased_years(today)
    passed = tuple(
        (year, rhythm, tuple(p for p in periods if p.due < today))
        for year, by_rhythm in read_periods(org_id, set(years)).items()
        for rhythm, periods in by_rhythm.items()
    )
    return _late_expression(today, passed)


@lru_cache(maxsize=64)
def _late_expression(today: date, passed: tuple) -> sa.ColumnElement[bool]:
    """The condition for a day and the periods already due, built once: organisations with
    the same rounds (most keep the defaults) share it, which spares each page building about a
    thousand SQL elements. Its dates, years and rhythms are written into the SQL text, not
    bound: bound, each page converted and sent some 220 values, and the driver parsed the
    statement afresh every time (psycopg keeps its parsing only up to 50 values;
    docs/benchmarks.md, issue 21)."""
    missed = []
    for year, rhythm, periods in passed:
        first, last = plan_months(year)
        missed += [
            sa.and_(
                MeasurePlan.fiscal_year == _written(year),
                Measure.rhythm == _written(rhythm),
                sa.func.coalesce(Measure.start_month, _written(first)) <= _written(p.end),
                sa.func.coalesce(Measure.end_month, _written(last))
                >= _written(p.start.replace(day=1)),
                ~sa.exists().where(
                    ProgressEntry.measure_id == Measure.id,
                    ProgressEntry.entry_date.between(_written(p.start), _written(p.end)),
                ),
            )
            for p in periods
        ]
    ended = sa.or_(
        Measure.end_month < _written(today.replace(day=1)),
        # without a period it runs through its plan's fiscal year
        sa.and_(
            Measure.end_month.is_(None),
            MeasurePlan.fiscal_year < _written(thai.fiscal_year(today)),
        ),
    )
    open_ = Measure.status.not_in([_written(status) for status in FINISHED])
    return sa.and_(open_, sa.or_(ended, *missed))


def _written(value: date | int | enum.StrEnum) -> sa.ColumnElement:
    """A constant of the late rule as SQL text, the same on PostgreSQL and SQLite: an ISO
    date, a whole number or an enum's value (identifiers of our own, never user input)."""
    if isinstance(value, date):
        return sa.literal_column(f"'{value.isoformat()}'", sa.Date)
    if isinstance(value, enum.StrEnum):
        if not value.value.isidentifier():
            raise ValueError(f"not a plain enum value: {value!r}")
        return sa.literal_column(f"'{value.value}'", sa.String)
    return sa.literal_column(str(int(value)), sa.Integer)


def next_update(
    measure: Measure, periods: list[Period], today: date | None = None
) -> Period | None:
    """The first period of the measure's own months, not yet past its due date, without an entry.

    None when the measure is finished or every period is reported or past.
    """
    today = today or clock.today()
    if measure.status in FINISHED:
        return None
    dated = [e.entry_date for e in measure.entries]
    for period in periods:
        if not applies(measure, period) or period.due < today:
            continue
        if not any(period.contains(day) for day in dated):
            return period
    return None


@dataclass
class Row:
    """One measure of the plan table with what the list shows beside it."""

    measure: Measure
    overdue: bool  # late: a missed update, or its period over while still open
    next_update: Period | None
    missing: list[Period] = field(default_factory=list)


def row_of(measure: Measure, periods: list[Period], today: date) -> Row:
    """A measure with whether it is late, the updates it missed and the next one it owes."""
    chased = measure.plan.fiscal_year in chased_years(today)
    missing = missing_periods(measure, periods, today) if chased else []
    return Row(
        measure,
        is_overdue(measure, today) or bool(missing),
        next_update(measure, periods, today),
        missing,
    )


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
    rows = [row_of(m, periods_of(m, periods), today) for m in db.session.scalars(stmt)]
    if unit_id:
        rows = [r for r in rows if any(u.id == unit_id for u in r.measure.units)]
    if status == OVERDUE:
        rows = [r for r in rows if r.overdue]
    elif status:
        rows = [r for r in rows if r.measure.status.value == status]
    return rows
