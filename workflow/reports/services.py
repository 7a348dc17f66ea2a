"""Progress reports: create one for a round, refresh its table while it is still a draft."""

from dataclasses import dataclass

import sqlalchemy as sa

import clock
from extensions import db
from models import (
    DocState,
    DocType,
    Document,
    MeasurePlan,
    ReportRound,
    ReportSnapshot,
    User,
)
from workflow import documents
from workflow.errors import InvalidTransition, NotFound, ValidationFailed
from workflow.permissions import require_editable
from workflow.reports.content import FACTS, facts_text, report_content
from workflow.reports.snapshot import build_snapshot
from workflow.rounds import get_round

# A report in one of these states no longer stands for its round; another may be made.
# Withdrawn: the drafter took it back. Rejected or closed: final, so a new report is the way on.
CLOSED_STATES = (DocState.WITHDRAWN, DocState.REJECTED, DocState.CLOSED)


class ReportExists(InvalidTransition):
    """The round already has a report; `document` is that report."""

    def __init__(self, document: Document):
        super().__init__(
            f"รอบนี้มีรายงานอยู่แล้ว (สถานะ “{document.state.label}”) จัดทำซ้ำไม่ได้"
            " กรุณาดำเนินการต่อในรายงานฉบับเดิม"
        )
        self.document = document


@dataclass(frozen=True)
class Refreshed:
    document: Document
    changed: bool


def plan_of_year(org_id: int, fiscal_year: int) -> MeasurePlan | None:
    stmt = sa.select(MeasurePlan).where(
        MeasurePlan.org_id == org_id, MeasurePlan.fiscal_year == fiscal_year
    )
    return db.session.scalars(stmt).one_or_none()


def reports_of_rounds(round_ids: list[int]) -> dict[int, list[Document]]:
    """Every report made for each round, oldest first."""
    stmt = (
        sa.select(ReportSnapshot.round_id, Document)
        .join(Document, Document.id == ReportSnapshot.document_id)
        .where(ReportSnapshot.round_id.in_(round_ids))
        .order_by(Document.id)
    )
    found: dict[int, list[Document]] = {round_id: [] for round_id in round_ids}
    for round_id, doc in db.session.execute(stmt):
        found[round_id].append(doc)
    return found


def current_report(reports: list[Document]) -> Document | None:
    """The report that stands for a round: the first one not withdrawn or rejected."""
    return next((d for d in reports if d.state not in CLOSED_STATES), None)


def create_report(actor: User, round_id: int) -> Document:
    """The actor drafts the round's report: a memo with the plan's measures as of the round's end."""
    report_round = get_round(round_id, actor, lock=True)  # one creator per round at a time
    plan = plan_of_year(actor.org_id, report_round.fiscal_year)
    if plan is None:
        raise ValidationFailed(
            f"ยังไม่มีแผนมาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ."
            f" {report_round.fiscal_year} จึงยังจัดทำรายงานไม่ได้ กรุณาบันทึกมาตรการของปีนี้ก่อน"
        )
    existing = current_report(reports_of_rounds([report_round.id])[report_round.id])
    if existing is not None:
        raise ReportExists(existing)
    addressee = documents.final_signer(actor.org_id, DocType.PROGRESS_REPORT)
    data = build_snapshot(plan, report_round)
    content = report_content(actor, report_round, data, addressee)
    doc = documents.create_draft(actor, content)
    doc.report_snapshot = ReportSnapshot(
        round_id=report_round.id, plan_id=plan.id, taken_at=clock.now(), data=data
    )
    db.session.flush()
    return doc


def require_round_free(doc: Document) -> None:
    """Refuse bringing a withdrawn report back when its round has another report by now.

    Meant for `workflow.documents.reopen` (a one-line hook proposed to that module's owner), so
    that a round never has two reports in progress.
    """
    if doc.report_snapshot is None:
        return
    round_id = doc.report_snapshot.round_id
    others = [d for d in reports_of_rounds([round_id])[round_id] if d.id != doc.id]
    existing = current_report(others)
    if existing is not None:
        raise ReportExists(existing)


def refresh_snapshot(doc_id: int, actor: User) -> Refreshed:
    """Take the table again from the measures as they are now; only its drafter, only while
    the report is a draft or returned, so what the signers saw never changes under them."""
    doc = _lock_report(doc_id, actor)
    require_editable(actor, doc)
    snapshot = doc.report_snapshot
    plan = db.session.get(MeasurePlan, snapshot.plan_id)
    report_round = db.session.get(ReportRound, snapshot.round_id)
    old, new = snapshot.data, build_snapshot(plan, report_round)
    snapshot.data, snapshot.taken_at = new, clock.now()
    _refresh_facts(doc, old, new)
    db.session.flush()
    return Refreshed(doc, changed=old != new)


def _refresh_facts(doc: Document, old: dict, new: dict) -> None:
    """Update the counts in ข้อเท็จจริง, unless the drafter has rewritten that section."""
    for section in doc.sections:
        if section.heading == FACTS and section.body == facts_text(old):
            section.body = facts_text(new)


def _lock_report(doc_id: int, actor: User) -> Document:
    stmt = (
        sa.select(Document)
        .where(Document.id == doc_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    doc = db.session.scalars(stmt).one_or_none()
    if doc is None or doc.org_id != actor.org_id or doc.report_snapshot is None:
        raise NotFound("ไม่พบรายงานผลการดำเนินการนี้")
    return doc
