"""Sending what the outbox holds: `flask notify work [--watch]` and `flask notify pending`.

Any number of senders may run, on one machine or several. A sender claims a batch of due
deliveries in one statement (the rows picked FOR UPDATE SKIP LOCKED, then stamped with its
token and the time), commits, sends them, and records each result only on rows still carrying
its token; so two senders never hold one delivery, and the unique (event, person, channel)
row is sent once. A claim left by a sender killed mid-send is taken over after the lease. A
failed send is retried after 1, 2, 4 … 60 minutes, its error kept on the row, and after
MAX_ATTEMPTS it stays `failed`; a failure never stops the other deliveries.
"""

import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app

import clock
from extensions import db
from models import NotifyDelivery, NotifyEvent, Organisation, User
from notifications.mail import Mailer, MailError
from notifications.outbox import digest, line
from notifications.outbox.events import add_email_delivery
from notifications.outbox.texts import mail_parts, text_of

BATCH = 50
LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 8
MAX_RETRY_MINUTES = 60
DIGEST_EVERY_SECONDS = 60
# A digest slice's length: instant deliveries wait at most about this long behind a pass.
DIGEST_SLICE_SECONDS = 2.0
DIGEST_RETRY_SECONDS = 600

table = NotifyDelivery.__table__
c = table.c


@dataclass
class SendRun:
    sent: Counter = field(default_factory=Counter)  # per channel
    failed: dict[int, str] = field(default_factory=dict)  # delivery id → error
    fell_back: int = 0  # LINE deliveries turned into e-mails

    def describe(self) -> str:
        parts = [f"{name} {count:,}" for name, count in sorted(self.sent.items())]
        line_ = "ส่งการแจ้งเตือนแล้ว " + (" ".join(parts) if parts else "0") + " รายการ"
        if self.fell_back:
            line_ += f" ส่งทางอีเมลแทน LINE {self.fell_back:,} รายการ"
        if self.failed:
            line_ += f" ไม่สำเร็จ {len(self.failed):,} รายการ (จะลองใหม่ภายหลัง)"
        return line_


class Sender:
    """One sending pass's token and connections (one SMTP connection for the whole pass)."""

    def __init__(self) -> None:
        self.token = uuid.uuid4().hex
        self.config = current_app.config
        self.base_url = (self.config.get("BASE_URL") or "").rstrip("/")
        self.mailer = Mailer(self.config)
        self.run = SendRun()

    def close(self) -> None:
        self.mailer.close()

    def claim(self, event_ids: Sequence[int] | None = None, limit: int = BATCH) -> list[int]:
        """Stamp up to `limit` due deliveries with this pass's token; commits."""
        now = clock.now()
        due = (
            c.status == "pending",
            sa.or_(c.retry_at.is_(None), c.retry_at <= now),
            sa.or_(c.claimed_at.is_(None), c.claimed_at < now - LEASE),
        )
        pick = sa.select(c.id).where(*due).order_by(c.id).limit(limit)
        if event_ids is not None:
            pick = pick.where(c.event_id.in_(list(event_ids)))
        # A CTE, not `id IN (subquery)`: PostgreSQL may run such a subquery more than once
        # in one UPDATE, and then LIMIT no longer limits what one sender takes.
        picked = pick.with_for_update(skip_locked=True).cte("picked")
        stmt = (
            sa.update(table)
            .where(c.id == picked.c.id, *due)
            .values(claim_token=self.token, claimed_at=now)
            .returning(c.id)
        )
        taken = sorted(db.session.execute(stmt).scalars())
        db.session.commit()
        return taken

    def send(self, ids: Sequence[int]) -> None:
        """Send each claimed delivery and record its result, one commit each (a crash repeats
        at most the message in hand); one failure stops nothing."""
        postgresql_ = db.session.get_bind().dialect.name == "postgresql"
        for delivery, event, user, thai_digits in self._load(ids):
            if postgresql_:
                # A result lost to a database crash only means a resend after the lease, as a
                # crash before the commit would: no need to wait for the disk on each one.
                db.session.execute(sa.text("SET LOCAL synchronous_commit TO OFF"))
            try:
                self._send_one(delivery, event, user, thai_digits)
            except line.FallBack as reason:
                self._fall_back(delivery, str(reason))
            except (MailError, line.LineError) as error:
                self._failed(delivery, str(error))
            except Exception as error:  # a bug or bad data in one row must not stop the rest
                current_app.logger.exception("notification delivery %s failed", delivery.id)
                self._failed(delivery, f"{type(error).__name__}: {error}")
            else:
                self._sent(delivery)
            db.session.commit()
        self.mailer.flush()

    def _load(self, ids: Sequence[int]) -> list:
        """The claimed rows still this pass's, with their events and people (one query)."""
        stmt = (
            sa.select(NotifyDelivery, NotifyEvent, User, Organisation.thai_digits)
            .join(NotifyEvent, NotifyEvent.id == NotifyDelivery.event_id)
            .join(User, User.id == NotifyDelivery.user_id)
            .join(Organisation, Organisation.id == NotifyDelivery.org_id)
            .where(NotifyDelivery.id.in_(list(ids)), NotifyDelivery.claim_token == self.token)
            .where(NotifyDelivery.status == "pending")
            .order_by(NotifyDelivery.id)
        )
        rows = [
            tuple(r) for r in db.session.execute(stmt.execution_options(populate_existing=True))
        ]
        db.session.expunge_all()  # plain snapshots: the commits below must not reload them
        db.session.commit()
        return rows

    def _send_one(self, delivery, event, user, thai_digits: bool) -> None:
        text = text_of(event, thai_digits)
        if not user.active:
            raise MailError("ผู้รับถูกปิดการใช้งานแล้ว")
        if delivery.channel == "email":
            plain, html = mail_parts(text, user.display_name, self.base_url)
            self.mailer.send((user.display_name, user.email), text.title, plain, html)
        else:
            line.push(delivery, text, self.base_url)

    def _record(self, delivery: NotifyDelivery, **values) -> None:
        """Change the row only while this pass still holds it."""
        db.session.execute(
            sa.update(table)
            .where(c.id == delivery.id, c.claim_token == self.token)
            .values(claim_token=None, **values)
        )

    def _sent(self, delivery: NotifyDelivery) -> None:
        self._record(delivery, status="sent", sent_at=clock.now(), last_error=None)
        self.run.sent[delivery.channel] += 1

    def _failed(self, delivery: NotifyDelivery, error: str) -> None:
        attempts = delivery.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            values = {"status": "failed"}
        else:
            wait = min(2 ** (attempts - 1), MAX_RETRY_MINUTES)
            values = {"retry_at": clock.now() + timedelta(minutes=wait)}
        self._record(delivery, attempts=attempts, last_error=error[:500], claimed_at=None, **values)
        self.run.failed[delivery.id] = error

    def _fall_back(self, delivery: NotifyDelivery, reason: str) -> None:
        """LINE cannot take it (quota nearly spent, or 429): send it by e-mail instead."""
        self._record(delivery, status="fallback", last_error=reason[:500])
        email = db.session.scalar(sa.select(User.email).where(User.id == delivery.user_id))
        if (email or "").strip():
            add_email_delivery(delivery)
        self.run.fell_back += 1


