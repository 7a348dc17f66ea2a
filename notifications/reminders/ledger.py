"""The reminders table as a ledger of claims. Every step is one statement that the database
settles atomically, so two runs at once (on two machines) never both hold one reminder:

- claim: INSERT ... ON CONFLICT DO NOTHING RETURNING id; the unique key decides who got it;
- reclaim: an unsent claim older than the lease is taken over by UPDATE ... RETURNING;
- renew: just before sending, the run extends its own lease, and skips rows it no longer holds;
- mark_sent / release: only rows still held by this run's token are changed.
"""

import uuid
from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Row

import clock
from extensions import db
from models import Reminder

LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 10  # a reminder that failed this many times stays unsent, with its last error
KEY = ("item_type", "item_id", "round_key", "kind", "recipient_id")

table = Reminder.__table__
c = table.c


class Ledger:
    def __init__(self) -> None:
        self.token = uuid.uuid4().hex

    def claim(self, rows: Sequence[dict]) -> list[Row]:
        """Insert new reminders claimed by this run; returns (id, kind) of the rows it won."""
        if not rows:
            return []
        now = clock.now()
        values = [
            {**row, "claim_token": self.token, "claimed_at": now, "attempts": 0} for row in rows
        ]
        stmt = _insert().on_conflict_do_nothing(index_elements=KEY).returning(c.id, c.kind)
        return db.session.execute(stmt, values).all()

    def reclaim_stale(self) -> list[int]:
        """Take over unsent reminders whose claim expired (a crashed run, or a failed send)."""
        now = clock.now()
        stmt = (
            sa.update(table)
            .where(c.sent_at.is_(None), c.claimed_at < now - LEASE, c.attempts < MAX_ATTEMPTS)
            .values(claim_token=self.token, claimed_at=now)
            .returning(c.id)
        )
        return list(db.session.execute(stmt).scalars())

    def drop(self, ids: Sequence[int]) -> None:
        """Forget retries that are no longer due (the document moved on, the report came in)."""
        for chunk in chunks(ids, 500):
            db.session.execute(
                sa.delete(table).where(
                    c.id.in_(chunk), c.claim_token == self.token, c.sent_at.is_(None)
                )
            )

    def held(self) -> list[int]:
        stmt = sa.select(c.id).where(c.claim_token == self.token, c.sent_at.is_(None))
        return list(db.session.execute(stmt.order_by(c.id)).scalars())

    def renew(self, ids: Sequence[int]) -> list[Row]:
        """Extend the lease on rows still held and return them for sending."""
        stmt = (
            sa.update(table)
            .where(c.id.in_(ids), c.claim_token == self.token, c.sent_at.is_(None))
            .values(claimed_at=clock.now())
            .returning(c.id, c.org_id, c.kind, c.recipient_id, c.subject, c.body, c.url)
        )
        return sorted(db.session.execute(stmt).all(), key=lambda row: row.id)

    def mark_sent(self, ids: Sequence[int]) -> set[int]:
        """Record the send; returns the ids that were still this run's to mark."""
        if not ids:
            return set()
        stmt = (
            sa.update(table)
            .where(c.id.in_(ids), c.claim_token == self.token, c.sent_at.is_(None))
            .values(sent_at=clock.now())
            .returning(c.id)
        )
        return set(db.session.execute(stmt).scalars())

    def release(self, failures: Sequence[tuple[int, str]]) -> None:
        """Give failed sends back, already past the lease, so the next run retries them."""
        if not failures:
            return
        stmt = (
            sa.update(table)
            .where(c.id == sa.bindparam("rid"), c.claim_token == self.token, c.sent_at.is_(None))
            .values(
                claimed_at=clock.now() - LEASE - timedelta(seconds=1),
                attempts=c.attempts + 1,
                last_error=sa.bindparam("error"),
            )
        )
        params = [{"rid": rid, "error": error[:500]} for rid, error in failures]
        db.session.execute(stmt, params)


def _insert():
    dialect = db.session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(table)


def chunks(items: Sequence, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]
