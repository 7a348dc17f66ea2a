"""The register of acting officials (รักษาราชการแทน / ปฏิบัติราชการแทน), dated, by order."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

import clock
import thai
from extensions import db
from models import ActingAssignment, ActingKind, DecisionLog, Position, User
from workflow.admin.common import clean_text, count, owned, references, refuse_if_used
from workflow.errors import ValidationFailed
from workflow.permissions import require_admin

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


def create_assignment(actor: User, data: ActingData) -> ActingAssignment:
    """Add a line to the register."""
    require_admin(actor)
    assignment = ActingAssignment(org_id=actor.org_id, created_by_id=actor.id)
    _apply(assignment, actor, data)
    db.session.add(assignment)
    db.session.flush()
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
    _apply(assignment, actor, data)
    db.session.flush()
    return assignment


def end_assignment(assignment_id: int, actor: User, end_date: date | None) -> ActingAssignment:
    """End an assignment early: it is no longer in force after `end_date`."""
    assignment = get_assignment(assignment_id, actor)
    if end_date is None:
        raise ValidationFailed("กรุณาระบุวันที่สิ้นสุด", field="end_date")
    _check_dates(assignment.start_date, end_date)
    assignment.end_date = end_date
    db.session.flush()
    return assignment


def delete_assignment(assignment_id: int, actor: User) -> ActingAssignment:
    """Delete a line entered by mistake; one already signed under must stay (end it instead)."""
    assignment = get_assignment(assignment_id, actor)
    refuse_if_used("รายการนี้", references(assignment, ASSIGNMENT_USES))
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
