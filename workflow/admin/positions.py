"""Positions (ตำแหน่ง): the posts that chain steps and acting orders name."""

from dataclasses import dataclass, field

import sqlalchemy as sa

import clock
from extensions import db
from models import ActingAssignment, ChainStep, Position, User
from workflow.admin.common import clean_text, count, owned, references, refuse_if_used
from workflow.errors import ValidationFailed
from workflow.permissions import require_admin

POSITION_NOT_FOUND = "ไม่พบตำแหน่งนี้"
POSITION_USES = {
    ("users", "position_id"): "ผู้ดำรงตำแหน่ง {} คน",
    ("chain_steps", "position_id"): "อยู่ในสายการลงนาม {} ขั้น",
    ("acting_assignments", "position_id"): "มีคำสั่งรักษาราชการแทน/ปฏิบัติราชการแทนตำแหน่งนี้ {} รายการ",
    ("document_steps", "position_id"): "อยู่ในสายการลงนามของเอกสารที่เสนอแล้ว {} ขั้น",
}


@dataclass
class PositionRow:
    """A position as the list shows it: who holds it and who acts for it today."""

    position: Position
    holders: list[User] = field(default_factory=list)
    acting: list[ActingAssignment] = field(default_factory=list)
    chain_steps: int = 0

    @property
    def vacant(self) -> bool:
        return not self.holders


def list_positions(actor: User) -> list[PositionRow]:
    """Every position of the organisation with its active holders and acting officials today."""
    require_admin(actor)
    positions = db.session.scalars(
        sa.select(Position).where(Position.org_id == actor.org_id).order_by(Position.title)
    ).all()
    today = clock.today()
    return [
        PositionRow(
            position=p,
            holders=[u for u in p.holders if u.active],
            acting=[a for a in _assignments(p) if a.in_force(today)],
            chain_steps=count(sa.select(ChainStep.id).where(ChainStep.position_id == p.id)),
        )
        for p in positions
    ]


def get_position(position_id: int, actor: User) -> Position:
    return owned(Position, position_id, actor, POSITION_NOT_FOUND)


def create_position(actor: User, title: str) -> Position:
    """Add a position; its title must be new in the organisation."""
    require_admin(actor)
    position = Position(org_id=actor.org_id)
    _apply_title(position, title)
    db.session.add(position)
    db.session.flush()
    return position


def update_position(position_id: int, actor: User, title: str) -> Position:
    """Rename a position; memos already submitted keep the title they were signed under."""
    position = get_position(position_id, actor)
    _apply_title(position, title)
    db.session.flush()
    return position


def delete_position(position_id: int, actor: User) -> str:
    """Delete a position nothing refers to; return its title."""
    position = get_position(position_id, actor)
    refuse_if_used(f"ตำแหน่ง “{position.title}”", references(position, POSITION_USES))
    db.session.delete(position)
    db.session.flush()
    return position.title


def find_or_create(actor: User, title: str) -> Position:
    """The organisation's position with this title, created when missing."""
    require_admin(actor)
    stmt = sa.select(Position).where(Position.org_id == actor.org_id, Position.title == title)
    return db.session.scalar(stmt) or create_position(actor, title)


def _apply_title(position: Position, title: str) -> None:
    title = clean_text(title, "title", 200)
    taken = sa.select(Position.id).where(
        Position.org_id == position.org_id, Position.title == title
    )
    if position.id is not None:
        taken = taken.where(Position.id != position.id)
    if db.session.scalar(taken):
        raise ValidationFailed("มีตำแหน่งชื่อนี้แล้ว", field="title")
    position.title = title


def _assignments(position: Position) -> list[ActingAssignment]:
    stmt = (
        sa.select(ActingAssignment)
        .where(ActingAssignment.position_id == position.id)
        .order_by(ActingAssignment.start_date)
    )
    return list(db.session.scalars(stmt))
