"""Public checking of an approved memo by the code printed in its footer (no login).

The page shows what the printed memo already shows (number, subject, who decided what, when)
as it was printed at approval (kept with the frozen PDF), any later change (a renumbering, a
renamed organisation) labelled as later, plus the SHA-256 of the approved PDF, and tells whether
an uploaded file is byte-identical to it.
"""

import hashlib
import hmac

import sqlalchemy as sa
from flask import current_app

from documents.data import CHAIN_KEYS, PAPER_FACTS, Fmt, Images, chain_blocks
from documents.freeze import CODE_LENGTH
from extensions import db
from models import Document, FrozenPdf
from workflow import audit
from workflow.errors import NotFound, ValidationFailed


def normalise_code(code: str) -> str:
    """What a person types from paper: any case, with spaces or dashes."""
    return "".join(c for c in code.upper() if c.isascii() and c.isalnum())


def find_by_code(code: str) -> FrozenPdf:
    code = normalise_code(code)
    frozen = None
    if len(code) == CODE_LENGTH:
        stmt = sa.select(FrozenPdf).where(FrozenPdf.verify_code == code)
        frozen = db.session.scalars(stmt).one_or_none()
    if frozen is None:
        raise NotFound("ไม่พบเอกสารที่มีรหัสตรวจสอบนี้ กรุณาตรวจสอบรหัสที่พิมพ์ไว้ท้ายเอกสารอีกครั้ง")
    return frozen


def verification(code: str) -> dict:
    """Plain facts of the approved memo for the public page: as printed, and what changed later."""
    frozen = find_by_code(code)
    doc = db.session.get(Document, frozen.document_id)
    fmt = Fmt(doc.organisation.thai_digits)
    blocks = chain_blocks(doc, audit.timeline(doc), fmt, Images())
    chain = [{**blocks["drafter"], "heading": "ผู้เสนอเรื่อง"}, *blocks["steps"]]
    today = {
        "organisation": doc.organisation.name,
        "number": fmt.num(doc.number or ""),
        "date": fmt.day(doc.doc_date),
        "subject": fmt.num(doc.subject),
        "chain": [{k: b.get(k) for k in CHAIN_KEYS} for b in chain],
    }
    printed = frozen.printed or today
    later = {k: today[k] for k in PAPER_FACTS if today[k] != printed[k]}
    return {
        "code": frozen.verify_code,
        **{k: printed[k] for k in PAPER_FACTS},
        "later": later,
        "chain": printed["chain"],
        "approved_at": fmt.moment(doc.finished_at),
        "frozen_at": fmt.moment(frozen.created_at),
        "sha256": frozen.sha256,
        "size": fmt.num(f"{frozen.size:,}"),
    }


def compare(code: str, data: bytes) -> tuple[bool, str]:
    """Whether an uploaded file is byte-identical to the approved PDF, and the file's SHA-256."""
    frozen = find_by_code(code)
    limit = current_app.config["MAX_ATTACHMENT_BYTES"]
    if not data:
        raise ValidationFailed("ไฟล์ว่างเปล่า", field="file")
    if len(data) > limit:
        raise ValidationFailed(f"ไฟล์ใหญ่เกินไป ขนาดสูงสุด {limit // (1024 * 1024)} MB", field="file")
    digest = hashlib.sha256(data).hexdigest()
    return hmac.compare_digest(digest, frozen.sha256), digest
