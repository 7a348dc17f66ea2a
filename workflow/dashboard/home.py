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
from models import DocState, Document, Measure, MeasurePlan, ReportRound, RoundKind, User
from workflow.calendar import default_rounds
from workflow.dashboard import ita_slot
from workflow.dashboard.waiting import Waiting, moving_below, waiting_for_me
from workflow.dashboard.work import Returned, returned_to_me
from workflow.lists.filters import overdue_condition
from workflow.measures.schedule import is_overdue
from workflow.oit.board import Board
from workflow.oit.board import readiness as oit_readiness
from workflow.reports import current_report, reports_of_rounds

NO_UNIT = "ไม่ระบุหน่วยงาน"
REPORT_ROUNDS = (RoundKind.HALF, RoundKind.ANNUAL)  # the rounds whose report must be made
LATE_REPORTS_SHOWN_DAYS = 183  # a report later than this is no longer on the home page
DEADLINES_SHOWN = 4


@dataclass
class UnitOverdue:
    unit_id: int | None
    name: str
    measures: list[Measure]


@dataclass
class Deadline:
    round: ReportRound
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
    """Measures past their period and not finished, under each responsible unit (a measure of
    several units appears under each), units by name."""
    today = clock.today()
    stmt = (
        sa.select(Measure)
        .join(MeasurePlan, MeasurePlan.id == Measure.plan_id)
        .where(Measure.org_id == user.org_id, overdue_condition(today))
        .options(joinedload(Measure.plan), selectinload(Measure.units))
        .order_by(MeasurePlan.fiscal_year, Measure.position, Measure.id)
    )
    groups: dict[tuple[str, int | None], list[Measure]] = defaultdict(list)
    for measure in db.session.scalars(stmt):
        if not is_overdue(measure, today):
            continue
        for unit in measure.units or [None]:
            key = (unit.name, unit.id) if unit else (NO_UNIT, None)
            groups[key].append(measure)
    ordered = sorted(groups.items(), key=lambda item: (item[0][1] is None, item[0][0]))
    return [UnitOverdue(unit_id, name, found) for (name, unit_id), found in ordered]


def report_deadlines(user: User) -> list[Deadline]:
    """The 6-month and annual reports not yet approved: the late ones (recent) and the next due."""
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
        days_left = (found.due_date - today).days
        if days_left >= -LATE_REPORTS_SHOWN_DAYS:
            deadlines.append(Deadline(found, report, days_left))
    deadlines.sort(key=lambda d: d.round.due_date)
    late = [d for d in deadlines if d.late]
    return late + [d for d in deadlines if not d.late][: max(DEADLINES_SHOWN - len(late), 1)]


def _report_rounds(org_id: int, years: tuple[int, ...]) -> list[ReportRound]:
    """The report rounds of the years: saved ones, else unsaved defaults (never written here)."""
    stmt = sa.select(ReportRound).where(
        ReportRound.org_id == org_id,
        ReportRound.fiscal_year.in_(years),
        ReportRound.kind.in_(REPORT_ROUNDS),
    )
    saved = {(r.fiscal_year, r.kind): r for r in db.session.scalars(stmt)}
    rounds = []
    for year in years:
        defaults = default_rounds(year)
        for kind in REPORT_ROUNDS:
            period = defaults[kind]
            rounds.append(
                saved.get((year, kind))
                or ReportRound(
                    org_id=org_id,
                    fiscal_year=year,
                    kind=kind,
                    period_start=period.start,
                    period_end=period.end,
                    due_date=period.due,
                )
            )
    return rounds
