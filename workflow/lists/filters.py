"""The filters the lists and the search share, and who may see which memo, as SQL.

`visible_documents` is `workflow.permissions.can_view` for many rows at once: the user's own
organisation; their own memos in any state; others' drafts never; the rest when they are an admin,
when a position they hold (own or acting today) is anywhere in the memo's chain, when they have
signed it before, or when it was circulated to them (แจ้งเวียน). `tests/test_circulation.py`
proves the two agree.
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

import thai
from models import (
    CirculationRecipient,
    DecisionLog,
    DocState,
    DocType,
    Document,
    DocumentStep,
    Measure,
    MeasurePlan,
    MeasureStatus,
    ReportRound,
    ReportSnapshot,
    User,
)
from models.measures import measure_units
from workflow.measures.schedule import OVERDUE, late_condition
from workflow.permissions import positions_held

KINDS = {"document": "บันทึกข้อความและรายงาน", "measure": "มาตรการ"}
DOC_TYPES = {t.value for t in DocType}
DOC_STATES = {s.value for s in DocState}
MEASURE_STATES = {s.value for s in MeasureStatus} | {OVERDUE}


@dataclass(frozen=True)
class Filters:
    """What a list or a search is narrowed to; empty values narrow nothing."""

    kind: str = ""  # search only: "document" or "measure"
    doc_type: str = ""  # a DocType value (memos only)
    state: str = ""  # a DocState value, a MeasureStatus value, or "overdue" (measures)
    fiscal_year: int | None = None
    unit_id: int | None = None

    def __post_init__(self) -> None:
        # Unknown values narrow to nothing rather than to everything.
        if self.doc_type and self.doc_type not in DOC_TYPES:
            object.__setattr__(self, "doc_type", "?")
        if self.state and self.state not in DOC_STATES | MEASURE_STATES:
            object.__setattr__(self, "state", "?")

    @property
    def wants_documents(self) -> bool:
        return self.kind in ("", "document") and self.state not in MEASURE_STATES

    @property
    def wants_measures(self) -> bool:
        return self.kind in ("", "measure") and not self.doc_type and self.state not in DOC_STATES


def visible_documents(user: User, on: date | None = None) -> sa.ColumnElement[bool]:
    """The memos `user` may open (see the module's docstring)."""
    own = Document.drafter_id == user.id
    if user.is_admin:
        return sa.and_(
            Document.org_id == user.org_id, sa.or_(own, Document.state != DocState.DRAFT)
        )
    held = list(positions_held(user, on))
    in_chain = sa.exists().where(
        DocumentStep.document_id == Document.id, DocumentStep.position_id.in_(held)
    )
    signed = sa.exists().where(
        DecisionLog.document_id == Document.id, DecisionLog.actor_id == user.id
    )
    circulated = sa.exists().where(
        CirculationRecipient.document_id == Document.id, CirculationRecipient.user_id == user.id
    )
    others = sa.and_(Document.state != DocState.DRAFT, sa.or_(in_chain, signed, circulated))
    return sa.and_(Document.org_id == user.org_id, sa.or_(own, others))


def document_fiscal_year() -> sa.ColumnElement[int]:
    """SQL for `filed_year`."""
    from_date = (
        sa.extract("year", Document.doc_date)
        + 543
        + sa.case((sa.extract("month", Document.doc_date) >= 10, 1), else_=0)
    )
    round_year = (
        sa.select(ReportRound.fiscal_year)
        .join(ReportSnapshot, ReportSnapshot.round_id == ReportRound.id)
        .where(ReportSnapshot.document_id == Document.id)
        .scalar_subquery()
    )
    return sa.func.coalesce(round_year, Document.fiscal_year, from_date)


def filed_year(doc: Document) -> int:
    """The fiscal year a memo is filed under: a progress report's round's year (a report on
    2569 drafted in fiscal year 2570 belongs to 2569); else the year given at submission (its
    number's register); for a draft, the one of its date."""
    if doc.report_snapshot is not None:
        return doc.report_snapshot.round.fiscal_year
    return doc.fiscal_year or thai.fiscal_year(doc.doc_date)


def document_conditions(filters: Filters) -> list[sa.ColumnElement[bool]]:
    conditions = []
    if filters.doc_type:
        conditions.append(Document.doc_type == filters.doc_type)
    if filters.state:
        conditions.append(Document.state == filters.state)
    if filters.fiscal_year:
        conditions.append(document_fiscal_year() == filters.fiscal_year)
    if filters.unit_id:
        conditions.append(Document.unit_id == filters.unit_id)
    return conditions


def measure_conditions(filters: Filters, org_id: int) -> list[sa.ColumnElement[bool]]:
    """Conditions on one organisation's Measure rows, with MeasurePlan joined."""
    conditions = []
    if filters.state == OVERDUE:
        conditions.append(late_condition(org_id))
    elif filters.state:
        conditions.append(Measure.status == filters.state)
    if filters.fiscal_year:
        conditions.append(MeasurePlan.fiscal_year == filters.fiscal_year)
    if filters.unit_id:
        conditions.append(
            sa.exists().where(
                measure_units.c.measure_id == Measure.id,
                measure_units.c.unit_id == filters.unit_id,
            )
        )
    return conditions
