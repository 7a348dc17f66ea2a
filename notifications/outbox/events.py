"""`record()`: the one call a service makes when a memo moves. In the decision's transaction it
writes the event, the in-app notifications (the bell shows them as soon as it commits) and one
delivery per person and channel for the sender; nothing leaves the process before the commit."""

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

import clock
from extensions import db
from models import (
    Document,
    DocumentStep,
    LineChannel,
    LineLink,
    Notification,
    NotifyDelivery,
    NotifyEvent,
    User,
)
from notifications.mail import header_safe
from notifications.outbox import preferences
from notifications.outbox.recipients import recipients
from notifications.outbox.texts import in_app_body, text_of

PENDING_KEY = "notify_uncommitted"  # event ids written by this transaction (session.info)


def record(
    doc: Document,
    actor: User,
    kind: str,
    *,
    step: DocumentStep | None = None,
    decision: str = "",
    comment: str = "",
    people: list[int] | None = None,
) -> NotifyEvent | None:
    """Tell whoever should hear that `actor` did `kind` to `doc` (at `step`, when it reached a
    step or was withdrawn from one), or the named `people` (a circulation's recipients).
    Returns the event, or None when nobody is to be told."""
    people = recipients(doc, kind, actor.id, step, people)
    if not people:
        return None
    event = NotifyEvent(
        org_id=doc.org_id,
        document_id=doc.id,
        kind=kind,
        actor_name=header_safe(actor.display_name),
        number=doc.number or "",
        subject=doc.subject,
        decision=decision or "",
        comment=comment or "",
        step_title=step.position_title if step is not None else "",
    )
    db.session.add(event)
    db.session.flush()
    _write(event, people, doc.organisation.thai_digits)
    db.session.info.setdefault(PENDING_KEY, []).append(event.id)
    return event


def _write(event: NotifyEvent, people: list[int], thai_digits: bool) -> None:
    modes = preferences.modes_of(people)
    contacts = _contacts(event.org_id, people)
    text = text_of(event, thai_digits)
    notes, deliveries = [], []
    for uid in people:
        email, line_ready = contacts.get(uid, ("", False))
        if modes[uid, "app"] != "off":
            notes.append(
                {
                    "org_id": event.org_id,
                    "user_id": uid,
                    "kind": event.kind,
                    "title": text.title,
                    "body": in_app_body(text),
                    "url": text.url,
                    "created_at": event.created_at,
                }
            )
        for channel, reachable in (("email", bool(email)), ("line", line_ready)):
            mode = modes[uid, channel]
            if reachable and mode != "off":
                status = "digest" if mode == "digest" else "pending"
                deliveries.append(_delivery(event, uid, channel, status))
    if notes:
        db.session.execute(sa.insert(Notification.__table__), notes)
    if deliveries:
        db.session.execute(sa.insert(NotifyDelivery.__table__), deliveries)


def _delivery(event: NotifyEvent, uid: int, channel: str, status: str) -> dict:
    return {
        "event_id": event.id,
        "org_id": event.org_id,
        "user_id": uid,
        "channel": channel,
        "status": status,
        "attempts": 0,
        "created_at": event.created_at,
    }


def _contacts(org_id: int, people: list[int]) -> dict[int, tuple[str, bool]]:
    """Per person: the e-mail address, and whether a LINE push can reach them (a linked
    account in an organisation with a LINE channel)."""
    stmt = (
        sa.select(User.id, User.email, LineLink.line_user_id, LineChannel.org_id)
        .outerjoin(LineLink, LineLink.user_id == User.id)
        .outerjoin(LineChannel, LineChannel.org_id == User.org_id)
        .where(User.id.in_(people), User.org_id == org_id, User.active)
    )
    return {
        uid: ((email or "").strip(), bool(line_user and channel))
        for uid, email, line_user, channel in db.session.execute(stmt)
    }


def add_email_delivery(delivery: NotifyDelivery, status: str = "pending") -> None:
    """An e-mail delivery of the same event to the same person, unless one exists already;
    sent at once (pending) or kept for the person's digest (digest)."""
    values = {
        "event_id": delivery.event_id,
        "org_id": delivery.org_id,
        "user_id": delivery.user_id,
        "channel": "email",
        "status": status,
        "attempts": 0,
        "created_at": clock.now(),
    }
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(NotifyDelivery.__table__).values(values)
    db.session.execute(
        stmt.on_conflict_do_nothing(index_elements=["event_id", "user_id", "channel"])
    )
