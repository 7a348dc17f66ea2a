"""Public checking of an approved memo by the code printed in its footer (no login).

The page shows what the printed memo already shows (number, subject, who decided what, when)
as it was printed at approval (kept with the frozen PDF), any later change (a renumbering, a
renamed organisation) labelled as later, plus the SHA-256 of the approved PDF and its e-seal,
and tells of an uploaded file whether it is byte-identical to it and, when it is not, what its
seal says, and of a genuine copy whether the memo has since been cancelled or superseded
(`check_file`, shared with `flask pdf verify`).
"""

import hashlib
import hmac
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from extensions import db
from models import Document, FrozenPdf
from pdf.data import CHAIN_KEYS, PAPER_FACTS, Fmt, Images, chain_blocks
from pdf.freeze import CODE_LENGTH
from pdf.seal.check import SealReport, describe, inspect
from workflow import audit, revocations
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
        "seal": frozen.seal,
        "seal_level": _level_of(frozen.seal),
    }


def _level_of(seal: dict | None) -> str:
    if not seal:
        return ""
    return describe(seal["level"], bool(seal.get("revocation_data")))


def compare(code: str, data: bytes) -> "FileCheck":
    """What an uploaded file is, measured against the approved PDF of `code`."""
    frozen = find_by_code(code)
    limit = current_app.config["MAX_ATTACHMENT_BYTES"]
    if not data:
        raise ValidationFailed("ไฟล์ว่างเปล่า", field="file")
    if len(data) > limit:
        raise ValidationFailed(f"ไฟล์ใหญ่เกินไป ขนาดสูงสุด {limit // (1024 * 1024)} MB", field="file")
    return check_file(data, frozen)


# -- what a file is, by its bytes and its seal -------------------------------------------------

VERDICTS = {
    # key: (the file is the approved document, what the reader is told)
    "identical": (True, "ไฟล์ที่ส่งมาตรงกับไฟล์ PDF ฉบับที่ได้รับอนุมัติทุกไบต์"),
    "extended": (
        True,
        "เนื้อหาฉบับที่ได้รับอนุมัติและตราอิเล็กทรอนิกส์ยังครบถ้วนไม่ถูกแก้ไข แต่ไฟล์ถูกบันทึกเพิ่มต่อท้ายภายหลังการประทับตรา"
        " (เช่น ประทับรับในระบบสารบรรณ) ส่วนที่เพิ่มภายหลังไม่ได้รับการรับรองจากองค์กร",
    ),
    "broken": (
        False,
        "ตราอิเล็กทรอนิกส์ในไฟล์ไม่ตรงกับเนื้อหา: ไฟล์ถูกแก้ไขหรือบันทึกใหม่ทั้งไฟล์หลังการประทับตรา"
        " จึงยืนยันไม่ได้ว่าเนื้อหาเป็นฉบับที่ได้รับอนุมัติ",
    ),
    "other_document": (
        False,
        "ตราอิเล็กทรอนิกส์ในไฟล์ถูกต้อง แต่เป็นเอกสารฉบับอื่น ไม่ใช่ฉบับที่ได้รับอนุมัติซึ่งมีรหัสตรวจสอบนี้",
    ),
    "other_seal": (
        False,
        "ไฟล์มีลายมือชื่อดิจิทัลที่ไม่ใช่ตราอิเล็กทรอนิกส์ที่ประทับเอกสารฉบับนี้ จึงไม่ใช่ไฟล์ฉบับที่ได้รับอนุมัติ",
    ),
    "unsealed": (
        False,
        "ไฟล์ที่ส่งมาไม่ตรงกับไฟล์ PDF ฉบับที่ได้รับอนุมัติ และไม่มีตราอิเล็กทรอนิกส์ขององค์กร"
        " อาจเป็นฉบับร่าง ฉบับอื่น ฉบับที่บันทึกใหม่ (เช่น สั่งพิมพ์เป็น PDF) หรือถูกแก้ไข",
    ),
}


@dataclass(frozen=True)
class FileCheck:
    sha256: str  # of the file received
    identical: bool  # byte for byte the approved PDF
    seal: SealReport
    verdict: str  # a key of VERDICTS
    # The approved memo was cancelled or superseded since (workflow.revocations.notice): its
    # sealed file cannot say so, so whoever checks a genuine copy is told here.
    revoked: dict | None = None

    @property
    def genuine(self) -> bool:
        return VERDICTS[self.verdict][0]

    @property
    def message(self) -> str:
        return VERDICTS[self.verdict][1]


def check_file(data: bytes, frozen: FrozenPdf) -> FileCheck:
    """Which of VERDICTS holds for `data` against the approved PDF `frozen`."""
    digest = hashlib.sha256(data).hexdigest()
    identical = hmac.compare_digest(digest, frozen.sha256)
    report = inspect(data)
    verdict = _verdict(identical, report, frozen)
    revoked = revocations.notice(frozen.document_id) if VERDICTS[verdict][0] else None
    return FileCheck(digest, identical, report, verdict, revoked)


def _verdict(identical: bool, report: SealReport, frozen: FrozenPdf) -> str:
    if identical:
        return "identical"
    if not report.signed:
        return "unsealed"
    if not report.intact:
        return "broken"
    expected = (frozen.seal or {}).get("fingerprint")
    if expected is None or not hmac.compare_digest(report.fingerprint, expected):
        return "other_seal"
    if not report.whole_file and hmac.compare_digest(report.sealed_sha256, frozen.sha256):
        return "extended"
    return "other_document"


def find_by_file(data: bytes) -> FrozenPdf | None:
    """The approved PDF a file is (byte for byte) or begins with (its sealed revision)."""
    hashes = {hashlib.sha256(data).hexdigest()}
    report = inspect(data)
    if report.signed and report.sealed_sha256:
        hashes.add(report.sealed_sha256)
    stmt = sa.select(FrozenPdf).where(FrozenPdf.sha256.in_(hashes))
    return db.session.scalars(stmt).first()
