"""Who signed each block under a memo: one rule for the memo page, the PDF and the verify page.

A block is the drafter's, or one per step of the current revision in chain order. A step skipped
by "return, resume at my step" keeps the signature its signer gave in an earlier revision.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from extensions import db
from models import DECISION_ACTIONS, Action, ChainStep, DecisionLog, DocState, Document

DRAFTER_ACTIONS = (Action.SUBMIT, Action.RESUBMIT)


@dataclass(frozen=True)
class Block:
    """One signature block: signed (with its log row), waiting now, or still to come."""

    heading: str | None
    position_title: str
    row: DecisionLog | None = None
    status: str = "pending"  # "signed", "current" or "pending"
    earlier: bool = False  # signed in an earlier revision, not asked again
    name: str = ""  # printed under an unsigned block (the drafter's own)


@dataclass(frozen=True)
class Signatures:
    drafter: Block
    steps: list[Block]


def signatures(doc: Document, log: list[DecisionLog]) -> Signatures:
    """The drafter's block and the steps' blocks, from the document and its decision log."""
    return Signatures(drafter=_drafter(doc, log), steps=_steps(doc, log))


def _drafter(doc: Document, log: list[DecisionLog]) -> Block:
    row = _last(r for r in log if r.revision == doc.revision and r.action in DRAFTER_ACTIONS)
    if row is not None:
        return Block(None, row.actor_position, row=row, status="signed")
    position = doc.drafter.position.title if doc.drafter.position else ""
    return Block(None, position, name=doc.drafter.display_name)


def _steps(doc: Document, log: list[DecisionLog]) -> list[Block]:
    steps = doc.steps_of()
    if not steps:
        return [Block(s.heading, s.position.title) for s in _chain_of(doc)]
    current = {
        r.step_no: r for r in log if r.revision == doc.revision and r.action in DECISION_ACTIONS
    }
    first_this_round = min([*current, doc.current_step or len(steps) + 1])
    blocks = []
    for step in steps:
        row = current.get(step.step_no)
        if row is None and step.step_no < first_this_round:
            row = _earlier_forward(log, doc.revision, step.step_no)  # skipped by "resume here"
        if row is not None:
            status = "signed"
        elif step.step_no == doc.current_step and doc.state == DocState.IN_REVIEW:
            status = "current"
        else:
            status = "pending"
        earlier = row is not None and row.revision < doc.revision
        blocks.append(Block(step.heading, step.position_title, row, status, earlier))
    return blocks


def _chain_of(doc: Document) -> list[ChainStep]:
    """The organisation's chain for a memo not yet submitted (its own copy is made then)."""
    stmt = (
        sa.select(ChainStep)
        .where(ChainStep.org_id == doc.org_id, ChainStep.doc_type == doc.doc_type)
        .order_by(ChainStep.step_no)
    )
    return list(db.session.scalars(stmt))


def _earlier_forward(log: list[DecisionLog], revision: int, step_no: int) -> DecisionLog | None:
    return _last(
        r
        for r in log
        if r.revision < revision and r.step_no == step_no and r.action == Action.FORWARD
    )


def _last(rows) -> DecisionLog | None:
    rows = list(rows)
    return rows[-1] if rows else None
