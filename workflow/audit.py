"""Appending to the decision log, and the content hash of what was signed."""

import hashlib
import hmac
import json

import sqlalchemy as sa
from flask import current_app

import clock
from extensions import db
from models import ActingAssignment, Action, DecisionLog, DecisionSeal, Document, DocumentStep, User


def content_digest(doc: Document) -> str:
    """SHA-256 of the memo's content: header, number, body sections and attachment hashes."""
    content = {
        "doc_type": str(doc.doc_type),
        "number": doc.number,
        "issuing_unit": doc.issuing_unit,
        "doc_date": doc.doc_date.isoformat(),
        "subject": doc.subject,
        "addressee": doc.addressee,
        "sections": [[s.heading, s.body] for s in doc.sections],
        "closing": doc.closing,
        "attachments": [[a.filename, a.sha256] for a in doc.attachments],
        "report": doc.report_snapshot.data if doc.report_snapshot else None,
    }
    if doc.analysis_snapshot is not None:  # only then: other memos keep the digests they had
        content["analysis"] = doc.analysis_snapshot.data
    payload = json.dumps(content, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(payload).hexdigest()


def record(
    doc: Document,
    actor: User,
    action: Action,
    *,
    step: DocumentStep | None = None,
    decision: str | None = None,
    comment: str = "",
    acting: ActingAssignment | None = None,
) -> DecisionLog:
    """Append one row for an action on `doc`, chained to the document's previous row."""
    previous = db.session.scalar(
        sa.select(DecisionLog.row_hash)
        .where(DecisionLog.document_id == doc.id)
        .order_by(DecisionLog.id.desc())
        .limit(1)
    )
    row = DecisionLog(
        org_id=doc.org_id,
        document_id=doc.id,
        revision=doc.revision,
        step_no=step.step_no if step else None,
        step_heading=step.heading if step else None,
        action=action,
        decision=decision,
        comment=comment,
        actor_id=actor.id,
        actor_name=actor.display_name,
        actor_position=actor.position.title if actor.position else "",
        acting_for=acting.position.title if acting else None,
        acting_kind=acting.kind if acting else None,
        acting_assignment_id=acting.id if acting else None,
        acting_order_ref=acting.order_ref if acting else None,
        acting_from=acting.start_date if acting else None,
        acting_until=acting.end_date if acting else None,
        own_memo=True if step is not None and actor.id == doc.drafter_id else None,
        created_at=clock.now(),
        content_sha256=content_digest(doc),
        prev_hash=previous,
    )
    row.row_hash = row.compute_hash()
    db.session.add(row)
    key = audit_key()
    if key:
        db.session.add(DecisionSeal(row=row, mac=seal_mac(key, row.row_hash)))
    return row


def audit_key() -> bytes:
    """AUDIT_KEY as bytes; empty when the installation does not seal its log."""
    return current_app.config["AUDIT_KEY"].encode()


def seal_mac(key: bytes, row_hash: str) -> str:
    """HMAC-SHA256 of a log row's hash: only a holder of the key can make or remake it."""
    return hmac.new(key, b"ita-decision-log:" + row_hash.encode(), hashlib.sha256).hexdigest()


def moves_the_memo(log=DecisionLog) -> sa.ColumnElement[bool]:
    """Log rows that bring a memo to where it waits now: all but an admin's renumbering.

    The latest such row is when it arrived at its current step: the pending list, the home
    page and the waiting reminders all count from it. `log` may be an alias of DecisionLog."""
    return log.action != Action.RENUMBER


def timeline(doc: Document) -> list[DecisionLog]:
    stmt = sa.select(DecisionLog).where(DecisionLog.document_id == doc.id).order_by(DecisionLog.id)
    return list(db.session.scalars(stmt))
