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
from notifications.reminders.ledger import chunks
from workflow.calendar import is_working_day, working_days_between
from workflow.dashboard.waiting import arrival
from workflow.rounds import days_off_everywhere, holiday_dates_by_org


class DocumentSource:
    item_type = "document"

    def __init__(self) -> None:
        self.waited: dict[int, int] = {}  # document id -> working days waited, for the texts
        self.texts: dict[int, Row] = {}  # document id -> its subject, number and steps

    def batches(self, settings: Settings, restrict: Restrict) -> Iterator[Sequence[Row]]:
        rows = db.session.execute(restrict(candidates(settings).subquery())).all()
        if rows:
            yield self._with_texts(self._due(rows, settings))

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

    def _with_texts(self, rows: list[Row]) -> list[Row]:
        """Read what the reminders say about their memos, for the due rows alone: the candidates
        carry only keys through the union, the ledger check and the sort. A memo that moved on
        in between is no longer due at the step the row names, so its rows are left out."""
        for memo in memo_texts({row.item_id for row in rows}):
            self.texts[memo.id] = memo
        return [
            row
            for row in rows
            if (memo := self.texts.get(row.item_id)) is not None
            and (memo.revision, memo.current_step) == (row.revision, row.current_step)
        ]

    def render(self, row: Row, settings: Settings, links: Links) -> Message:
        text = self.texts[row.item_id]
        digits = text.thai_digits
        number = (
            f" ที่ {text.number_prefix}/{text.number_seq}"
            if text.number_prefix
            else (f" ที่ {text.number_seq}" if text.number_seq else "")
        )
        memo = f"บันทึกข้อความ{number} เรื่อง {shorten(text.subject, 200)}"
        since = be_date(local_date(row.since), digits)
        days = self.waited.get(row.item_id, 0)
        step = f"ขั้น “{text.heading}” ({text.position_title})"
        if row.kind == WAITING:
            subject = f"เอกสารรอการพิจารณาของท่านตั้งแต่ {since}: {shorten(text.subject, 150)}"
            body = (
                f"{memo} รอการพิจารณาใน{step} ตั้งแต่วันที่ {since} รวม {days} วันทำการ"
                "\nท่านได้รับแจ้งในฐานะผู้ดำรงตำแหน่งนี้ หรือผู้รักษาราชการแทน/ปฏิบัติราชการแทน"
                " กรุณาพิจารณาลงความเห็น"
            )
        else:
            subject = f"เพื่อทราบ: เอกสารค้างที่ขั้นก่อนถึงท่านตั้งแต่ {since}: {shorten(text.subject, 130)}"
            body = (
                f"{memo} ค้างอยู่ที่{step} ตั้งแต่วันที่ {since} รวม {days} วันทำการ"
                f"\nเรื่องนี้ยังไม่ถึงขั้นของท่าน (ขั้นถัดไป “{text.next_heading}”)"
                " ท่านยังไม่ต้องลงนาม แจ้งเพื่อโปรดทราบและติดตาม"
            )
        return Message(
            thai.digits(subject, digits),
            thai.digits(body, digits),
            links.path("documents.show", "documents.pending", doc_id=row.item_id),
        )


TEXT_BATCH = 2000  # memos whose texts are read in one statement

# The step a memo waits at, and the one after it (whose signers hear of a long wait).
CURRENT = aliased(DocumentStep, name="current_step")
FOLLOWING = aliased(DocumentStep, name="following_step")


def candidates(settings: Settings) -> sa.CompoundSelect:
    """Memos in review that have waited at least as many calendar days as the rule needs
    working days, with everyone who may sign the current step (waiting) or the next (escalation)."""
    memos = waiting_memos(settings)
    return sa.union(*_branches(WAITING, settings, memos), *_branches(ESCALATION, settings, memos))


def waiting(settings: Settings) -> sa.CompoundSelect:
    """`waiting` candidates alone: who may sign a long-waiting memo's current step today."""
    return sa.union(*_branches(WAITING, settings, waiting_memos(settings)))


def escalation(settings: Settings) -> sa.CompoundSelect:
    """`escalation` candidates alone: who may sign the next step (and not the current one)."""
    return sa.union(*_branches(ESCALATION, settings, waiting_memos(settings)))


