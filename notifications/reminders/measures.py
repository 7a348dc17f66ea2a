"""Measure reminders: a measure still open that missed a reporting period (by its rhythm and the
organisation's rounds) of this or the last fiscal year: its due date passed with no progress
entry dated inside. The rule is `workflow.measures.schedule.missing_periods`, here in SQL
(`tests/test_measures_missing.py` proves they agree). Each run reminds of the latest period a
measure missed, each period at most once. They go to the measure's active responsible people,
or the plan's coordinator when it has none."""

import json
from collections.abc import Iterator, Sequence
from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Row
from sqlalchemy.orm import aliased

import thai
from extensions import db
from models import (
    Measure,
    MeasurePlan,
    MeasureStatus,
    Organisation,
    ProgressEntry,
    ReportRound,
    Rhythm,
    RoundKind,
    User,
)
from models.measures import measure_people
from notifications.reminders.common import (
    UPDATE_MISSING,
    Links,
    Message,
    Restrict,
    Settings,
    be_date,
    const,
    fixed,
    recordset,
    shorten,
)
from workflow.calendar import Period, default_rounds, merged_rounds, rhythm_periods
from workflow.measures.schedule import plan_months

BATCH = 2000
CLOSED = (MeasureStatus.DONE, MeasureStatus.CANCELLED)
PERIOD_PREFIX = {Rhythm.QUARTERLY: "q", Rhythm.SEMIANNUAL: "h", Rhythm.YEARLY: "y"}

# The passed periods of each calendar (a year's rounds: the defaults are calendar 0), and the
# organisations whose rounds differ from the defaults, with their calendar, for one statement
# to join. Nationally some fifteen thousand organisation-years share a handful of calendars, so
# the periods are a few hundred rows instead of one set per organisation.
PERIODS = sa.Table(
    "reminder_periods",
    sa.MetaData(),
    sa.Column("calendar", sa.Integer, nullable=False),
    sa.Column("fiscal_year", sa.Integer, nullable=False),
    sa.Column("rhythm", sa.String(20), nullable=False),
    sa.Column("round_key", sa.String(40), nullable=False),
    sa.Column("period_start", sa.Date, nullable=False),
    sa.Column("period_end", sa.Date, nullable=False),
    sa.Column("month_start", sa.Date, nullable=False),
    sa.Column("due", sa.Date, nullable=False),
    # the plan's first and last month, for a measure that states no period of its own
    sa.Column("plan_first", sa.Date, nullable=False),
    sa.Column("plan_last", sa.Date, nullable=False),
    sa.Index("ix_reminder_periods_key", "calendar", "fiscal_year", "rhythm"),
    prefixes=["TEMPORARY"],
)
CALENDARS = sa.Table(
    "reminder_calendars",
    PERIODS.metadata,
    sa.Column("org_id", sa.Integer, primary_key=True),
    sa.Column("fiscal_year", sa.Integer, primary_key=True),
    sa.Column("calendar", sa.Integer, nullable=False),
    prefixes=["TEMPORARY"],
)
DEFAULT_CALENDAR = 0


class MeasureSource:
    item_type = "measure"

    def batches(self, settings: Settings, restrict: Restrict) -> Iterator[Sequence[Row]]:
        periods, calendars = passed_periods(settings.today)
        if not periods:
            return
        conn = db.session.connection()
        # Dropped when done; after an error the rollback (or the next run's DROP) removes them.
        for table, rows in ((PERIODS, periods), (CALENDARS, calendars)):
            conn.execute(sa.text(f"DROP TABLE IF EXISTS {table.name}"))
            table.create(conn)
            _fill(conn, table, rows)
        stmt = restrict(candidates().subquery())
        yield from db.session.execute(stmt, execution_options={"yield_per": BATCH}).partitions()
        PERIODS.drop(conn)
        CALENDARS.drop(conn)

    def render(self, row: Row, settings: Settings, links: Links) -> Message:
        # Only the measure's title needs its digits converted: the rest is built per setting.
        digits = row.thai_digits
        start, end, due = (be_date(d, digits) for d in (row.period_start, row.period_end, row.due))
        title = thai.digits(shorten(row.title, 200), digits)
        body = (
            f"มาตรการ “{title}” รายงานความก้าวหน้า{fixed(Rhythm(row.rhythm).label, digits)}"
            f" ยังไม่มีการบันทึกการดำเนินการในช่วงวันที่ {start} ถึง {end}"
            f" ซึ่งครบกำหนดรายงานเมื่อวันที่ {due}"
            " กรุณาบันทึกการดำเนินการและหลักฐานของช่วงนี้\n"
            + (FOR_PEOPLE if row.via == "people" else FOR_COORDINATOR)
        )
        subject = f"มาตรการยังไม่ได้รายงานความก้าวหน้า (กำหนด {due}): {shorten(title, 150)}"
        path = links.path("measures.show", "measures.index", measure_id=row.item_id)
        return Message(subject, body, path)


