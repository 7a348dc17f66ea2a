"""What the admin home page counts."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

import clock
import thai
from extensions import db
from models import ActingAssignment, ChainStep, DocType, Document, PendingPdf, Position, Unit, User
from workflow import numbering
from workflow.admin.common import count
from workflow.permissions import require_admin


@dataclass
class Summary:
    units: int
    positions: int
    people: int
    active_people: int
    chain_steps: dict[DocType, int]
    acting_in_force: int
    fiscal_year: int
    last_number: int
    late_pdfs: "LatePdfs"


# An approved memo's PDF is normally rendered within a minute (pdf/freezer.py); one still
# waiting after this long means the freezer is not running, or its renders fail.
PDF_LATE_AFTER = timedelta(minutes=15)


@dataclass
class LatePdfs:
    count: int
    oldest: datetime | None  # when the longest-waiting one was approved
    failing: int  # of them, renders that failed and wait to be retried


def summary(actor: User) -> Summary:
    """Counts for the admin home page, all of the admin's own organisation."""
    require_admin(actor)
    org_id, today = actor.org_id, clock.today()
    fiscal_year = thai.fiscal_year(today)
    in_force = sa.select(ActingAssignment.id).where(
        ActingAssignment.org_id == org_id,
        ActingAssignment.in_force(today),
    )
    return Summary(
        units=count(sa.select(Unit.id).where(Unit.org_id == org_id)),
        positions=count(sa.select(Position.id).where(Position.org_id == org_id)),
        people=count(sa.select(User.id).where(User.org_id == org_id)),
        active_people=count(sa.select(User.id).where(User.org_id == org_id, User.active)),
        chain_steps={t: _steps(org_id, t) for t in DocType},
        acting_in_force=count(in_force),
        fiscal_year=fiscal_year,
        last_number=numbering.last_used(org_id, fiscal_year),
        late_pdfs=late_pdfs(org_id),
    )


def late_pdfs(org_id: int) -> LatePdfs:
    """The organisation's approved memos whose PDF is overdue from the freezer."""
    stmt = (
        sa.select(
            sa.func.count(),
            sa.func.min(PendingPdf.created_at),
            sa.func.count().filter(PendingPdf.attempts > 0),
        )
        .join(Document, Document.id == PendingPdf.document_id)
        .where(Document.org_id == org_id, PendingPdf.created_at < clock.now() - PDF_LATE_AFTER)
    )
    found, oldest, failing = db.session.execute(stmt).one()
    return LatePdfs(found, oldest, failing)


def _steps(org_id: int, doc_type: DocType) -> int:
    stmt = sa.select(ChainStep.id).where(ChainStep.org_id == org_id, ChainStep.doc_type == doc_type)
    return count(stmt)
