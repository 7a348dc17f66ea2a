"""Time the daily reminder run on the bench dataset, e.g.

    .venv/bin/python -m bench.reminders --runs 2

Empties the reminders and notifications tables (so run 1 is a first run: everything due is new;
run 2 finds nothing new), builds the app on the bench schema and calls
notifications.reminders.run(today=...) --runs times in this process. Per run it reports wall
time, this process's CPU time, the CPU time of the PostgreSQL backends that served it (read from
/proc: only when the server runs on this machine), SQL statements (counted on
before_cursor_execute), reminders claimed and sent per kind, peak RSS (ru_maxrss: the process's
peak so far, app and libraries included) and, with --tracemalloc, the Python heap's peak during
the run (tracemalloc slows the run: its times are not the benchmark's).

Mail: --mail log (default) leaves MAIL_SERVER unset, so the messages are formatted and handed
to the '<app>.mail' logger, which is set to WARNING here so that writing them does not dominate;
--mail smtp starts an aiosmtpd sink that discards what it receives, in a child process, and
sends to it over SMTP on loopback.
"""

import argparse
import cProfile
import gc
import logging
import os
import pstats
import resource
import socket
import subprocess
import sys
import time
import tracemalloc
from dataclasses import dataclass
from datetime import date

from sqlalchemy import event

from app import create_app
from bench.common import (
    DEFAULT_SCHEMA,
    argument_parser,
    bench_config,
    checked_schema,
    connect,
    read_meta,
)
from extensions import db
from notifications.reminders import Summary, run
from notifications.reminders import runner as reminder_runner


@dataclass
class Result:
    number: int
    summary: Summary
    wall: float
    cpu: float
    pg_cpu: float
    statements: int
    rss_mib: float
    traced_mib: float | None
    load: float
    phases: dict


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    schema = checked_schema(args.schema)
    with connect(args.database_url, schema, autocommit=True) as conn:
        meta = read_meta(conn, schema)
        if not args.keep:
            conn.execute("TRUNCATE reminders, notifications RESTART IDENTITY")
            conn.execute("ANALYZE reminders")
            conn.execute("ANALYZE notifications")
    today = args.today or date.fromisoformat(meta["today"])
    print(f"dataset: {describe(meta)}; today {today}; mail: {args.mail}", flush=True)
    sink = SmtpSink() if args.mail == "smtp" else None
    try:
        app = make_app(args.database_url, schema, sink)
        results = measure(app, today, args)
    finally:
        if sink:
            sink.stop()
    report(results, args.mail)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argument_parser("bench.reminders", __doc__, DEFAULT_SCHEMA)
    parser.add_argument(
        "--today", type=date.fromisoformat, help="default: the day the dataset was generated for"
    )
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--mail", choices=("log", "smtp"), default="log")
    parser.add_argument("--tracemalloc", action="store_true", help="also trace the Python heap")
    parser.add_argument("--profile", metavar="FILE", help="cProfile each run into FILE.<run>")
    parser.add_argument(
        "--slowest", type=int, default=0, metavar="N", help="print each run's N slowest statements"
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the reminders of earlier benchmarks (run 1 is then not a first run)",
    )
    return parser.parse_args(argv)


def describe(meta: dict) -> str:
    return (
        f"{meta.get('orgs')} organisations x {meta.get('measures')} measures x"
        f" {meta.get('years')} year(s), {meta.get('documents')} memos per organisation and year"
    )


