"""Time the evidence link check over every evidence URL of the bench dataset, e.g.

    .venv/bin/python -m bench.linkcheck --schema ita_national

The national dataset's evidence URLs point at http://127.0.0.1:18569 (bench/national.py). This
benchmark serves them from a threaded http.server in a child process (`--serve`), which answers
each path by a hash of it (MIX: 200, 404, a redirect to a 200, 503, 410, HEAD refused then GET
200, and no answer before the checker's timeout), and lets the checker reach loopback
(LINKCHECK_ALLOWED_PRIVATE_HOSTS=127.0.0.1). It then runs linkcheck.check_all(), as
`flask linkcheck` does, and reports wall time, URLs per second, the CPU time of this process, of
the PostgreSQL backends (bench/reminders.py's method) and of the server, the load average
during the run, and the status mix found against the one served: every evidence row's stored
status is compared with what its URL was meant to get.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request
import zlib
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from app import create_app
from bench.common import (
    argument_parser,
    bench_config,
    checked_schema,
    connect,
    read_meta,
)
from bench.national import EVIDENCE_BASE
from bench.reminders import Backends
from extensions import db

# Per mille of paths (by CRC-32 of the path), what the server does, and what the checker
# should record: (upper bound, behaviour, expected last_status or None for no answer).
MIX = [
    (900, "ok", 200),
    (940, "not_found", 404),
    (960, "redirect", 200),
    (975, "unavailable", 503),
    (985, "head_refused", 200),
    (995, "gone", 410),
    (996, "silent", None),
    (1000, "ok", 200),
]
STATS_PATH = "/__bench_stats"


def behaviour(path: str) -> tuple[str, int | None]:
    """What the server does for a path, and the status the checker should end up with."""
    bucket = zlib.crc32(path.removeprefix("/moved").encode()) % 1000
    return next((name, status) for bound, name, status in MIX if bucket < bound)


class Handler(BaseHTTPRequestHandler):
    served: Counter = Counter()
    silence = 5.0  # seconds a "silent" path keeps the connection without answering

    def do_HEAD(self) -> None:
        self.answer(head=True)

    def do_GET(self) -> None:
        if self.path == STATS_PATH:
            self.send(200, json.dumps(self.served).encode(), "application/json")
            return
        self.answer(head=False)

    def answer(self, head: bool) -> None:
        name, _ = behaviour(self.path)
        if self.path.startswith("/moved"):
            name = "ok"
        self.served[f"{self.command} {name}"] += 1
        if name == "silent":
            time.sleep(self.silence)
            self.close_connection = True
            return
        if name == "redirect":
            self.send_response(301)
            self.send_header("Location", "/moved" + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status = {"not_found": 404, "unavailable": 503, "gone": 410}.get(name, 200)
        if name == "head_refused" and head:
            status = 405
        self.send(status, b"" if head else b"%PDF-1.4 bench evidence\n", "application/pdf")

    def send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass


def serve(port: int, silence: float) -> None:
    Handler.silence = silence
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    server.request_queue_size = 128
    server.serve_forever()


class Server:
    """The evidence server in a child process, so its CPU time is its own."""

    def __init__(self, port: int, silence: float) -> None:
        self.port = port
        command = [sys.executable, "-m", "bench.linkcheck", "--serve", str(port)]
        self.process = subprocess.Popen([*command, "--silence", str(silence)])
        deadline = time.monotonic() + 60  # a readiness wait: the child imports the app first
        while True:
            try:
                self.stats()
                return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise SystemExit(f"the evidence server did not start on port {port}") from None
                time.sleep(0.1)

    def stats(self) -> Counter:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{STATS_PATH}", timeout=5) as r:
            return Counter(json.load(r))

    def cpu(self) -> float:
        with open(f"/proc/{self.process.pid}/stat") as f:
            fields = f.read().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.serve:
        serve(args.serve, args.silence)
        return
    schema = checked_schema(args.schema)
    with connect(args.database_url, schema) as conn:
        meta = read_meta(conn, schema)
        (rows,) = conn.execute("SELECT count(*) FROM evidence").fetchone()
        (oit,) = conn.execute("SELECT count(*) FROM oit_evidence").fetchone()
    print(f"dataset {schema}: {meta.get('orgs')} organisations, {rows:,} evidence rows of measures,"
          f" {oit:,} of OIT items", flush=True)  # fmt: skip
    port = urlsplit(EVIDENCE_BASE).port
    server = Server(port, silence=args.timeout * 3 + 2)
    try:
        result = measure(args, schema, server)
        served = server.stats()
    finally:
        server.stop()
    report(args, schema, result, served)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argument_parser("bench.linkcheck", __doc__, "ita_national")
    parser.add_argument("--workers", type=int, default=8, help="LINKCHECK_WORKERS (app default 8)")
    parser.add_argument("--timeout", type=float, default=2.0, help="LINKCHECK_TIMEOUT, seconds")
    parser.add_argument("--org", type=int, help="check one organisation's evidence only")
    parser.add_argument(
        "--orgs",
        type=int,
        help="check organisations 1..N one after another (measures' and OIT evidence), not all",
    )
    parser.add_argument("--serve", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--silence", type=float, default=8.0, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def measure(args: argparse.Namespace, schema: str, server: Server) -> dict:
    from linkcheck import check_all

    settings = {
        "LINKCHECK_ALLOWED_PRIVATE_HOSTS": "127.0.0.1",
        "LINKCHECK_TIMEOUT": args.timeout,
        "LINKCHECK_WORKERS": args.workers,
    }
    app = create_app(bench_config(args.database_url, schema, **settings))
    with app.app_context():
        backends = Backends(db.engine)
    loads = [os.getloadavg()[0]]
    started = time.perf_counter()
    marks = {"next": started + 30}

    def progress(line: str) -> None:
        now = time.perf_counter()
        if now >= marks["next"]:
            marks["next"] = now + 30
            loads.append(os.getloadavg()[0])
            print(f"  {now - started:6.0f} s  {line}", flush=True)

    cpu, pg_cpu, server_cpu = time.process_time(), backends.cpu(), server.cpu()
    with app.app_context():
        if args.orgs:  # a province: each organisation's run, as `flask linkcheck --org` does
            summary = None
            for org_id in range(1, args.orgs + 1):
                found = check_all(progress, org_id=org_id)
                summary = found if summary is None else merge(summary, found)
        else:
            summary = check_all(progress, org_id=args.org)
    wall = time.perf_counter() - started
    loads.append(os.getloadavg()[0])
    return {
        "summary": summary,
        "wall": wall,
        "cpu": time.process_time() - cpu,
        "pg_cpu": backends.cpu() - pg_cpu,
        "server_cpu": server.cpu() - server_cpu,
        "loads": loads,
        "app": app,
    }


def merge(total, found):
    for name in ("checked", "ok", "broken", "errors", "refused"):
        setattr(total, name, getattr(total, name) + getattr(found, name))
    return total


def report(args: argparse.Namespace, schema: str, result: dict, served: Counter) -> None:
    s = result["summary"]
    loads = result["loads"]
    print(
        "\n| URLs checked | workers | timeout s | wall s | URLs/s | CPU s Python |"
        " CPU s PostgreSQL | CPU s server | load 1 min (min–max) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    print(
        f"| {s.checked:,} | {args.workers} | {args.timeout:g} | {result['wall']:.1f} |"
        f" {s.checked / result['wall']:.0f} | {result['cpu']:.1f} | {result['pg_cpu']:.1f} |"
        f" {result['server_cpu']:.1f} | {min(loads):.1f}–{max(loads):.1f} |"
    )
    print(
        f"\nfound: ok {s.ok:,}, broken {s.broken:,}, no answer {s.errors:,}, refused {s.refused:,}"
    )
    print("served (requests): " + ", ".join(f"{k} {v:,}" for k, v in sorted(served.items())))
    compare(args, schema)


def compare(args: argparse.Namespace, schema: str) -> None:
    """Every row's stored status against the one its URL was served (by path)."""
    expected, found, wrong = Counter(), Counter(), 0
    query = (
        "SELECT e.url, e.last_status, m.org_id FROM evidence e"
        " JOIN measures m ON m.id = e.measure_id"
        " UNION ALL SELECT url, last_status, org_id FROM oit_evidence"
    )
    query = f"SELECT url, last_status FROM ({query}) AS e"
    params: tuple = ()
    if args.org:
        query += " WHERE org_id = %s"
        params = (args.org,)
    elif args.orgs:
        query += " WHERE org_id <= %s"
        params = (args.orgs,)
    with connect(args.database_url, schema) as conn:
        for url, status in conn.execute(query, params):
            name, meant = behaviour(urlsplit(url).path)
            expected[f"{name} -> {meant}"] += 1
            found[status] += 1
            wrong += status != meant
    print("meant per row: " + ", ".join(f"{k}: {v:,}" for k, v in sorted(expected.items())))
    print("stored last_status per row: " + ", ".join(f"{k}: {v:,}" for k, v in found.items()))
    print(f"rows whose stored status differs from the one served: {wrong:,}")


if __name__ == "__main__":
    main()
