"""Report rounds and holidays per organisation: defaults, the admin's changes, working days.

A round is read as a value (`Round`): the organisation's saved dates, else the defaults of
`workflow.calendar.default_rounds`. Reading never saves; a row is written only by the admin
(save, confirm, reset) or when a report is made for the round.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import sqlalchemy as sa
from flask import g
from sqlalchemy.dialects import postgresql

import clock
import thai
from extensions import db, insert_ignoring_duplicates, read_columns
from models import (
    DocState,
    Document,
    Holiday,
    Organisation,
    ReportRound,
    ReportSnapshot,
    RoundKind,
    User,
)
from workflow.calendar import (
    Period,
    add_months,
    default_rounds,
    merged_rounds,
    month_end,
    national_holidays,
    working_days_between,
)
from workflow.errors import InvalidTransition, NotFound, ValidationFailed
from workflow.permissions import require_admin
from workflow.request_cache import reading_page
from workflow.revoked import revoked_ids, target_of

# The order pages list rounds in: the two reports first, then the quarters.
DISPLAY_ORDER = (
    RoundKind.HALF,
    RoundKind.ANNUAL,
    RoundKind.Q1,
    RoundKind.Q2,
    RoundKind.Q3,
    RoundKind.Q4,
)
# A due date may fall this many months after the fiscal year ends (the annual report is due
# after 30 September), but no later.
DUE_GRACE_MONTHS = 6
MAX_HOLIDAY_NAME = 200


@dataclass(frozen=True)
class Round:
    """A report round as the organisation has it: the dates it saved, or the defaults.

    A value, not a row: reading a page never saves a round (see `saved_round` for when a row is
    written)."""

    fiscal_year: int
    kind: RoundKind
    period_start: date
    period_end: date
    due_date: date
    id: int | None = None  # the saved row, which reports point at; None while unsaved
    checked: bool = False  # an admin saved or confirmed these dates

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end, self.due_date)


def rounds_of_years(org_id: int, years: Iterable[int]) -> dict[int, dict[RoundKind, Round]]:
    """The organisation's six rounds of each year, in one query; nothing is written."""
    years = set(years)
    saved: dict[int, dict[RoundKind, Round]] = {year: {} for year in years}
    params = {"org_id": org_id, "years": sorted(years)}
    for year, kind, start, end, due, row_id, checked_at in read_columns(_ROUNDS, params):
        saved[year][kind] = Round(year, kind, start, end, due, row_id, checked_at is not None)
    return {year: _with_defaults(year, own) for year, own in saved.items()}


# Built once, run with each organisation's values (a statement used again keeps its cache key).
_ROUNDS = sa.select(
    ReportRound.fiscal_year,
    ReportRound.kind,
    ReportRound.period_start,
    ReportRound.period_end,
    ReportRound.due_date,
    ReportRound.id,
    ReportRound.checked_at,
).where(
    ReportRound.org_id == sa.bindparam("org_id"),
    ReportRound.fiscal_year.in_(sa.bindparam("years", expanding=True)),
)


def _with_defaults(fiscal_year: int, own: dict[RoundKind, Round]) -> dict[RoundKind, Round]:
    periods = merged_rounds(fiscal_year, {kind: r.period for kind, r in own.items()})
    return {
        kind: own.get(kind) or Round(fiscal_year, kind, p.start, p.end, p.due)
        for kind, p in periods.items()
    }


def rounds_in_force(years: Iterable[int]) -> sa.Subquery:
    """`rounds_of_years` in SQL for every organisation at once (the reminder run): a row per
    organisation, year and kind with its saved dates, else the defaults; `id` is NULL while
    the round is unsaved. `tests/test_rounds.py` proves the two agree."""
    defaults = sa.union_all(
        *[
            sa.select(
                sa.literal(year, sa.Integer).label("fiscal_year"),
                sa.literal(kind.value, sa.String).label("kind"),
                sa.literal(p.start, sa.Date).label("period_start"),
                sa.literal(p.end, sa.Date).label("period_end"),
                sa.literal(p.due, sa.Date).label("due_date"),
            )
            for year in sorted(set(years))
            for kind, p in default_rounds(year).items()
        ]
    ).subquery("default_rounds")
    d = defaults.c
    saved = sa.and_(
        ReportRound.org_id == Organisation.id,
        ReportRound.fiscal_year == d.fiscal_year,
        ReportRound.kind == d.kind,
    )
    return (
        sa.select(
            Organisation.id.label("org_id"),
            d.fiscal_year,
            d.kind,
            sa.func.coalesce(ReportRound.period_start, d.period_start).label("period_start"),
            sa.func.coalesce(ReportRound.period_end, d.period_end).label("period_end"),
            sa.func.coalesce(ReportRound.due_date, d.due_date).label("due_date"),
            ReportRound.id,
        )
        .select_from(Organisation)
        .join(defaults, sa.true())
        .outerjoin(ReportRound, saved)
        .subquery("rounds_in_force")
    )


