"""Drain a backlog of e-mail deliveries of the notification outbox to an SMTP sink on loopback
with several senders at once, e.g.

    .venv/bin/python -m bench.notify_backlog --count 10000 --workers 2

Builds its own schema (default ita_bench_notify: dropped and re-created) with the migrations
and the demo organisation, writes --count events with one e-mail delivery each (to the demo's
drafter, Thai text as the app writes it), starts a counting SMTP sink (aiosmtpd) in this
process, then --workers sender processes (`notifications.outbox.sender.run_once`, what
`flask notify work` runs) at the same moment. Reports the wall time until the backlog is
drained, messages per second, what each sender sent, and checks that every delivery reached
the sink exactly once and is marked sent once.

With --latency N it measures instead what a user waits for: one sender runs as the service
does (`sender.watch`, looking every second when idle) while this process commits N events,
one every --gap seconds, each with its e-mail delivery; it reports the time from each commit
to the message reaching the SMTP sink (p50, p95, max).
"""

import multiprocessing
import re
import socket
import sys
import time
from email import message_from_bytes, policy

import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask_migrate import upgrade
from psycopg import sql

import demo
from app import create_app
from bench.common import MIGRATIONS, argument_parser, bench_config, checked_schema, connect
from extensions import db
from models import NotifyDelivery, NotifyEvent, User

DEFAULT_SCHEMA = "ita_bench_notify"


class TimingSink:
    """Notes when each message arrives (the events are committed one at a time, so the n-th
    message to arrive is the n-th event's)."""

    def __init__(self) -> None:
        self.arrived: list[float] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.arrived.append(time.monotonic())
        return "250 OK"


class CountingSink:
    """Keeps the raw messages; they are read after the run, so the sink (in this process)
    takes as little CPU as it can from the senders while they work."""

    def __init__(self) -> None:
        self.raw: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.raw.append(envelope.content)
        return "250 OK"

    @property
    def comments(self) -> list[str]:
        found = []
        for raw in self.raw:
            msg = message_from_bytes(raw, policy=policy.default)
            text = msg.get_body(("plain",)).get_content()
            match = re.search(r"รายการ [0-9๐-๙]+", text)
            found.append(match.group(0) if match else "?")
        return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def build(url: str, schema: str, count: int) -> None:
    with connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    app = create_app(bench_config(url, schema))
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        demo.create_demo()
        db.session.commit()
        drafter = db.session.scalars(sa.select(User).where(User.username == "nattanipa")).one()
        memo_id = db.session.scalar(sa.text("SELECT min(id) FROM documents"))
        events = [
            {
                "org_id": drafter.org_id,
                "document_id": memo_id,
                "kind": "returned",
                "actor_name": "นางธัญญารัตน์ โคนุช",
                "number": "สร 83201/1180",
                "subject": "รายงานผลการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส",
                "decision": "",
                "comment": f"รายการ {n}",
                "step_title": "",
            }
            for n in range(count)
        ]
        if not events:
            return
        ids = (
            db.session.execute(
                sa.insert(NotifyEvent).returning(NotifyEvent.id, sort_by_parameter_order=True),
                events,
            )
            .scalars()
            .all()
        )
        db.session.execute(
            sa.insert(NotifyDelivery),
            [
                {"event_id": i, "org_id": drafter.org_id, "user_id": drafter.id,
                 "channel": "email", "status": "pending", "attempts": 0}
                for i in ids
            ],
        )  # fmt: skip
        db.session.commit()


