"""Cancelling (ยกเลิก) or superseding (แทนที่) an approved memo by a later memo.

The later memo is an ordinary general memo: `start` drafts it with a reference to the original
and a required reason, and it climbs the organisation's chain like any other. When its last
signer approves it, `on_approval` marks the original (its revocation row's `done_at`) and logs
the fact in the original's own hash-chained log. The original stays, keeps its number, and its
page, its verification page and its publication say by which memo it was cancelled or replaced.

Who may start: the drafter of the original or an organisation admin; only an approved memo of
their own organisation that is not already cancelled or superseded; one at a time (a later memo
that is drafted, in review, returned or withdrawn still holds the place; a rejected one frees it).

A superseding memo is of the original's type and carries a copy of its attached table (a
progress report's or an analysis memo's snapshot), so it prints, refreshes and is published as
the original was; once approved it is the round's report in the original's place. A cancelling
memo is a general memo.
"""

import copy
from dataclasses import dataclass

import sqlalchemy as sa

import clock
import thai
from extensions import db
from models import (
    DEFAULT_CLOSING,
    Action,
    CirculationRecipient,
    DocState,
    DocType,
    Document,
    Revocation,
    RevocationKind,
    User,
)
from notifications.outbox import events as notify
from notifications.outbox.recipients import REVOKED
from pdf.freeze import frozen_of
from workflow import audit
from workflow import documents as memos
from workflow.errors import InvalidTransition, NotAllowed, ValidationFailed
from workflow.revoked import done_revocation

MAX_REASON_CHARS = 2_000
# A later memo in these states still may be approved: the original is taken.
OPEN_STATES = (DocState.DRAFT, DocState.IN_REVIEW, DocState.RETURNED, DocState.WITHDRAWN)


@dataclass(frozen=True)
class Standing:
    """What the memo page says of a memo's cancellation: done, under way, or startable."""

    done: Revocation | None  # this memo was cancelled or superseded by an approved memo
    open: Revocation | None  # a memo to cancel or supersede this one is under way
    revokes: Revocation | None  # this memo itself cancels or supersedes another
    may_start: bool


def standing(doc: Document, user: User | None) -> Standing:
    done, open_ = done_revocation(doc.id), open_revocation(doc.id)
    revokes = db.session.scalars(sa.select(Revocation).filter_by(document_id=doc.id)).first()
    may = bool(
        user is not None
        and done is None
        and open_ is None
        and doc.state == DocState.APPROVED
        and _may_start(user, doc)
    )
    return Standing(done, open_, revokes, may)


def notice(doc_id: int) -> dict | None:
    """Plain facts for a public page (/p, /v): by which memo this one was cancelled or
    superseded, in the organisation's digits, and the later memo's verification code."""
    done = done_revocation(doc_id)
    if done is None:
        return None
    later, digits = done.document, done.document.organisation.thai_digits
    frozen = frozen_of(later.id)
    return {
        "label": done.kind.label,
        "number": thai.digits(later.number or "", digits),
        "subject": thai.digits(later.subject, digits),
        "date": thai.format_date(later.doc_date, digits),
        "when": thai.format_datetime(clock.local(done.done_at), digits),
        "code": frozen.verify_code if frozen else None,
    }


def open_revocation(doc_id: int) -> Revocation | None:
    stmt = (
        sa.select(Revocation)
        .join(Document, Document.id == Revocation.document_id)
        .where(
            Revocation.target_id == doc_id,
            Revocation.done_at.is_(None),
            Document.state.in_(OPEN_STATES),
        )
    )
    return db.session.scalars(stmt).first()


def start(target_id: int, actor: User, *, kind: str, reason: str) -> Document:
    """Draft the memo that will cancel or supersede `target_id` once approved; returns it."""
    target = memos.lock(target_id, actor)
    if not _may_start(actor, target):
        raise NotAllowed("เฉพาะผู้จัดทำบันทึกฉบับนี้หรือผู้ดูแลระบบขององค์กรเท่านั้นที่ขอยกเลิกหรือแทนที่ได้")
    _check_target(target)
    if kind not in RevocationKind.__members__.values():
        raise ValidationFailed("กรุณาเลือกว่าจะยกเลิกหรือออกบันทึกฉบับใหม่แทนที่", field="kind")
    kind = RevocationKind(kind)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(f"กรุณาระบุเหตุผลที่{kind.label}บันทึกนี้", field="reason")
    if len(reason) > MAX_REASON_CHARS:
        raise ValidationFailed(f"เหตุผลยาวได้ไม่เกิน {MAX_REASON_CHARS:,} ตัวอักษร", field="reason")
    doc = memos.create_draft(actor, _content(target, kind, reason))
    if kind == RevocationKind.SUPERSEDE:
        _copy_attached_table(target, doc)
    db.session.add(
        Revocation(
            org_id=target.org_id,
            document_id=doc.id,
            target_id=target.id,
            kind=kind,
            reason=reason,
            started_by_id=actor.id,
            started_at=clock.now(),
        )
    )
    db.session.flush()
    return doc


