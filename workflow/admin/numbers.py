"""Document numbers (ที่): the running number per fiscal year, and fixing one memo's number."""

from dataclasses import dataclass

import sqlalchemy as sa

import clock
import thai
from extensions import db
from models import Action, Document, NumberCounter, User
from workflow import audit, numbering
from workflow.admin.common import count
from workflow.errors import NotFound, ValidationFailed
from workflow.permissions import require_admin

DOC_NOT_FOUND = "ไม่พบเอกสารนี้"
YEARS = range(2500, 2700)  # B.E. fiscal years a page may name


@dataclass
class YearRow:
    """One fiscal year of the register: the last number given and how many memos hold one."""

    fiscal_year: int
    last_used: int
    documents: int


def years(actor: User) -> list[YearRow]:
    """Fiscal years that have a counter or numbered memos, plus the current one, latest first."""
    require_admin(actor)
    counters = sa.select(NumberCounter.fiscal_year).where(NumberCounter.org_id == actor.org_id)
    numbered = sa.select(Document.fiscal_year).where(
        Document.org_id == actor.org_id, Document.fiscal_year.is_not(None)
    )
    found = set(db.session.scalars(counters)) | set(db.session.scalars(numbered))
    found.add(thai.fiscal_year(clock.today()))
    return [year_row(actor, y) for y in sorted(found, reverse=True)]


def year_row(actor: User, fiscal_year: int) -> YearRow:
    """The counter of one fiscal year; a year out of range is a page that does not exist."""
    require_admin(actor)
    if fiscal_year not in YEARS:
        raise NotFound("ไม่พบปีงบประมาณนี้")
    return YearRow(
        fiscal_year=fiscal_year,
        last_used=numbering.last_used(actor.org_id, fiscal_year),
        documents=count(_numbered(actor.org_id, fiscal_year)),
    )


def numbered_documents(actor: User, fiscal_year: int) -> list[Document]:
    """The organisation's memos numbered in a fiscal year, by running number."""
    require_admin(actor)
    return list(db.session.scalars(_numbered(actor.org_id, fiscal_year)))


def set_next_number(actor: User, fiscal_year: int, next_seq: int | None) -> int:
    """Make `next_seq` the next number given in a fiscal year (the paper register used the rest)."""
    year_row(actor, fiscal_year)
    if next_seq is None or next_seq < 1:
        raise ValidationFailed("กรุณาระบุเลขที่เป็นจำนวนเต็มตั้งแต่ 1 ขึ้นไป", field="next_seq")
    try:
        numbering.move_counter_forward(actor.org_id, fiscal_year, next_seq)
    except ValueError as error:
        raise ValidationFailed(str(error), field="next_seq") from None
    db.session.flush()
    return next_seq


def numbered_document(doc_id: int, actor: User) -> Document:
    """A memo of the admin's organisation that has a number; a draft has none to fix."""
    require_admin(actor)
    doc = db.session.get(Document, doc_id)
    if doc is None or doc.org_id != actor.org_id:
        raise NotFound(DOC_NOT_FOUND)
    if doc.number_seq is None:
        raise ValidationFailed(
            "เอกสารนี้ยังเป็นร่างและยังไม่มีเลขที่หนังสือ จึงแก้ไขเลขที่ไม่ได้ (เลขที่จะได้เมื่อเสนอเรื่อง)"
        )
    return doc


def renumber_document(doc_id: int, admin: User, seq: int | None) -> Document:
    """Give a memo a number by hand (a paper register used its number); logged in its timeline."""
    numbered_document(doc_id, admin)
    doc = _lock(doc_id)
    if seq is None or seq < 1:
        raise ValidationFailed("กรุณาระบุเลขที่เป็นจำนวนเต็มตั้งแต่ 1 ขึ้นไป", field="number_seq")
    if seq == doc.number_seq:
        raise ValidationFailed("เลขที่ใหม่ตรงกับเลขที่เดิม ไม่มีอะไรต้องเปลี่ยน", field="number_seq")
    if numbering.is_taken(doc.org_id, doc.fiscal_year, seq, except_doc=doc.id):
        raise ValidationFailed(
            f"เลขที่ {seq} ของปีงบประมาณ {doc.fiscal_year} มีเอกสารอื่นใช้แล้ว", field="number_seq"
        )
    old = doc.number
    doc.number_seq = seq
    db.session.flush()
    audit.record(doc, admin, Action.RENUMBER, comment=f"เดิม {old} เป็น {doc.number}")
    db.session.flush()
    return doc


def _numbered(org_id: int, fiscal_year: int) -> sa.Select:
    return (
        sa.select(Document)
        .where(Document.org_id == org_id, Document.fiscal_year == fiscal_year)
        .where(Document.number_seq.is_not(None))
        .order_by(Document.number_seq)
    )


def _lock(doc_id: int) -> Document:
    stmt = (
        sa.select(Document)
        .where(Document.id == doc_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return db.session.scalars(stmt).one()
