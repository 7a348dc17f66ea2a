"""Progress reports: create one for a round, refresh its table while it is still a draft."""

from dataclasses import dataclass

import sqlalchemy as sa

import clock
from extensions import db
from models import (
    DocType,
    Document,
    MeasurePlan,
    ReportRound,
    ReportSnapshot,
    RoundKind,
    User,
)
from workflow import documents
from workflow.errors import NotFound, ValidationFailed
from workflow.permissions import require_editable
from workflow.reports.content import FACTS, facts_text, report_content
from workflow.reports.snapshot import build_snapshot
from workflow.rounds import (
    ReportExists,
    current_report,
    reports_of_rounds,
    saved_round,
)


@dataclass(frozen=True)
class Refreshed:
    document: Document
    changed: bool


def plan_of_year(org_id: int, fiscal_year: int) -> MeasurePlan | None:
    stmt = sa.select(MeasurePlan).where(
        MeasurePlan.org_id == org_id, MeasurePlan.fiscal_year == fiscal_year
    )
    return db.session.scalars(stmt).one_or_none()


def create_report(actor: User, fiscal_year: int, kind: RoundKind) -> Document:
    """The actor drafts the round's report: a memo with the plan's measures as of the round's end.

    The report points at the round's row, so an unsaved round is saved here (with the dates it
    has in force), and locked: one creator per round at a time."""
    plan = plan_of_year(actor.org_id, fiscal_year)
    if plan is None:
        raise ValidationFailed(
            f"ยังไม่มีแผนมาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ."
            f" {fiscal_year} จึงยังจัดทำรายงานไม่ได้ กรุณาบันทึกมาตรการของปีนี้ก่อน"
        )
    report_round = saved_round(actor.org_id, fiscal_year, kind)
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
    missing = "ไม่พบรายงานผลการดำเนินการนี้"
    doc = documents.lock(doc_id, actor, missing)
    if doc.report_snapshot is None:
        raise NotFound(missing)
    return doc
