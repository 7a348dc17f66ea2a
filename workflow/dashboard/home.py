"""The home page's answer to "what do I need to do, and what is late": memos waiting for me and
below me, my returned memos, overdue measures by unit, the next report deadlines and the latest
ITA result. Every part is a fixed number of statements, whatever the amount of data."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import sqlalchemy as sa

import clock
import thai
from extensions import read_columns
from models import (
    DocState,
    Document,
    Measure,
    MeasurePlan,
    MeasureStatus,
    RoundKind,
    Unit,
    User,
)
from models.measures import measure_units
from workflow.dashboard import ita_slot
from workflow.dashboard.waiting import Waiting, moving_below, waiting_for_me
from workflow.dashboard.work import Returned, returned_to_me
from workflow.measures.schedule import late_condition
from workflow.oit.board import Board
from workflow.oit.board import readiness as oit_readiness
from workflow.reports import current_report, reports_of_rounds
from workflow.rounds import Round, rounds_of_years

NO_UNIT = "ไม่ระบุหน่วยงาน"
REPORT_ROUNDS = (RoundKind.HALF, RoundKind.ANNUAL)  # the rounds whose report must be made
DEADLINES_SHOWN = 4
SOON_DAYS = 14  # a report due within this many days is counted at the top of the page


@dataclass(frozen=True, slots=True)
class LateMeasure:
    """What the home page shows of a late measure."""

    id: int
    title: str
    fiscal_year: int  # its plan's
    status: MeasureStatus


@dataclass
class UnitOverdue:
    unit_id: int | None
    name: str
    measures: list[LateMeasure]


@dataclass
class Deadline:
    round: Round
    report: Document | None
    days_left: int  # calendar days; negative when late

    @property
    def late(self) -> bool:
        return self.days_left < 0


@dataclass
class Home:
    waiting: list[Waiting]
    below: list[Waiting]
    returned: list[Returned]
    overdue: list[UnitOverdue]
    deadlines: list[Deadline]
    ita: dict | None
    target_days: int
    today: date = field(default_factory=clock.today)
    oit: Board | None = None  # the OIT board's readiness ("OIT พร้อม 22/26")

    @property
    def summary(self) -> "Summary":
        """The counts at the top of the page, from what the page shows below them."""
        overdue_ids = {m.id for group in self.overdue for m in group.measures}
        return Summary(
            waiting=len(self.waiting),
            waiting_late=sum(w.late for w in self.waiting),
            overdue_measures=len(overdue_ids),
            reports_late=sum(d.late for d in self.deadlines),
            reports_soon=sum(0 <= d.days_left <= SOON_DAYS for d in self.deadlines),
        )


@dataclass(frozen=True)
class Summary:
    waiting: int
    waiting_late: int
    overdue_measures: int
    reports_late: int
    reports_soon: int
    soon_days: int = SOON_DAYS


def home(user: User) -> Home:
    return Home(
        waiting=waiting_for_me(user),
        below=moving_below(user),
        returned=returned_to_me(user),
        overdue=overdue_by_unit(user),
        deadlines=report_deadlines(user),
        ita=ita_slot.latest(user),
        target_days=user.organisation.target_working_days,
        oit=oit_readiness(user),
    )


def overdue_by_unit(user: User) -> list[UnitOverdue]:
    """Late measures (a missed update, or past their period and open: one rule with the lists
    and the reminders), under each responsible unit (a measure of several units appears under
    each), units in the organisation's order. One statement of the few columns shown, no
    measure objects."""
    stmt = _overdue_statement(late_condition(user.org_id, clock.today()))
    groups: dict[tuple, list[LateMeasure]] = defaultdict(list)
    for measure_id, title, year, status, unit_id, unit_name, unit_place in read_columns(
        stmt, {"org_id": user.org_id}
    ):
        key = (unit_id, unit_name, unit_place) if unit_id is not None else (None, NO_UNIT, 0)
        groups[key].append(LateMeasure(measure_id, title, year, status))
    # Units in the organisation's order (Unit.in_order), then the measures of no unit.
    ordered = sorted(groups.items(), key=lambda item: (item[0][0] is None, item[0][2], item[0][1]))
    return [UnitOverdue(unit_id, name, found) for (unit_id, name, _), found in ordered]


@lru_cache(maxsize=64)
def _overdue_statement(late: sa.ColumnElement[bool]) -> sa.Select:
    """The late measures of `:org_id` with each responsible unit (a row per unit, or one with
    none), built once per late condition (which `late_condition` builds once per day and set of
    periods): reused, it keeps its cache key, which for this statement of a thousand elements
    is most of its cost."""
    org_id = sa.bindparam("org_id")
    return (
        sa.select(
            Measure.id,
            Measure.title,
            MeasurePlan.fiscal_year,
            Measure.status,
            Unit.id,
            Unit.name,
            Unit.sort_order,
        )
        .join(MeasurePlan, MeasurePlan.id == Measure.plan_id)
        .outerjoin(measure_units, measure_units.c.measure_id == Measure.id)
        .outerjoin(Unit, Unit.id == measure_units.c.unit_id)
        # The plan's organisation too: the planner then reads the organisation's few plans
        # by index instead of hashing every plan in the country.
        .where(Measure.org_id == org_id, MeasurePlan.org_id == org_id, late)
        .order_by(MeasurePlan.fiscal_year, Measure.position, Measure.id, Unit.id)
    )


def report_deadlines(user: User) -> list[Deadline]:
    """The 6-month and annual reports not yet approved: every late one of this and the last
    fiscal year (however late), and the next due."""
    today = clock.today()
    year = thai.fiscal_year(today)
    rounds = _report_rounds(user.org_id, (year - 1, year, year + 1))
    saved = [r.id for r in rounds if r.id is not None]
    reports = reports_of_rounds(saved) if saved else {}
    deadlines = []
    for found in rounds:
        report = current_report(reports.get(found.id, []))
        if report is not None and report.state == DocState.APPROVED:
            continue
        deadlines.append(Deadline(found, report, (found.due_date - today).days))
    deadlines.sort(key=lambda d: d.round.due_date)
    late = [d for d in deadlines if d.late]
    return late + [d for d in deadlines if not d.late][: max(DEADLINES_SHOWN - len(late), 1)]


def _report_rounds(org_id: int, years: tuple[int, ...]) -> list[Round]:
    """The rounds whose report must be made, of each year (read, never written here)."""
    found = rounds_of_years(org_id, years)
    return [found[year][kind] for year in years for kind in REPORT_ROUNDS]
