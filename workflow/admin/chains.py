"""Signature chains (สายการลงนาม): the ordered steps per document type, edited as data.

Memos already submitted hold their own copy of the chain (DocumentStep), so nothing here
changes them. Edits lock the organisation row so two admins cannot number steps at once.
"""

from dataclasses import dataclass, field

import sqlalchemy as sa

import clock
from extensions import db
from models import ActingAssignment, ChainStep, DocType, User
from workflow.admin import positions
from workflow.admin.common import clean_text, own_organisation, owned
from workflow.chain_defaults import default_chain
from workflow.errors import NotFound, ValidationFailed
from workflow.permissions import require_admin

STEP_NOT_FOUND = "ไม่พบขั้นตอนนี้ในสายการลงนาม"
DECISION_LIMIT = 200  # the decision log keeps decisions in 200 characters
PHRASE_LIMIT = 500
PARKED = 1_000_000  # a free step number while two steps swap places (step_no must stay >= 1)


@dataclass
class StepData:
    """What the step form fills; the lists hold one item per line of the text boxes."""

    position_id: int | None
    heading: str
    forward_decisions: list[str] = field(default_factory=list)
    reject_decisions: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)


def doc_type_of(value: str) -> DocType:
    """The document type named in a URL; an unknown one is a page that does not exist."""
    try:
        return DocType(value)
    except ValueError:
        raise NotFound("ไม่พบประเภทเอกสารนี้") from None


def chains(actor: User) -> dict[DocType, list[ChainStep]]:
    """The chain of every document type, steps in order."""
    require_admin(actor)
    return {t: chain_of(actor.org_id, t) for t in DocType}


def chain_of(org_id: int, doc_type: DocType) -> list[ChainStep]:
    stmt = (
        sa.select(ChainStep)
        .where(ChainStep.org_id == org_id, ChainStep.doc_type == doc_type)
        .order_by(ChainStep.step_no)
        .execution_options(populate_existing=True)
    )
    return list(db.session.scalars(stmt))


def signers_today(actor: User, steps: list[ChainStep]) -> dict[int, list[str]]:
    """Who can sign each step's position today: active holders and acting officials in force."""
    require_admin(actor)
    ids = {s.position_id for s in steps}
    signers: dict[int, list[str]] = {i: [] for i in ids}
    holders = sa.select(User).where(User.position_id.in_(ids), User.active).order_by(User.full_name)
    for user in db.session.scalars(holders):
        signers[user.position_id].append(user.display_name)
    for assignment in _acting_today(ids):
        if assignment.user.active:
            signers[assignment.position_id].append(
                f"{assignment.user.display_name} ({assignment.kind.label})"
            )
    return signers


def _acting_today(position_ids: set[int]) -> list[ActingAssignment]:
    today = clock.today()
    stmt = sa.select(ActingAssignment).where(
        ActingAssignment.position_id.in_(position_ids),
        ActingAssignment.in_force(today),
    )
    return list(db.session.scalars(stmt))


def get_step(step_id: int, actor: User) -> ChainStep:
    return owned(ChainStep, step_id, actor, STEP_NOT_FOUND)


def add_step(actor: User, doc_type: str, data: StepData) -> ChainStep:
    """Append a step at the end of the chain of `doc_type`."""
    kind = doc_type_of(doc_type)
    own_organisation(actor, lock=True)
    step = ChainStep(
        org_id=actor.org_id, doc_type=kind, step_no=len(chain_of(actor.org_id, kind)) + 1
    )
    _apply(step, actor, data)
    db.session.add(step)
    db.session.flush()
    return step


def update_step(step_id: int, actor: User, data: StepData) -> ChainStep:
    step = get_step(step_id, actor)
    _apply(step, actor, data)
    db.session.flush()
    return step


def delete_step(step_id: int, actor: User) -> ChainStep:
    """Remove a step and close the gap, so steps stay numbered 1..n."""
    own_organisation(actor, lock=True)
    step = get_step(step_id, actor)
    later = [s for s in chain_of(actor.org_id, step.doc_type) if s.step_no > step.step_no]
    db.session.delete(step)
    db.session.flush()
    for other in later:
        other.step_no -= 1
        db.session.flush()  # one at a time: each moves into the number just freed
    return step


