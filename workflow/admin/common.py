"""Helpers every admin service uses: the admin check, loading records of one's own organisation."""

import re
from typing import TypeVar

import sqlalchemy as sa

from extensions import db
from models import Organisation, User
from workflow.errors import NotFound, ValidationFailed
from workflow.permissions import require_admin

T = TypeVar("T")

REQUIRED = "กรุณากรอกข้อมูลช่องนี้"
OTHER_REFERENCES = "มีข้อมูลอื่นอ้างถึงอยู่ {} รายการ ({table})"


def owned(model: type[T], record_id: int | None, actor: User, message: str) -> T:
    """A record of the admin's own organisation; records of other organisations do not exist."""
    require_admin(actor)
    record = db.session.get(model, record_id) if record_id else None
    if record is None or record.org_id != actor.org_id:
        raise NotFound(message)
    return record


def own_organisation(actor: User, lock: bool = False) -> Organisation:
    """The admin's organisation, optionally locked so that set-up edits happen one at a time."""
    require_admin(actor)
    stmt = sa.select(Organisation).where(Organisation.id == actor.org_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return db.session.scalars(stmt).one()


def clean_text(value: str | None, field: str, limit: int, required: bool = True) -> str:
    """One stripped line (a line break in a name would break e-mail headers and printed
    signatures); refuse an empty required value or one longer than the column."""
    text = re.sub(r"[\r\n\t\v\f]+", " ", value or "").strip()
    if required and not text:
        raise ValidationFailed(REQUIRED, field=field)
    if len(text) > limit:
        raise ValidationFailed(f"ยาวได้ไม่เกิน {limit:,} ตัวอักษร", field=field)
    return text


def count(stmt: sa.Select) -> int:
    """Rows a select would return."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0


def references(record, labels: dict[tuple[str, str], str]) -> list[str]:
    """What in the whole database still points at `record`, in Thai, one item per kind.

    Every foreign key to the record's table is checked, so a table another area adds later
    is counted too; `labels` words the known ones ('{}' is the count).
    """
    target = record.__table__
    found = []
    for table in db.metadata.sorted_tables:
        for key in table.foreign_keys:
            if key.column.table is not target:
                continue
            rows = db.session.scalar(
                sa.select(sa.func.count()).select_from(table).where(key.parent == record.id)
            )
            if rows:
                label = labels.get((table.name, key.parent.name), OTHER_REFERENCES)
                found.append(label.format(rows, table=table.name))
    return found


def refuse_if_used(what: str, uses: list[str]) -> None:
    """Refuse deleting a record that others still point at, saying which ones."""
    if uses:
        raise ValidationFailed(
            f"ลบ{what} ไม่ได้ เพราะยังมีการใช้งานอยู่: {' และ '.join(uses)} (ไม่มีการเปลี่ยนแปลงใด ๆ)"
        )
