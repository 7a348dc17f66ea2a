"""Ending a memo its drafter will not pursue: discard a draft, or close a returned memo.

A draft that was never submitted has no number and no log: discarding deletes it for good, with
its attachments' files (after the commit, so a refusal or a rollback loses nothing). A memo that
was submitted keeps its number and its log whatever happens, so it is closed instead (ยุติเรื่อง):
a final state, with the reason as the log row's comment; those who signed it or had it pending
are told (notifications/outbox/recipients.py).
"""

import sqlalchemy as sa

import storage
from extensions import db
from models import Action, DocState, Document, Revocation, User
from notifications.outbox import events as notify
from notifications.outbox.recipients import CLOSED
from workflow import audit
from workflow.documents import MAX_COMMENT_CHARS, apply_flow, flow_for, lock
from workflow.errors import InvalidTransition, ValidationFailed
from workflow.machine import fire
from workflow.permissions import require_drafter


def can_discard(doc: Document) -> bool:
    """A draft that never had a number (so nothing in the register or the log names it)."""
    return doc.state == DocState.DRAFT and doc.number_seq is None


def can_close(doc: Document) -> bool:
    """A returned memo, or a numbered draft (withdrawn, then taken back as a draft)."""
    return doc.state == DocState.RETURNED or (
        doc.state == DocState.DRAFT and doc.number_seq is not None
    )


def discard(doc_id: int, actor: User) -> str:
    """Delete the drafter's unnumbered draft for good; returns its subject for the message."""
    doc = lock(doc_id, actor)
    require_drafter(actor, doc)
    if doc.state != DocState.DRAFT:
        raise InvalidTransition(f"ลบได้เฉพาะร่างที่ยังไม่ได้เสนอ เอกสารนี้อยู่ในสถานะ “{doc.state.label}”")
    if not can_discard(doc):
        raise InvalidTransition(
            f"ร่างนี้เคยเสนอและได้เลขที่ {doc.number} แล้ว จึงลบไม่ได้ (เลขที่ออกไปแล้วต้องอยู่ในทะเบียน)"
            " หากไม่ดำเนินการต่อ ให้ใช้ “ยุติเรื่อง” แทน"
        )
    subject = doc.subject
    storage.delete_after_commit(db.session, [a.storage_key for a in doc.attachments])
    # a draft that would cancel or supersede another memo: the request goes with it, freeing
    # the original for another one
    db.session.execute(sa.delete(Revocation).where(Revocation.document_id == doc.id))
    db.session.delete(doc)  # sections, attachments and an attached table go with it
    db.session.flush()
    return subject


def close(doc_id: int, actor: User, *, reason: str) -> Document:
    """End a returned (or numbered draft) memo the drafter will not send again, with a reason."""
    doc = lock(doc_id, actor)
    require_drafter(actor, doc)
    if doc.state == DocState.DRAFT and doc.number_seq is None:
        raise InvalidTransition("ร่างนี้ยังไม่เคยเสนอและไม่มีเลขที่ หากไม่ใช้แล้วให้ “ลบร่าง” แทนการยุติเรื่อง")
    flow = fire(flow_for(doc, len(doc.steps_of())), "close")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("กรุณาระบุเหตุผลที่ยุติเรื่อง", field="reason")
    if len(reason) > MAX_COMMENT_CHARS:
        raise ValidationFailed(f"เหตุผลยาวได้ไม่เกิน {MAX_COMMENT_CHARS:,} ตัวอักษร", field="reason")
    apply_flow(doc, flow)
    doc.resume_step = None
    audit.record(doc, actor, Action.CLOSE, comment=reason)
    db.session.flush()
    notify.record(doc, actor, CLOSED, comment=reason)
    return doc
