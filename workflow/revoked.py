"""What is known of a memo's cancellation or replacement, read straight from `revocations`.

Kept apart from `workflow.revocations` (which drafts and approves the later memo, and so builds
on `workflow.documents`) so that the rounds, the circulation and the PDF freezer can ask without
importing the memo lifecycle back.
"""

import sqlalchemy as sa

from extensions import db, read_columns
from models import Revocation
from workflow.request_cache import per_request


def done_revocation(doc_id: int) -> Revocation | None:
    stmt = sa.select(Revocation).where(
        Revocation.target_id == doc_id, Revocation.done_at.is_not(None)
    )
    return db.session.scalars(stmt).first()


def revoked_ids(org_id: int) -> set[int]:
    """The organisation's memos cancelled or superseded by an approved later memo (few; read
    once per page)."""

    def read() -> set[int]:
        return set(read_columns(_REVOKED, {"org_id": org_id}).scalars())

    return per_request(("revoked_ids", org_id), read)


_REVOKED = sa.select(Revocation.target_id).where(  # built once
    Revocation.org_id == sa.bindparam("org_id"), Revocation.done_at.is_not(None)
)


def target_of(doc_id: int) -> int | None:
    """The memo that `doc_id` was drafted to cancel or supersede, if it was."""
    stmt = sa.select(Revocation.target_id).where(Revocation.document_id == doc_id)
    return db.session.scalar(stmt)
