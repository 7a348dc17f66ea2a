"""Who may see, edit and sign what. Every service calls these; views never decide on their own."""

from datetime import date

import sqlalchemy as sa

import clock
from extensions import db, read_columns
from models import (
    ActingAssignment,
    CirculationRecipient,
    DecisionLog,
    DocState,
    Document,
    DocumentStep,
    User,
)
from workflow.errors import NotAllowed, NotFound
from workflow.request_cache import per_request


def positions_held(user: User, on: date | None = None) -> dict[int, int | None]:
    """Position ids the user may sign for on a date, each with the acting assignment that lets
    them (its id; None: their own post). Read once per GET, with the user (`read_with_user`),
    as two columns, not as assignments: only a decision needs one."""
    on = on or clock.today()
    found = per_request(_key(user, on), lambda: _positions_held(user, on))
    return dict(found)


def acting_in_force(user_id, org_id, on) -> sa.ColumnElement[bool]:
    """The acting assignments that let `user_id` sign in `org_id` on `on`. One condition for
    both places that read them: `positions_held`'s own statement and the session's user load,
    which joins them (app.load_user)."""
    return sa.and_(
        ActingAssignment.user_id == user_id,
        ActingAssignment.org_id == org_id,
        ActingAssignment.in_force(on),
    )


def read_with_user(user: User, on: date, acting: list[tuple[int, int]]) -> None:
    """What `positions_held` would read for this GET, given the acting assignments (position id,
    assignment id; `acting_in_force`, by start date) read with the user in one statement: the
    menu's badge and the page then run no statement of their own for them."""
    per_request(_key(user, on), lambda: _held(user, acting))


def _key(user: User, on: date) -> tuple:
    return ("positions_held", user.id, on)


def _positions_held(user: User, on: date) -> dict[int, int | None]:
    params = {"user_id": user.id, "org_id": user.org_id, "on": on}
    return _held(user, read_columns(_ACTING, params))


def _held(user: User, acting) -> dict[int, int | None]:
    held: dict[int, int | None] = {}
    for position_id, assignment_id in acting:
        held.setdefault(position_id, assignment_id)
    if user.position_id is not None:
        held[user.position_id] = None  # one's own post needs no acting line
    return held


# Built once: every page runs it (a statement used again keeps its SQLAlchemy cache key).
_ACTING = (
    sa.select(ActingAssignment.position_id, ActingAssignment.id)
    .where(
        acting_in_force(
            sa.bindparam("user_id"), sa.bindparam("org_id"), sa.bindparam("on", type_=sa.Date)
        )
    )
    .order_by(ActingAssignment.start_date)
)


def signing_authority(user: User, doc: Document, on: date | None = None) -> ActingAssignment | None:
    """The acting assignment under which `user` signs the current step (None: own post).

    Raises NotAllowed when it is not the user's turn.
    """
    step = doc.step()
    if doc.state != DocState.IN_REVIEW or step is None:
        raise NotAllowed("เอกสารนี้ไม่ได้รอการพิจารณา")
    if user.id == doc.drafter_id and doc.organisation.forbid_drafter_signing:
        raise NotAllowed(
            "องค์กรกำหนดไม่ให้ผู้จัดทำลงนามพิจารณาบันทึกของตนเอง"
            f" ขั้น “{step.position_title}” ต้องให้ผู้อื่นที่มีคำสั่งรักษาราชการแทนเป็นผู้ลงนาม"
        )
    held = positions_held(user, on)
    if step.position_id not in held:
        raise NotAllowed(
            f"ขั้นนี้เป็นของตำแหน่ง “{step.position_title}” คุณไม่ได้ดำรงตำแหน่งนี้"
            " และไม่มีคำสั่งให้รักษาราชการแทนหรือปฏิบัติราชการแทนที่มีผลในวันนี้"
        )
    assignment_id = held[step.position_id]
    if assignment_id is None:
        return None
    assignment = db.session.get(ActingAssignment, assignment_id)
    if assignment is None:  # deleted by an admin between the two reads
        raise NotAllowed("คำสั่งให้รักษาราชการแทนที่ใช้ลงนามขั้นนี้เพิ่งถูกลบ กรุณาเปิดหน้านี้ใหม่")
    return assignment


def get_document(doc_id: int, user: User) -> Document:
    """A document of the user's organisation; other organisations' documents do not exist."""
    doc = db.session.get(Document, doc_id)
    if doc is None or doc.org_id != user.org_id:
        raise NotFound("ไม่พบเอกสารนี้")
    return doc


