"""What is the user's own to do: drafts, memos returned to them (the reason first) and the
measures they answer for (as a person named, or through their unit) with the next update due."""

from dataclasses import dataclass

import sqlalchemy as sa

import clock
import thai
from extensions import db
from models import Action, DecisionLog, DocState, Document, Measure, MeasurePlan, User
from models.measures import measure_people, measure_units
from workflow.lists.measures import MeasureRow, rows_of, with_details
from workflow.measures.schedule import FINISHED


@dataclass
class Returned:
    document: Document
    reason: DecisionLog | None  # the latest return: who, when, why


def my_drafts(user: User) -> list[Document]:
    stmt = (
        sa.select(Document)
        .where(
            Document.org_id == user.org_id,
            Document.drafter_id == user.id,
            Document.state == DocState.DRAFT,
        )
        .order_by(Document.updated_at.desc(), Document.id.desc())
    )
    return list(db.session.scalars(stmt))


def returned_to_me(user: User) -> list[Returned]:
    """The user's memos sent back for revision, each with the latest reason given."""
    docs = list(db.session.scalars(_RETURNED, {"org_id": user.org_id, "user_id": user.id}))
    if not docs:
        return []
    reasons = db.session.scalars(_RETURN_REASONS, {"doc_ids": [d.id for d in docs]})
    latest = {row.document_id: row for row in reasons}  # the last one wins
    return [Returned(doc, latest.get(doc.id)) for doc in docs]


# Built once: the home page runs them on every visit (a statement used again keeps its cache key).
_RETURNED = (
    sa.select(Document)
    .where(
        Document.org_id == sa.bindparam("org_id"),
        Document.drafter_id == sa.bindparam("user_id"),
        Document.state == DocState.RETURNED,
    )
    .order_by(Document.updated_at.desc(), Document.id.desc())
)
_RETURN_REASONS = (
    sa.select(DecisionLog)
    .where(
        DecisionLog.document_id.in_(sa.bindparam("doc_ids", expanding=True)),
        DecisionLog.action == Action.RETURN,
    )
    .order_by(DecisionLog.id)
)


def my_measures(user: User) -> list[MeasureRow]:
    """Measures naming the user or their unit: this year's and later, and older ones still open."""
    year = thai.fiscal_year(clock.today())
    named = sa.exists().where(
        measure_people.c.measure_id == Measure.id, measure_people.c.user_id == user.id
    )
    mine = named
    if user.unit_id is not None:
        by_unit = sa.exists().where(
            measure_units.c.measure_id == Measure.id, measure_units.c.unit_id == user.unit_id
        )
        mine = sa.or_(named, by_unit)
    stmt = (
        sa.select(Measure)
        .join(MeasurePlan, MeasurePlan.id == Measure.plan_id)
        .where(
            Measure.org_id == user.org_id,
            mine,
            sa.or_(MeasurePlan.fiscal_year >= year, Measure.status.not_in(FINISHED)),
        )
    )
    return rows_of(user.org_id, db.session.scalars(with_details(stmt)).all())
