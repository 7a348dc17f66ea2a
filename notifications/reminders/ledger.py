"""The reminders table as a ledger of claims. Every step is one statement that the database
settles atomically, so two runs at once (on two machines) never both hold one reminder:

- claim: INSERT ... ON CONFLICT DO NOTHING RETURNING id; the unique key decides who got it;
- reclaim: an unsent claim older than the lease is taken over by UPDATE ... RETURNING (on
  PostgreSQL the rows are picked FOR UPDATE SKIP LOCKED, so two runs split them without waiting);
- renew: a run that has held its claims for half the lease extends it before sending on;
- take: rows are sent only while still held by this run's token, and mark_sent / release
  change only such rows.

Claims are inserted in key order (the sources sort their candidates), so two runs inserting
the same keys at once wait for each other in one order and cannot deadlock.
"""

import json
import uuid
from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Row

import clock
from extensions import db
from models import Notification, Reminder, User
from notifications.reminders.common import recordset

LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 10  # a reminder that failed this many times stays unsent, with its last error
KEY = ("item_type", "item_id", "round_key", "kind", "recipient_id")
TEXT = (
    "org_id",
    "item_type",
    "item_id",
    "round_key",
    "kind",
    "recipient_id",
    "subject",
    "body",
    "url",
)

table = Reminder.__table__
c = table.c


class Ledger:
    def __init__(self) -> None:
        self.token = uuid.uuid4().hex
        self.held: set[int] = set()  # unsent reminders this run holds, to send at the end
        self.lease_from = None  # when the oldest claim this run holds was made or renewed

    def claim(self, rows: Sequence[dict]) -> list[Row]:
        """Insert new reminders claimed by this run; returns (id, kind) of the rows it won."""
        if not rows:
            return []
        now = clock.now()
        if db.session.get_bind().dialect.name == "postgresql":
            won = db.session.execute(
                _claim_postgresql(),
                {
                    "rows": json.dumps(rows, ensure_ascii=False),
                    "token": self.token,
                    "now": now,
                },
            ).all()
        else:
            values = [
                {**row, "claim_token": self.token, "claimed_at": now, "attempts": 0} for row in rows
            ]
            stmt = sqlite.insert(table).on_conflict_do_nothing(index_elements=KEY)
            won = db.session.execute(stmt.returning(c.id, c.kind), values).all()
        self._hold(row.id for row in won)
        return won

    def reclaim_stale(self) -> list[int]:
        """Take over unsent reminders whose claim expired (a crashed run, or a failed send)."""
        now = clock.now()
        stale = (c.sent_at.is_(None), c.claimed_at < now - LEASE, c.attempts < MAX_ATTEMPTS)
        pick = sa.select(c.id).where(*stale).with_for_update(skip_locked=True)
        stmt = (
            sa.update(table)
            .where(c.id.in_(pick.scalar_subquery()), *stale)
            .values(claim_token=self.token, claimed_at=now)
            .returning(c.id)
        )
        taken = list(db.session.execute(stmt).scalars())
        self._hold(taken)
        return taken

    def _hold(self, ids) -> None:
        self.held.update(ids)
        if self.lease_from is None and self.held:
            self.lease_from = clock.now()

    def drop(self, ids: Sequence[int]) -> None:
        """Forget retries that are no longer due (the document moved on, the report came in)."""
        for chunk in chunks(ids, 500):
            db.session.execute(
                sa.delete(table).where(
                    c.id.in_(chunk), c.claim_token == self.token, c.sent_at.is_(None)
                )
            )
        self.held.difference_update(ids)

    def refresh_statistics(self) -> None:
        """After a large batch of claims, let PostgreSQL see them, or it keeps planning as if
        few reminders were unsent and scans the unsent index instead of the primary key."""
        if len(self.held) >= 1000 and db.session.get_bind().dialect.name == "postgresql":
            db.session.execute(sa.text(f"ANALYZE {table.name}"))

    def renew_if_old(self) -> None:
        """Past half the lease, extend it on everything still held (one statement), so no
        other run can take over a claim while this run is still working through its batches."""
        now = clock.now()
        if self.lease_from is None or now - self.lease_from < LEASE / 2:
            return
        db.session.execute(
            sa.update(table)
            .where(c.claim_token == self.token, c.sent_at.is_(None))
            .values(claimed_at=now)
        )
        self.lease_from = now

    def take(self, ids: Sequence[int]) -> list[Row]:
        """The rows of `ids` still held by this run, with their recipients, for sending."""
        stmt = (
            sa.select(
                c.id,
                c.org_id,
                c.kind,
                c.recipient_id,
                c.subject,
                c.body,
                c.url,
                c.sent_at,
                c.claim_token,
                User.title,
                User.full_name,
                User.email,
                User.active,
            )
            .join(User, User.id == c.recipient_id)
            .where(_one_of(ids))
            .order_by(c.id)
        )
        # Held means claimed by this token and unsent; checked here rather than in the WHERE
        # so the primary key alone picks the rows. A person deactivated since the claim is
        # skipped: the claim expires and the next run's re-check forgets it.
        rows = db.session.execute(stmt).all()
        return [r for r in rows if r.claim_token == self.token and r.sent_at is None and r.active]

    def mark_sent(self, ids: Sequence[int]) -> set[int]:
        """Record the send and add the in-app notifications, for the rows still this run's;
        returns their ids."""
        if not ids:
            return set()
        now = clock.now()
        stmt = (
            sa.update(table)
            .where(_one_of(ids), c.claim_token == self.token, c.sent_at.is_(None))
            .values(sent_at=now)
            .returning(c.id)
        )
        marked = list(db.session.execute(stmt).scalars())
        if marked:
            notifications = Notification.__table__
            copy = sa.select(
                c.org_id,
                c.recipient_id,
                c.kind,
                c.subject,
                c.body,
                c.url,
                sa.bindparam("now", now, type_=c.sent_at.type),
            ).where(_one_of(marked))
            db.session.execute(
                notifications.insert().from_select(
                    ["org_id", "user_id", "kind", "title", "body", "url", "created_at"], copy
                )
            )
        return set(marked)

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


def _claim_postgresql() -> sa.Insert:
    """The batch travels as one JSON parameter (see common.recordset)."""
    ints = {"org_id", "item_id", "recipient_id"}
    batch = recordset("rows", {name: sa.Integer if name in ints else sa.Text for name in TEXT})
    rows = sa.select(
        *(batch.c[name] for name in TEXT),
        sa.bindparam("token", type_=sa.String),
        sa.bindparam("now", type_=c.claimed_at.type),
        sa.literal(0),
    )
    columns = [*TEXT, "claim_token", "claimed_at", "attempts"]
    stmt = postgresql.insert(table).from_select(columns, rows)
    return stmt.on_conflict_do_nothing(index_elements=KEY).returning(c.id, c.kind)


def _one_of(ids: Sequence[int]) -> sa.ColumnElement:
    """id IN (...); on PostgreSQL one array parameter (= ANY), which stays one short statement."""
    if db.session.get_bind().dialect.name == "postgresql":
        return c.id == sa.any_(sa.bindparam("ids", list(ids), type_=postgresql.ARRAY(sa.Integer)))
    return c.id.in_(list(ids))


def chunks(items: Sequence, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]
