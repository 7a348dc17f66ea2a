"""The approved PDF: its content fixed at the final approval, rendered once, stored, hashed into
the decision log, and served byte for byte ever after. Drafts and memos under review render on
demand, marked.

Rendering costs 0.1–1 s of CPU, ten times the rest of an approval. With PDF_FREEZE = "worker"
(production) the approval only fixes the content (a PendingPdf: the template's data, verification
code included) and `flask pdf freeze --watch` (pdf/freezer.py) renders it a moment later at
a lower CPU priority; a download that comes first renders it from the same data. With "inline"
the approval renders it itself. Either way the PDF prints what was approved, whatever changes
afterwards.
"""

import hashlib
import logging
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

import database
import storage
from extensions import db
from models import Action, DocState, Document, FrozenPdf, PendingPdf, User
from pdf.data import memo_data, printed_facts
from pdf.render import render_pdf
from pdf.seal.sign import seal_pdf
from workflow import audit
from workflow.errors import WorkflowError
from workflow.permissions import get_document, require_view
from workflow.revoked import done_revocation

# Codes are read off paper and typed: no 0/O, 1/I/L or U.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
CODE_LENGTH = 10  # about 49 bits: not guessable, short enough to type
log = logging.getLogger(__name__)
MODES = ("inline", "worker")  # PDF_FREEZE: who renders the approved PDF (see above)


class FrozenPdfDamaged(WorkflowError):
    """The stored bytes no longer match the SHA-256 recorded at approval (or are gone): the
    reader gets a page saying so, never other bytes under the approved name."""

    status = 503  # unavailable until restored from a backup; nothing the reader did wrong

    def __init__(self, doc_id: int):
        super().__init__(
            "ไฟล์ PDF ฉบับอนุมัติของเอกสารนี้ในที่เก็บไฟล์ไม่ตรงกับค่า SHA-256 ที่บันทึกไว้ตอนอนุมัติ"
            " (ไฟล์ถูกเปลี่ยนหรือหายไป) ระบบจึงไม่ส่งไฟล์นี้ให้ เนื้อหาในระบบและบันทึกการพิจารณายังอยู่ครบ"
            " กรุณาแจ้งผู้ดูแลระบบให้กู้คืนไฟล์จากสำเนาสำรองและตรวจด้วยคำสั่ง flask audit verify"
        )
        self.doc_id = doc_id


@dataclass(frozen=True)
class PdfFile:
    data: bytes
    filename: str
    frozen: FrozenPdf | None


def on_approval(doc: Document, approver: User) -> FrozenPdf | PendingPdf:
    """Fix what the approved memo prints (inside the approval); render it now in "inline" mode."""
    pending = fix_content(doc, approver)
    if current_app.config["PDF_FREEZE"] == "inline":
        return render_fixed(doc, pending)
    return pending


def fix_content(doc: Document, approver: User) -> PendingPdf:
    code = _new_code()
    pending = PendingPdf(
        document_id=doc.id,
        verify_code=code,
        memo=memo_data(doc, verify_code=code),
        approved_by_id=approver.id,
    )
    db.session.add(pending)
    db.session.flush()
    return pending


def render_fixed(doc: Document, pending: PendingPdf) -> FrozenPdf:
    """Render the content fixed at approval, seal it with the organisation's certificate (when
    it has one), store it, and log the SHA-256 of the stored (sealed) bytes as the approver's.

    The caller holds the document's row lock and commits; the FREEZE row joins the log's chain.
    Memo, annexes and everything printed are rendered before the seal; nothing follows it.
    """
    reason = f"ตราอิเล็กทรอนิกส์ของ{doc.organisation.name} รับรองบันทึกข้อความฉบับอนุมัติ"
    pdf, sealed = seal_pdf(render_pdf(pending.memo), doc.org_id, reason, pending.verify_code)
    digest = hashlib.sha256(pdf).hexdigest()
    key = storage.save(pdf)
    try:
        frozen = FrozenPdf(
            document_id=doc.id,
            storage_key=key,
            sha256=digest,
            size=len(pdf),
            verify_code=pending.verify_code,
            printed=printed_facts(doc, pending.memo),
            seal=sealed,
        )
        db.session.add(frozen)
        db.session.delete(pending)
        approver = db.session.get(User, pending.approved_by_id)
        comment = f"SHA-256 ของไฟล์ PDF ฉบับอนุมัติ: {digest}"  # ends with it: audit_verify
        if sealed:
            seal = f"ประทับตราอิเล็กทรอนิกส์ของ {sealed['subject']} แบบ PAdES {sealed['level']}"
            comment = f"{seal} · {comment}"
        audit.record(doc, approver, Action.FREEZE, comment=comment)
        db.session.flush()
    except Exception:
        storage.delete(key)  # nothing refers to it
        raise
    return frozen


def document_pdf(doc_id: int, actor: User) -> PdfFile:
    """The PDF a viewer of the memo downloads: the frozen bytes once approved, else a draft."""
    doc = get_document(doc_id, actor)
    require_view(actor, doc)
    if doc.state != DocState.APPROVED:
        return PdfFile(render_pdf(memo_data(doc)), _filename(doc, draft=True), None)
    frozen = frozen_of(doc.id) or _freeze_late(doc_id, actor)
    return PdfFile(stored_bytes(frozen), _filename(doc, draft=False, revoked=_revoked(doc)), frozen)


def frozen_of(doc_id: int) -> FrozenPdf | None:
    return db.session.get(FrozenPdf, doc_id)


def stored_bytes(frozen: FrozenPdf) -> bytes:
    """The stored PDF, checked against its recorded SHA-256 before anyone receives it."""
    try:
        data = storage.path_of(frozen.storage_key).read_bytes()
    except OSError:
        data = b""
    if hashlib.sha256(data).hexdigest() != frozen.sha256:
        log.error("stored PDF of document %s does not match its SHA-256", frozen.document_id)
        raise FrozenPdfDamaged(frozen.document_id)
    return data


def _freeze_late(doc_id: int, actor: User) -> FrozenPdf:
    """Downloaded before the freezer got to it: render it now, under the document's row lock, so
    a freezer or another download waits and then finds it done."""
    database.begin_writing()
    stmt = sa.select(Document).where(Document.id == doc_id).with_for_update()
    doc = db.session.scalars(stmt.execution_options(populate_existing=True)).one()
    frozen = frozen_of(doc_id)
    if frozen is not None:
        return frozen
    pending = db.session.get(PendingPdf, doc_id, populate_existing=True)
    # Approved before contents were fixed at approval: fixed now, with the downloader in the log.
    return render_fixed(doc, pending or fix_content(doc, actor))


def _filename(doc: Document, draft: bool, revoked: str = "") -> str:
    number = (doc.number or "").replace("/", "-").replace(" ", "")
    name = f"บันทึกข้อความ-{number}" if number else f"บันทึกข้อความ-{doc.id}"
    if draft:
        return f"ร่าง-{name}.pdf"
    return f"ถูก{revoked}แล้ว-{name}.pdf" if revoked else f"{name}.pdf"


def _revoked(doc: Document) -> str:
    """The label ("ยกเลิก", "แทนที่") of the memo that cancelled or superseded this one since: the
    sealed file cannot say so, its name on the downloader's disk does."""
    done = done_revocation(doc.id)
    return done.kind.label if done else ""


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        taken = [
            sa.select(m.document_id).filter_by(verify_code=code) for m in (FrozenPdf, PendingPdf)
        ]
        if db.session.scalar(sa.union_all(*taken)) is None:
            return code
