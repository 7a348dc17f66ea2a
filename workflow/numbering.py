"""Document numbers (ที่): a per-organisation, per-fiscal-year running sequence.

The counter row is locked and bumped inside the submitting transaction, so a rollback
rolls the number back too: no gaps, and a number once committed is never given again.
"""

import sqlalchemy as sa

from extensions import db, insert_ignoring_duplicates
from models import Document, NumberCounter


def _locked_counter(org_id: int, fiscal_year: int) -> NumberCounter:
    db.session.execute(
        insert_ignoring_duplicates(NumberCounter).values(
            org_id=org_id, fiscal_year=fiscal_year, last_seq=0
        )
    )
    stmt = (
        sa.select(NumberCounter)
        .where(NumberCounter.org_id == org_id, NumberCounter.fiscal_year == fiscal_year)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return db.session.scalars(stmt).one()


def _used(org_id: int, fiscal_year: int, from_seq: int) -> set[int]:
    stmt = sa.select(Document.number_seq).where(
        Document.org_id == org_id,
        Document.fiscal_year == fiscal_year,
        Document.number_seq >= from_seq,
    )
    return set(db.session.scalars(stmt))


def allocate(org_id: int, fiscal_year: int) -> int:
    """The next free running number; skips numbers an admin set by hand."""
    counter = _locked_counter(org_id, fiscal_year)
    seq = counter.last_seq + 1
    used = _used(org_id, fiscal_year, seq)
    while seq in used:
        seq += 1
    counter.last_seq = seq
    return seq


def last_used(org_id: int, fiscal_year: int) -> int:
    counter = db.session.get(NumberCounter, (org_id, fiscal_year))
    return counter.last_seq if counter else 0


def is_taken(org_id: int, fiscal_year: int, seq: int, except_doc: int | None = None) -> bool:
    stmt = sa.select(Document.id).where(
        Document.org_id == org_id,
        Document.fiscal_year == fiscal_year,
        Document.number_seq == seq,
    )
    if except_doc is not None:
        stmt = stmt.where(Document.id != except_doc)
    return db.session.scalar(stmt.limit(1)) is not None


def move_counter_forward(org_id: int, fiscal_year: int, next_seq: int) -> None:
    """Make `next_seq` the next number given (a paper register used the ones before it)."""
    counter = _locked_counter(org_id, fiscal_year)
    if next_seq <= counter.last_seq:
        raise ValueError(f"เลขถัดไปต้องมากกว่าเลขที่ใช้ไปแล้ว ({counter.last_seq}) เพราะเลขที่หนังสือใช้ซ้ำไม่ได้")
    counter.last_seq = next_seq - 1
