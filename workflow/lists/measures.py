"""The list of measures across the organisation's plans: filtered, paged, with the next update
each one owes; reading only (a round not saved yet takes its default dates)."""

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

import clock
from extensions import db
from models import Measure, MeasurePlan, Organisation, User
from workflow.calendar import period_label
from workflow.lists.documents import EXPORT_LIMIT, PAGE_SIZE, Page
from workflow.lists.filters import Filters, measure_conditions
from workflow.measures.fields import no_budget_text
from workflow.measures.schedule import Row, periods_of, read_periods, row_of

MeasureRow = Row  # a measure with whether it is late, what it missed and what it owes next


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
    return [row_of(m, periods_of(m, periods[m.plan.fiscal_year]), today) for m in measures]


def _where(user: User, filters: Filters) -> list:
    return [Measure.org_id == user.org_id, *measure_conditions(filters, user.org_id)]


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
        float(m.budget)
        if m.budget is not None
        else no_budget_text(db.session.get(Organisation, m.org_id)),
        ", ".join(u.name for u in m.units),
        ", ".join(p.display_name for p in m.people),
        m.rhythm.label if m.rhythm else "",
        m.status.label,
        "เกินกำหนด" if row.overdue else "",
        row.next_update.due if row.next_update else None,
        len(m.entries),
        len(m.evidence),
    ]