def work(url: str, schema: str, port: int, start, results) -> None:
    app = create_app(
        bench_config(url, schema, MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
    )
    with app.app_context():
        from notifications.outbox import sender

        start.wait()
        began = time.monotonic()
        run = sender.run_once()
        results.put((run.sent["email"], len(run.failed), time.monotonic() - began))


def watcher(url: str, schema: str, port: int, stop) -> None:
    app = create_app(
        bench_config(url, schema, MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
    )
    with app.app_context():
        from notifications.outbox import sender

        sender.watch(1.0, stop=stop.is_set)


def latency(args, schema: str) -> None:
    build(args.database_url, schema, 0)
    handler = TimingSink()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    ctx = multiprocessing.get_context("fork")
    stop = ctx.Event()
    proc = ctx.Process(target=watcher, args=(args.database_url, schema, port, stop))
    proc.start()
    app = create_app(bench_config(args.database_url, schema))
    committed: list[float] = []
    with app.app_context():
        drafter = db.session.scalars(sa.select(User).where(User.username == "nattanipa")).one()
        memo_id = db.session.scalar(sa.text("SELECT min(id) FROM documents"))
        time.sleep(2)  # the watcher is up and idle
        for n in range(args.latency):
            event = NotifyEvent(
                org_id=drafter.org_id,
                document_id=memo_id,
                kind="returned",
                actor_name="ผู้ทดสอบ",
                subject="วัดเวลา",
                comment=f"รายการ {n}",
            )
            db.session.add(event)
            db.session.flush()
            db.session.add(
                NotifyDelivery(
                    event_id=event.id, org_id=drafter.org_id, user_id=drafter.id, channel="email"
                )
            )
            db.session.commit()
            committed.append(time.monotonic())
            time.sleep(args.gap)
    deadline = time.monotonic() + 30
    while len(handler.arrived) < args.latency and time.monotonic() < deadline:
        time.sleep(0.1)
    stop.set()
    proc.join(timeout=10)
    controller.stop()
    arrivals = sorted(handler.arrived)
    waits = sorted(a - c for a, c in zip(arrivals, committed, strict=False))
    pct = lambda q: waits[min(len(waits) - 1, int(q * len(waits)))]  # noqa: E731
    print(f"{len(arrivals)} of {args.latency} e-mails reached the sink")
    print(
        f"commit -> SMTP sink: p50 {pct(0.5):.2f} s, p95 {pct(0.95):.2f} s, max {waits[-1]:.2f} s"
    )
    if len(arrivals) != args.latency:
        sys.exit(1)


def main(argv: list[str] | None = None) -> None:
    parser = argument_parser("bench.notify_backlog", __doc__, DEFAULT_SCHEMA)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--latency", type=int, default=0)
    parser.add_argument("--gap", type=float, default=0.7)
    args = parser.parse_args(argv)
    schema = checked_schema(args.schema)
    if args.latency:
        latency(args, schema)
        return
    print(f"building {args.count:,} deliveries in schema {schema} …", flush=True)
    build(args.database_url, schema, args.count)

    handler = CountingSink()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    ctx = multiprocessing.get_context("fork")
    start, results = ctx.Barrier(args.workers + 1), ctx.Queue()
    procs = [
        ctx.Process(target=work, args=(args.database_url, schema, port, start, results))
        for _ in range(args.workers)
    ]
    for proc in procs:
        proc.start()
    start.wait()
    began = time.monotonic()
    per_worker = [results.get() for _ in procs]
    wall = time.monotonic() - began
    for proc in procs:
        proc.join()
    controller.stop()

    app = create_app(bench_config(args.database_url, schema))
    with app.app_context():
        marked = db.session.scalar(
            sa.select(sa.func.count()).where(NotifyDelivery.status == "sent")
        )
    comments = handler.comments
    unique = len(set(comments))
    print(f"senders: {args.workers}; deliveries: {args.count:,}")
    for n, (sent, failed, seconds) in enumerate(per_worker, 1):
        print(f"  sender {n}: sent {sent:,} failed {failed} in {seconds:.1f} s")
    print(f"drained in {wall:.1f} s = {args.count / wall:,.0f} messages/s")
    print(
        f"sink received {len(handler.comments):,} messages, {unique:,} distinct; marked sent {marked:,}"
    )
    doubled = len(handler.comments) - unique
    if doubled or unique != args.count or marked != args.count:
        print(f"FAILED: {doubled} doubled, {args.count - unique} missing")
        sys.exit(1)
    print("nothing doubled, nothing lost")


if __name__ == "__main__":
    main()
