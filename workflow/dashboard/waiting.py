"""Memos in review and how long they have waited at their current step, in working days.

A memo arrives at a step with its latest decision-log row (a renumbering does not move it): the
rule the waiting reminders use (notifications/reminders/documents.py). Weekends and the
organisation's holidays are skipped; past the organisation's target the wait shows as late.
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased

import clock
from extensions import read_columns
from models import DecisionLog, DocState, DocType, Document, DocumentStep, User
from models.document import memo_number
from workflow import audit
from workflow.calendar import working_days_between
from workflow.permissions import is_current_step, pending_params, pending_statement, positions_held
from workflow.request_cache import per_request, read_earlier
from workflow.rounds import holiday_dates


@dataclass(frozen=True, slots=True)
class MemoLine:
    """What a list of memos in review shows of one memo: read as columns, not as the memo."""

    id: int
    subject: str
    doc_type: DocType
    revision: int
    number: str | None
    drafter_name: str


@dataclass(frozen=True, slots=True)
class StepLine:
    """The step a memo waits at."""

    position_id: int
    position_title: str
    heading: str


@dataclass
class Waiting:
    document: MemoLine
    step: StepLine  # the current step
    since: datetime | None  # Bangkok time
    days: int  # working days waited
    late: bool


def arrival() -> sa.Label:
    """When the memo arrived at its current step: its latest log row, renumbering aside.

    Correlated to each memo listed, so PostgreSQL reads only their log rows by the log's
    document index, not the whole log (millions of rows nationally) grouped by document."""
    return (
        sa.select(sa.func.max(DecisionLog.created_at))
        .where(DecisionLog.document_id == Document.id, audit.moves_the_memo())
        .correlate(Document)
        .scalar_subquery()
        .label("since")
    )


# Per memo: MemoLine's columns, StepLine's (the current step), when it arrived there.
_LINE = (
    Document.id,
    Document.subject,
    Document.doc_type,
    Document.revision,
    Document.number_prefix,
    Document.number_seq,
    User.title,
    User.full_name,
    DocumentStep.position_id,
    DocumentStep.position_title,
    DocumentStep.heading,
    arrival(),
)
_DRAFTER = User.id == Document.drafter_id

# The statements are built once (see `pending_statement`) and run with each user's values.
_PENDING = pending_statement(*_LINE).join(User, _DRAFTER)
# How many memos wait (the menu's badge, workflow/menu.py, on pages that do not list them).
PENDING_COUNT = sa.select(sa.func.count()).select_from(pending_statement(Document.id).subquery())


def _in_review(*conditions) -> sa.Select:
    since = _LINE[-1]
    return (
        sa.select(*_LINE)
        .join(DocumentStep, is_current_step(DocumentStep))
        .join(User, _DRAFTER)
        .where(
            Document.org_id == sa.bindparam("org_id"),
            Document.state == DocState.IN_REVIEW,
            *conditions,
        )
        .order_by(since, Document.id)
    )


_LATER = aliased(DocumentStep)
_HELD = sa.bindparam("held", expanding=True)
_BELOW = _in_review(
    sa.exists().where(
        _LATER.document_id == Document.id,
        _LATER.revision == Document.revision,
        _LATER.step_no > Document.current_step,
        _LATER.position_id.in_(_HELD),
    ),
    DocumentStep.position_id.not_in(_HELD),
)
_MINE = _in_review(Document.drafter_id == sa.bindparam("user_id"))


def pending_lines(user: User) -> list[tuple[MemoLine, StepLine, datetime | None]]:
    """Memos waiting for the user's decision (own post or acting), oldest first, with when each
    arrived (UTC). Read once per GET: the pending page, the home page and the menu's badge."""
    return per_request(("pending_lines", user.id), lambda: _lines(_PENDING, pending_params(user)))


def pending_if_read(user: User) -> list[tuple[MemoLine, StepLine, datetime | None]] | None:
    """The memos waiting for the user when this GET has read them already, else None."""
    return read_earlier(("pending_lines", user.id))


def waiting_for_me(user: User) -> list[Waiting]:
    """Memos waiting for the user's decision (own post or acting), oldest first."""
    return _with_days(user, pending_lines(user))


def moving_below(user: User) -> list[Waiting]:
    """Memos in review that will reach a post the user holds at a later step, with where each
    one is now; the oldest wait first."""
    params = {"org_id": user.org_id, "held": list(positions_held(user))}
    return _with_days(user, _lines(_BELOW, params))


def mine_in_review(user: User) -> list[Waiting]:
    """The user's own memos in review, with where each one is now."""
    return _with_days(user, _lines(_MINE, {"org_id": user.org_id, "user_id": user.id}))


def _lines(stmt: sa.Select, params: dict) -> list[tuple[MemoLine, StepLine, datetime | None]]:
    found = []
    for row in read_columns(stmt, params):
        (doc_id, subject, doc_type, revision, prefix, seq, title, name, *step, since) = row
        memo = MemoLine(
            doc_id, subject, doc_type, revision, memo_number(prefix, seq), f"{title}{name}"
        )
        found.append((memo, StepLine(*step), since))
    return found


def _with_days(user: User, rows) -> list[Waiting]:
    """Working days waited per row; one holiday query for all of them."""
    today = clock.today()
    dates = [clock.local(since).date() for *_, since in rows if since is not None]
    holidays = holiday_dates(user.org_id, min(dates), today) if dates else set()
    target = user.organisation.target_working_days
    found = []
    for doc, step, since in rows:
        local = clock.local(since) if since is not None else None
        days = working_days_between(local.date(), today, holidays) if local else 0
        found.append(Waiting(doc, step, local, days, days > target))
    return found
