"""The pending-items page, the executive home page and decisions under load (issue 7), e.g.

    .venv/bin/python -m bench.load --schema ita_national

Starts gunicorn (bench.served:app, production configuration) on the bench schema for each
--servers setting, logs in --users executives whose pending page is not empty, and drives wrk at
--connections for --duration seconds per page, after a warm-up. Then it replays each page's SQL
straight with psycopg (bench/floor.py: the floor) and, with --decisions N, signs up to N memos
waiting at a middle step and N at the final step (each POSTed exactly once) and checks the log.
The decisions change the dataset: regenerate it for an identical second run.

With --notify, an SMTP server on loopback receives the e-mail and `flask notify work --watch`
runs beside each gunicorn (without it deliveries wait in the outbox); after the decisions the
run waits for the outbox to drain and checks every delivery was sent once. With --instances N,
the last setting runs as N gunicorn instances on ports --port, --port+1, ... sharing the secret
key and the database, each with its own freezer (and sender), the signers spread over them.
"""

import argparse
import os
import shutil
import signal
import statistics
import sys
import tempfile
from urllib.parse import urlencode

import sqlalchemy as sa

from bench import decisions, driver, floor, paced, server, sessions
from bench.common import (
    argument_parser,
    bench_config,
    checked_schema,
    connect,
    read_meta,
)
from bench.mailsink import MailSink
from bench.served import move_clock

