"""Verifying the decision log: every row's hash, every link between rows, and the log's tail.

The log is read one batch of documents at a time (keyset on the document id, then that batch's
rows in (document_id, id) order through the log's own index), so memory stays bounded however
many millions of rows there are. Three kinds of damage are found:

- an edited row: its stored hash no longer matches its facts;
- a row deleted in the middle (or at the start): the next row's prev_hash names a missing row;
- rows deleted at the end: the chain is intact but stops short of what the document says about
  itself (its state, its current step and revision, its frozen PDF, its number and content);
- an approved PDF changed, swapped or removed on disk: its bytes no longer hash to the SHA-256
  recorded at approval (and written in the log's FREEZE row).

With AUDIT_KEY set, each row must also carry its seal (models/audit.py, DecisionSeal): a row
rewritten with recomputed hashes by someone without the key, or a seal removed, is found too.
"""

import hashlib
import hmac
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

import storage
from extensions import db
from models import Action, DecisionLog, DecisionSeal, DocState, Document, FrozenPdf
from workflow.audit import audit_key, content_digest, seal_mac

BATCH_DOCUMENTS = 500
# Once a document has left the drafter's hands its content can change only with a logged action.
LOCKED_STATES = (
    DocState.IN_REVIEW,
    DocState.APPROVED,
    DocState.REJECTED,
    DocState.WITHDRAWN,
    DocState.CLOSED,
)
# Rows that record something done to a memo without moving its state: they may follow the row
# that left it in its state (a renumbering; after approval, publishing, cancelling, circulating).
BESIDE_STATE = (
    Action.RENUMBER,
    Action.PUBLISH,
    Action.RETRACT,
    Action.CANCEL,
    Action.SUPERSEDE,
    Action.CIRCULATE,
)
LAST_ACTION = {
    DocState.IN_REVIEW: (Action.SUBMIT, Action.RESUBMIT, Action.FORWARD),
    DocState.RETURNED: (Action.RETURN,),
    DocState.APPROVED: (Action.APPROVE, Action.FREEZE),
    DocState.REJECTED: (Action.REJECT,),
    DocState.WITHDRAWN: (Action.WITHDRAW,),
    DocState.CLOSED: (Action.CLOSE,),
    DocState.DRAFT: (Action.REOPEN,),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one document's log, said in Thai."""

    document_id: int
    number: str | None
    org_name: str
    row_id: int | None
    # edited, broken_link, missing_tail, wrong_org, content_changed, unsealed, forged, file_changed
    kind: str
    detail: str

    def describe(self) -> str:
        where = f"เอกสาร #{self.document_id}" if self.document_id else "บันทึกการพิจารณาทั้งองค์กร"
        if self.number:
            where += f" ที่ {self.number}"
        row = f" แถวบันทึก #{self.row_id}" if self.row_id is not None else ""
        return f"{where} ({self.org_name}){row}: {self.detail}"


@dataclass
class Summary:
    documents: int = 0
    rows: int = 0
    problems: int = 0
    kinds: dict[str, int] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return self.problems == 0

    def describe(self) -> str:
        head = f"ตรวจบันทึกการพิจารณา {self.documents:,} เอกสาร {self.rows:,} แถว"
        if self.clean:
            return f"{head}: ถูกต้องครบถ้วน ไม่พบการแก้ไขหรือลบ"
        return f"{head}: พบปัญหา {self.problems:,} รายการ"


def verify(
    org_id: int | None = None,
    *,
    report: Callable[[Problem], None],
    progress: Callable[[Summary], None] | None = None,
    batch: int = BATCH_DOCUMENTS,
    seals: bool = True,
) -> Summary:
    """Check every document's log (of one organisation, or all); report each problem found.
    With AUDIT_KEY set (and `seals`), every row's seal too."""
    summary = Summary()
    key = audit_key() if seals else b""
    for docs in _document_batches(org_id, batch):
        rows = _rows_of([d.id for d in docs])
        frozen = _frozen_of([d.id for d in docs])
        sealed = _seals_of([d.id for d in docs]) if key else None
        for doc in docs:
            found = _check_document(doc, rows.get(doc.id, []), frozen.get(doc.id))
            if sealed is not None:
                found += _check_seals(doc, rows.get(doc.id, []), sealed, key)
            summary.documents += 1
            summary.rows += len(rows.get(doc.id, []))
            for problem in found:
                summary.problems += 1
                summary.kinds[problem.kind] = summary.kinds.get(problem.kind, 0) + 1
                report(problem)
        db.session.expunge_all()  # keep memory flat: nothing from this batch is needed again
        if progress:
            progress(summary)
    return summary


def _document_batches(org_id: int | None, size: int) -> Iterator[list[Document]]:
    last_id = 0
    while True:
        stmt = (
            sa.select(Document)
            .where(Document.id > last_id)
            .order_by(Document.id)
            .limit(size)
            .options(
                selectinload(Document.organisation),
                selectinload(Document.sections),
                selectinload(Document.attachments),
                selectinload(Document.report_snapshot),
                selectinload(Document.analysis_snapshot),
            )
        )
        if org_id is not None:
            stmt = stmt.where(Document.org_id == org_id)
        docs = list(db.session.scalars(stmt))
        if not docs:
            return
        yield docs
        last_id = docs[-1].id


def _rows_of(doc_ids: list[int]) -> dict[int, list[DecisionLog]]:
    """The batch's log rows as plain rows (no ORM identity map: millions of rows stay cheap)."""
    columns = [getattr(DecisionLog, c.key) for c in DecisionLog.__table__.columns]
    stmt = (
        sa.select(*columns)
        .where(DecisionLog.document_id.in_(doc_ids))
        .order_by(DecisionLog.document_id, DecisionLog.id)
    )
    rows: dict[int, list[DecisionLog]] = {}
    for row in db.session.execute(stmt):
        rows.setdefault(row.document_id, []).append(row)
    return rows


def _seals_of(doc_ids: list[int]) -> dict[int, str]:
    stmt = (
        sa.select(DecisionSeal.row_id, DecisionSeal.mac)
        .join(DecisionLog, DecisionLog.id == DecisionSeal.row_id)
        .where(DecisionLog.document_id.in_(doc_ids))
    )
    return {row_id: mac for row_id, mac in db.session.execute(stmt)}


def _check_seals(doc: Document, rows: list[DecisionLog], seals: dict[int, str], key: bytes):
    for row in rows:
        mac = seals.get(row.id)
        if mac is None:
            kind, detail = "unsealed", UNSEALED
        elif not hmac.compare_digest(mac, seal_mac(key, row.row_hash)):
            kind, detail = "forged", FORGED
        else:
            continue
        yield Problem(doc.id, doc.number, doc.organisation.name, row.id, kind, detail)


UNSEALED = (
    "แถวนี้ไม่มีตราประทับ (seal) ทั้งที่ระบบประทับทุกแถว: แถวถูกเพิ่มโดยไม่ผ่านระบบ หรือตราถูกลบ"
    " (ถ้าเพิ่งตั้ง AUDIT_KEY ให้ใช้ flask audit seal ประทับแถวเดิมหนึ่งครั้ง)"
)
FORGED = (
    "ตราประทับ (seal) ไม่ตรงกับค่าแฮชของแถว: แถวนี้ถูกเขียนใหม่โดยผู้ไม่มีกุญแจ AUDIT_KEY"
    " (หรือ AUDIT_KEY ของเครื่องนี้ไม่ใช่กุญแจเดิม)"
)


def _frozen_of(doc_ids: list[int]) -> dict[int, FrozenPdf]:
    stmt = sa.select(FrozenPdf).where(FrozenPdf.document_id.in_(doc_ids))
    return {f.document_id: f for f in db.session.scalars(stmt)}


def _check_document(doc: Document, rows: list[DecisionLog], frozen: FrozenPdf | None) -> list:
    def problem(row: DecisionLog | None, kind: str, detail: str) -> Problem:
        row_id = row.id if row is not None else None
        return Problem(doc.id, doc.number, doc.organisation.name, row_id, kind, detail)

    found = [problem(r, k, d) for r, k, d in _check_chain(doc, rows)]
    found += [problem(r, k, d) for r, k, d in _check_tail(doc, rows, frozen)]
    if frozen is not None:
        found += [problem(None, "file_changed", d) for d in _check_file(frozen)]
    return found


def _check_file(frozen: FrozenPdf) -> Iterator[str]:
    """The stored approved PDF must still be the bytes whose SHA-256 was logged at approval."""
    digest = hashlib.sha256()
    try:
        with storage.path_of(frozen.storage_key).open("rb") as stored:
            for block in iter(lambda: stored.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        yield f"ไม่พบไฟล์ PDF ฉบับอนุมัติในที่เก็บไฟล์ ({frozen.storage_key})"
        return
    if digest.hexdigest() != frozen.sha256:
        yield (
            "ไฟล์ PDF ฉบับอนุมัติในที่เก็บไฟล์ถูกเปลี่ยน: ค่า SHA-256 ของไฟล์"
            f" {digest.hexdigest()} ไม่ตรงกับที่บันทึกไว้ตอนอนุมัติ {frozen.sha256}"
        )


def _check_chain(doc: Document, rows: list[DecisionLog]) -> Iterator[tuple]:
    previous: DecisionLog | None = None
    for row in rows:
        if row.org_id != doc.org_id:
            yield row, "wrong_org", "แถวนี้ระบุองค์กรไม่ตรงกับองค์กรของเอกสาร"
        if row.row_hash != DecisionLog.compute_hash(row):  # a plain row has the same fields
            yield row, "edited", "ค่าแฮชของแถวไม่ตรงกับข้อมูลในแถว แถวนี้ถูกแก้ไขหลังบันทึก"
        expected = previous.row_hash if previous is not None else None
        if row.prev_hash != expected:
            yield row, "broken_link", _broken_link(previous)
        previous = row


def _broken_link(previous: DecisionLog | None) -> str:
    if previous is None:
        return "แถวนี้อ้างถึงแถวก่อนหน้าที่ไม่มีอยู่แล้ว แถวแรกของเอกสารถูกลบ"
    return f"แถวนี้ไม่ได้ต่อจากแถว #{previous.id} ที่อยู่ก่อนหน้า มีแถวระหว่างสองแถวนี้ถูกลบ หรือแถวก่อนหน้าถูกแก้ไข"


def _check_tail(doc: Document, rows: list[DecisionLog], frozen: FrozenPdf | None) -> Iterator:
    """What the document says about itself must match the last rows of its log."""
    if not rows:
        if _ever_submitted(doc):
            yield None, "missing_tail", "เอกสารเคยเสนอแล้วแต่ไม่มีบันทึกการพิจารณาเหลืออยู่เลย"
        return
    last = rows[-1]
    decisive = next((r for r in reversed(rows) if r.action not in BESIDE_STATE), last)
    if _ever_submitted(doc):
        wrong = _state_mismatch(doc, decisive, frozen, rows)
        if wrong:
            yield decisive, "missing_tail", MISSING + wrong
    renumbered = [r for r in rows if r.action == Action.RENUMBER]
    if renumbered and not renumbered[-1].comment.endswith(f"เป็น {doc.number}"):
        yield renumbered[-1], "missing_tail", MISSING + "เลขที่หนังสือไม่ตรงกับการแก้เลขครั้งล่าสุด"
    if doc.state in LOCKED_STATES and last.content_sha256 != content_digest(doc):
        yield last, "content_changed", CONTENT_CHANGED


MISSING = "บันทึกการพิจารณาขาดแถวท้าย (แถวล่าสุดถูกลบ): "
CONTENT_CHANGED = (
    "เนื้อหาเอกสารปัจจุบันไม่ตรงกับค่าแฮชที่บันทึกไว้เมื่อดำเนินการครั้งล่าสุด"
    " เอกสารถูกแก้ไขโดยไม่ผ่านระบบ หรือแถวท้ายของบันทึกถูกลบ"
)


def _ever_submitted(doc: Document) -> bool:
    return doc.state != DocState.DRAFT or doc.number_seq is not None  # numbered at submission


def _state_mismatch(doc: Document, last: DecisionLog, frozen: FrozenPdf | None, rows) -> str:
    """Why the last row cannot be the one that left the document as it is ('' if it can)."""
    if last.action not in LAST_ACTION[doc.state]:
        return f"เอกสารอยู่ในสถานะ “{doc.state.label}” แต่แถวล่าสุดคือ “{last.action.label}”"
    if doc.state != DocState.DRAFT and last.revision != doc.revision:
        return f"เอกสารอยู่ในรอบที่ {doc.revision} แต่แถวล่าสุดเป็นของรอบที่ {last.revision}"
    if doc.state == DocState.IN_REVIEW and doc.current_step not in _steps_after(last, rows):
        return f"เอกสารรอที่ขั้นที่ {doc.current_step} แต่แถวล่าสุด “{last.action.label}” ไม่ได้ส่งเรื่องมาถึงขั้นนี้"
    if doc.state == DocState.APPROVED and frozen is not None:
        # Until the PDF is rendered (by the freezer or a first download) APPROVE is the last row.
        if last.action != Action.FREEZE:
            return "มีไฟล์ PDF ฉบับอนุมัติแต่ไม่มีแถวบันทึกการจัดเก็บ"
        if not last.comment.endswith(frozen.sha256):
            return "ค่า SHA-256 ของไฟล์ PDF ฉบับอนุมัติไม่ตรงกับที่บันทึกไว้"
    return ""


def _steps_after(last: DecisionLog, rows: list[DecisionLog]) -> set[int]:
    """The steps a memo in review can be waiting at after its last row."""
    if last.action == Action.FORWARD:
        return {last.step_no + 1}
    if last.action == Action.SUBMIT:
        return {1}
    # Resubmitted: from the start, or back at the step that returned it when it asked for that.
    returns = [r for r in rows if r.action == Action.RETURN and r.id < last.id]
    return {1, returns[-1].step_no} if returns else {1}


class SealRefused(RuntimeError):
    """Sealing the existing log would not be safe or possible; the message says why, in Thai."""


def seal_existing(batch: int = 5000) -> int:
    """Seal every row of a log that has never been sealed, once, when AUDIT_KEY is first set.

    Refused when the key is missing, when any row is sealed already (an unsealed row after that
    is evidence to look at, not to seal), or when the log does not verify clean without seals.
    """
    key = audit_key()
    if not key:
        raise SealRefused("ยังไม่ได้ตั้ง AUDIT_KEY จึงประทับตราไม่ได้")
    if db.session.scalar(sa.select(DecisionSeal.row_id).limit(1)) is not None:
        raise SealRefused(
            "บันทึกการพิจารณาถูกประทับตราไว้แล้ว: แถวที่ไม่มีตราหลังจากนั้นเป็นสิ่งที่ต้องตรวจสอบ"
            " (flask audit verify) ไม่ใช่ประทับเพิ่ม"
        )
    if not verify(report=lambda problem: None, seals=False).clean:
        raise SealRefused("บันทึกการพิจารณามีปัญหา (flask audit verify) จึงไม่ประทับตรารับรองให้")
    sealed, last_id = 0, 0
    while True:
        stmt = (
            sa.select(DecisionLog.id, DecisionLog.row_hash)
            .where(DecisionLog.id > last_id)
            .order_by(DecisionLog.id)
            .limit(batch)
        )
        rows = db.session.execute(stmt).all()
        if not rows:
            return sealed
        seals = [{"row_id": i, "mac": seal_mac(key, row_hash)} for i, row_hash in rows]
        db.session.execute(sa.insert(DecisionSeal), seals)
        db.session.commit()
        sealed += len(rows)
        last_id = rows[-1].id
