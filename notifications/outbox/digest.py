"""The morning digest, on working days from 07:30 Bangkok (the organisation's holidays and
weekends skipped), at most once a day per person and channel:

- what waits for them, the oldest first, and what is late at the steps below them (the home
  page's own lists, workflow/dashboard), and the report deadlines of this week: for everyone
  who holds or acts for a post in a signature chain (the executives);
- the events they chose to receive by digest rather than at once.

It goes by e-mail unless the person switched e-mail off, and as one short LINE push to the
executives who chose the LINE digest and to whoever keeps events for it; `collect` gathers what
it says, texts.py renders it for each channel. A LINE digest counts in the organisation's
monthly meter and, like an instant push, goes by e-mail when the quota is nearly spent or LINE
answers 429: its events join the person's e-mail digest of the day, sent to them even if they
take no e-mail digest (or sent at once, when that digest has gone already).

Each digest is claimed by inserting its row (user, day, channel) first, so two runs never both
send it; a failed send keeps its error on the row and the next run retries it (on LINE with the
same X-Line-Retry-Key, so a retry never shows twice), and so does a claim left neither sent nor
failed for ABANDONED_AFTER (its run died mid-send: a restart or a deploy at 07:31). `flask notify work --watch` works through
the organisations in slices of a few seconds between its instant sends, so a national morning
pass never holds an arriving memo's e-mail back, and once a day's pass is finished it does not
walk the organisations again that day; `flask notify digest` is the cron catch-up (the whole
pass at once).
"""

import time as timer
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

import clock
from extensions import db
from models import (
    ActingAssignment,
    ChainStep,
    DigestRun,
    LineChannel,
    LineLink,
    NotifyDelivery,
    NotifyEvent,
    Organisation,
    User,
)
from notifications.mail import Mailer, MailError
from notifications.outbox import line
from notifications.outbox.events import add_email_delivery
from notifications.outbox.preferences import modes_of
from notifications.outbox.texts import digest_line_message, digest_mail_parts
from workflow.calendar import is_working_day
from workflow.dashboard.home import report_deadlines
from workflow.dashboard.waiting import moving_below, waiting_for_me
from workflow.holders import holders_of
from workflow.rounds import holiday_dates

SEND_FROM = time(7, 30)
THIS_WEEK_DAYS = 7
# A live send ends long before this (MAIL_TIMEOUT bounds each SMTP step, LINE's client its
# call): a claim neither sent nor failed after it belongs to a run that died, and is retried.
ABANDONED_AFTER = timedelta(minutes=15)
EMAIL, LINE = "email", "line"


@dataclass
class DigestSummary:
    sent: int = 0  # digests sent, on either channel
    pushed: int = 0  # of which on LINE
    fell_back: int = 0  # LINE digests handed to e-mail
    failed: dict[tuple[int, str], str] = field(default_factory=dict)  # (user id, channel) → error
    skipped_orgs: int = 0  # not a working day there
    # The last organisation done when the time given ran out; None: the pass reached the end.
    resume_after: int | None = None

    def describe(self) -> str:
        text = f"ส่งสรุปการแจ้งเตือนประจำวัน {self.sent:,} ฉบับ"
        if self.pushed:
            text += f" (ทาง LINE {self.pushed:,} ฉบับ)"
        if self.fell_back:
            text += f" ส่งทางอีเมลแทน LINE {self.fell_back:,} ฉบับ"
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
            for user, channels in _readers(org):
                channels = {c for c in channels if (user.id, c) not in done}
                fell_back = LINE in channels and _send_line(org, user, today, summary)
                if EMAIL in channels or (fell_back and _has_address(user)):
                    _send_mail(mailer, org, user, today, summary)
    return summary


def _orgs_with_someone_to_tell(today: date, after_org: int) -> list[int]:
    """The organisations, in id order after `after_org`, where someone who may get a digest
    (`_readers`, loosely: a holder of or acting for a chain's post with an e-mail address or a
    linked LINE account, or someone with events kept for it) has not had it yet today on that
    channel: one query for the country, so a pass over organisations all told costs next to
    nothing."""

    def not_done(channel) -> sa.ColumnElement[bool]:
        return ~sa.exists().where(
            DigestRun.user_id == User.id, DigestRun.channel == channel, _taken(today)
        )

    has_email = sa.func.coalesce(sa.func.trim(User.email), "") != ""
    has_line = sa.exists().where(LineLink.user_id == User.id, LineLink.line_user_id.is_not(None))
    someone = sa.or_(sa.and_(has_email, not_done(EMAIL)), sa.and_(has_line, not_done(LINE)))
    chain_posts = sa.select(ChainStep.position_id)
    holders = sa.select(User.org_id).where(User.active, someone, User.position_id.in_(chain_posts))
    acting = (
        sa.select(User.org_id)
        .join(ActingAssignment, ActingAssignment.user_id == User.id)
        .where(
            User.active,
            someone,
            ActingAssignment.in_force(today),
            ActingAssignment.position_id.in_(chain_posts),
        )
    )
    kept = (
        sa.select(User.org_id)
        .join(NotifyDelivery, NotifyDelivery.user_id == User.id)
        .where(NotifyDelivery.status == "digest", User.active, not_done(NotifyDelivery.channel))
    )
    found = sa.union(holders, acting, kept).subquery()
    return db.session.scalars(
        sa.select(found.c.org_id).where(found.c.org_id > after_org).order_by(found.c.org_id)
    ).all()