def move_step(step_id: int, actor: User, offset: int) -> ChainStep:
    """Swap a step with the one before (offset -1) or after (+1) it."""
    own_organisation(actor, lock=True)
    step = get_step(step_id, actor)
    chain = chain_of(actor.org_id, step.doc_type)
    target = step.step_no + offset
    if offset not in (-1, 1) or not 1 <= target <= len(chain):
        raise ValidationFailed("เลื่อนขั้นนี้ไปทางนั้นไม่ได้อีกแล้ว")
    other = chain[target - 1]
    mine = step.step_no
    step.step_no = PARKED
    db.session.flush()
    other.step_no = mine
    db.session.flush()
    step.step_no = target
    db.session.flush()
    return step


def apply_default_chain(actor: User, doc_type: str) -> list[ChainStep]:
    """Fill an empty chain with the standard one, matching positions by title."""
    kind = doc_type_of(doc_type)
    org = own_organisation(actor, lock=True)
    if chain_of(org.id, kind):
        raise ValidationFailed(
            f"สายการลงนามของ “{kind.label}” มีขั้นตอนอยู่แล้ว ใช้สายการลงนามมาตรฐานได้เฉพาะเมื่อยังไม่มีขั้นตอน"
        )
    for no, template in enumerate(default_chain(org.name), start=1):
        position = positions.find_or_create(actor, template.position_title)
        db.session.add(
            ChainStep(
                org_id=org.id,
                doc_type=kind,
                step_no=no,
                position_id=position.id,
                heading=template.heading,
                forward_decisions=list(template.forward),
                reject_decisions=list(template.reject),
                phrases=list(template.phrases),
            )
        )
    db.session.flush()
    return chain_of(org.id, kind)


def copy_chain(actor: User, doc_type: str) -> list[DocType]:
    """Make the chains of the other document types the same as this one; return those types."""
    source_type = doc_type_of(doc_type)
    own_organisation(actor, lock=True)
    source = chain_of(actor.org_id, source_type)
    if not source:
        raise ValidationFailed("สายการลงนามนี้ยังไม่มีขั้นตอน จึงไม่มีอะไรให้คัดลอก")
    targets = [t for t in DocType if t != source_type]
    for target in targets:
        for old in chain_of(actor.org_id, target):
            db.session.delete(old)
        db.session.flush()
        db.session.add_all(_copy(s, target) for s in source)
    db.session.flush()
    return targets


def _copy(step: ChainStep, doc_type: DocType) -> ChainStep:
    return ChainStep(
        org_id=step.org_id,
        doc_type=doc_type,
        step_no=step.step_no,
        position_id=step.position_id,
        heading=step.heading,
        forward_decisions=list(step.forward_decisions),
        reject_decisions=list(step.reject_decisions),
        phrases=list(step.phrases),
    )


def _apply(step: ChainStep, actor: User, data: StepData) -> None:
    """Check everything first, then write, so a refusal leaves the step untouched."""
    position = positions.get_position(data.position_id, actor) if data.position_id else None
    if position is None:
        raise ValidationFailed("กรุณาเลือกตำแหน่งผู้ลงนามของขั้นนี้", field="position_id")
    heading = clean_text(data.heading, "heading", 300)
    forward = clean_lines(data.forward_decisions, "forward_decisions", DECISION_LIMIT)
    reject = clean_lines(data.reject_decisions, "reject_decisions", DECISION_LIMIT)
    phrases = clean_lines(data.phrases, "phrases", PHRASE_LIMIT)
    if not forward:
        raise ValidationFailed(
            "กรุณาระบุความเห็นที่เสนอต่อ/อนุมัติอย่างน้อยหนึ่งรายการ", field="forward_decisions"
        )
    if both := [d for d in reject if d in forward]:
        raise ValidationFailed(
            f"“{both[0]}” อยู่ทั้งในความเห็นที่เสนอต่อ/อนุมัติและความเห็นที่ไม่อนุมัติ ความเห็นหนึ่งต้องอยู่ในรายการเดียว",
            field="reject_decisions",
        )
    step.position_id, step.heading = position.id, heading
    step.forward_decisions, step.reject_decisions, step.phrases = forward, reject, phrases


def clean_lines(lines: list[str], field_name: str, limit: int) -> list[str]:
    """Stripped items without blanks or repeats, in the order typed."""
    items = list(dict.fromkeys(line.strip() for line in lines if line and line.strip()))
    if too_long := next((i for i in items if len(i) > limit), None):
        raise ValidationFailed(
            f"แต่ละบรรทัดยาวได้ไม่เกิน {limit:,} ตัวอักษร (“{too_long[:30]}…”)", field=field_name
        )
    return items