def make_app(url: str, schema: str, sink: "SmtpSink | None"):
    mail = (
        {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": sink.port, "MAIL_USE_TLS": False} if sink else {}
    )
    app = create_app(bench_config(url, schema, **mail))
    # Logged mail: the records are not written (see the module docstring).
    app.logger.getChild("mail").setLevel(logging.WARNING)
    return app


class Backends:
    """CPU time of the PostgreSQL backends serving the run, from /proc (the server runs on
    this machine): with the Python process's CPU time it shows the work done, which load from
    other processes does not stretch the way it stretches wall time."""

    def __init__(self, engine) -> None:
        self.pids: set[int] = set()
        event.listen(engine, "checkout", self.checkout)

    def checkout(self, dbapi_connection, record, proxy) -> None:
        self.pids.add(dbapi_connection.info.backend_pid)

    def cpu(self) -> float:
        ticks = 0
        for pid in self.pids:
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rpartition(")")[2].split()
            except OSError:  # the backend is gone (a connection closed by the pool)
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")


class Statements:
    """Counts the SQL statements sent, and keeps each one's time until the cursor returned
    (a streamed query's fetches are not included)."""

    def __init__(self, engine) -> None:
        self.count, self.timings = 0, []
        event.listen(engine, "before_cursor_execute", self.before)
        event.listen(engine, "after_cursor_execute", self.after)

    def before(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.count += 1
        conn.info["bench_started"] = time.perf_counter()

    def after(self, conn, cursor, statement, parameters, context, executemany) -> None:
        elapsed = time.perf_counter() - conn.info.pop("bench_started")
        self.timings.append((elapsed, " ".join(statement.split())[:110]))

    def slowest(self, n: int) -> list[tuple[float, str]]:
        found, self.timings = sorted(self.timings, reverse=True)[:n], []
        return found


class Phases:
    """Wall, Python CPU and PostgreSQL CPU of each phase of a run: taking over stale claims,
    each source's claims (by its item_type) and sending, by wrapping the runner's steps."""

    def __init__(self, backends: Backends) -> None:
        self.backends, self.times = backends, {}
        self._wrap("_take_over_stale", lambda *a: "stale")
        self._wrap("_claim_new", lambda source, *a: source.item_type)
        self._wrap("_send_held", lambda *a: "send")

    def _wrap(self, name: str, label) -> None:
        original = getattr(reminder_runner, name)

        def timed(*args):
            wall, cpu, pg = time.perf_counter(), time.process_time(), self.backends.cpu()
            try:
                return original(*args)
            finally:
                self.times[label(*args)] = (
                    time.perf_counter() - wall,
                    time.process_time() - cpu,
                    self.backends.cpu() - pg,
                )

        setattr(reminder_runner, name, timed)

    def take(self) -> dict:
        found, self.times = self.times, {}
        return found


def measure(app, today: date, args: argparse.Namespace) -> list[Result]:
    with app.app_context():
        counter, backends = Statements(db.engine), Backends(db.engine)
    phases = Phases(backends)

    if args.tracemalloc:
        tracemalloc.start()
    results = []
    for number in range(1, args.runs + 1):
        gc.collect()
        if args.tracemalloc:
            tracemalloc.reset_peak()
        before, load = counter.count, os.getloadavg()[0]
        profiler = cProfile.Profile() if args.profile else None
        started, cpu, pg_cpu = time.perf_counter(), time.process_time(), backends.cpu()
        with app.app_context():
            summary = profiler.runcall(run, today) if profiler else run(today)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        pg_cpu = backends.cpu() - pg_cpu
        traced = tracemalloc.get_traced_memory()[1] / 2**20 if args.tracemalloc else None
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        results.append(
            Result(
                number,
                summary,
                wall,
                cpu,
                pg_cpu,
                counter.count - before,
                rss,
                traced,
                load,
                phases.take(),
            )
        )
        print(f"run {number}: {wall:.2f} s", flush=True)
        for elapsed, statement in counter.slowest(args.slowest):
            print(f"  {elapsed:7.2f} s  {statement}")
        if profiler:
            profiler.dump_stats(f"{args.profile}.{number}")
            pstats.Stats(f"{args.profile}.{number}").sort_stats("cumulative").print_stats(25)
    return results


def report(results: list[Result], mail: str) -> None:
    print(
        "\n| run | mail | wall s | CPU s Python | CPU s PostgreSQL | statements | claimed | sent |"
        " e-mails | peak RSS MiB | tracemalloc peak MiB | load 1 min |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        s = r.summary
        emails = s.sent.total() - s.without_email
        traced = f"{r.traced_mib:.0f}" if r.traced_mib is not None else "–"
        print(
            f"| {r.number} | {mail} | {r.wall:.2f} | {r.cpu:.2f} | {r.pg_cpu:.2f} | {r.statements} |"
            f" {s.claimed.total()} | {s.sent.total()} | {emails} | {r.rss_mib:.0f} | {traced} |"
            f" {r.load:.1f} |"
        )
    print("\n| phase | run | wall s | CPU s Python | CPU s PostgreSQL |\n|---|---|---|---|---|")
    for r in results:
        for phase, (wall, cpu, pg_cpu) in r.phases.items():
            print(f"| {phase} | {r.number} | {wall:.2f} | {cpu:.2f} | {pg_cpu:.2f} |")
    print("\n| run | kind | claimed | sent | failed |\n|---|---|---|---|---|")
    for r in results:
        s = r.summary
        for kind in sorted(set(s.claimed) | set(s.sent) | set(s.failed)):
            print(
                f"| {r.number} | {kind} | {s.claimed[kind]} | {s.sent[kind]} | {s.failed[kind]} |"
            )
        print(f"| {r.number} | (in-app only, no e-mail address) | | {s.without_email} | |")


class SmtpSink:
    """aiosmtpd's Sink handler (accepts and discards) in a child process, so that it does not
    share this process's CPU time, heap or GIL with the run being measured."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                f"127.0.0.1:{self.port}",
                "-c",
                "aiosmtpd.handlers.Sink",
            ],
        )
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise SystemExit("the aiosmtpd sink did not start") from None
                time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


if __name__ == "__main__":
    main()