FOR_PEOPLE = "ท่านได้รับแจ้งในฐานะผู้รับผิดชอบมาตรการนี้"
FOR_COORDINATOR = "ท่านได้รับแจ้งในฐานะผู้ประสานงานแผนมาตรการ เพราะมาตรการนี้ยังไม่มีผู้รับผิดชอบในระบบ"


def _fill(conn, table: sa.Table, rows: list[dict]) -> None:
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        columns = {col.name: col.type for col in table.columns}
        unpacked = sa.select(recordset("rows", columns))
        conn.execute(
            table.insert().from_select(list(columns), unpacked),
            {"rows": json.dumps(rows, default=str)},
        )
        conn.execute(sa.text(f"ANALYZE {table.name}"))
    else:
        conn.execute(table.insert(), rows)


def passed_periods(today: date) -> tuple[list[dict], list[dict]]:
    """Per calendar, fiscal year (this and the last) and rhythm: every period whose due date has
    passed; and the organisations whose rounds of a year (saved, defaults for the others) differ
    from the defaults, with their calendar. Every other organisation has calendar 0."""
    this_year = thai.fiscal_year(today)
    years = (this_year - 1, this_year)
    saved: dict[tuple[int, int], list] = {}
    # Plain table columns and the kind as text: tens of thousands of rows nationally, read
    # without the ORM's row handling; the kinds become RoundKind for the few distinct sets.
    r = ReportRound.__table__.c
    for org_id, year, *dates in db.session.execute(
        sa.select(
            r.org_id,
            r.fiscal_year,
            sa.type_coerce(r.kind, sa.String),
            r.period_start,
            r.period_end,
            r.due_date,
        ).where(r.fiscal_year.in_(years))
    ):
        saved.setdefault((org_id, year), []).append(tuple(dates))
    numbers: dict[tuple, int] = {}  # (year, its rounds) -> calendar
    periods: list[dict] = []

    def calendar_of(year: int, rounds: dict) -> int:
        key = (year, tuple(sorted(rounds.items())))
        if key not in numbers:
            numbers[key] = DEFAULT_CALENDAR if rounds == default_rounds(year) else len(numbers) + 1
            periods.extend(_period_rows(numbers[key], year, rounds, today))
        return numbers[key]

    for year in years:
        calendar_of(year, merged_rounds(year, {}))
    known: dict[tuple, int] = {}  # (year, the rounds it saved) -> calendar: a handful of sets
    calendars = []
    for (org_id, year), own in saved.items():
        key = (year, tuple(sorted(own)))
        if key not in known:
            own_periods = {RoundKind(k): Period(s, e, d) for k, s, e, d in key[1]}
            rounds = merged_rounds(year, own_periods)
            known[key] = calendar_of(year, rounds)
        if known[key] != DEFAULT_CALENDAR:
            calendars.append({"org_id": org_id, "fiscal_year": year, "calendar": known[key]})
    return periods, calendars


def _period_rows(calendar: int, year: int, rounds: dict, today: date) -> list[dict]:
    plan_first, plan_last = plan_months(year)
    return [
        {
            "calendar": calendar,
            "fiscal_year": year,
            "rhythm": str(rhythm),
            "round_key": round_key,
            "period_start": period.start,
            "period_end": period.end,
            "month_start": period.start.replace(day=1),
            "due": period.due,
            "plan_first": plan_first,
            "plan_last": plan_last,
        }
        for rhythm in Rhythm
        for round_key, period in _passed(year, rhythm, rounds, today)
    ]


