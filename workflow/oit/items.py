"""Changing a year's OIT board: owners and due dates, evidence URLs, the check, and copying last
year's board through the catalogue's item mapping. Services check, lock, change and flush; the
request commits."""

from datetime import date

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

import clock
from extensions import db
from models import OitEvidence, OitItem, Unit, User
from workflow.errors import NotAllowed, NotFound, ValidationFailed
from workflow.ita.store import get_catalogue
from workflow.measures.evidence import evidence_title, normalise_url
from workflow.oit.board import live_publication

MAX_LINKS = 20  # evidence URLs of one item


def require_active(user: User) -> None:
    if not user.active:
        raise NotAllowed("บัญชีนี้ถูกระงับการใช้งาน")


def require_manage(user: User) -> None:
    """Owners, due dates, the check and copying are the organisation admin's."""
    require_active(user)
    if not user.is_admin:
        raise NotAllowed("เฉพาะผู้ดูแลระบบขององค์กรกำหนดผู้รับผิดชอบ กำหนดส่ง และการตรวจรายการ OIT")


def require_item(fiscal_year: int, code: str) -> str:
    """The item's text, or NotFound when the year's catalogue does not list it."""
    catalogue = get_catalogue(fiscal_year)
    item = next((q for q in catalogue.oit_items() if q.code == code), None) if catalogue else None
    if item is None:
        raise NotFound(f"ไม่พบรายการ {code} ในแบบตรวจ OIT ปี {fiscal_year}")
    return item.text


def kept_item(user: User, fiscal_year: int, code: str) -> OitItem:
    """The organisation's row of an item, locked, made on first use."""
    require_item(fiscal_year, code)
    stmt = sa.select(OitItem).where(
        OitItem.org_id == user.org_id, OitItem.fiscal_year == fiscal_year, OitItem.code == code
    )
    item = db.session.scalar(stmt.with_for_update())
    if item is not None:
        return item
    item = OitItem(org_id=user.org_id, fiscal_year=fiscal_year, code=code)
    try:
        with db.session.begin_nested():
            db.session.add(item)
    except IntegrityError:  # made by someone else a moment ago
        item = db.session.scalar(stmt.with_for_update())
    return item


def set_owner(
    actor: User,
    fiscal_year: int,
    code: str,
    unit_id: int | None,
    owner_id: int | None,
    due_date: date | None,
) -> OitItem:
    """Who keeps an item's evidence, and by when the organisation wants it on its website."""
    require_manage(actor)
    unit = db.session.get(Unit, unit_id) if unit_id else None
    if unit_id and (unit is None or unit.org_id != actor.org_id):
        raise ValidationFailed("กรุณาเลือกหน่วยงานจากรายการ", field="unit_id")
    owner = db.session.get(User, owner_id) if owner_id else None
    if owner_id and (owner is None or owner.org_id != actor.org_id or not owner.active):
        raise ValidationFailed("กรุณาเลือกผู้รับผิดชอบจากรายการ", field="owner_id")
    item = kept_item(actor, fiscal_year, code)
    item.owner_unit_id, item.owner_id, item.due_date = unit_id, owner_id, due_date
    db.session.flush()
    return item


def require_edit_evidence(user: User, item: OitItem) -> None:
    require_active(user)
    if not (user.is_admin or item.owner_id == user.id):
        raise NotAllowed("เฉพาะผู้รับผิดชอบรายการนี้หรือผู้ดูแลระบบเพิ่มหรือลบหลักฐานได้")


def add_evidence(actor: User, fiscal_year: int, code: str, url: str, title: str) -> OitEvidence:
    """A URL on the organisation's website that shows the item; the check is then undone."""
    url, title = normalise_url(url), evidence_title(title)
    item = kept_item(actor, fiscal_year, code)
    require_edit_evidence(actor, item)
    if any(e.url == url for e in item.evidence):
        raise ValidationFailed("รายการนี้มีลิงก์นี้อยู่แล้ว", field="url")
    if len(item.evidence) >= MAX_LINKS:
        raise ValidationFailed(f"หนึ่งรายการมีหลักฐานได้ไม่เกิน {MAX_LINKS} ลิงก์", field="url")
    evidence = OitEvidence(org_id=actor.org_id, url=url, title=title, added_by_id=actor.id)
    item.evidence.append(evidence)
    _uncheck(item)
    db.session.flush()
    return evidence


