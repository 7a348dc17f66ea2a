"""Verb-named services that move a memo through its chain.

Each one checks permission, locks the document row, fires the state machine, appends to the
decision log and flushes. The caller commits once; side effects run after the commit.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import Flask, current_app

import clock
import thai
from extensions import db
from models import (
    DECISION_ACTIONS,
    Action,
    ChainStep,
    DecisionLog,
    DocState,
    DocType,
    Document,
    DocumentSection,
    DocumentStep,
    User,
)
from notifications.outbox import events as notify
from notifications.outbox.recipients import APPROVED, ARRIVED, REJECTED, RETURNED, WITHDRAWN
from workflow import audit, numbering
from workflow.errors import AlreadyDecided, InvalidTransition, NotFound, ValidationFailed
from workflow.machine import SIGN_ACTIONS, Flow, fire, may
from workflow.permissions import require_drafter, require_editable, signing_authority
from workflow.rounds import require_round_free

LIMITS = {"subject": 500, "addressee": 300, "issuing_unit": 300, "closing": 300, "heading": 300}
MAX_SECTION_CHARS = 20_000
MAX_SECTIONS = 30
MAX_COMMENT_CHARS = 2_000

# What an approval sets off beyond this module (the official PDF's content fixed, a memo that
# cancels another marking it): named by the app factory through `on_approval`, so that this
# module, which they build on, imports neither of them.
ApprovalHook = Callable[[Document, User], object]
AFTER_APPROVAL = "ita_workflow.after_approval"


@dataclass
class MemoContent:
    """What the drafter writes; the form fills one of these."""

    doc_type: DocType
    issuing_unit: str
    doc_date: date
    subject: str
    addressee: str
    sections: list[tuple[str, str]] = field(default_factory=list)
    closing: str = ""
    unit_id: int | None = None


def _check_content(content: MemoContent) -> None:
    for name in ("subject", "addressee", "issuing_unit"):
        if not getattr(content, name).strip():
            raise ValidationFailed("กรุณากรอกข้อมูลช่องนี้", field=name)
    for name, limit in LIMITS.items():
        value = getattr(content, name, "")
        if len(value) > limit:
            raise ValidationFailed(f"ยาวเกิน {limit} ตัวอักษร", field=name)
    if sum(1 for h, b in content.sections if h.strip() or b.strip()) > MAX_SECTIONS:
        raise ValidationFailed(f"มีหัวข้อได้ไม่เกิน {MAX_SECTIONS} หัวข้อ", field="sections")
    for heading, body in content.sections:
        if len(heading) > LIMITS["heading"] or len(body) > MAX_SECTION_CHARS:
            raise ValidationFailed(
                f"หัวข้อยาวได้ไม่เกิน {LIMITS['heading']} และเนื้อหาไม่เกิน"
                f" {MAX_SECTION_CHARS:,} ตัวอักษรต่อหัวข้อ",
                field="sections",
            )


def _apply_content(doc: Document, content: MemoContent) -> None:
    doc.doc_type = content.doc_type
    doc.unit_id = content.unit_id
    doc.issuing_unit = content.issuing_unit.strip()
    doc.doc_date = content.doc_date
    doc.subject = content.subject.strip()
    doc.addressee = content.addressee.strip()
    doc.closing = content.closing.strip()
    kept = [(h.strip(), b.strip()) for h, b in content.sections if h.strip() or b.strip()]
    doc.sections = [
        DocumentSection(position=i, heading=h, body=b) for i, (h, b) in enumerate(kept, start=1)
    ]


def create_draft(actor: User, content: MemoContent) -> Document:
    _check_content(content)
    doc = Document(org_id=actor.org_id, drafter_id=actor.id, state=DocState.DRAFT)
    _apply_content(doc, content)
    db.session.add(doc)
    db.session.flush()
    return doc


def update_draft(doc_id: int, actor: User, content: MemoContent) -> Document:
    doc = lock(doc_id, actor)
    require_editable(actor, doc)
    _check_content(content)
    if has_annex(doc) and content.doc_type != doc.doc_type:
        raise ValidationFailed(
            "เปลี่ยนประเภทเอกสารนี้ไม่ได้ เพราะมีตารางแนบที่จัดทำสำหรับประเภทนี้", field="doc_type"
        )
    _apply_content(doc, content)
    db.session.flush()
    return doc


def final_signer(org_id: int, doc_type: DocType) -> str:
    """เรียน: the position of the last step of the organisation's chain for this type.

    Raises ValidationFailed when the organisation has no chain for it yet.
    """
    stmt = (
        sa.select(ChainStep)
        .where(ChainStep.org_id == org_id, ChainStep.doc_type == doc_type)
        .order_by(ChainStep.step_no.desc())
    )
    last = db.session.scalars(stmt.limit(1)).first()
    if last is None:
        raise ValidationFailed(
            f"ยังไม่ได้กำหนดสายการลงนามของ “{doc_type.label}” กรุณาแจ้งผู้ดูแลระบบขององค์กร"
        )
    return last.position.title


def has_annex(doc: Document) -> bool:
    """Whether the document carries a frozen table made for its type (report or analysis)."""
    return doc.report_snapshot is not None or getattr(doc, "analysis_snapshot", None) is not None


def submit(doc_id: int, actor: User) -> Document:
    """Send a draft (or a revised returned memo) to the first step of its chain."""
    doc = lock(doc_id, actor)
    require_editable(actor, doc)
    resubmitting = doc.state == DocState.RETURNED
    if doc.steps_of():  # it climbed before (returned, or withdrawn and reopened): a new round
        doc.revision += 1
    steps = _snapshot_steps(doc, reuse_previous=resubmitting and doc.resume_step is not None)
    flow = fire(flow_for(doc, len(steps)), "resubmit" if resubmitting else "submit")
    if doc.number_seq is None:
        doc.fiscal_year = thai.fiscal_year(clock.today())
        doc.number_prefix = doc.organisation.doc_prefix
        doc.number_seq = numbering.allocate(doc.org_id, doc.fiscal_year)
    apply_flow(doc, flow)
    doc.submitted_at = clock.now()
    db.session.flush()
    audit.record(doc, actor, Action.RESUBMIT if resubmitting else Action.SUBMIT)
    db.session.flush()
    notify.record(
        doc, actor, ARRIVED, step=doc.step(), decision="เสนอใหม่" if resubmitting else "เสนอ"
    )
    return doc


def decide(
    doc_id: int,
    actor: User,
    *,
    decision: str,
    comment: str = "",
    expected_revision: int | None = None,
    expected_step: int | None = None,
) -> Document:
    """Sign the current step with one of its decisions: forward, approve at the end, or reject."""
    doc = lock(doc_id, actor)
    _check_still_waiting(doc, expected_revision, expected_step)
    acting = signing_authority(actor, doc)
    step = doc.step()
    comment = _clean_comment(comment)
    if decision not in step.decisions:
        raise ValidationFailed("กรุณาเลือกความเห็นจากรายการของขั้นนี้", field="decision")
    flow = fire(flow_for(doc, len(doc.steps_of()), decision=decision), "sign")
    action = SIGN_ACTIONS[flow.state]
    if action == Action.REJECT and not comment:
        raise ValidationFailed("กรุณาระบุเหตุผลที่ไม่อนุมัติ", field="comment")
    audit.record(doc, actor, action, step=step, decision=decision, comment=comment, acting=acting)
    apply_flow(doc, flow)
    db.session.flush()
    if doc.state == DocState.APPROVED:
        for hook in _approval_hooks():
            hook(doc, actor)
    kind = {Action.APPROVE: APPROVED, Action.REJECT: REJECTED}.get(action, ARRIVED)
    notify.record(doc, actor, kind, step=doc.step(), decision=decision, comment=comment)
    return doc


def on_approval(app: Flask, *hooks: ApprovalHook) -> None:
    """Name, in order, what runs inside the approving transaction once a memo is approved."""
    app.extensions[AFTER_APPROVAL] = hooks


def _approval_hooks() -> tuple[ApprovalHook, ...]:
    try:
        return current_app.extensions[AFTER_APPROVAL]
    except KeyError:  # an approval that froze no PDF would be lost for good: refuse instead
        raise RuntimeError(
            "create_app names what follows an approval: documents.on_approval"
        ) from None


def return_for_revision(
    doc_id: int,
    actor: User,
    *,
    reason: str,
    resume_here: bool = False,
    expected_revision: int | None = None,
    expected_step: int | None = None,
) -> Document:
    """Send the memo back to its drafter with a reason; optionally have it come back to this step."""
    doc = lock(doc_id, actor)
    _check_still_waiting(doc, expected_revision, expected_step)
    acting = signing_authority(actor, doc)
    step = doc.step()
    reason = _clean_comment(reason)
    if not reason:
        raise ValidationFailed("กรุณาระบุเหตุผลที่ส่งคืนแก้ไข", field="reason")
    flow = fire(flow_for(doc, len(doc.steps_of())), "return_for_revision")
    audit.record(
        doc, actor, Action.RETURN, step=step, decision="ส่งคืนแก้ไข", comment=reason, acting=acting
    )
    apply_flow(doc, flow)
    doc.resume_step = step.step_no if resume_here else None
    db.session.flush()
    notify.record(doc, actor, RETURNED, step=step, comment=reason)
    return doc


def withdraw(doc_id: int, actor: User) -> Document:
    """The drafter takes a submitted memo back before anyone has decided on it."""
    doc = lock(doc_id, actor)
    require_drafter(actor, doc)
    flow = fire(flow_for(doc, len(doc.steps_of())), "withdraw")
    audit.record(doc, actor, Action.WITHDRAW)
    had_it = doc.step()
    apply_flow(doc, flow)
    db.session.flush()
    notify.record(doc, actor, WITHDRAWN, step=had_it)
    return doc


def may_withdraw(doc: Document, actor: User) -> bool:
    """Whether `withdraw` would succeed for this actor now: the page offers the button only then."""
    return doc.drafter_id == actor.id and may(flow_for(doc, len(doc.steps_of())), "withdraw")


def reopen(doc_id: int, actor: User) -> Document:
    """A withdrawn memo becomes a draft again; it keeps its number."""
    doc = lock(doc_id, actor)
    require_drafter(actor, doc)
    require_round_free(doc)  # a round never has two reports in progress
    flow = fire(flow_for(doc, len(doc.steps_of())), "reopen")
    audit.record(doc, actor, Action.REOPEN)
    apply_flow(doc, flow)
    db.session.flush()
    return doc


def lock(doc_id: int, actor: User, missing: str = "ไม่พบเอกสารนี้") -> Document:
    """Load the document with a row lock, fresh from the database, in the actor's organisation;
    `missing` is the NotFound message for another organisation's or an unknown id."""
    stmt = (
        sa.select(Document)
        .where(Document.id == doc_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    doc = db.session.scalars(stmt).one_or_none()
    if doc is None or doc.org_id != actor.org_id:
        raise NotFound(missing)
    return doc


def flow_for(doc: Document, step_count: int, decision: str | None = None) -> Flow:
    step = doc.step() if doc.current_step else None
    return Flow(
        state=doc.state,
        step_no=doc.current_step,
        step_count=step_count,
        decided_this_round=_decided_this_round(doc),
        resume_step=doc.resume_step,
        decision=decision,
        reject_decisions=tuple(step.reject_decisions) if step else (),
    )


def apply_flow(doc: Document, flow: Flow) -> None:
    doc.state = flow.state
    doc.current_step = flow.step_no
    doc.resume_step = flow.resume_step
    finished = flow.state in (DocState.APPROVED, DocState.REJECTED)
    doc.finished_at = clock.now() if finished else None


def _decided_this_round(doc: Document) -> bool:
    stmt = sa.select(DecisionLog.id).where(
        DecisionLog.document_id == doc.id,
        DecisionLog.revision == doc.revision,
        DecisionLog.action.in_(DECISION_ACTIONS),
    )
    return db.session.scalar(stmt.limit(1)) is not None


def _check_still_waiting(doc: Document, revision: int | None, step_no: int | None) -> None:
    """Refuse a decision made on a page that is out of date, saying who acted first."""
    if revision is None and step_no is None:
        return
    if doc.state == DocState.IN_REVIEW and (revision, step_no) == (doc.revision, doc.current_step):
        return
    stmt = (
        sa.select(DecisionLog)
        .where(DecisionLog.document_id == doc.id, DecisionLog.revision == revision)
        .where(DecisionLog.step_no == step_no, DecisionLog.action.in_(DECISION_ACTIONS))
        .order_by(DecisionLog.id.desc())
    )
    first = db.session.scalars(stmt.limit(1)).first()
    if first is None:
        raise InvalidTransition(f"เอกสารนี้เปลี่ยนสถานะเป็น “{doc.state.label}” แล้ว กรุณาเปิดหน้าเอกสารใหม่")
    when = thai.format_datetime(clock.local(first.created_at), doc.organisation.thai_digits)
    raise AlreadyDecided(
        f"{first.actor_name} ได้ดำเนินการในขั้นนี้ไปก่อนแล้ว ({first.decision or first.action.label})"
        f" เมื่อ {when} ความเห็นของคุณจึงไม่ถูกบันทึก"
    )


def _clean_comment(text: str | None) -> str:
    text = (text or "").strip()
    if len(text) > MAX_COMMENT_CHARS:
        raise ValidationFailed(f"ความเห็นยาวได้ไม่เกิน {MAX_COMMENT_CHARS:,} ตัวอักษร", field="comment")
    return text


def _snapshot_steps(doc: Document, reuse_previous: bool) -> list[DocumentStep]:
    """Copy the chain into the document for this revision, so later chain edits leave it alone."""
    if reuse_previous:
        source = doc.steps_of(doc.revision - 1)
    else:
        stmt = (
            sa.select(ChainStep)
            .where(ChainStep.org_id == doc.org_id, ChainStep.doc_type == doc.doc_type)
            .order_by(ChainStep.step_no)
        )
        source = list(db.session.scalars(stmt))
    if not source:
        raise ValidationFailed(
            f"ยังไม่ได้กำหนดสายการลงนามของ “{doc.doc_type.label}” กรุณาแจ้งผู้ดูแลระบบขององค์กร"
        )
    steps = [
        DocumentStep(
            revision=doc.revision,
            step_no=i,
            position_id=s.position_id,
            position_title=s.position_title if isinstance(s, DocumentStep) else s.position.title,
            heading=s.heading,
            forward_decisions=list(s.forward_decisions),
            reject_decisions=list(s.reject_decisions),
            phrases=list(s.phrases),
        )
        for i, s in enumerate(source, start=1)
    ]
    doc.steps.extend(steps)
    return steps
