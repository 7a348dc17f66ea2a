"""Time `flask audit verify` over the whole decision log of the bench dataset, e.g.

    .venv/bin/python -m bench.audit --schema ita_national

Runs the command's own function (workflow.audit_verify.verify, every document, every row) in
this process and reports wall time, documents and rows per second, this process's CPU time, the
CPU time of the PostgreSQL backends (bench/reminders.py's method), peak RSS, the load average,
and the problems found (a clean bench log has none).
"""

import os
import resource
import time

from app import create_app
from bench.common import argument_parser, bench_config, checked_schema
from bench.reminders import Backends
from extensions import db


def main(argv: list[str] | None = None) -> None:
    parser = argument_parser("bench.audit", __doc__, "ita_national")
    parser.add_argument("--org", type=int, help="one organisation only")
    args = parser.parse_args(argv)
    from workflow.audit_verify import verify

    app = create_app(bench_config(args.database_url, checked_schema(args.schema)))
    with app.app_context():
        backends = Backends(db.engine)
    problems = []
    loads = [os.getloadavg()[0]]
    marks = {"next": time.perf_counter() + 30}

    def progress(summary) -> None:
        if time.perf_counter() >= marks["next"]:
            marks["next"] += 30
            loads.append(os.getloadavg()[0])
            print(f"  {summary.documents:,} documents, {summary.rows:,} rows", flush=True)

    started, cpu, pg_cpu = time.perf_counter(), time.process_time(), backends.cpu()
    with app.app_context():
        summary = verify(args.org, report=problems.append, progress=progress)
        pg_cpu = backends.cpu() - pg_cpu
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    loads.append(os.getloadavg()[0])
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        "\n| documents | rows | problems | wall s | rows/s | CPU s Python | CPU s PostgreSQL |"
        " peak RSS MiB | load 1 min (min–max) |\n|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    )
    print(
        f"| {summary.documents:,} | {summary.rows:,} | {summary.problems:,} | {wall:.1f} |"
        f" {summary.rows / wall:,.0f} | {cpu:.1f} | {pg_cpu:.1f} | {rss:.0f} |"
        f" {min(loads):.1f}–{max(loads):.1f} |"
    )
    for problem in problems[:10]:
        print(problem.describe())


if __name__ == "__main__":
    main()