def _passed(year: int, rhythm: Rhythm, rounds: dict, today: date) -> list[tuple[str, Period]]:
    """The periods past their due date, each with the key that makes its reminder unique."""
    periods = rhythm_periods(year, rhythm, rounds)
    return [
        (_round_key(year, rhythm, index, period), period)
        for index, period in enumerate(periods, start=1)
        if period.due < today
    ]


def _round_key(year: int, rhythm: Rhythm, index: int, period: Period) -> str:
    if rhythm is Rhythm.MONTHLY:
        return f"{year}-m{period.start.month:02d}"
    suffix = "" if rhythm is Rhythm.YEARLY else str(index)
    return f"{year}-{PERIOD_PREFIX[rhythm]}{suffix}"


def candidates() -> sa.Select:
    """Late measures (see _late), one row per recipient: each active responsible person, or
    else the plan's coordinator."""
    late = _late().cte("late").prefix_with("MATERIALIZED", dialect="postgresql")
    people = (
        sa.select(measure_people.c.measure_id, User.id.label("user_id"), User.org_id)
        .join(User, sa.and_(User.id == measure_people.c.user_id, User.active))
        .subquery("people")
    )
    recipient = aliased(User, name="recipient")
    return (
        sa.select(
            late.c.org_id,
            const("measure").label("item_type"),
            late.c.id.label("item_id"),
            late.c.round_key,
            const(UPDATE_MISSING).label("kind"),
            recipient.id.label("recipient_id"),
            sa.case(
                (people.c.user_id.is_(None), const("coordinator")), else_=const("people")
            ).label("via"),
            late.c.title,
            late.c.rhythm,
            late.c.period_start,
            late.c.period_end,
            late.c.due,
            Organisation.thai_digits,
        )
        .select_from(late)
        .join(Organisation, Organisation.id == late.c.org_id)
        .outerjoin(
            people, sa.and_(people.c.measure_id == late.c.id, people.c.org_id == late.c.org_id)
        )
        .join(
            recipient,
            sa.and_(
                recipient.id == sa.func.coalesce(people.c.user_id, late.c.coordinator_id),
                recipient.active,
                recipient.org_id == late.c.org_id,
            ),
        )
    )


def _late() -> sa.Select:
    """Open measures with the latest passed period they overlap and have no entry dated in.

    Found before their recipients are joined, and on PostgreSQL materialised: otherwise the
    planner joins people to every open measure and only then checks the entries, which made the
    daily run's quiet case (nothing new) about twice as expensive on 200,000 measures.
    """
    missed = _missed().subquery("missed")
    return sa.select(*[c for c in missed.c if c.name != "latest"]).where(missed.c.latest == 1)


def _missed() -> sa.Select:
    """Every (open measure, passed period) pair with no entry dated in the period."""
    p, own = PERIODS.c, CALENDARS.c
    calendar = sa.func.coalesce(own.calendar, DEFAULT_CALENDAR)
    return (
        sa.select(
            Measure.id,
            Measure.org_id,
            Measure.title,
            Measure.rhythm,
            MeasurePlan.coordinator_id,
            p.round_key,
            p.period_start,
            p.period_end,
            p.due,
            sa.func.row_number()
            .over(partition_by=Measure.id, order_by=(p.due.desc(), p.period_start.desc()))
            .label("latest"),
        )
        .join(MeasurePlan, MeasurePlan.id == Measure.plan_id)
        .outerjoin(
            CALENDARS,
            sa.and_(own.org_id == Measure.org_id, own.fiscal_year == MeasurePlan.fiscal_year),
        )
        .join(
            PERIODS,
            sa.and_(
                p.calendar == calendar,
                p.fiscal_year == MeasurePlan.fiscal_year,
                p.rhythm == sa.cast(Measure.rhythm, sa.String),
            ),
        )
        .where(
            Measure.status.not_in(CLOSED),
            sa.func.coalesce(Measure.start_month, p.plan_first) <= p.period_end,
            sa.func.coalesce(Measure.end_month, p.plan_last) >= p.month_start,
            ~sa.exists().where(
                ProgressEntry.measure_id == Measure.id,
                ProgressEntry.entry_date.between(p.period_start, p.period_end),
            ),
        )
    )
