"""The register of acting officials (รักษาราชการแทน / ปฏิบัติราชการแทน), dated, by order."""

import logging
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

import clock
import thai
from extensions import db
from models import ActingAssignment, ActingChange, ActingKind, DecisionLog, Position, User
from workflow.admin.common import clean_text, count, owned, references, refuse_if_used
from workflow.errors import ValidationFailed
from workflow.permissions import require_admin

log = logging.getLogger(__name__)
ASSIGNMENT_NOT_FOUND = "ไม่พบรายการนี้ในทะเบียนผู้รักษาราชการแทน"
ASSIGNMENT_USES = {
    ("decision_log", "acting_assignment_id"): (
        "มีการลงนามตามคำสั่งนี้แล้ว {} ครั้ง ให้ใช้ “สิ้นสุดก่อนกำหนด” แทน"
    ),
}


@dataclass
class ActingData:
    """What the register form fills; no end date means until a new order says otherwise."""

    user_id: int | None
    position_id: int | None
    kind: ActingKind
    start_date: date | None
    end_date: date | None = None
    order_ref: str = ""


def register(actor: User) -> list[ActingAssignment]:
    """Every line of the register, the latest orders first."""
    require_admin(actor)
    stmt = (
        sa.select(ActingAssignment)
        .where(ActingAssignment.org_id == actor.org_id)
        .order_by(ActingAssignment.start_date.desc(), ActingAssignment.id.desc())
    )
    return list(db.session.scalars(stmt))


def in_force_today(assignments: list[ActingAssignment]) -> set[int]:
    """Ids of the assignments in force on today's Thai date."""
    today = clock.today()
    return {a.id for a in assignments if a.in_force(today)}


def get_assignment(assignment_id: int, actor: User) -> ActingAssignment:
    return owned(ActingAssignment, assignment_id, actor, ASSIGNMENT_NOT_FOUND)


def history(actor: User) -> list[ActingChange]:
    """Every change ever made to the register, the latest first."""
    require_admin(actor)
    stmt = (
        sa.select(ActingChange)
        .where(ActingChange.org_id == actor.org_id)
        .order_by(ActingChange.at.desc(), ActingChange.id.desc())
    )
    return list(db.session.scalars(stmt))


def describe_facts(facts: dict) -> str:
    """One line of the register as it read at some moment, in Thai, for its history."""
    start = date.fromisoformat(facts["start_date"])
    end = date.fromisoformat(facts["end_date"]) if facts.get("end_date") else None
    until = thai.format_date(end, thai_digits=False) if end else "ไม่กำหนดวันสิ้นสุด"
    text = (
        f"{facts['user']} {ActingKind(facts['kind']).label} {facts['position']}"
        f" ตั้งแต่ {thai.format_date(start, thai_digits=False)} ถึง {until}"
    )
    return f"{text} ตาม{facts['order_ref']}" if facts.get("order_ref") else text


def create_assignment(actor: User, data: ActingData) -> ActingAssignment:
    """Add a line to the register."""
    require_admin(actor)
    assignment = ActingAssignment(org_id=actor.org_id, created_by_id=actor.id)
    _apply(assignment, actor, data)
    db.session.add(assignment)
    db.session.flush()
    _remember(assignment, actor, "create", None)
    return assignment


def update_assignment(assignment_id: int, actor: User, data: ActingData) -> ActingAssignment:
    """Correct a line; who, which post and how stay fixed once someone signed under it."""
    assignment = get_assignment(assignment_id, actor)
    if _signatures(assignment) and _identity(assignment) != (
        data.user_id,
        data.position_id,
        ActingKind(data.kind),
    ):
        raise ValidationFailed(
            "มีการลงนามตามคำสั่งนี้แล้ว จึงเปลี่ยนผู้รักษาราชการแทน ตำแหน่ง หรือประเภทไม่ได้"
            " ให้สิ้นสุดรายการนี้แล้วเพิ่มรายการใหม่แทน"
        )
    if data.start_date is not None:
        _keep_signatures_inside(assignment, data.start_date, data.end_date)
    before = assignment.facts()
    _apply(assignment, actor, data)
    db.session.flush()
    _remember(assignment, actor, "update", before)
    return assignment


def end_assignment(assignment_id: int, actor: User, end_date: date | None) -> ActingAssignment:
    """End an assignment early: it is no longer in force after `end_date`."""
    assignment = get_assignment(assignment_id, actor)
    if end_date is None:
        raise ValidationFailed("กรุณาระบุวันที่สิ้นสุด", field="end_date")
    _check_dates(assignment.start_date, end_date)
    _keep_signatures_inside(assignment, assignment.start_date, end_date)
    before = assignment.facts()
    assignment.end_date = end_date
    db.session.flush()
    _remember(assignment, actor, "end", before)
    return assignment


