"""The approved PDF: rendered once at the final approval, stored, hashed into the decision log,
and served byte for byte ever after. Drafts and memos under review render on demand, marked."""

import hashlib
import secrets
from dataclasses import dataclass

import sqlalchemy as sa

import storage
from documents.data import memo_data
from documents.render import render_pdf
from extensions import db
from models import Action, DocState, Document, FrozenPdf, User
from workflow import audit
from workflow.permissions import get_document, require_view

# Codes are read off paper and typed: no 0/O, 1/I/L or U.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
CODE_LENGTH = 10  # about 49 bits: not guessable, short enough to type


class FrozenPdfDamaged(RuntimeError):
    """The stored bytes no longer match the SHA-256 recorded at approval."""


@dataclass(frozen=True)
class PdfFile:
    data: bytes
    filename: str
    frozen: FrozenPdf | None


def freeze(doc: Document, actor: User) -> FrozenPdf:
    """Render the approved memo once, store it, and log its SHA-256 (inside the approval)."""
    code = _new_code()
    pdf = render_pdf(memo_data(doc, verify_code=code))
    digest = hashlib.sha256(pdf).hexdigest()
    frozen = FrozenPdf(
        document_id=doc.id,
        storage_key=storage.save(pdf),
        sha256=digest,
        size=len(pdf),
        verify_code=code,
    )
    db.session.add(frozen)
    audit.record(doc, actor, Action.FREEZE, comment=f"SHA-256 ของไฟล์ PDF ฉบับอนุมัติ: {digest}")
    db.session.flush()
    return frozen


def document_pdf(doc_id: int, actor: User) -> PdfFile:
    """The PDF a viewer of the memo downloads: the frozen bytes once approved, else a draft."""
    doc = get_document(doc_id, actor)
    require_view(actor, doc)
    if doc.state != DocState.APPROVED:
        return PdfFile(render_pdf(memo_data(doc)), _filename(doc, draft=True), None)
    frozen = frozen_of(doc.id) or _freeze_late(doc_id, actor)
    return PdfFile(stored_bytes(frozen), _filename(doc, draft=False), frozen)


def frozen_of(doc_id: int) -> FrozenPdf | None:
    return db.session.get(FrozenPdf, doc_id)


def stored_bytes(frozen: FrozenPdf) -> bytes:
    """The stored PDF, checked against its recorded SHA-256 before anyone receives it."""
    data = storage.path_of(frozen.storage_key).read_bytes()
    if hashlib.sha256(data).hexdigest() != frozen.sha256:
        raise FrozenPdfDamaged(f"stored PDF of document {frozen.document_id} does not match")
    return data


def _freeze_late(doc_id: int, actor: User) -> FrozenPdf:
    """A memo approved before PDFs were frozen gets its PDF at its first download."""
    stmt = sa.select(Document).where(Document.id == doc_id).with_for_update()
    doc = db.session.scalars(stmt.execution_options(populate_existing=True)).one()
    return frozen_of(doc_id) or freeze(doc, actor)


def _filename(doc: Document, draft: bool) -> str:
    number = (doc.number or "").replace("/", "-").replace(" ", "")
    name = f"บันทึกข้อความ-{number}" if number else f"บันทึกข้อความ-{doc.id}"
    return f"ร่าง-{name}.pdf" if draft else f"{name}.pdf"


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if db.session.scalar(sa.select(FrozenPdf.document_id).filter_by(verify_code=code)) is None:
            return code
