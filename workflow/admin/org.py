"""The organisation's own settings and its units (หน่วยงาน)."""

from dataclasses import dataclass

import sqlalchemy as sa

from extensions import db
from models import Document, Organisation, OrgKind, Unit, User
from workflow.admin.common import (
    clean_text,
    count,
    own_organisation,
    owned,
    references,
    refuse_if_used,
)
from workflow.errors import ValidationFailed
from workflow.permissions import require_admin

UNIT_NOT_FOUND = "ไม่พบหน่วยงานนี้"
UNIT_USES = {
    ("users", "unit_id"): "บุคลากรสังกัดหน่วยงานนี้ {} คน",
    ("documents", "unit_id"): "เอกสารของหน่วยงานนี้ {} ฉบับ",
    ("measure_units", "unit_id"): "เป็นผู้รับผิดชอบมาตรการ {} รายการ",
}


@dataclass
class OrgSettings:
    """What the organisation settings form fills."""

    name: str
    kind: OrgKind
    district: str = ""
    province: str = ""
    phone: str = ""
    doc_prefix: str = ""
    thai_digits: bool = True
    print_no_budget: bool = True
    allow_self_acting: bool = False
    forbid_drafter_signing: bool = False


def organisation(actor: User) -> Organisation:
    """The admin's organisation, for the settings page."""
    return own_organisation(actor)


def update_organisation(actor: User, settings: OrgSettings) -> Organisation:
    """Change the organisation's name, kind, address, phone, number prefix and digit setting."""
    org = own_organisation(actor, lock=True)
    name = clean_text(settings.name, "name", 200)
    taken = sa.select(Organisation.id).where(Organisation.name == name, Organisation.id != org.id)
    if db.session.scalar(taken):
        raise ValidationFailed("มีองค์กรชื่อนี้ในระบบแล้ว", field="name")
    org.name = name
    org.kind = OrgKind(settings.kind)
    org.district = clean_text(settings.district, "district", 100, required=False)
    org.province = clean_text(settings.province, "province", 100, required=False)
    org.phone = clean_text(settings.phone, "phone", 50, required=False)
    org.doc_prefix = clean_text(settings.doc_prefix, "doc_prefix", 50, required=False)
    org.thai_digits = bool(settings.thai_digits)
    org.print_no_budget = bool(settings.print_no_budget)
    org.allow_self_acting = bool(settings.allow_self_acting)
    org.forbid_drafter_signing = bool(settings.forbid_drafter_signing)
    db.session.flush()
    return org


# -- units -------------------------------------------------------------------


def list_units(actor: User) -> list[tuple[Unit, int, int]]:
    """Each unit of the organisation with how many people and documents use it."""
    require_admin(actor)
    units = db.session.scalars(Unit.of_organisation(actor.org_id)).all()
    return [(u, *_unit_usage(u)) for u in units]


def get_unit(unit_id: int, actor: User) -> Unit:
    return owned(Unit, unit_id, actor, UNIT_NOT_FOUND)


def create_unit(actor: User, name: str, phone: str = "") -> Unit:
    """Add a unit, last in the organisation's order; its name must be new in the organisation."""
    own_organisation(actor, lock=True)  # two units added at once do not share a place
    unit = Unit(org_id=actor.org_id)
    _apply_unit(unit, name, phone)
    last = sa.select(sa.func.max(Unit.sort_order)).where(Unit.org_id == actor.org_id)
    unit.sort_order = (db.session.scalar(last) or 0) + 1
    db.session.add(unit)
    db.session.flush()
    return unit


def update_unit(unit_id: int, actor: User, name: str, phone: str = "") -> Unit:
    unit = get_unit(unit_id, actor)
    _apply_unit(unit, name, phone)
    db.session.flush()
    return unit


def move_unit(unit_id: int, actor: User, offset: int) -> Unit:
    """Swap a unit with the one before (offset -1) or after (+1) it in the organisation's order;
    the units are numbered 1..n afresh, so places shared by units added elsewhere are settled."""
    own_organisation(actor, lock=True)
    unit = get_unit(unit_id, actor)
    units = list(db.session.scalars(Unit.of_organisation(actor.org_id)))
    at = units.index(unit)
    if offset not in (-1, 1) or not 0 <= at + offset < len(units):
        raise ValidationFailed(f"เลื่อนหน่วยงาน “{unit.name}” ไปทางนั้นไม่ได้อีกแล้ว")
    units[at], units[at + offset] = units[at + offset], units[at]
    for place, each in enumerate(units, start=1):
        each.sort_order = place
    db.session.flush()
    return unit


def delete_unit(unit_id: int, actor: User) -> str:
    """Delete a unit nobody and no document uses; return its name."""
    unit = get_unit(unit_id, actor)
    refuse_if_used(f"หน่วยงาน “{unit.name}”", references(unit, UNIT_USES))
    db.session.delete(unit)
    db.session.flush()
    return unit.name


def _apply_unit(unit: Unit, name: str, phone: str) -> None:
    name = clean_text(name, "name", 200)
    phone = clean_text(phone, "phone", 50, required=False)
    taken = sa.select(Unit.id).where(Unit.org_id == unit.org_id, Unit.name == name)
    if unit.id is not None:
        taken = taken.where(Unit.id != unit.id)
    if db.session.scalar(taken):
        raise ValidationFailed("มีหน่วยงานชื่อนี้แล้ว", field="name")
    unit.name, unit.phone = name, phone


def _unit_usage(unit: Unit) -> tuple[int, int]:
    people = count(sa.select(User.id).where(User.unit_id == unit.id))
    documents = count(sa.select(Document.id).where(Document.unit_id == unit.id))
    return people, documents