def can_view(user: User, doc: Document) -> bool:
    """Who may open a memo; `workflow.lists.filters.visible_documents` is the same rule in SQL."""
    if doc.org_id != user.org_id:
        return False
    if doc.drafter_id == user.id:
        return True
    if doc.state == DocState.DRAFT:
        return False  # a draft is its drafter's own until it is submitted
    if user.is_admin:
        return True
    held = positions_held(user)
    if any(step.position_id in held for step in doc.steps):
        return True
    decided = sa.select(DecisionLog.id).where(
        DecisionLog.document_id == doc.id, DecisionLog.actor_id == user.id
    )
    if db.session.scalar(decided.limit(1)) is not None:
        return True
    circulated = sa.select(CirculationRecipient.id).where(
        CirculationRecipient.document_id == doc.id, CirculationRecipient.user_id == user.id
    )
    return db.session.scalar(circulated.limit(1)) is not None


def visible_documents(user: User, on: date | None = None) -> sa.ColumnElement[bool]:
    """`can_view` for many rows at once, as SQL: the user's own organisation; their own memos
    in any state; others' drafts never; the rest when they are an admin, when a position they
    hold (own or acting on `on`) is anywhere in the memo's chain, when they have signed it, or
    when it was circulated to them (แจ้งเวียน). Change both together: tests/test_permissions_agree.py checks they agree."""
    own = Document.drafter_id == user.id
    if user.is_admin:
        return sa.and_(
            Document.org_id == user.org_id, sa.or_(own, Document.state != DocState.DRAFT)
        )
    held = list(positions_held(user, on))
    in_chain = sa.exists().where(
        DocumentStep.document_id == Document.id, DocumentStep.position_id.in_(held)
    )
    signed = sa.exists().where(
        DecisionLog.document_id == Document.id, DecisionLog.actor_id == user.id
    )
    circulated = sa.exists().where(
        CirculationRecipient.document_id == Document.id, CirculationRecipient.user_id == user.id
    )
    others = sa.and_(Document.state != DocState.DRAFT, sa.or_(in_chain, signed, circulated))
    return sa.and_(Document.org_id == user.org_id, sa.or_(own, others))


def require_view(user: User, doc: Document) -> None:
    if not can_view(user, doc):
        raise NotAllowed(
            "คุณไม่มีสิทธิ์เปิดเอกสารนี้ เพราะไม่ได้เป็นผู้จัดทำ ไม่ได้อยู่ในสายการลงนาม และไม่ได้รับแจ้งเวียน"
        )


def require_drafter(user: User, doc: Document) -> None:
    if doc.org_id != user.org_id:
        raise NotFound("ไม่พบเอกสารนี้")
    if doc.drafter_id != user.id:
        raise NotAllowed("เฉพาะผู้จัดทำเอกสารเท่านั้นที่ทำรายการนี้ได้")


def require_editable(user: User, doc: Document) -> None:
    require_drafter(user, doc)
    if not doc.is_editable:
        raise NotAllowed(
            f"แก้ไขไม่ได้ เพราะเอกสารอยู่ในสถานะ “{doc.state.label}” แก้ไขได้เฉพาะร่างหรือเอกสารที่ถูกส่งคืนแก้ไข"
        )


def require_admin(user: User) -> None:
    if not user.is_admin:
        raise NotAllowed("หน้านี้สำหรับผู้ดูแลระบบขององค์กรเท่านั้น")


def pending_statement(*columns) -> sa.Select:
    """`columns` of the memos waiting for a decision from the posts `:held` in organisation
    `:org_id` (as holder or acting official), oldest first; the current step is joined.

    Built once at import and run with `pending_params(user)`: a statement object used again
    keeps its cache key, so SQLAlchemy neither rebuilds nor re-keys it per request."""
    return (
        sa.select(*columns)
        .select_from(Document)
        .join(DocumentStep, is_current_step(DocumentStep))
        .where(
            Document.org_id == sa.bindparam("org_id"),
            Document.state == DocState.IN_REVIEW,
            DocumentStep.position_id.in_(sa.bindparam("held", expanding=True)),
        )
        .order_by(Document.submitted_at, Document.id)
    )


def pending_params(user: User, on: date | None = None) -> dict:
    """The parameters of `pending_statement` for the user (the posts they hold on `on`)."""
    return {"org_id": user.org_id, "held": list(positions_held(user, on))}


def is_current_step(step) -> sa.ColumnElement[bool]:
    """`step` (DocumentStep or an alias of it) is the memo's current step."""
    return sa.and_(
        step.document_id == Document.id,
        step.revision == Document.revision,
        step.step_no == Document.current_step,
    )
