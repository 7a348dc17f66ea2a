"""The morning digest, on working days from 07:30 Bangkok (the organisation's holidays and
weekends skipped), one e-mail per person per day:

- what waits for them, the oldest first, and what is late at the steps below them (the home
  page's own lists, workflow/dashboard), and the report deadlines of this week: for everyone
  who holds or acts for a post in a signature chain (the executives);
- the events they chose to receive by digest rather than at once.

Each person's digest of a day is claimed by inserting its row (user, day) first, so two runs
never both send it; a failed send keeps its error on the row and the next run retries it.
`flask notify work --watch` works through the organisations in slices of a few seconds between
its instant sends, so a national morning pass never holds an arriving memo's e-mail back, and
once a day's pass is finished it does not walk the organisations again that day;
`flask notify digest` is the cron catch-up (the whole pass at once).
"""

import time as timer
from dataclasses import dataclass, field
from datetime import date, datetime, time

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

import clock
import thai
from extensions import db
from models import (
    ActingAssignment,
    ChainStep,
    DigestRun,
    NotifyDelivery,
    NotifyEvent,
    Organisation,
    User,
)
from notifications.mail import Mailer, MailError
from notifications.outbox.preferences import modes_of
from notifications.outbox.texts import text_of
from workflow.calendar import is_working_day
from workflow.dashboard.home import report_deadlines
from workflow.dashboard.waiting import moving_below, waiting_for_me
from workflow.holders import holders_of
from workflow.rounds import holiday_dates

SEND_FROM = time(7, 30)
THIS_WEEK_DAYS = 7


@dataclass
class DigestSummary:
    sent: int = 0
    failed: dict[int, str] = field(default_factory=dict)  # user id → error
    skipped_orgs: int = 0  # not a working day there
    # The last organisation done when the time given ran out; None: the pass reached the end.
    resume_after: int | None = None

    def describe(self) -> str:
        text = f"ส่งสรุปการแจ้งเตือนประจำวัน {self.sent:,} ฉบับ"
        if self.failed:
            text += f" ไม่สำเร็จ {len(self.failed):,} ฉบับ (จะลองใหม่ในรอบถัดไป)"
        if self.skipped_orgs:
            text += f" (วันนี้เป็นวันหยุดของ {self.skipped_orgs:,} องค์กร)"
        return text


@dataclass
class Digest:
    waiting: list = field(default_factory=list)
    late_below: list = field(default_factory=list)
    deadlines: list = field(default_factory=list)
    events: list[tuple[NotifyDelivery, NotifyEvent]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.waiting or self.late_below or self.deadlines or self.events)


def due_now(moment: datetime | None = None) -> bool:
    return clock.local(moment or clock.now()).time() >= SEND_FROM


def run(
    moment: datetime | None = None, *, after_org: int = 0, until: float | None = None
) -> DigestSummary:
    """Send today's digests that are due and not sent yet (nothing before 07:30).

    The organisations are taken in id order from after `after_org`; when `until` (a
    `time.monotonic()` value) passes, the run stops after the organisation in hand and says
    where to resume; each call does at least one organisation, so a pass always moves on.
    """
    summary = DigestSummary()
    if not due_now(moment):
        return summary
    today = clock.today()
    done = _done_today(today)
    org_ids = _orgs_with_someone_to_tell(today, after_org)
    last = after_org
    with Mailer(current_app.config) as mailer:
        for org_id in org_ids:
            if until is not None and last != after_org and timer.monotonic() >= until:
                summary.resume_after = last
                break
            last = org_id
            org = db.session.get(Organisation, org_id)
            if not is_working_day(today, holiday_dates(org.id, today, today)):
                summary.skipped_orgs += 1
                continue
            for user in _readers(org):
                if user.id not in done:
                    _send_one(mailer, org, user, today, summary)
    return summary


def _orgs_with_someone_to_tell(today: date, after_org: int) -> list[int]:
    """The organisations, in id order after `after_org`, where someone who may get a digest
    (`_readers`, loosely: a holder of or acting for a chain's post with an e-mail address, or
    someone with events kept for it) has none yet today: one query for the country, so a pass
    over organisations that are all done costs next to nothing."""
    not_done = ~sa.exists().where(
        DigestRun.user_id == User.id,
        DigestRun.day == today,
        sa.or_(DigestRun.sent_at.is_not(None), DigestRun.last_error.is_(None)),
    )
    has_email = sa.func.coalesce(sa.func.trim(User.email), "") != ""
    chain_posts = sa.select(ChainStep.position_id)
    holders = sa.select(User.org_id).where(
        User.active, has_email, not_done, User.position_id.in_(chain_posts)
    )
    acting = (
        sa.select(User.org_id)
        .join(ActingAssignment, ActingAssignment.user_id == User.id)
        .where(
            User.active,
            has_email,
            not_done,
            ActingAssignment.in_force(today),
            ActingAssignment.position_id.in_(chain_posts),
        )
    )
    kept = (
        sa.select(User.org_id)
        .join(NotifyDelivery, NotifyDelivery.user_id == User.id)
        .where(
            NotifyDelivery.status == "digest",
            NotifyDelivery.channel == "email",
            User.active,
            has_email,
            not_done,
        )
    )
    found = sa.union(holders, acting, kept).subquery()
    return db.session.scalars(
        sa.select(found.c.org_id).where(found.c.org_id > after_org).order_by(found.c.org_id)
    ).all()