def _done_today(today: date) -> set[tuple[int, str]]:
    """Whose digest of today went on which channel, or is being sent by another run."""
    stmt = sa.select(DigestRun.user_id, DigestRun.channel).where(_taken(today))
    return {(user_id, channel) for user_id, channel in db.session.execute(stmt)}


def _taken(today: date) -> sa.ColumnElement[bool]:
    """A digest run of today that went, or that another run has claimed and is sending (a
    failed one, with its error kept, or an abandoned claim is free to be taken again)."""
    return sa.and_(
        DigestRun.day == today,
        sa.or_(DigestRun.sent_at.is_not(None), sa.not_(_free_to_retry())),
    )


def _free_to_retry() -> sa.ColumnElement[bool]:
    """Not sent, and either failed (its error kept) or claimed so long ago that the run which
    claimed it must have died (a claim from before claims had a time counts as in hand)."""
    return sa.and_(
        DigestRun.sent_at.is_(None),
        sa.or_(
            DigestRun.last_error.is_not(None),
            DigestRun.claimed_at < clock.now() - ABANDONED_AFTER,
        ),
    )


def _readers(org: Organisation) -> list[tuple[User, set[str]]]:
    """Who gets a digest today, on which channels: the signers of the chains and those with
    events kept for it; by e-mail when they have an address and have not switched e-mail off,
    on LINE when they chose the LINE digest and are linked (or keep events for it)."""
    posts = set(
        db.session.scalars(sa.select(ChainStep.position_id).where(ChainStep.org_id == org.id))
    )
    signers = {h.user_id for people in holders_of(org.id, posts).values() for h in people}
    kept = _kept(org.id)
    ids = sorted(signers | kept[EMAIL] | kept[LINE])
    modes = modes_of(ids)
    linked = _linked(org.id)
    people = db.session.scalars(
        sa.select(User).where(User.id.in_(ids), User.active).order_by(User.id)
    ).all()
    by_line = {u for u in signers & linked if modes[u, LINE] == "digest"} | kept[LINE]
    readers = []
    for user in people:
        channels = set()
        if user.id in signers | kept[EMAIL] and _has_address(user):
            channels.add(EMAIL)
        if user.id in by_line:
            channels.add(LINE)
        channels = {c for c in channels if modes[user.id, c] != "off"}
        if channels:
            readers.append((user, channels))
    return readers


def _kept(org_id: int) -> dict[str, set[int]]:
    """Per channel, the people with events waiting for their digest."""
    stmt = (
        sa.select(NotifyDelivery.channel, NotifyDelivery.user_id)
        .where(NotifyDelivery.org_id == org_id, NotifyDelivery.status == "digest")
        .distinct()
    )
    kept: dict[str, set[int]] = {EMAIL: set(), LINE: set()}
    for channel, user_id in db.session.execute(stmt):
        kept[channel].add(user_id)
    return kept


def _linked(org_id: int) -> set[int]:
    """The people a LINE push can reach (a linked account; the organisation has a channel)."""
    if db.session.get(LineChannel, org_id) is None:
        return set()
    stmt = sa.select(LineLink.user_id).where(
        LineLink.org_id == org_id, LineLink.line_user_id.is_not(None)
    )
    return set(db.session.scalars(stmt))


def _has_address(user: User) -> bool:
    return bool((user.email or "").strip())


def _send_mail(
    mailer: Mailer, org: Organisation, user: User, today: date, summary: DigestSummary
) -> None:
    def send() -> None:
        digest = collect(user, EMAIL)
        if digest:
            subject, plain, html = digest_mail_parts(org, user, digest, today, _base_url())
            mailer.send((user.display_name, user.email), subject, plain, html)
            mailer.flush()
            _mark_sent(digest)
            summary.sent += 1

    _attempt(user, today, EMAIL, send, summary)