def waiting_memos(settings: Settings) -> sa.CTE:
    """Memos in review that have not moved since the cut-off, with the posts of their current
    and next steps: the keys the four branches need, found once. The texts are read after the
    ledger check, for the due rows alone (`memo_texts`).

    Each memo's arrival is read through the log's document index, a few rows per memo: the
    whole log (millions of rows nationally) is never scanned. On PostgreSQL both CTEs are
    materialised, so the memos' steps are joined once and the four branches only add people."""
    in_review = (
        sa.select(Document.id, Document.org_id, Document.revision, Document.current_step, arrival())
        .where(Document.state == DocState.IN_REVIEW)
        .cte("in_review")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    memo = in_review.c
    return (
        sa.select(
            memo.org_id,
            memo.id,
            memo.revision,
            memo.current_step,
            _round_key(memo).label("round_key"),
            memo.since,
            CURRENT.position_id,
            FOLLOWING.position_id.label("next_position_id"),
        )
        .select_from(in_review)
        .join(CURRENT, _step_of(CURRENT, memo, 0))
        .outerjoin(FOLLOWING, _step_of(FOLLOWING, memo, 1))
        .where(memo.since < _cut_off(settings, settings.waiting_days))
        .cte("waiting_memos")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )


def memo_texts(ids: set[int]) -> list[Row]:
    """What a reminder says about each memo: subject, number, the current and next steps'
    headings, the organisation's digits (with the revision and step they belong to)."""
    current, following = aliased(DocumentStep), aliased(DocumentStep)
    stmt = (
        sa.select(
            Document.id,
            Document.revision,
            Document.current_step,
            Document.subject,
            Document.number_prefix,
            Document.number_seq,
            Organisation.thai_digits,
            current.heading,
            current.position_title,
            following.heading.label("next_heading"),
        )
        .join(Organisation, Organisation.id == Document.org_id)
        .join(current, _step_of(current, Document, 0))
        .outerjoin(following, _step_of(following, Document, 1))
    )
    found: list[Row] = []
    for chunk in chunks(sorted(ids), TEXT_BATCH):
        found += db.session.execute(stmt.where(Document.id.in_(chunk))).all()
    return found


def _cut_off(settings: Settings, days: int) -> datetime:
    """A memo that arrived at or after this moment cannot have waited more than `days` working
    days by today in any organisation: counted back from today, skipping weekends and the
    national holidays that no organisation works through (an organisation's own days off only
    lower its count). Past a long window, the calendar-day bound."""
    window = settings.today - timedelta(days=7 * (days + 1) + 60)
    off = days_off_everywhere(window, settings.today)
    day, counted = settings.today, 0
    while day > window:
        counted += is_working_day(day, off)
        if counted > days:  # arriving the day before `day` or earlier: days + 1 working days
            return datetime.combine(day, time(), clock.BANGKOK)
        day -= timedelta(days=1)
    return datetime.combine(settings.today - timedelta(days=days), time(), clock.BANGKOK)


def _branches(kind: str, settings: Settings, memos: sa.CTE) -> list[sa.Select]:
    """One kind's rows: the memos joined to the holders of the target step's post, and to
    those acting for it today."""
    memo = memos.c
    target = memo.position_id if kind == WAITING else memo.next_position_id
    rows = _rows(kind, memos)
    if kind == ESCALATION:
        escalated = settings.waiting_days + settings.escalate_days
        rows = rows.where(
            memo.since < _cut_off(settings, escalated),
            ~_may_sign(User.id, memo.position_id, settings.today),
        )
    return [_to_holders(rows, memo, target), _to_acting(rows, memo, target, settings.today)]


def _rows(kind: str, memos: sa.CTE) -> sa.Select:
    """The key columns of a reminder row, for a recipient joined next."""
    memo = memos.c
    return sa.select(
        memo.org_id,
        const("document").label("item_type"),
        memo.id.label("item_id"),
        memo.round_key,
        const(kind).label("kind"),
        User.id.label("recipient_id"),
        memo.since,
        memo.revision,
        memo.current_step,
    ).select_from(memos)


def _round_key(memo) -> sa.ColumnElement[str]:
    """Which wait a reminder is for: a new revision or step waits anew."""
    revision = sa.cast(memo.revision, sa.String)
    return "r" + revision + "-s" + sa.cast(memo.current_step, sa.String)


def _step_of(step, memo, offset: int) -> sa.ColumnElement[bool]:
    step_no = memo.current_step + offset if offset else memo.current_step
    return sa.and_(
        step.document_id == memo.id, step.revision == memo.revision, step.step_no == step_no
    )


def _to_holders(stmt: sa.Select, memo, position_id) -> sa.Select:
    holds = sa.and_(User.position_id == position_id, User.active, User.org_id == memo.org_id)
    return stmt.join(User, holds)


def _to_acting(stmt: sa.Select, memo, position_id, today: date) -> sa.Select:
    acts = sa.and_(
        ActingAssignment.position_id == position_id,
        ActingAssignment.org_id == memo.org_id,
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
