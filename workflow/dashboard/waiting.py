"""Memos in review and how long they have waited at their current step, in working days.

A memo arrives at a step with its latest decision-log row (a renumbering does not move it): the
rule the waiting reminders use (notifications/reminders/documents.py). Weekends and the
organisation's holidays are skipped; past the organisation's target the wait shows as late.
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload

import clock
from extensions import db
from models import DecisionLog, DocState, Document, DocumentStep, User
from workflow import audit
from workflow.calendar import working_days_between
from workflow.permissions import pending_query, positions_held
from workflow.rounds import holiday_dates

CURRENT = aliased(DocumentStep, name="current_step")


@dataclass
class Waiting:
    document: Document
    step: DocumentStep  # the current step
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


def waiting_for_me(user: User) -> list[Waiting]:
    """Memos waiting for the user's decision (own post or acting), oldest first."""
    stmt = (
        pending_query(user)
        .add_columns(DocumentStep, arrival())
        .options(joinedload(Document.drafter))
    )
    return _with_days(user, db.session.execute(stmt).all())


def moving_below(user: User) -> list[Waiting]:
    """Memos in review that will reach a post the user holds at a later step, with where each
    one is now; the oldest wait first."""
    held = list(positions_held(user))
    later = aliased(DocumentStep)
    comes_to_me = sa.exists().where(
        later.document_id == Document.id,
        later.revision == Document.revision,
        later.step_no > Document.current_step,
        later.position_id.in_(held),
    )
    stmt = _in_review(user).where(comes_to_me, CURRENT.position_id.not_in(held))
    return _with_days(user, db.session.execute(stmt).all())


def mine_in_review(user: User) -> list[Waiting]:
    """The user's own memos in review, with where each one is now."""
    stmt = _in_review(user).where(Document.drafter_id == user.id)
    return _with_days(user, db.session.execute(stmt).all())


def _in_review(user: User) -> sa.Select:
    since = arrival()
    current = CURRENT
    return (
        sa.select(Document, current, since)
        .join(
            current,
            sa.and_(
                current.document_id == Document.id,
                current.revision == Document.revision,
                current.step_no == Document.current_step,
            ),
        )
        .where(Document.org_id == user.org_id, Document.state == DocState.IN_REVIEW)
        .options(joinedload(Document.drafter))
        .order_by(since, Document.id)
    )


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