def remove_evidence(actor: User, evidence_id: int) -> OitItem:
    evidence = db.session.get(OitEvidence, evidence_id)
    if evidence is None or evidence.org_id != actor.org_id:
        raise NotFound("ไม่พบหลักฐานนี้")
    item = kept_item(actor, evidence.item.fiscal_year, evidence.item.code)
    require_edit_evidence(actor, item)
    item.evidence.remove(evidence)
    _uncheck(item)
    db.session.flush()
    return item


def set_checked(actor: User, fiscal_year: int, code: str, checked: bool) -> OitItem:
    """ตรวจแล้ว: someone opened every link and found what the item asks for."""
    require_manage(actor)
    item = kept_item(actor, fiscal_year, code)
    published = live_publication(actor.org_id, fiscal_year, code) is not None
    if checked and not item.evidence and not published:
        raise ValidationFailed(f"{code} ยังไม่มีลิงก์หลักฐานให้ตรวจ")
    if checked and any(e.broken_since for e in item.evidence):
        raise ValidationFailed(f"{code} มีลิงก์เสีย กรุณาแก้ไขลิงก์ก่อนบันทึกว่าตรวจแล้ว")
    item.checked_at, item.checked_by_id = (clock.now(), actor.id) if checked else (None, None)
    db.session.flush()
    return item


def copy_board(actor: User, fiscal_year: int) -> int:
    """Start a year's board from the previous year's through the catalogue's item mapping:
    owners, due dates a year later, and evidence links (checked again by the next link check).
    Items already kept this year are left alone. Returns how many items were filled."""
    require_manage(actor)
    catalogue = get_catalogue(fiscal_year)
    if catalogue is None or not catalogue.oit_items():
        raise ValidationFailed(f"ยังไม่มีรายการ OIT ของปี {fiscal_year}")
    if catalogue.previous_items is None:
        raise ValidationFailed(
            f"แคตตาล็อกปี {fiscal_year} ไม่ได้ระบุว่ารายการใดสืบต่อจากปี {fiscal_year - 1}"
        )
    before = {
        i.code: i
        for i in db.session.scalars(
            sa.select(OitItem).where(
                OitItem.org_id == actor.org_id, OitItem.fiscal_year == fiscal_year - 1
            )
        )
    }
    if not before:
        raise ValidationFailed(f"ยังไม่มีข้อมูล OIT ของปี {fiscal_year - 1} ให้คัดลอก")
    filled = 0
    for question in catalogue.oit_items():
        sources = [before[c] for c in catalogue.previous_codes(question.code) if c in before]
        if sources and _fill(actor, fiscal_year, question.code, sources):
            filled += 1
    db.session.flush()
    return filled


def _fill(actor: User, fiscal_year: int, code: str, sources: list[OitItem]) -> bool:
    item = kept_item(actor, fiscal_year, code)
    if item.evidence or item.owner_id or item.owner_unit_id or item.due_date:
        return False
    first = next((s for s in sources if s.owner_id or s.owner_unit_id), sources[0])
    item.owner_unit_id, item.owner_id = first.owner_unit_id, first.owner_id
    due = next((s.due_date for s in sources if s.due_date), None)
    item.due_date = _year_later(due) if due else None
    seen = set()
    for source in sources:
        for old in source.evidence:
            if old.url not in seen:
                seen.add(old.url)
                item.evidence.append(
                    OitEvidence(
                        org_id=actor.org_id, url=old.url, title=old.title, added_by_id=actor.id
                    )
                )
    return True


def _year_later(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _uncheck(item: OitItem) -> None:
    item.checked_at = item.checked_by_id = None
