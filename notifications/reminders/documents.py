"""Document reminders. A memo in review whose current step has waited (since its latest log
row) more than REMINDER_WAITING_DAYS working days: `waiting` to everyone who may sign that
step today. After a further REMINDER_ESCALATE_DAYS working days: `escalation` to those who may
sign the next step, telling them it is held at the earlier step and not yet their turn."""

from collections.abc import Iterator, Sequence
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Row
from sqlalchemy.orm import aliased

import clock
import thai
from extensions import db
from models import (
    ActingAssignment,
    DecisionLog,
    DocState,
    Document,
    DocumentStep,
    Organisation,
    User,
)
from notifications.reminders.common import (
    ESCALATION,
    WAITING,
    Links,
    Message,
    Restrict,
    Settings,
    be_date,
    const,
    local_date,
    shorten,
)
from workflow import audit
from workflow.calendar import working_days_between
from workflow.rounds import holiday_dates_by_org


class DocumentSource:
    item_type = "document"

    def __init__(self) -> None:
        self.waited: dict[int, int] = {}  # document id -> working days waited, for the texts

    def batches(self, settings: Settings, restrict: Restrict) -> Iterator[Sequence[Row]]:
        rows = db.session.execute(restrict(candidates(settings).subquery())).all()
        if rows:
            yield self._due(rows, settings)

    def _due(self, rows: Sequence[Row], settings: Settings) -> list[Row]:
        """Keep the rows whose wait in working days (weekends and holidays skipped) is long
        enough for their kind."""
        holidays = holiday_dates_by_org(
            {r.org_id for r in rows}, min(local_date(r.since) for r in rows), settings.today
        )
        limit = {
            WAITING: settings.waiting_days,
            ESCALATION: settings.waiting_days + settings.escalate_days,
        }
        kept = []
        for row in rows:
            days = working_days_between(
                local_date(row.since), settings.today, holidays.get(row.org_id, ())
            )
            if days > limit[row.kind]:
                self.waited[row.item_id] = days
                kept.append(row)
        return kept

    def render(self, row: Row, settings: Settings, links: Links) -> Message:
        digits = row.thai_digits
        number = (
            f" ที่ {row.number_prefix}/{row.number_seq}"
            if row.number_prefix
            else (f" ที่ {row.number_seq}" if row.number_seq else "")
        )
        memo = f"บันทึกข้อความ{number} เรื่อง {shorten(row.subject, 200)}"
        since = be_date(local_date(row.since), digits)
        days = self.waited.get(row.item_id, 0)
        step = f"ขั้น “{row.heading}” ({row.position_title})"
        if row.kind == WAITING:
            subject = f"เอกสารรอการพิจารณาของท่านตั้งแต่ {since}: {shorten(row.subject, 150)}"
            body = (
                f"{memo} รอการพิจารณาใน{step} ตั้งแต่วันที่ {since} รวม {days} วันทำการ"
                "\nท่านได้รับแจ้งในฐานะผู้ดำรงตำแหน่งนี้ หรือผู้รักษาราชการแทน/ปฏิบัติราชการแทน"
                " กรุณาพิจารณาลงความเห็น"
            )
        else:
            subject = f"เพื่อทราบ: เอกสารค้างที่ขั้นก่อนถึงท่านตั้งแต่ {since}: {shorten(row.subject, 130)}"
            body = (
                f"{memo} ค้างอยู่ที่{step} ตั้งแต่วันที่ {since} รวม {days} วันทำการ"
                f"\nเรื่องนี้ยังไม่ถึงขั้นของท่าน (ขั้นถัดไป “{row.next_heading}”)"
                " ท่านยังไม่ต้องลงนาม แจ้งเพื่อโปรดทราบและติดตาม"
            )
        return Message(
            thai.digits(subject, digits),
            thai.digits(body, digits),
            links.path("documents.show", "documents.pending", doc_id=row.item_id),
        )


# The step a memo waits at, and the one after it (whose signers hear of a long wait).
CURRENT = aliased(DocumentStep, name="current_step")
FOLLOWING = aliased(DocumentStep, name="following_step")


def candidates(settings: Settings) -> sa.CompoundSelect:
    """Memos in review that have waited at least as many calendar days as the rule needs
    working days, with everyone who may sign the current step (waiting) or the next (escalation)."""
    last = last_moved(settings)
    return sa.union(*_branches(WAITING, settings, last), *_branches(ESCALATION, settings, last))


