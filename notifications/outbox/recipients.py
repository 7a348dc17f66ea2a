"""Who hears of each event (issue 15, point 1):

- arrived (submitted, resubmitted or forwarded to a step): the post's holders and everyone
  acting for it that day;
- returned: the drafter, with the reason;
- approved or rejected: the drafter and every earlier signer of this round; a progress report
  or an analysis memo approved also tells the coordinator of the measures;
- withdrawn: whoever had it pending;
- closed (ยุติเรื่อง, a returned memo its drafter will not send again): as for a rejection, the
  drafter and every signer of the round, and, as for a withdrawal, whoever holds the step that
  returned it (it would have come back to them); a withdrawn memo taken back and closed tells
  no one new, as those who had it pending heard of the withdrawal and no one signed that round;
- circulated (แจ้งเวียน) and cancelled/superseded: the people the service names (the recipients
  chosen by the sender; the original's drafter and everyone it was circulated to).

The person who acted is never told of their own action.
"""

import sqlalchemy as sa

from extensions import db
from models import Action, DecisionLog, DocType, Document, DocumentStep, MeasurePlan, ReportSnapshot
from workflow.holders import holders_of

ARRIVED, RETURNED, APPROVED, REJECTED, WITHDRAWN = (
    "arrived",
    "returned",
    "approved",
    "rejected",
    "withdrawn",
)
CIRCULATED, REVOKED, CLOSED = "circulated", "revoked", "closed"
KINDS = (ARRIVED, RETURNED, APPROVED, REJECTED, WITHDRAWN, CIRCULATED, REVOKED, CLOSED)
SIGNED = (Action.FORWARD, Action.APPROVE, Action.REJECT, Action.RETURN)


def recipients(
    doc: Document,
    kind: str,
    actor_id: int,
    step: DocumentStep | None,
    named: list[int] | None = None,
) -> list[int]:
    """User ids to tell, in a stable order, without the actor."""
    if named is not None:
        people = list(named)
    elif kind in (ARRIVED, WITHDRAWN):
        people = [h.user_id for h in holders_of(doc.org_id, [step.position_id])[step.position_id]]
    elif kind == RETURNED:
        people = [doc.drafter_id]
    elif kind == CLOSED:
        people = [doc.drafter_id, *_signers_of_round(doc), *_holders_of_returning_step(doc)]
    else:
        people = [doc.drafter_id, *_signers_of_round(doc)]
        if kind == APPROVED:
            people += _coordinator(doc)
    seen: set[int] = set()
    return [u for u in people if u != actor_id and not (u in seen or seen.add(u))]


def _signers_of_round(doc: Document) -> list[int]:
    stmt = (
        sa.select(DecisionLog.actor_id)
        .where(
            DecisionLog.document_id == doc.id,
            DecisionLog.revision == doc.revision,
            DecisionLog.action.in_(SIGNED),
        )
        .order_by(DecisionLog.id)
    )
    return [uid for uid in db.session.scalars(stmt) if uid is not None]


def _holders_of_returning_step(doc: Document) -> list[int]:
    """Whoever holds or acts for the post of the step that returned the memo this round."""
    step_no = db.session.scalar(
        sa.select(DecisionLog.step_no)
        .where(
            DecisionLog.document_id == doc.id,
            DecisionLog.revision == doc.revision,
            DecisionLog.action == Action.RETURN,
        )
        .order_by(DecisionLog.id.desc())
        .limit(1)
    )
    step = doc.step(step_no) if step_no is not None else None
    if step is None:
        return []
    return [h.user_id for h in holders_of(doc.org_id, [step.position_id])[step.position_id]]


def _coordinator(doc: Document) -> list[int]:
    """The coordinator of the plan a progress report reports on, or, for an analysis memo, of
    the organisation's latest plan."""
    if doc.doc_type == DocType.PROGRESS_REPORT:
        stmt = (
            sa.select(MeasurePlan.coordinator_id)
            .join(ReportSnapshot, ReportSnapshot.plan_id == MeasurePlan.id)
            .where(ReportSnapshot.document_id == doc.id)
        )
    elif doc.doc_type == DocType.ANALYSIS:
        stmt = (
            sa.select(MeasurePlan.coordinator_id)
            .where(MeasurePlan.org_id == doc.org_id)
            .order_by(MeasurePlan.fiscal_year.desc())
            .limit(1)
        )
    else:
        return []
    coordinator = db.session.scalar(stmt)
    return [coordinator] if coordinator is not None else []