def rounds_of_year(org_id: int, fiscal_year: int) -> dict[RoundKind, Round]:
    return rounds_of_years(org_id, {fiscal_year})[fiscal_year]


def in_display_order(rounds: dict[RoundKind, Round]) -> list[Round]:
    return [rounds[kind] for kind in DISPLAY_ORDER]


def is_checked(org_id: int, fiscal_year: int) -> bool:
    """An admin saved or confirmed the dates of every round of the year."""
    return all(r.checked for r in rounds_of_year(org_id, fiscal_year).values())


def year_and_kind_of_row(org_id: int, round_id: int) -> tuple[int, RoundKind] | None:
    """The fiscal year and kind of a saved round of the organisation, from the row id that
    round addresses carried before rounds were keyed by (year, kind); None if it is not one."""
    stmt = sa.select(ReportRound.fiscal_year, ReportRound.kind).where(
        ReportRound.id == round_id, ReportRound.org_id == org_id
    )
    found = db.session.execute(stmt).one_or_none()
    return (found.fiscal_year, found.kind) if found else None


def saved_round(org_id: int, fiscal_year: int, kind: RoundKind) -> ReportRound:
    """The round's row, locked; an unsaved round is saved first with its default dates.

    Only an action that needs the row calls this: the admin saving or confirming the dates, or
    a report made for the round. Two requests may save it at the same moment: the insert skips
    a row already there.
    """
    stmt = (
        sa.select(ReportRound)
        .where(
            ReportRound.org_id == org_id,
            ReportRound.fiscal_year == fiscal_year,
            ReportRound.kind == kind,
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    found = db.session.scalars(stmt).one_or_none()
    if found is not None:
        return found
    default = default_rounds(fiscal_year)[kind]
    row = {
        "org_id": org_id,
        "fiscal_year": fiscal_year,
        "kind": kind,
        "period_start": default.start,
        "period_end": default.end,
        "due_date": default.due,
    }
    db.session.execute(insert_ignoring_duplicates(ReportRound), [row])
    return db.session.scalars(stmt).one()


def due_limit(fiscal_year: int) -> date:
    """The latest due date a round of the year may have: six months after the year ends."""
    _, year_end = thai.fiscal_year_bounds(fiscal_year)
    return month_end(add_months(year_end, DUE_GRACE_MONTHS))


def round_errors(fiscal_year: int, start: date, end: date, due: date) -> dict[str, str]:
    """Thai messages by field for a round's dates; empty when they are acceptable."""
    year_start, year_end = thai.fiscal_year_bounds(fiscal_year)
    outside = (
        f"ต้องอยู่ในปีงบประมาณ พ.ศ. {fiscal_year} ({thai.format_date(year_start, False)}"
        f" – {thai.format_date(year_end, False)})"
    )
    errors = {}
    if not year_start <= start <= year_end:
        errors["period_start"] = outside
    if not year_start <= end <= year_end:
        errors["period_end"] = outside
    elif end < start:
        errors["period_end"] = "วันสิ้นสุดรอบต้องไม่ก่อนวันเริ่มต้นรอบ"
    if due < end:
        errors["due_date"] = "วันครบกำหนดส่งต้องไม่ก่อนวันสิ้นสุดรอบ"
    elif due > due_limit(fiscal_year):
        errors["due_date"] = (
            f"วันครบกำหนดส่งต้องไม่เกิน {thai.format_date(due_limit(fiscal_year), False)}"
            f" (ไม่เกิน {DUE_GRACE_MONTHS} เดือนหลังสิ้นปีงบประมาณ)"
        )
    return errors


def update_round(
    actor: User,
    fiscal_year: int,
    kind: RoundKind,
    *,
    period_start: date,
    period_end: date,
    due_date: date,
) -> ReportRound:
    """The admin sets a round's period and due date."""
    require_admin(actor)
    errors = round_errors(fiscal_year, period_start, period_end, due_date)
    if errors:
        field, message = next(iter(errors.items()))
        raise ValidationFailed(message, field=field)
    found = saved_round(actor.org_id, fiscal_year, kind)
    found.period_start, found.period_end, found.due_date = period_start, period_end, due_date
    _checked_by(found, actor)
    db.session.flush()
    return found


def confirm_rounds(actor: User, fiscal_year: int) -> list[ReportRound]:
    """The admin confirms the year's dates as they are shown (the defaults where none saved)."""
    require_admin(actor)
    found = [saved_round(actor.org_id, fiscal_year, kind) for kind in DISPLAY_ORDER]
    for row in found:
        _checked_by(row, actor)
    db.session.flush()
    return found


def reset_rounds(actor: User, fiscal_year: int) -> list[ReportRound]:
    """The admin puts every round of the year back to the default dates."""
    require_admin(actor)
    defaults = default_rounds(fiscal_year)
    found = [saved_round(actor.org_id, fiscal_year, kind) for kind in DISPLAY_ORDER]
    for row in found:
        period = defaults[row.kind]
        row.period_start, row.period_end, row.due_date = period.start, period.end, period.due
        _checked_by(row, actor)
    db.session.flush()
    return found


def _checked_by(row: ReportRound, actor: User) -> None:
    row.checked_at, row.checked_by_id = clock.now(), actor.id


# -- holidays ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayOff:
    """One line of the holiday page: a national or an organisation's day, and whether it counts."""

    day: date
    name: str
    national: bool
    counts: bool  # False: a national holiday the organisation works through
    holiday_id: int | None  # the organisation's own row (its day, or its "we work" mark)


def holidays_of_year(org_id: int, fiscal_year: int) -> list[DayOff]:
    """Every national and organisation day of the fiscal year, in date order."""
    start, end = thai.fiscal_year_bounds(fiscal_year)
    national = national_holidays(start, end)
    own = {h.day: h for h in _own_rows(org_id, start, end)}
    days = []
    for day in sorted(national.keys() | own.keys()):
        row = own.get(day)
        if day in national:
            counts = row is None or not row.works
            days.append(DayOff(day, national[day], True, counts, row.id if row else None))
        else:
            days.append(DayOff(day, row.name, False, True, row.id))
    return days


def _own_rows(org_id: int, start: date, end: date) -> list[Holiday]:
    stmt = (
        sa.select(Holiday)
        .where(Holiday.org_id == org_id, Holiday.day.between(start, end))
        .order_by(Holiday.day)
    )
    return list(db.session.scalars(stmt))


def holiday_dates(org_id: int, start: date, end: date) -> set[date]:
    """The organisation's days off between two dates, inclusive (national and its own). In a
    GET, the widest range asked so far is kept and narrower ones are cut from it (the home
    page asks for its two lists' ranges, which end on the same day)."""
    if not reading_page():
        return holiday_dates_by_org({org_id}, start, end)[org_id]
    kept = g.setdefault("_holiday_dates", {})
    known = kept.get((org_id, end))
    if known is None or known[0] > start:
        known = (start, holiday_dates_by_org({org_id}, start, end)[org_id])
        kept[org_id, end] = known
    return {day for day in known[1] if day >= start}


def holiday_dates_by_org(org_ids: set[int], start: date, end: date) -> dict[int, set[date]]:
    """The days off of each organisation between two dates, inclusive, in one query: Thailand's
    public holidays, plus each organisation's own days, less the national days it works."""
    national = set(national_holidays(start, end))
    days = {org_id: set(national) for org_id in org_ids}
    if not org_ids:
        return days
    stmt = _days_off_statement(db.session.get_bind().dialect.name)
    for org_id, day, works in read_columns(
        stmt, {"org_ids": sorted(org_ids), "start": start, "end": end}
    ):
        if works:
            days[org_id].discard(day)
        else:
            days[org_id].add(day)
    return days


def days_off_everywhere(start: date, end: date) -> set[date]:
    """The national holidays between two dates, inclusive, that no organisation works through:
    a day off in every organisation's count (the reminder run's bound on how long a memo can
    have waited, before each organisation's own days are read)."""
    national = set(national_holidays(start, end))
    if not national:
        return national
    worked = sa.select(Holiday.day).where(Holiday.works, Holiday.day.in_(sorted(national)))
    return national - set(db.session.scalars(worked.distinct()))


@lru_cache(maxsize=2)
def _days_off_statement(dialect: str) -> sa.Select:
    """The organisations' own days between `:start` and `:end`, built once per database.
    org_id IN (...): on PostgreSQL one array parameter (= ANY), so the reminder run's thousands
    of organisations make one short statement, not one bound value each."""
    if dialect == "postgresql":
        among = Holiday.org_id == sa.any_(
            sa.bindparam("org_ids", type_=postgresql.ARRAY(sa.Integer))
        )
    else:
        among = Holiday.org_id.in_(sa.bindparam("org_ids", expanding=True))
    return sa.select(Holiday.org_id, Holiday.day, Holiday.works).where(
        among, Holiday.day.between(sa.bindparam("start"), sa.bindparam("end"))
    )


def working_days(org_id: int, start: date, end: date) -> int:
    """Working days after `start` up to and including `end`, skipping weekends and holidays."""
    return working_days_between(start, end, holiday_dates(org_id, start, end))


def add_holiday(actor: User, day: date, name: str) -> Holiday:
    """The admin adds a day off; a date already on the list is refused beside the date."""
    require_admin(actor)
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("กรุณาระบุชื่อวันหยุด", field="name")
    if len(name) > MAX_HOLIDAY_NAME:
        raise ValidationFailed(f"ยาวได้ไม่เกิน {MAX_HOLIDAY_NAME} ตัวอักษร", field="name")
    _lock_organisation(actor.org_id)  # two admins adding the same date: the second is refused
    national = national_holidays(day, day).get(day)
    if national is not None:
        raise ValidationFailed(f"วันที่นี้เป็นวันหยุดราชการอยู่แล้ว ({national})", field="day")
    _refuse_duplicate(actor.org_id, day)
    holiday = Holiday(org_id=actor.org_id, day=day, name=name)
    db.session.add(holiday)
    db.session.flush()
    return holiday


def work_through(actor: User, day: date) -> Holiday:
    """The organisation works on a national holiday: it no longer counts as a day off."""
    require_admin(actor)
    name = national_holidays(day, day).get(day)
    if name is None:
        raise ValidationFailed("วันที่นี้ไม่ใช่วันหยุดราชการ", field="day")
    _lock_organisation(actor.org_id)
    _refuse_duplicate(actor.org_id, day)
    holiday = Holiday(org_id=actor.org_id, day=day, name=name[:MAX_HOLIDAY_NAME], works=True)
    db.session.add(holiday)
    db.session.flush()
    return holiday


def delete_holiday(holiday_id: int, actor: User) -> Holiday:
    """Removes an organisation's own day off, or its mark on a national holiday it worked
    (which then counts as a day off again)."""
    require_admin(actor)
    holiday = db.session.get(Holiday, holiday_id)
    if holiday is None or holiday.org_id != actor.org_id:
        raise NotFound("ไม่พบวันหยุดนี้")
    db.session.delete(holiday)
    db.session.flush()
    return holiday


def _lock_organisation(org_id: int) -> None:
    stmt = sa.select(Organisation.id).where(Organisation.id == org_id).with_for_update()
    db.session.execute(stmt)


def _refuse_duplicate(org_id: int, day: date) -> None:
    stmt = sa.select(Holiday.name).where(Holiday.org_id == org_id, Holiday.day == day)
    existing = db.session.scalar(stmt)
    if existing is not None:
        raise ValidationFailed(f"วันที่นี้อยู่ในรายการวันหยุดแล้ว ({existing})", field="day")


# -- a round's reports (here, not in workflow.reports, so the memo services can ask) ----------

# A report in one of these states no longer stands for its round; another may be made.
# Withdrawn: the drafter took it back. Rejected: final, so a new report is the only way on.
CLOSED_STATES = (DocState.WITHDRAWN, DocState.REJECTED, DocState.CLOSED)


class ReportExists(InvalidTransition):
    """The round already has a report; `document` is that report."""

    def __init__(self, document: Document):
        super().__init__(
            f"รอบนี้มีรายงานอยู่แล้ว (สถานะ “{document.state.label}”) จัดทำซ้ำไม่ได้"
            " กรุณาดำเนินการต่อในรายงานฉบับเดิม"
        )
        self.document = document


def reports_of_rounds(round_ids: list[int]) -> dict[int, list[Document]]:
    """Every report made for each round, oldest first."""
    found: dict[int, list[Document]] = {round_id: [] for round_id in round_ids}
    for round_id, doc in db.session.execute(_REPORTS, {"round_ids": list(round_ids)}):
        found[round_id].append(doc)
    return found


_REPORTS = (  # built once
    sa.select(ReportSnapshot.round_id, Document)
    .join(Document, Document.id == ReportSnapshot.document_id)
    .where(ReportSnapshot.round_id.in_(sa.bindparam("round_ids", expanding=True)))
    .order_by(Document.id)
)


def current_report(reports: list[Document]) -> Document | None:
    """The report that stands for a round: the first one not withdrawn or rejected, nor
    cancelled or superseded since (a superseding report is one of the round's, after it)."""
    revoked = revoked_ids(reports[0].org_id) if reports else set()
    return next((d for d in reports if d.state not in CLOSED_STATES and d.id not in revoked), None)


def require_round_free(doc: Document) -> None:
    """Refuse bringing a withdrawn report back when its round has another report by now (the
    report it was drafted to supersede aside).

    `workflow.documents.reopen` calls it, so that a round never has two reports in progress.
    """
    if doc.report_snapshot is None:
        return
    round_id = doc.report_snapshot.round_id
    replaces = target_of(doc.id)
    others = [d for d in reports_of_rounds([round_id])[round_id] if d.id not in (doc.id, replaces)]
    existing = current_report(others)
    if existing is not None:
        raise ReportExists(existing)
