"""The list of measures across the organisation's plans: filtered, paged, with the next update
each one owes; reading only (a round not saved yet takes its default dates)."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

import clock
from extensions import db
from models import Measure, MeasurePlan, ReportRound, Rhythm, User
from workflow.calendar import Period, default_rounds, period_label, rhythm_periods
from workflow.lists.documents import EXPORT_LIMIT, PAGE_SIZE, Page
from workflow.lists.filters import Filters, measure_conditions
from workflow.measures.schedule import is_overdue, next_update


@dataclass
class MeasureRow:
    measure: Measure
    overdue: bool
    next_update: Period | None


def measure_page(user: User, filters: Filters, page: int = 1) -> Page:
    where = _where(user, filters)
    total = db.session.scalar(_joined(sa.select(sa.func.count(Measure.id))).where(*where)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    stmt = with_details(_joined(sa.select(Measure)).where(*where))
    measures = db.session.scalars(stmt.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return Page(rows_of(user.org_id, measures), total, page, pages)


def all_measures(user: User, filters: Filters) -> list[MeasureRow]:
    stmt = with_details(_joined(sa.select(Measure)).where(*_where(user, filters)))
    return rows_of(user.org_id, db.session.scalars(stmt.limit(EXPORT_LIMIT)).all())


def rows_of(org_id: int, measures) -> list[MeasureRow]:
    """Each measure with whether it is late and the next update it owes."""
    today = clock.today()
    periods = read_periods(org_id, {m.plan.fiscal_year for m in measures})
    return [
        MeasureRow(m, is_overdue(m, today), next_update(m, periods[m.plan.fiscal_year][m.rhythm]))
        for m in measures
    ]


def read_periods(org_id: int, years: set[int]) -> dict[int, dict[Rhythm, list[Period]]]:
    """Update periods per fiscal year and rhythm from the saved rounds, defaults for the rest.

    Like `workflow.measures.schedule.update_periods`, without saving the default rounds.
    """
    saved: dict[int, dict] = {year: {} for year in years}
    if years:
        stmt = sa.select(ReportRound).where(
            ReportRound.org_id == org_id, ReportRound.fiscal_year.in_(years)
        )
        for r in db.session.scalars(stmt):
            saved[r.fiscal_year][r.kind] = Period(r.period_start, r.period_end, r.due_date)
    periods = {}
    for year, own in saved.items():
        rounds = {**default_rounds(year), **own}
        periods[year] = {rhythm: rhythm_periods(year, rhythm, rounds) for rhythm in Rhythm}
    return periods


def _where(user: User, filters: Filters) -> list:
    return [Measure.org_id == user.org_id, *measure_conditions(filters)]


def _joined(stmt: sa.Select) -> sa.Select:
    return stmt.select_from(Measure).join(MeasurePlan, MeasurePlan.id == Measure.plan_id)


def with_details(stmt: sa.Select) -> sa.Select:
    return stmt.options(
        joinedload(Measure.plan),
        selectinload(Measure.units),
        selectinload(Measure.people),
        selectinload(Measure.entries),
        selectinload(Measure.evidence),
    ).order_by(MeasurePlan.fiscal_year.desc(), Measure.position, Measure.id)


HEADERS = [
    "ปีงบประมาณ", "ลำดับ", "มาตรการ/โครงการ/กิจกรรม", "ตัวชี้วัด", "ข้อคำถาม", "ระยะเวลา",
    "งบประมาณ (บาท)", "หน่วยงานที่รับผิดชอบ", "ผู้รับผิดชอบ", "ความถี่การรายงาน", "สถานะ",
    "เกินกำหนด", "กำหนดรายงานครั้งถัดไป", "จำนวนการดำเนินการ", "จำนวนหลักฐาน",
]  # fmt: skip


def export_row(row: MeasureRow) -> list:
    """A measure as a row of the CSV/Excel export: Arabic digits, numbers and dates as such."""
    m = row.measure
    return [
        m.plan.fiscal_year,
        m.position,
        m.title,
        ", ".join(str(i) for i in m.indicators),
        ", ".join(m.question_codes),
        period_label(m.start_month, m.end_month, thai_digits=False),
        float(m.budget) if m.budget is not None else "ไม่ใช้งบประมาณ",
        ", ".join(u.name for u in m.units),
        ", ".join(p.display_name for p in m.people),
        m.rhythm.label,
        m.status.label,
        "เกินกำหนด" if row.overdue else "",
        row.next_update.due if row.next_update else None,
        len(m.entries),
        len(m.evidence),
    ]
