"""Circulation with acknowledgement (แจ้งเวียน): an approved memo sent round to named units and
people of its organisation, each of whom presses "รับทราบ" once, with the time kept.

Who may send: the memo's drafter, an organisation admin, or anyone who signed it in its chain.
A person is sent a memo once (a second sending adds only the people not yet on its list), so a
double click or a repeated form sends nothing twice. Recipients may open the memo even when
they are not in its chain (`workflow.permissions.can_view` and its SQL twin in
`workflow.lists.filters`).
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

import clock
from extensions import db
from models import Action, CirculationRecipient, DecisionLog, DocState, Document, Unit, User
from notifications.outbox import events as notify
from notifications.outbox.recipients import CIRCULATED
from workflow import audit
from workflow.documents import lock
from workflow.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from workflow.permissions import require_view
from workflow.revoked import done_revocation

SIGNED = (Action.FORWARD, Action.APPROVE)
MAX_NAMES_IN_LOG = 40


def may_send(user: User, doc: Document) -> bool:
    """Whether `user` may circulate `doc` (not whether its state allows it now)."""
    if doc.org_id != user.org_id:
        return False
    if user.id == doc.drafter_id or user.is_admin:
        return True
    signed = sa.select(DecisionLog.id).where(
        DecisionLog.document_id == doc.id,
        DecisionLog.actor_id == user.id,
        DecisionLog.action.in_(SIGNED),
    )
    return db.session.scalar(signed.limit(1)) is not None


def check_sendable(doc: Document) -> None:
    """Raise InvalidTransition unless the memo is approved and still stands."""
    if doc.state != DocState.APPROVED:
        raise InvalidTransition("แจ้งเวียนได้เฉพาะบันทึกที่อนุมัติแล้วเท่านั้น")
    done = done_revocation(doc.id)
    if done is not None:
        raise InvalidTransition(
            f"บันทึกนี้ถูก{done.kind.label}แล้วโดยบันทึก ที่ {done.document.number} ให้แจ้งเวียนบันทึกฉบับใหม่แทน"
        )


def send(
    doc_id: int, actor: User, *, user_ids: list[int], unit_ids: list[int]
) -> list[CirculationRecipient]:
    """Send the memo to the chosen people and to everyone active in the chosen units; returns
    the rows added (empty when everyone chosen had it already)."""
    doc = lock(doc_id, actor)
    if not may_send(actor, doc):
        raise NotAllowed("เฉพาะผู้จัดทำ ผู้ลงนามในสายการลงนาม หรือผู้ดูแลระบบเท่านั้นที่แจ้งเวียนได้")
    check_sendable(doc)
    chosen = _people(actor.org_id, set(user_ids), set(unit_ids))
    chosen.pop(actor.id, None)  # the sender does not acknowledge their own circulation
    if not chosen:
        raise ValidationFailed(
            "กรุณาเลือกหน่วยงานหรือบุคคลที่จะแจ้งเวียนอย่างน้อยหนึ่งรายการ", field="person_ids"
        )
    already = set(
        db.session.scalars(
            sa.select(CirculationRecipient.user_id).where(
                CirculationRecipient.document_id == doc.id
            )
        )
    )
    now = clock.now()
    added = [
        CirculationRecipient(
            org_id=doc.org_id,
            document_id=doc.id,
            user_id=user.id,
            unit_id=unit_id,
            sent_by_id=actor.id,
            sent_at=now,
        )
        for user, unit_id in chosen.values()
        if user.id not in already
    ]
    if not added:
        return []
    db.session.add_all(added)
    audit.record(
        doc, actor, Action.CIRCULATE, comment=_names([chosen[r.user_id][0] for r in added])
    )
    db.session.flush()
    notify.record(doc, actor, CIRCULATED, people=[r.user_id for r in added])
    return added


def acknowledge(doc_id: int, actor: User) -> CirculationRecipient:
    """Record the actor's รับทราบ; pressing it again keeps the first time."""
    stmt = (
        sa.select(CirculationRecipient)
        .where(
            CirculationRecipient.document_id == doc_id,
            CirculationRecipient.user_id == actor.id,
            CirculationRecipient.org_id == actor.org_id,
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    row = db.session.scalars(stmt).one_or_none()
    if row is None:
        doc = db.session.get(Document, doc_id)
        if doc is None or doc.org_id != actor.org_id:
            raise NotFound("ไม่พบเอกสารนี้")
        raise NotAllowed("เรื่องนี้ไม่ได้แจ้งเวียนถึงคุณ จึงไม่ต้องกดรับทราบ")
    if row.acknowledged_at is None:
        row.acknowledged_at = max(clock.now(), row.sent_at)
        db.session.flush()
    return row


@dataclass(frozen=True)
class Line:
    """One recipient as the memo page and the export show them."""

    name: str
    position: str
    unit: str
    sent_at: datetime
    sent_by: str
    acknowledged_at: datetime | None


def recipients(doc: Document, viewer: User) -> list[Line]:
    """Who the memo was sent round to: not yet acknowledged first, then by name."""
    require_view(viewer, doc)
    stmt = sa.select(CirculationRecipient).where(CirculationRecipient.document_id == doc.id)
    lines = [
        Line(
            name=r.user.display_name,
            position=r.user.position.title if r.user.position else "",
            unit=(r.unit or r.user.unit).name if (r.unit or r.user.unit) else "",
            sent_at=r.sent_at,
            sent_by=r.sent_by.display_name,
            acknowledged_at=r.acknowledged_at,
        )
        for r in db.session.scalars(stmt)
    ]
    return sorted(lines, key=lambda line: (line.acknowledged_at is not None, line.name))


def own_row(doc: Document, user: User) -> CirculationRecipient | None:
    stmt = sa.select(CirculationRecipient).where(
        CirculationRecipient.document_id == doc.id, CirculationRecipient.user_id == user.id
    )
    return db.session.scalars(stmt).one_or_none()


def inbox(user: User) -> list[tuple[CirculationRecipient, Document]]:
    """Memos circulated to the user, those waiting for their รับทราบ first, newest first."""
    stmt = (
        sa.select(CirculationRecipient, Document)
        .join(Document, Document.id == CirculationRecipient.document_id)
        .where(CirculationRecipient.user_id == user.id, Document.org_id == user.org_id)
        .order_by(
            CirculationRecipient.acknowledged_at.is_not(None),
            CirculationRecipient.sent_at.desc(),
            CirculationRecipient.id.desc(),
        )
    )
    return [(r, d) for r, d in db.session.execute(stmt)]


# The menu's counts of `:user_id`: memos circulated to them in `:org_id`, and how many they
# have not acknowledged (read with the menu's other counts, workflow/menu.py).
COUNTS = sa.select(
    sa.func.count(),
    sa.func.count(CirculationRecipient.id).filter(CirculationRecipient.acknowledged_at.is_(None)),
).where(
    CirculationRecipient.user_id == sa.bindparam("user_id"),
    CirculationRecipient.org_id == sa.bindparam("org_id"),
)


def choices(org_id: int) -> tuple[list[Unit], list[User]]:
    """The units and active people a sender may choose from."""
    units = db.session.scalars(Unit.of_organisation(org_id))
    people = db.session.scalars(
        sa.select(User).where(User.org_id == org_id, User.active).order_by(User.full_name)
    )
    return list(units), list(people)


def _people(
    org_id: int, user_ids: set[int], unit_ids: set[int]
) -> dict[int, tuple[User, int | None]]:
    """Person id -> (person, unit reached through); ids of another organisation are refused."""
    units = {
        u.id
        for u in db.session.scalars(
            sa.select(Unit).where(Unit.id.in_(unit_ids), Unit.org_id == org_id)
        )
    }
    named = list(
        db.session.scalars(
            sa.select(User).where(User.id.in_(user_ids), User.org_id == org_id, User.active)
        )
    )
    if len(units) != len(unit_ids) or len(named) != len(user_ids):
        raise ValidationFailed(
            "มีหน่วยงานหรือบุคคลที่เลือกไม่อยู่ในรายชื่อขององค์กร กรุณาเลือกใหม่", field="person_ids"
        )
    found: dict[int, tuple[User, int | None]] = {}
    if units:
        in_units = db.session.scalars(
            sa.select(User)
            .where(User.org_id == org_id, User.active, User.unit_id.in_(units))
            .order_by(User.id)
        )
        found.update({u.id: (u, u.unit_id) for u in in_units})
    found.update({u.id: (u, None) for u in named})
    return found


def _names(people: list[User]) -> str:
    names = [p.display_name for p in people]
    shown = ", ".join(names[:MAX_NAMES_IN_LOG])
    more = len(names) - MAX_NAMES_IN_LOG
    return f"แจ้งเวียนถึง {len(names)} คน: {shown}" + (f" และอีก {more} คน" if more > 0 else "")