def _done_today(today: date) -> set[int]:
    """Who has today's digest already: sent, or claimed by a run still sending it."""
    return set(
        db.session.scalars(
            sa.select(DigestRun.user_id).where(
                DigestRun.day == today,
                sa.or_(DigestRun.sent_at.is_not(None), DigestRun.last_error.is_(None)),
            )
        )
    )


def _readers(org: Organisation) -> list[User]:
    """Who may get a digest: signers of the chains and those with events kept for it, who
    have an e-mail address and have not switched e-mail off."""
    posts = set(
        db.session.scalars(sa.select(ChainStep.position_id).where(ChainStep.org_id == org.id))
    )
    signers = {h.user_id for people in holders_of(org.id, posts).values() for h in people}
    kept = set(
        db.session.scalars(
            sa.select(NotifyDelivery.user_id).where(
                NotifyDelivery.org_id == org.id,
                NotifyDelivery.status == "digest",
                NotifyDelivery.channel == "email",
            )
        )
    )
    ids = sorted(signers | kept)
    modes = modes_of(ids)
    people = db.session.scalars(sa.select(User).where(User.id.in_(ids), User.active)).all()
    return [u for u in people if (u.email or "").strip() and modes[u.id, "email"] != "off"]


def _send_one(mailer: Mailer, org: Organisation, user: User, today: date, summary) -> None:
    if not _claim(user.id, today):
        return
    try:
        digest = _collect(user)
        if digest:
            subject, plain, html = _render(org, user, digest, today)
            mailer.send((user.display_name, user.email), subject, plain, html)
            mailer.flush()
            for delivery, _ in digest.events:
                delivery.status, delivery.sent_at = "sent", clock.now()
            summary.sent += 1
        row = db.session.get(DigestRun, (user.id, today))
        row.sent_at, row.last_error = clock.now(), None
    except Exception as error:  # one person's digest never stops the others'
        db.session.rollback()
        if not isinstance(error, MailError):
            current_app.logger.exception("digest to user %s failed", user.id)
        message = f"{error}" if isinstance(error, MailError) else f"{type(error).__name__}: {error}"
        db.session.execute(
            sa.update(DigestRun)
            .where(DigestRun.user_id == user.id, DigestRun.day == today)
            .values(last_error=message[:500])
        )
        summary.failed[user.id] = message
    db.session.commit()


def _claim(user_id: int, today: date) -> bool:
    """Insert the day's row (the unique key decides), or take back one whose send failed."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    inserted = db.session.execute(
        dialect.insert(DigestRun)
        .values(user_id=user_id, day=today)
        .on_conflict_do_nothing()
        .returning(DigestRun.user_id)
    ).first()
    if inserted is None:
        inserted = db.session.execute(
            sa.update(DigestRun)
            .where(
                DigestRun.user_id == user_id,
                DigestRun.day == today,
                DigestRun.sent_at.is_(None),
                DigestRun.last_error.is_not(None),
            )
            .values(last_error=None)
            .returning(DigestRun.user_id)
        ).first()
    db.session.commit()
    return inserted is not None


def _collect(user: User) -> Digest:
    week_end = clock.today().toordinal() + THIS_WEEK_DAYS
    events = db.session.execute(
        sa.select(NotifyDelivery, NotifyEvent)
        .join(NotifyEvent, NotifyEvent.id == NotifyDelivery.event_id)
        .where(
            NotifyDelivery.user_id == user.id,
            NotifyDelivery.status == "digest",
            NotifyDelivery.channel == "email",
        )
        .order_by(NotifyDelivery.id)
    ).all()
    return Digest(
        waiting=waiting_for_me(user),
        late_below=[w for w in moving_below(user) if w.late],
        deadlines=[d for d in report_deadlines(user) if d.round.due_date.toordinal() <= week_end],
        events=[tuple(row) for row in events],
    )


def _render(org: Organisation, user: User, digest: Digest, today: date) -> tuple[str, str, str]:
    digits = org.thai_digits
    base_url = (current_app.config.get("BASE_URL") or "").rstrip("/")
    day = thai.format_date(today, digits)
    subject = f"สรุปงานประจำวันที่ {day}"
    events = [text_of(event, digits) for _, event in digest.events]
    context = {
        "name": user.display_name,
        "day": day,
        "digest": digest,
        "events": events,
        "base_url": base_url,
        "digits": lambda s: thai.digits(s, digits),
        "date": lambda d: thai.format_date(d, digits),
    }
    env = current_app.jinja_env
    plain = env.get_template("notifications/mail/digest.txt").render(**context)
    html = env.get_template("notifications/mail/digest.html").render(**context)
    return subject, plain, html
