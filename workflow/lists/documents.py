"""The list of memos and reports: filtered, paged, only those the user may open."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

import clock
from extensions import db
from models import Document, User
from workflow.lists.filters import Filters, document_conditions, filed_year, visible_documents

PAGE_SIZE = 50
EXPORT_LIMIT = 20_000


@dataclass
class Page:
    items: list
    total: int
    page: int
    pages: int


def document_page(user: User, filters: Filters, page: int = 1) -> Page:
    """One page of the memos `user` may open, most recently changed first."""
    where = [visible_documents(user), *document_conditions(filters)]
    total = db.session.scalar(sa.select(sa.func.count(Document.id)).where(*where)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    docs = db.session.scalars(
        _ordered(sa.select(Document).where(*where)).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    return Page(list(docs), total, page, pages)


def all_documents(user: User, filters: Filters) -> list[Document]:
    """Every memo of the filters the user may open, for an export (capped)."""
    stmt = sa.select(Document).where(visible_documents(user), *document_conditions(filters))
    return list(db.session.scalars(_ordered(stmt).limit(EXPORT_LIMIT)))


def _ordered(stmt: sa.Select) -> sa.Select:
    return stmt.options(
        joinedload(Document.drafter), joinedload(Document.unit), selectinload(Document.steps)
    ).order_by(Document.updated_at.desc(), Document.id.desc())


HEADERS = [
    "เลขที่", "เรื่อง", "ประเภท", "สถานะ", "รอพิจารณาที่", "ผู้จัดทำ", "หน่วยงาน",
    "ปีงบประมาณ", "ลงวันที่", "เสนอเมื่อ",
]  # fmt: skip


def export_row(doc: Document) -> list:
    """A memo as a row of the CSV/Excel export: Arabic digits, dates as dates (Bangkok's day)."""
    step = doc.step() if doc.current_step else None
    return [
        doc.number or "",
        doc.subject,
        doc.doc_type.label,
        doc.state.label,
        step.position_title if step else "",
        doc.drafter.display_name,
        doc.unit.name if doc.unit else "",
        filed_year(doc),
        doc.doc_date,
        clock.local(doc.submitted_at).date() if doc.submitted_at else None,
    ]