def _send_line(org: Organisation, user: User, today: date, summary: DigestSummary) -> bool:
    """The person's LINE digest; True when LINE could not take it and it goes by e-mail."""

    def send() -> str | None:
        digest = collect(user, LINE)
        if not digest:
            return None
        message = digest_line_message(org, digest, today, _base_url())
        try:
            line.push_text(org.id, user.id, message, line.digest_retry_key(user.id, today))
        except line.FallBack as reason:
            _hand_to_mail(user, today, digest, str(reason))
            summary.fell_back += 1
            return f"ส่งทางอีเมลแทน: {reason}"
        _mark_sent(digest)
        summary.sent += 1
        summary.pushed += 1
        return None

    return _attempt(user, today, LINE, send, summary) is not None


def _hand_to_mail(user: User, today: date, digest: Digest, reason: str) -> None:
    """LINE cannot take the digest: its events go by e-mail instead, as an instant push's do;
    in today's e-mail digest, or at once when that has gone already."""
    mailed = db.session.scalar(sa.select(DigestRun.sent_at).where(_run_of(user.id, today, EMAIL)))
    for delivery, _ in digest.events:
        delivery.status, delivery.last_error = "fallback", reason[:500]
        if _has_address(user):
            add_email_delivery(delivery, status="pending" if mailed else "digest")


def _attempt(
    user: User,
    today: date,
    channel: str,
    send: Callable[[], str | None],
    summary: DigestSummary,
) -> str | None:
    """Claim the person's digest of the day on `channel`, then `send` it; a failure is kept on
    the claim for the next run and never stops the others'. Returns what `send` noted (LINE:
    why it went by e-mail instead), kept on the row."""
    if not _claim(user.id, today, channel):
        return None
    note = None
    try:
        note = send()
        row = db.session.get(DigestRun, (user.id, today, channel))
        row.sent_at, row.last_error = clock.now(), note[:500] if note else None
    except Exception as error:  # one person's digest never stops the others'
        db.session.rollback()
        expected = isinstance(error, MailError | line.LineError)
        if not expected:
            current_app.logger.exception("%s digest to user %s failed", channel, user.id)
        message = f"{error}" if expected else f"{type(error).__name__}: {error}"
        db.session.execute(
            sa.update(DigestRun)
            .where(_run_of(user.id, today, channel))
            .values(last_error=message[:500])
        )
        summary.failed[user.id, channel] = message
    db.session.commit()
    return note


def _run_of(user_id: int, today: date, channel: str) -> sa.ColumnElement[bool]:
    return sa.and_(
        DigestRun.user_id == user_id, DigestRun.day == today, DigestRun.channel == channel
    )


def _claim(user_id: int, today: date, channel: str) -> bool:
    """Insert the day's row (the unique key decides), or take back one whose send failed or
    whose run died."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    now = clock.now()
    inserted = db.session.execute(
        dialect.insert(DigestRun)
        .values(user_id=user_id, day=today, channel=channel, claimed_at=now)
        .on_conflict_do_nothing()
        .returning(DigestRun.user_id)
    ).first()
    if inserted is None:
        inserted = db.session.execute(
            sa.update(DigestRun)
            .where(_run_of(user_id, today, channel), _free_to_retry())
            .values(last_error=None, claimed_at=now)
            .returning(DigestRun.user_id)
        ).first()
    db.session.commit()
    return inserted is not None


def collect(user: User, channel: str) -> Digest:
    """What the person's digest of today says on `channel`: what waits for them, what is late
    below them, this week's deadlines, and the events kept for that channel's digest."""
    week_end = clock.today().toordinal() + THIS_WEEK_DAYS
    events = db.session.execute(
        sa.select(NotifyDelivery, NotifyEvent)
        .join(NotifyEvent, NotifyEvent.id == NotifyDelivery.event_id)
        .where(
            NotifyDelivery.user_id == user.id,
            NotifyDelivery.status == "digest",
            NotifyDelivery.channel == channel,
        )
        .order_by(NotifyDelivery.id)
    ).all()
    return Digest(
        waiting=waiting_for_me(user),
        late_below=[w for w in moving_below(user) if w.late],
        deadlines=[d for d in report_deadlines(user) if d.round.due_date.toordinal() <= week_end],
        events=[tuple(row) for row in events],
    )


def _mark_sent(digest: Digest) -> None:
    for delivery, _ in digest.events:
        delivery.status, delivery.sent_at = "sent", clock.now()


def _base_url() -> str:
    return (current_app.config.get("BASE_URL") or "").rstrip("/")