def delete_assignment(assignment_id: int, actor: User) -> ActingAssignment:
    """Delete a line entered by mistake; one already signed under must stay (end it instead)."""
    assignment = get_assignment(assignment_id, actor)
    refuse_if_used("รายการนี้", references(assignment, ASSIGNMENT_USES))
    _remember(assignment, actor, "delete", assignment.facts(), after=False)
    db.session.delete(assignment)
    db.session.flush()
    return assignment


def _apply(assignment: ActingAssignment, actor: User, data: ActingData) -> None:
    """Check everything first, then write, so a refusal leaves the line untouched."""
    person = owned(User, data.user_id, actor, "ไม่พบบุคลากรนี้")
    position = owned(Position, data.position_id, actor, "ไม่พบตำแหน่งนี้")
    if person.position_id == position.id:
        raise ValidationFailed(
            f"{person.display_name} ดำรงตำแหน่ง “{position.title}” อยู่แล้ว"
            " จึงรักษาราชการแทนตำแหน่งของตนเองไม่ได้",
            field="position_id",
        )
    if data.start_date is None:
        raise ValidationFailed("กรุณาระบุวันที่เริ่ม", field="start_date")
    _check_dates(data.start_date, data.end_date)
    order_ref = clean_text(data.order_ref, "order_ref", 300, required=False)
    self_granted = person.id == actor.id
    if self_granted and not actor.organisation.allow_self_acting:
        raise ValidationFailed(
            "ผู้ดูแลระบบบันทึกคำสั่งแต่งตั้งตนเองไม่ได้ ให้ผู้ดูแลระบบคนอื่นบันทึก"
            " หรือเปิดให้ทำได้ที่หน้า “ข้อมูลองค์กร” (การแต่งตั้งตนเองจะถูกระบุไว้ในประวัติทะเบียน)",
            field="user_id",
        )
    if self_granted:
        log.warning("admin %s entered an acting order naming themselves", actor.username)
    assignment.self_granted = self_granted
    assignment.user_id, assignment.position_id = person.id, position.id
    assignment.kind = ActingKind(data.kind)
    assignment.start_date, assignment.end_date = data.start_date, data.end_date
    assignment.order_ref = order_ref


def _check_dates(start: date, end: date | None) -> None:
    if end is not None and end < start:
        raise ValidationFailed(
            f"วันที่สิ้นสุดต้องไม่ก่อนวันที่เริ่ม ({thai.format_date(start, thai_digits=False)})",
            field="end_date",
        )


def _signatures(assignment: ActingAssignment) -> int:
    return count(sa.select(DecisionLog.id).where(DecisionLog.acting_assignment_id == assignment.id))


def _identity(assignment: ActingAssignment) -> tuple:
    return assignment.user_id, assignment.position_id, assignment.kind


def _keep_signatures_inside(assignment: ActingAssignment, start: date, end: date | None) -> None:
    """An order's dates may not move so that a signature it authorised falls outside them."""
    stamps = db.session.scalars(
        sa.select(DecisionLog.created_at).where(DecisionLog.acting_assignment_id == assignment.id)
    ).all()
    if not stamps:
        return
    days = [clock.local(stamp).date() for stamp in stamps]
    first, last = min(days), max(days)
    if start > first:
        raise ValidationFailed(
            f"มีการลงนามตามคำสั่งนี้แล้วเมื่อ {thai.format_date(first)} วันที่เริ่มจึงเลื่อนให้หลังวันนั้นไม่ได้",
            field="start_date",
        )
    if end is not None and end < last:
        raise ValidationFailed(
            f"มีการลงนามตามคำสั่งนี้แล้วเมื่อ {thai.format_date(last)} วันที่สิ้นสุดจึงต้องไม่ก่อนวันนั้น",
            field="end_date",
        )


def _remember(
    assignment: ActingAssignment, actor: User, action: str, before: dict | None, after=True
) -> None:
    """Keep the change in the register's history: who, when, before and after."""
    if after:
        db.session.expire(assignment, ["user", "position"])  # the names of the ids just set
    db.session.add(
        ActingChange(
            org_id=assignment.org_id,
            assignment_id=assignment.id,
            actor_id=actor.id,
            actor_name=actor.display_name,
            at=clock.now(),
            action=action,
            before=before,
            after=assignment.facts() if after else None,
            self_granted=assignment.self_granted,
        )
    )
