"""The home page's answer to "what do I need to do, and what is late": memos waiting for me and
below me, my returned memos, overdue measures by unit, the next report deadlines and the latest
ITA result. Every part is a fixed number of statements, whatever the amount of data."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

import clock
import thai
from extensions import db
from models import DocState, Document, Measure, MeasurePlan, RoundKind, User
from workflow.dashboard import ita_slot
from workflow.dashboard.waiting import Waiting, moving_below, waiting_for_me
from workflow.dashboard.work import Returned, returned_to_me
from workflow.measures.schedule import late_condition, periods_of, read_periods, row_of
from workflow.oit.board import Board
from workflow.oit.board import readiness as oit_readiness
from workflow.reports import current_report, reports_of_rounds
from workflow.rounds import Round, rounds_of_years

NO_UNIT = "ไม่ระบุหน่วยงาน"
REPORT_ROUNDS = (RoundKind.HALF, RoundKind.ANNUAL)  # the rounds whose report must be made
DEADLINES_SHOWN = 4
SOON_DAYS = 14  # a report due within this many days is counted at the top of the page


@dataclass
class UnitOverdue:
    unit_id: int | None
    name: str
    measures: list[Measure]


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
    each), units by name."""
    today = clock.today()
    stmt = (
        sa.select(Measure)
        .join(MeasurePlan, MeasurePlan.id == Measure.plan_id)
        # The plan's organisation too: the planner then reads the organisation's few plans
        # by index instead of hashing every plan in the country.
        .where(
            Measure.org_id == user.org_id,
            MeasurePlan.org_id == user.org_id,
            late_condition(user.org_id, today),
        )
        .options(
            joinedload(Measure.plan), selectinload(Measure.units), selectinload(Measure.entries)
        )
        .order_by(MeasurePlan.fiscal_year, Measure.position, Measure.id)
    )
    measures = db.session.scalars(stmt).all()
    periods = read_periods(user.org_id, {m.plan.fiscal_year for m in measures})
    groups: dict[tuple[str, int | None], list[Measure]] = defaultdict(list)
    for measure in measures:
        by_rhythm = periods[measure.plan.fiscal_year]
        if not row_of(measure, periods_of(measure, by_rhythm), today).overdue:
            continue
        for unit in measure.units or [None]:
            key = (unit.name, unit.id) if unit else (NO_UNIT, None)
            groups[key].append(measure)
    ordered = sorted(groups.items(), key=lambda item: (item[0][1] is None, item[0][0]))
    return [UnitOverdue(unit_id, name, found) for (name, unit_id), found in ordered]


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