def on_approval(doc: Document, actor: User) -> Revocation | None:
    """Called when `doc` is approved: if it cancels or supersedes a memo, mark that memo now."""
    stmt = sa.select(Revocation).where(
        Revocation.document_id == doc.id, Revocation.done_at.is_(None)
    )
    revocation = db.session.scalars(stmt).first()
    if revocation is None:
        return None
    target = memos.lock(revocation.target_id, actor)
    if target.state != DocState.APPROVED or done_revocation(target.id) is not None:
        raise InvalidTransition("อนุมัติไม่ได้ เพราะบันทึกที่ขอยกเลิกหรือแทนที่ถูกยกเลิกหรือแทนที่ไปแล้ว")
    revocation.done_at, revocation.done_by_id = clock.now(), actor.id
    action = Action.CANCEL if revocation.kind == RevocationKind.CANCEL else Action.SUPERSEDE
    by = f"{revocation.kind.label}โดยบันทึก ที่ {doc.number}"
    audit.record(target, actor, action, decision=by, comment=revocation.reason)
    db.session.flush()
    notify.record(
        target,
        actor,
        REVOKED,
        decision=f"อนุมัติให้{by}",
        comment=revocation.reason,
        people=[target.drafter_id, *_circulated_to(target.id)],
    )
    return revocation


def _may_start(user: User, target: Document) -> bool:
    return target.org_id == user.org_id and (user.id == target.drafter_id or user.is_admin)


def _check_target(target: Document) -> None:
    if target.state != DocState.APPROVED:
        raise InvalidTransition("ยกเลิกหรือแทนที่ได้เฉพาะบันทึกที่อนุมัติแล้วเท่านั้น")
    done = done_revocation(target.id)
    if done is not None:
        raise InvalidTransition(f"บันทึกนี้ถูก{done.kind.label}แล้วโดยบันทึก ที่ {done.document.number}")
    pending = open_revocation(target.id)
    if pending is not None:
        where = pending.document.number or "ร่างของ" + pending.document.drafter.display_name
        raise InvalidTransition(
            f"มีบันทึกขอ{pending.kind.label}บันทึกนี้อยู่แล้ว ({where},"
            f" {pending.document.state.label}) ดำเนินการได้ครั้งละหนึ่งฉบับ"
        )


def _content(target: Document, kind: RevocationKind, reason: str) -> memos.MemoContent:
    """The later memo as first drafted; its drafter edits it before submitting."""
    ref = (
        f"บันทึกข้อความ ที่ {target.number} ลงวันที่ {thai.format_date(target.doc_date, False)}"
        f" เรื่อง {target.subject}"
    )
    original = f"ตาม{ref} ซึ่งได้รับอนุมัติแล้ว"
    doc_type = target.doc_type if kind == RevocationKind.SUPERSEDE else DocType.GENERAL
    if kind == RevocationKind.CANCEL:
        subject = f"ขอยกเลิก{ref}"
        sections = [
            ("เรื่องเดิม", original),
            ("ข้อเท็จจริง", reason),
            (
                "ข้อเสนอเพื่อพิจารณา",
                "จึงเห็นควรยกเลิกบันทึกข้อความดังกล่าว โดยบันทึกเดิมยังคงเลขที่เดิมไว้และไม่นำเลขที่นั้นมาใช้ใหม่",
            ),
        ]
    else:
        subject = target.subject
        sections = [
            ("การแทนที่", f"บันทึกฉบับนี้แทนที่{ref} เนื่องจาก {reason}"),
            *[(s.heading, s.body) for s in target.sections],
        ]
    return memos.MemoContent(
        doc_type=doc_type,
        issuing_unit=target.issuing_unit,
        doc_date=clock.today(),
        subject=subject[: memos.LIMITS["subject"]],
        addressee=memos.final_signer(target.org_id, doc_type),
        sections=sections,
        closing=target.closing if kind == RevocationKind.SUPERSEDE else DEFAULT_CLOSING,
        unit_id=target.unit_id,
    )


def _copy_attached_table(target: Document, doc: Document) -> None:
    """Give the superseding draft the original's table as approved (its snapshot row, with the
    time it was taken); its drafter may refresh it from today's figures like any draft's."""
    for name in ("report_snapshot", "analysis_snapshot"):
        snapshot = getattr(target, name)
        if snapshot is None:
            continue
        columns = {
            column.key: getattr(snapshot, column.key)
            for column in sa.inspect(snapshot).mapper.column_attrs
            if column.key != "document_id"
        }
        columns["data"] = copy.deepcopy(snapshot.data)  # a JSON value of its own
        setattr(doc, name, type(snapshot)(**columns))
    db.session.flush()


def _circulated_to(doc_id: int) -> list[int]:
    stmt = sa.select(CirculationRecipient.user_id).where(CirculationRecipient.document_id == doc_id)
    return list(db.session.scalars(stmt.order_by(CirculationRecipient.id)))