PAGES = {
    "pending": "/documents/pending",
    "home": "/",
    "oit": "/oit/2569",  # the OIT board of the dataset's current year (bench/national.py)
    "search": "/search/?q=ราคา",  # a fragment inside words (pg_trgm); paced users vary it
}
# What the paced search users type, user k the k-th (modulo): fragments, whole words, a surname.
SEARCH_TERMS = ["ราคา", "คุณธรรม", "เว็บไซต์", "ทรัพย์สิน", "แสงมณี", "ITA", "โครงการอบรม", "เผยแพร่"]
TARGET_P95_MS = {
    "pending": 100,
    "home": 150,
    "oit": 100,
    "search": 150,
    "forward": 150,
    "approve": 150,
}


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    # A terminated run still stops its gunicorn (the `finally` below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))
    schema = checked_schema(args.schema)
    with connect(args.database_url, schema) as conn:
        meta = read_meta(conn, schema)
        users = sessions.executives(conn, args.users)
    print(f"dataset {schema}: {describe(meta)}; {len(users)} executives,"
          f" {sum(u[2] for u in users)} memos waiting for them")  # fmt: skip
    workdir = tempfile.mkdtemp(prefix="ita-load-")  # cookies, queues, pgbench scripts and logs
    try:
        run_all(args, schema, meta, users, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run_all(args, schema: str, meta: dict, users: list, workdir: str) -> None:
    settings = [parse_setting(s) for s in args.servers.split(",")]
    apps = {}
    install_seals(args, schema, [user_id for user_id, _, _ in users])
    sink = MailSink() if args.notify else None
    if args.notify:
        settle_morning_digest(args, schema, meta["today"])
    try:
        for n, setting in enumerate(settings):
            last = n == len(settings) - 1
            secret, servers = server.new_secret(), []
            try:
                for i in range(args.instances if last else 1):
                    servers.append(server.start(
                        args.database_url, schema, meta["today"], *setting, args.port + i,
                        secret_key=secret, smtp_port=sink.port if sink else None,
                    ))  # fmt: skip
                srv = servers[0]
                logged_in = sessions.log_in_all(srv.base, [name for _, name, _ in users])
                print(f"\n== gunicorn {srv.settings}" + describe_instances(servers, sink))
                jar = [cookie for cookie, _ in logged_in.values()]
                apps.update(run_pages(args, srv, jar, workdir))
                if last and args.decisions:
                    run_decisions(args, schema, servers, logged_in, workdir, sink)
            finally:
                for srv in servers:
                    srv.stop()
    finally:
        if sink:
            sink.stop()
    if args.floor:
        run_floor(args, schema, meta["today"], [u[0] for u in users], apps, workdir)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argument_parser("bench.load", __doc__, "ita_national")
    parser.add_argument(
        "--servers",
        default="gthread:2x4",
        help="comma-separated gunicorn settings, kind:workers[xthreads], e.g. sync:2,gthread:2x4",
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--duration", type=int, default=30, help="seconds per page")
    parser.add_argument("--warmup", type=int, default=5, help="seconds per page, not measured")
    parser.add_argument("--pages", default="pending,home")
    parser.add_argument(
        "--think-ms",
        type=int,
        default=0,
        help="users pause about this long before each page request (bench/paced.py; default: wrk, no pause)",
    )
    parser.add_argument("--decisions", type=int, default=0, help="memos per kind; 0: none")
    parser.add_argument(
        "--decision-think-ms",
        type=int,
        default=0,
        help="each signer reads about this long before each decision (default: a burst)",
    )
    parser.add_argument("--no-floor", dest="floor", action="store_false")
    parser.add_argument(
        "--floor-protocol",
        choices=("simple", "prepared"),
        default="simple",
        help="pgbench's query protocol for the floor: simple (each statement parsed and planned,"
        " the floor as measured since issue 7) or prepared (each planned once per connection, as"
        " the app's psycopg does for a statement run often)",
    )
    parser.add_argument(
        "--notify",
        action="store_true",
        help="e-mail to a loopback SMTP server, a sender per server",
    )
    parser.add_argument(
        "--morning-digest",
        action="store_true",
        help="with --notify: the day's 07:30 digest pass runs during the measurement",
    )
    parser.add_argument(
        "--instances", type=int, default=1, help="gunicorn instances of the last setting (ports up)"
    )
    parser.add_argument("--port", type=int, default=8077)
    parser.add_argument(
        "--seal",
        action="store_true",
        help="the users' organisations seal their approved PDFs (a throwaway certificate each)",
    )
    return parser.parse_args(argv)


def install_seals(args, schema: str, user_ids: list[int]) -> None:
    """The generated organisations have no e-seal certificate, so their approved PDFs are frozen
    unsealed. With --seal each benchmark user's organisation gets a throwaway certificate (one
    made for the run, as the demo's; the key encrypted with a SEAL_SECRET_KEY made for the run
    and handed to the servers and freezers), so every approval's PDF is sealed (issue 20).
    Either way the schema's previous seals go: their key was another run's."""
    from cryptography.fernet import Fernet

    from app import create_app
    from extensions import db
    from models import OrgSeal, User
    from pdf.seal import keys

    secret = Fernet.generate_key().decode()
    os.environ["SEAL_SECRET_KEY"] = secret
    app = create_app(bench_config(args.database_url, schema, SEAL_SECRET_KEY=secret))
    with app.app_context():
        db.session.execute(sa.delete(OrgSeal))
        if args.seal:
            org_ids = set(db.session.scalars(sa.select(User.org_id).where(User.id.in_(user_ids))))
            seal = keys.demo_seal("อปท.ทดสอบ bench")
            for org_id in sorted(org_ids):
                keys.store(org_id, seal, actor=None, demo=True)
        db.session.commit()
        sealed = db.session.scalar(sa.select(sa.func.count()).select_from(OrgSeal))
        db.session.remove()
        db.engine.dispose()
    print(
        f"   e-seal: {sealed} organisations hold a certificate"
        + ("" if sealed else ", PDFs unsealed")
    )


def settle_morning_digest(args, schema: str, today: str) -> None:
    """The senders send the dataset day's morning digests once it is past 07:30 in Bangkok, a
    pass over every organisation (minutes of CPU at national scale: docs/benchmarks.md). By
    default that pass counts as done before the measured hour, so the run measures an ordinary
    hour; --morning-digest measures the pages and decisions while it runs."""
    with connect(args.database_url, schema) as conn:
        conn.execute("DELETE FROM notify_digests WHERE day = %s", (today,))
        if not args.morning_digest:
            conn.execute(
                "INSERT INTO notify_digests (user_id, day, sent_at)"
                " SELECT id, %s, now() FROM users",
                (today,),
            )
        conn.commit()
    print("morning digests: " + ("sent during the run" if args.morning_digest else "done before"))


def parse_setting(text: str) -> tuple[int, str, int]:
    kind, _, size = text.partition(":")
    workers, _, threads = size.partition("x")
    return int(workers), kind, int(threads or 1)


def describe_instances(servers: list, sink) -> str:
    parts = []
    if len(servers) > 1:
        ports = ", ".join(s.base.rpartition(":")[2] for s in servers)
        parts.append(f"{len(servers)} instances (ports {ports}), one secret key, one database,"
                     " a PDF freezer each")  # fmt: skip
    if sink:
        parts.append(f"notification sender per instance, SMTP sink on port {sink.port}")
    return "; " + "; ".join(parts) if parts else ""


def describe(meta: dict) -> str:
    rows = meta.get("rows", {})
    return (
        f"{meta.get('orgs')} organisations × {meta.get('years')} years, {rows.get('documents')}"
        f" documents, {rows.get('decision_log')} log rows, today {meta.get('today')}"
    )


def run_pages(args, srv: server.Server, jar: list[str], workdir: str) -> dict:
    """Each page under load; `jar` holds the logged-in users' Cookie header values."""
    cookies = os.path.join(workdir, "cookies.txt")  # for bench/wrk/pages.lua
    with open(cookies, "w") as out:
        out.writelines(f"{cookie}\n" for cookie in jar)
    results = {}
    print(HEADER)
    for page in filter(None, args.pages.split(",")):
        env = {"ITA_WRK_PATH": PAGES[page], "ITA_WRK_COOKIES": cookies}
        wrk = dict(connections=args.connections, threads=args.wrk_threads, env=env, workdir=workdir)
        users = [
            [paced.Request(path_of(page, n), jar[n % len(jar)])] for n in range(args.connections)
        ]
        load_page(args, srv, wrk, users, args.warmup)
        srv.drain()
        warm = {pid: server.memory_kib(pid) for pid in srv.workers()}
        meter = server.CpuMeter(srv, args.database_url)
        result = load_page(args, srv, wrk, users, args.duration)
        cpu = meter.used()
        srv.drain()
        after = {pid: server.memory_kib(pid) for pid in srv.workers()}
        print(row(page, result, cpu, warm, after))
        result.cpu = cpu  # for the floor's table
        results[page] = result
    return results


def path_of(page: str, n: int) -> str:
    if page != "search":
        return PAGES[page]
    return "/search/?" + urlencode({"q": SEARCH_TERMS[n % len(SEARCH_TERMS)]})


def load_page(args, srv: server.Server, wrk: dict, users: list, seconds: int) -> driver.WrkResult:
    """wrk as fast as the connections go, or users reading between clicks (bench/paced.py)."""
    if args.think_ms:
        return paced.run(srv.base, users, args.think_ms, seconds)
    return driver.run("pages", srv.base, seconds=seconds, **wrk)


HEADER = (
    "| page | req/s | p50 ms | p95 ms | p99 ms | max ms | failed | load max/end | CPU s gunicorn"
    " / PostgreSQL / wrk | RSS MiB warm → after | PSS MiB warm → after |\n" + "|---" * 11 + "|"
)


def row(name: str, r: driver.WrkResult, cpu: dict, warm: dict, after: dict) -> str:
    def mib(found: dict, key: str) -> str:
        return "/".join(f"{m[key] / 1024:.0f}" for m in found.values())

    target = TARGET_P95_MS.get(name)
    met = "" if target is None else (" ✓" if r.p95_ms < target else " ✗")
    return (
        f"| {name} | {r.rate:.1f} | {r.p50_ms:.1f} | {r.p95_ms:.1f}{met} | {r.p99_ms:.1f}"
        f" | {r.max_ms:.0f} | {failures(r)} | {r.load_max:.1f} / {r.load_end:.1f}"
        f" | {cpu['gunicorn']:.1f} / {cpu['postgres']:.1f} / {r.wrk_cpu:.1f}"
        f" | {mib(warm, 'rss')} → {mib(after, 'rss')} | {mib(warm, 'pss')} → {mib(after, 'pss')} |"
    )


def failures(r: driver.WrkResult) -> str:
    """How many failed of how many, and how: responses with a wrong status, socket errors."""
    kinds = [f"{n} {kind}" for kind, n in r.errors.items() if n and kind != "status"]
    if r.non2xx:
        kinds.insert(0, f"{r.non2xx} non-2xx")
    return f"{r.failed} of {r.requests}" + (f" ({', '.join(kinds)})" if kinds else "")


class Meters:
    """CPU over several instances: each one's processes, and the shared PostgreSQL backends once."""

    def __init__(self, servers: list, url: str) -> None:
        self.meters = [server.CpuMeter(srv, url) for srv in servers]

    def used(self) -> dict[str, float]:
        found = [meter.used() for meter in self.meters]
        total = {side: sum(f[side] for f in found) for side in found[0]}
        total["postgres"] = found[0]["postgres"]  # every instance's backends, counted once
        return total


def memory(servers: list) -> dict:
    return {pid: server.memory_kib(pid) for srv in servers for pid in srv.workers()}


def run_decisions(args, schema: str, servers: list, logged_in: dict, workdir: str, sink) -> None:
    from app import create_app

    srv = servers[0]
    app = create_app(bench_config(args.database_url, schema))
    pace = ", as a burst"
    if args.decision_think_ms:
        pace = f", each signer reading ~{args.decision_think_ms} ms first"
    print(f"\n== decisions, each memo POSTed once{pace}")
    print(HEADER)
    for kind, final in (("forward", False), ("approve", True)):
        with connect(args.database_url, schema, autocommit=True) as conn:
            queued = decisions.waiting(conn, list(logged_in), final, args.decisions)
            since = decisions.last_log_id(conn)
        requests = decisions.posts(queued, logged_in)
        queue = os.path.join(workdir, f"{kind}.txt")
        with open(queue, "w") as out:
            out.writelines(f"{line}\n" for line in decisions.queue_lines(requests))
        sent_file = os.path.join(workdir, f"{kind}.sent")
        threads = min(args.connections, len(queued))
        env = {"ITA_WRK_QUEUE": queue, "ITA_WRK_THREADS": str(threads), "ITA_WRK_SENT": sent_file}
        warm = memory(servers)
        meter = Meters(servers, args.database_url)
        with connect(args.database_url, schema, autocommit=True) as conn:
            events_since = last_event_id(conn)
        mails_before = sink.messages() if sink else 0
        if args.decision_think_ms or len(servers) > 1:  # bench/paced.py; signer k on server k % n
            signers = [requests[k::threads] for k in range(threads)]  # as decide.lua splits them
            bases = [s.base for s in servers]
            result = paced.run(bases, signers, args.decision_think_ms, ok=range(200, 400))
            sent = result.sent
        else:
            result = driver.run(
                "decide", srv.base, connections=threads, threads=threads, seconds=900, env=env,
                workdir=workdir, stop_when_finished=True,
            )  # fmt: skip
            with open(sent_file) as found:
                sent = [tuple(int(x) for x in line.split()) for line in found]
        cpu = meter.used()
        after = memory(servers)
        print(row(kind, result, cpu, warm, after))
        items = [q for q, _ in queued]
        with connect(args.database_url, schema, autocommit=True) as conn:
            checks = decisions.check(conn, items, sent, since)
        checks["broken_chain_rows"] = decisions.broken_links(app, [q.doc_id for q in items], since)
        print(f"   statuses {result.statuses}; database: {checks}")
        if len(servers) > 1:
            print(f"   POSTs per instance: {per_instance(len(servers), threads, len(requests))}")
        if final:
            report_pdfs(args, schema, servers, [q.doc_id for q in items], cpu["freezer"])
        if sink:
            report_notifications(args, schema, sink, events_since, mails_before)


def per_instance(instances: int, threads: int, requests: int) -> list[int]:
    """How many POSTs each instance received: signer k (requests k, k + threads, ...) used k % n."""
    counts = [0] * instances
    for n in range(requests):
        counts[(n % threads) % instances] += 1
    return counts


def last_event_id(conn) -> int:
    return conn.execute("SELECT coalesce(max(id), 0) FROM notify_events").fetchone()[0]


def report_notifications(args, schema: str, sink: MailSink, since: int, mails_before: int) -> None:
    """Wait for the senders to drain the outbox of the decisions' events, then check: every
    e-mail delivery sent once (the sink saw each message once, as many as the rows say were
    sent), none left pending or failed, and the time from the decision's commit (the event) to
    the message handed to SMTP."""
    import time

    started = time.monotonic()
    query = (
        "SELECT d.channel, d.status, count(*) FROM notify_deliveries d"
        " WHERE d.event_id > %s GROUP BY 1, 2"
    )
    with connect(args.database_url, schema, autocommit=True) as conn:
        while time.monotonic() - started < 600:
            counts = {(c, s): n for c, s, n in conn.execute(query, (since,))}
            if not any(s == "pending" for _, s in counts):
                break
            time.sleep(0.5)
        drained = time.monotonic() - started
        (events,) = conn.execute(
            "SELECT count(*) FROM notify_events WHERE id > %s", (since,)
        ).fetchone()
        waits = [
            ms
            for (ms,) in conn.execute(
                # The served app's clock is moved by whole days (bench/served.py), and a column
                # default may hold the unmoved one: the wait is the difference modulo a day.
                "SELECT mod(mod(extract(epoch FROM d.sent_at - e.created_at), 86400) + 86400, 86400)"
                " * 1000"
                " FROM notify_deliveries d JOIN notify_events e ON e.id = d.event_id"
                " WHERE d.event_id > %s AND d.channel = 'email' AND d.status = 'sent'",
                (since,),
            )
        ]
        attempts = conn.execute(
            "SELECT count(*) FILTER (WHERE attempts > 1) FROM notify_deliveries WHERE event_id > %s",
            (since,),
        ).fetchone()[0]
    time.sleep(1)  # the last message's SMTP transaction ends after the row is marked sent
    sent, received = counts.get(("email", "sent"), 0), sink.messages() - mails_before
    waits.sort()
    found = {
        "events": events,
        "deliveries": {f"{c} {s}": n for (c, s), n in sorted(counts.items())},
        "sink_messages": received,
        "sink_doubled_so_far": sink.doubled(),
        "sent_rows_minus_sink": sent - received,
        "retried": attempts,
        "drained_s": round(drained, 1),
    }
    if waits:
        found["commit_to_smtp_ms_p50_p95_max"] = [
            round(float(waits[len(waits) // 2])),
            round(float(waits[min(len(waits) - 1, len(waits) * 95 // 100)])),
            round(float(waits[-1])),
        ]
    print(f"   notifications: {found}")


def report_pdfs(args, schema: str, servers: list, doc_ids: list[int], cpu_so_far: float):
    """Wait for the freezers to render the approvals' PDFs; their time, CPU and memory."""
    freezers = [srv.freezer.pid for srv in servers]
    before = sum(server.cpu_seconds(pid) for pid in freezers)
    with connect(args.database_url, schema, autocommit=True) as conn:
        pdfs = decisions.wait_for_pdfs(conn, doc_ids)
    used = sum(server.cpu_seconds(pid) for pid in freezers) - before
    pdfs["freezer_cpu_s"] = round(cpu_so_far + used, 1)
    if len(servers) > 1:  # each freezer's own CPU: both took a share of the renders
        pdfs["cpu_s_per_freezer"] = [round(server.cpu_seconds(pid), 1) for pid in freezers]
    found = [server.memory_kib(pid) for pid in freezers]
    pdfs["freezer_rss_pss_mib"] = [[round(m[key] / 1024) for key in ("rss", "pss")] for m in found]
    print(f"   PDFs after the last approval (freezers, nice 10): {pdfs}")


def run_floor(args, schema: str, today: str, user_ids: list[int], apps: dict, workdir: str):
    from datetime import date

    from app import create_app

    move_clock(date.fromisoformat(today))
    app = create_app(bench_config(args.database_url, schema))
    print(f"\n== the floor: each page's statements replayed by pgbench -M {args.floor_protocol}")
    print("| page | statements per request (min / median / max) | req-equivalents/s | p50 ms"
          " | p95 ms | p99 ms | app / raw SQL: req/s, p50 | CPU ms per request: app (Python +"
          " PostgreSQL) / floor (PostgreSQL) | floor CPU ÷ app CPU |\n" + "|---" * 9 + "|")  # fmt: skip
    for page in filter(None, args.pages.split(",")):
        per_user = floor.capture(app, user_ids, PAGES[page])
        counts = [len(r.statements) for r in per_user]
        raw = floor.replay(
            args.database_url, schema, per_user, args.connections, args.duration, workdir,
            protocol=args.floor_protocol,
        )  # fmt: skip
        app_result = apps.get(page)
        ratio = (
            f"{app_result.rate / raw.rate:.2f}, {app_result.p50_ms / raw.p50_ms:.1f}"
            if app_result
            else "-"
        )
        cpu = "-"
        if app_result and app_result.requests:
            python = app_result.cpu["gunicorn"] / app_result.requests * 1000
            pg = app_result.cpu["postgres"] / app_result.requests * 1000
            share = raw.pg_cpu_ms / (python + pg) if python + pg else 0
            cpu = f"{python:.1f} + {pg:.1f} / {raw.pg_cpu_ms:.1f} | {share:.2f}"
        print(
            f"| {page} | {min(counts)} / {statistics.median(counts):g} / {max(counts)}"
            f" | {raw.rate:.1f} | {raw.p50_ms:.1f} | {raw.p95_ms:.1f} | {raw.p99_ms:.1f}"
            f" | {ratio} | {cpu} |"
        )


if __name__ == "__main__":
    main()