def waiting(settings: Settings) -> sa.CompoundSelect:
    """`waiting` candidates alone: who may sign a long-waiting memo's current step today."""
    return sa.union(*_branches(WAITING, settings, last_moved(settings)))


def escalation(settings: Settings) -> sa.CompoundSelect:
    """`escalation` candidates alone: who may sign the next step (and not the current one)."""
    return sa.union(*_branches(ESCALATION, settings, last_moved(settings)))


def last_moved(settings: Settings) -> sa.CTE:
    """When each memo in review last moved, for those that have not moved since the cut-off.

    Found once for every branch and only for memos in review: the whole log (millions of rows
    nationally) is never aggregated."""
    since = sa.func.max(DecisionLog.created_at)
    return (
        sa.select(DecisionLog.document_id, since.label("since"))
        .join(Document, Document.id == DecisionLog.document_id)
        .where(Document.state == DocState.IN_REVIEW, audit.moves_the_memo())
        .group_by(DecisionLog.document_id)
        .having(since < _cut_off(settings))
        .cte("last_action")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )


def _cut_off(settings: Settings) -> datetime:
    days = timedelta(days=settings.waiting_days)
    return datetime.combine(settings.today - days, time(), clock.BANGKOK)


def _branches(kind: str, settings: Settings, last: sa.CTE) -> list[sa.Select]:
    """One kind's rows: the memos joined to the holders of the target step's post, and to
    those acting for it today."""
    target = CURRENT if kind == WAITING else FOLLOWING
    memos = _memos(kind, settings, last)
    return [_to_holders(memos, target), _to_acting(memos, target, settings.today)]


def _memos(kind: str, settings: Settings, last: sa.CTE) -> sa.Select:
    """The columns of a reminder row for each memo waiting since before the cut-off."""
    escalating = kind == ESCALATION
    next_heading = FOLLOWING.heading if escalating else sa.cast(sa.null(), sa.String)
    stmt = (
        sa.select(
            Document.org_id,
            const("document").label("item_type"),
            Document.id.label("item_id"),
            _round_key().label("round_key"),
            const(kind).label("kind"),
            User.id.label("recipient_id"),
            last.c.since,
            Document.subject,
            Document.number_prefix,
            Document.number_seq,
            CURRENT.heading,
            CURRENT.position_title,
            next_heading.label("next_heading"),
            Organisation.thai_digits,
        )
        .join(last, last.c.document_id == Document.id)
        .join(CURRENT, _step_of(CURRENT, 0))
        .join(Organisation, Organisation.id == Document.org_id)
        .where(Document.state == DocState.IN_REVIEW, last.c.since < _cut_off(settings))
    )
    if escalating:
        stmt = stmt.join(FOLLOWING, _step_of(FOLLOWING, 1)).where(
            ~_may_sign(User.id, CURRENT.position_id, settings.today)
        )
    return stmt


def _round_key() -> sa.ColumnElement[str]:
    """Which wait a reminder is for: a new revision or step waits anew."""
    revision = sa.cast(Document.revision, sa.String)
    return "r" + revision + "-s" + sa.cast(Document.current_step, sa.String)


def _step_of(step, offset: int) -> sa.ColumnElement[bool]:
    return sa.and_(
        step.document_id == Document.id,
        step.revision == Document.revision,
        step.step_no == Document.current_step + offset,
    )


def _to_holders(stmt: sa.Select, target) -> sa.Select:
    holds = sa.and_(
        User.position_id == target.position_id, User.active, User.org_id == Document.org_id
    )
    return stmt.join(User, holds)


def _to_acting(stmt: sa.Select, target, today: date) -> sa.Select:
    acts = sa.and_(
        ActingAssignment.position_id == target.position_id,
        ActingAssignment.org_id == Document.org_id,
        ActingAssignment.in_force(today),
    )
    active = sa.and_(User.id == ActingAssignment.user_id, User.active)
    return stmt.join(ActingAssignment, acts).join(User, active)


def _may_sign(user_id, position_id, today: date) -> sa.ColumnElement:
    """The user holds the post or acts for it today (so they are told to sign, not escalated to)."""
    holder = aliased(User)
    register = aliased(ActingAssignment)
    return sa.or_(
        sa.exists().where(holder.id == user_id, holder.position_id == position_id),
        sa.exists().where(
            register.user_id == user_id,
            register.position_id == position_id,
            register.in_force(today),
        ),
    )
