"""The pending-items page, the executive home page and decisions under load (issue 7), e.g.

    .venv/bin/python -m bench.load --schema ita_national

Starts gunicorn (bench.served:app, production configuration) on the bench schema for each
--servers setting, logs in --users executives whose pending page is not empty, and drives wrk at
--connections for --duration seconds per page, after a warm-up. Then it replays each page's SQL
straight with psycopg (bench/floor.py: the floor) and, with --decisions N, signs up to N memos
waiting at a middle step and N at the final step (each POSTed exactly once) and checks the log.
The decisions change the dataset: regenerate it for an identical second run.
"""

import argparse
import os
import shutil
import signal
import statistics
import sys
import tempfile

from bench import decisions, driver, floor, paced, server, sessions
from bench.common import (
    argument_parser,
    bench_config,
    checked_schema,
    connect,
    read_meta,
)
from bench.served import move_clock

PAGES = {"pending": "/documents/pending", "home": "/"}
TARGET_P95_MS = {"pending": 100, "home": 150, "forward": 150, "approve": 150}


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
    for n, setting in enumerate(settings):
        last = n == len(settings) - 1
        srv = server.start(args.database_url, schema, meta["today"], *setting, args.port)
        try:
            logged_in = sessions.log_in_all(srv.base, [name for _, name, _ in users])
            print(f"\n== gunicorn {srv.settings}")
            apps.update(run_pages(args, srv, [cookie for cookie, _ in logged_in.values()], workdir))
            if last and args.decisions:
                run_decisions(args, schema, srv, logged_in, workdir)
        finally:
            srv.stop()
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
    parser.add_argument("--port", type=int, default=8077)
    return parser.parse_args(argv)


def parse_setting(text: str) -> tuple[int, str, int]:
    kind, _, size = text.partition(":")
    workers, _, threads = size.partition("x")
    return int(workers), kind, int(threads or 1)


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
        users = [[paced.Request(PAGES[page], jar[n % len(jar)])] for n in range(args.connections)]
        load_page(args, srv, wrk, users, args.warmup)
        srv.drain()
        warm = {pid: server.memory_kib(pid) for pid in srv.workers()}
        meter = server.CpuMeter(srv, args.database_url)
        result = load_page(args, srv, wrk, users, args.duration)
        cpu = meter.used()
        srv.drain()
        after = {pid: server.memory_kib(pid) for pid in srv.workers()}
        print(row(page, result, cpu, warm, after))
        results[page] = result
    return results


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


def run_decisions(args, schema: str, srv: server.Server, logged_in: dict, workdir: str) -> None:
    from app import create_app

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
        warm = {pid: server.memory_kib(pid) for pid in srv.workers()}
        meter = server.CpuMeter(srv, args.database_url)
        if args.decision_think_ms:  # signers reading each memo first: bench/paced.py
            signers = [requests[k::threads] for k in range(threads)]  # as decide.lua splits them
            result = paced.run(srv.base, signers, args.decision_think_ms, ok=range(200, 400))
            sent = result.sent
        else:
            result = driver.run(
                "decide", srv.base, connections=threads, threads=threads, seconds=900, env=env,
                workdir=workdir, stop_when_finished=True,
            )  # fmt: skip
            with open(sent_file) as found:
                sent = [tuple(int(x) for x in line.split()) for line in found]
        cpu = meter.used()
        after = {pid: server.memory_kib(pid) for pid in srv.workers()}
        print(row(kind, result, cpu, warm, after))
        items = [q for q, _ in queued]
        with connect(args.database_url, schema, autocommit=True) as conn:
            checks = decisions.check(conn, items, sent, since)
        checks["broken_chain_rows"] = decisions.broken_links(app, [q.doc_id for q in items], since)
        print(f"   statuses {result.statuses}; database: {checks}")
        if final:
            report_pdfs(args, schema, srv, [q.doc_id for q in items], cpu["freezer"])


def report_pdfs(args, schema: str, srv: server.Server, doc_ids: list[int], cpu_so_far: float):
    """Wait for the freezer to render the approvals' PDFs; its time, CPU and memory."""
    before = server.cpu_seconds(srv.freezer.pid)
    with connect(args.database_url, schema, autocommit=True) as conn:
        pdfs = decisions.wait_for_pdfs(conn, doc_ids)
    pdfs["freezer_cpu_s"] = round(cpu_so_far + server.cpu_seconds(srv.freezer.pid) - before, 1)
    memory = server.memory_kib(srv.freezer.pid)
    pdfs["freezer_rss_pss_mib"] = [round(memory[key] / 1024) for key in ("rss", "pss")]
    print(f"   PDFs after the last approval (freezer, nice 10): {pdfs}")


def run_floor(args, schema: str, today: str, user_ids: list[int], apps: dict, workdir: str):
    from datetime import date

    from app import create_app

    move_clock(date.fromisoformat(today))
    app = create_app(bench_config(args.database_url, schema))
    print("\n== the floor: each page's statements replayed by pgbench")
    print("| page | statements per request (min / median / max) | req-equivalents/s | p50 ms"
          " | p95 ms | p99 ms | app / raw SQL: req/s, p50 |\n" + "|---" * 7 + "|")  # fmt: skip
    for page in filter(None, args.pages.split(",")):
        per_user = floor.capture(app, user_ids, PAGES[page])
        counts = [len(s) for s in per_user]
        raw = floor.replay(
            args.database_url, schema, per_user, args.connections, args.duration, workdir
        )
        app_result = apps.get(page)
        ratio = (
            f"{app_result.rate / raw.rate:.2f}, {app_result.p50_ms / raw.p50_ms:.1f}"
            if app_result
            else "-"
        )
        print(
            f"| {page} | {min(counts)} / {statistics.median(counts):g} / {max(counts)}"
            f" | {raw.rate:.1f} | {raw.p50_ms:.1f} | {raw.p95_ms:.1f} | {raw.p99_ms:.1f}"
            f" | {ratio} |"
        )


if __name__ == "__main__":
    main()
