"""People (บุคลากร): their logins, posts, units and admin rights."""

import re
from dataclasses import dataclass

import sqlalchemy as sa

from extensions import db
from models import Position, Unit, User
from workflow.admin.common import clean_text, owned
from workflow.errors import ValidationFailed
from workflow.passwords import check_new_password
from workflow.permissions import require_admin

PERSON_NOT_FOUND = "ไม่พบบุคลากรนี้"
USERNAME = re.compile(r"^[A-Za-z0-9._-]+$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class PersonData:
    """What the person form fills; an empty password on edit keeps the old one."""

    title: str
    full_name: str
    username: str
    email: str = ""
    position_id: int | None = None
    unit_id: int | None = None
    is_admin: bool = False
    active: bool = True
    password: str = ""


def list_people(actor: User) -> list[User]:
    """Everyone in the organisation, active people first, by name."""
    require_admin(actor)
    stmt = (
        sa.select(User)
        .where(User.org_id == actor.org_id)
        .order_by(User.active.desc(), User.full_name)
    )
    return list(db.session.scalars(stmt))


def get_person(user_id: int, actor: User) -> User:
    return owned(User, user_id, actor, PERSON_NOT_FOUND)


def create_person(actor: User, data: PersonData) -> User:
    """Add a person with a login; the password is required here."""
    require_admin(actor)
    if not data.password:
        raise ValidationFailed("กรุณากำหนดรหัสผ่าน", field="password")
    person = User(org_id=actor.org_id)
    _apply(person, actor, data)
    db.session.add(person)
    db.session.flush()
    return person


def update_person(user_id: int, actor: User, data: PersonData) -> User:
    """Change a person's details; an admin cannot switch off their own login or admin right."""
    person = get_person(user_id, actor)
    if person.id == actor.id:
        _refuse_self_lockout(active=data.active, is_admin=data.is_admin)
    _apply(person, actor, data)
    db.session.flush()
    return person


def set_active(user_id: int, actor: User, active: bool) -> User:
    """Open or close a person's login; their past signatures stay as they were."""
    person = get_person(user_id, actor)
    if person.id == actor.id:
        _refuse_self_lockout(active=active, is_admin=True)
    person.active = active
    db.session.flush()
    return person


def _refuse_self_lockout(active: bool, is_admin: bool) -> None:
    if not active:
        raise ValidationFailed(
            "ปิดการใช้งานบัญชีของตนเองไม่ได้ เพื่อไม่ให้องค์กรไม่มีผู้ดูแลระบบ ให้ผู้ดูแลระบบคนอื่นเป็นผู้ดำเนินการ",
            field="active",
        )
    if not is_admin:
        raise ValidationFailed(
            "ยกเลิกสิทธิ์ผู้ดูแลระบบของตนเองไม่ได้ เพื่อไม่ให้องค์กรไม่มีผู้ดูแลระบบ ให้ผู้ดูแลระบบคนอื่นเป็นผู้ดำเนินการ",
            field="is_admin",
        )


def _apply(person: User, actor: User, data: PersonData) -> None:
    """Check everything first, then write, so a refusal leaves the person untouched."""
    title = clean_text(data.title, "title", 50, required=False)  # printed as typed, may be empty
    full_name = clean_text(data.full_name, "full_name", 200)
    username = _check_username(person, data.username)
    email = _check_email(data.email)
    position = owned(Position, data.position_id, actor, "ไม่พบตำแหน่งนี้") if data.position_id else None
    unit = owned(Unit, data.unit_id, actor, "ไม่พบหน่วยงานนี้") if data.unit_id else None
    if data.password:
        check_new_password(data.password, username)
        person.set_password(data.password)
    if person.active and not data.active:
        person.end_sessions()  # so re-activating the account later does not revive old cookies
    person.title, person.full_name, person.username, person.email = (
        title,
        full_name,
        username,
        email,
    )
    person.position_id = position.id if position else None
    person.unit_id = unit.id if unit else None
    person.is_admin, person.active = bool(data.is_admin), bool(data.active)


def _check_username(person: User, username: str) -> str:
    """Usernames are unique in the whole system, whatever the letter case."""
    username = clean_text(username, "username", 80)
    if not USERNAME.match(username):
        raise ValidationFailed(
            "ใช้ได้เฉพาะอักษรภาษาอังกฤษ ตัวเลข และเครื่องหมาย . _ - เท่านั้น", field="username"
        )
    if _taken(username, person):
        # One answer wherever the name is used, with a free variant to take instead, so the
        # form is not a directory of other organisations' people (issue 17, item 7).
        raise ValidationFailed(
            f"ใช้ชื่อผู้ใช้นี้ไม่ได้ ลองใช้ “{_free_variant(username, person)}” หรือเลือกชื่ออื่น",
            field="username",
        )
    return username


def _taken(username: str, person: User) -> bool:
    taken = sa.select(User.id).where(sa.func.lower(User.username) == username.lower())
    if person.id is not None:
        taken = taken.where(User.id != person.id)
    return db.session.scalar(taken.limit(1)) is not None


def _free_variant(username: str, person: User) -> str:
    """The first of name2, name3, … that nobody uses (within the 80 characters allowed)."""
    for number in range(2, 1000):
        candidate = f"{username[: 80 - len(str(number))]}{number}"
        if not _taken(candidate, person):
            return candidate
    return f"{username[:70]}.{person.org_id or 0}"


def _check_email(email: str) -> str:
    email = clean_text(email, "email", 254, required=False)
    if email and not EMAIL.match(email):
        raise ValidationFailed("รูปแบบอีเมลไม่ถูกต้อง", field="email")
    return email