def run_once(
    event_ids: Sequence[int] | None = None, stop: Callable[[], bool] = lambda: False
) -> SendRun:
    """Send every due delivery (of `event_ids` only, when given); stop between batches."""
    sender = Sender()
    try:
        while not stop():
            ids = sender.claim(event_ids)
            if not ids:
                break
            sender.send(ids)
    finally:
        sender.close()
    return sender.run


def watch(interval: float, stop: Callable[[], bool]) -> None:
    """Keep sending as events arrive, looking every `interval` seconds when idle; between
    sends, work through the morning digests in slices (digest.py)."""
    pass_ = DigestPass()
    while not stop():
        pass_.step()
        run = run_once(stop=stop)
        log = current_app.logger
        if run.sent or run.failed or run.fell_back:
            log.info(run.describe())
        for delivery_id, error in run.failed.items():
            log.warning("notification delivery %s failed: %s", delivery_id, error)
        if not run.sent and not pass_.in_progress:
            _sleep(interval, stop)


class DigestPass:
    """The watcher's morning digests: a slice of organisations at a time, so instant deliveries
    wait seconds, not the whole pass; a day's finished pass is walked again only after
    digest.ABANDONED_AFTER, for the claims of a run that died mid-send (one with failures is
    retried after DIGEST_RETRY_SECONDS)."""

    def __init__(self) -> None:
        self.resume_after: int | None = None  # mid-pass: the last organisation done
        self.finished_day: date | None = None
        self.next_check = 0.0
        self.recheck_at = 0.0  # a finished day: when to look for abandoned claims

    @property
    def in_progress(self) -> bool:
        return self.resume_after is not None

    def step(self) -> None:
        now = time.monotonic()
        if not self.in_progress:
            if self.finished_day == clock.today():
                if now < self.recheck_at:
                    return
            elif now < self.next_check:
                return
        self.next_check = now + DIGEST_EVERY_SECONDS
        summary = digest.run(after_org=self.resume_after or 0, until=now + DIGEST_SLICE_SECONDS)
        if summary.sent or summary.failed:
            current_app.logger.info(summary.describe())
        self.resume_after = summary.resume_after
        if summary.resume_after is None and digest.due_now():
            if summary.failed:
                self.finished_day, self.next_check = None, now + DIGEST_RETRY_SECONDS
            else:
                self.finished_day = clock.today()
                self.recheck_at = now + digest.ABANDONED_AFTER.total_seconds()


def pending(limit: int = 200) -> list[tuple[NotifyDelivery, NotifyEvent, User]]:
    """What waits (pending or digest) or gave up (failed), oldest first."""
    stmt = (
        sa.select(NotifyDelivery, NotifyEvent, User)
        .join(NotifyEvent, NotifyEvent.id == NotifyDelivery.event_id)
        .join(User, User.id == NotifyDelivery.user_id)
        .where(NotifyDelivery.status.in_(("pending", "digest", "failed")))
        .order_by(NotifyDelivery.id)
        .limit(limit)
    )
    return [tuple(row) for row in db.session.execute(stmt)]


def _sleep(seconds: float, stop: Callable[[], bool]) -> None:
    end = time.monotonic() + seconds
    while not stop() and time.monotonic() < end:
        time.sleep(min(0.2, end - time.monotonic()))
