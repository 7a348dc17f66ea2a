"""Build the bench dataset on PostgreSQL, e.g.

    .venv/bin/python -m bench.generate --orgs 10000 --measures 20 --documents 2
    .venv/bin/python -m bench.generate --national --schema ita_national

--national builds the national dataset (docs/benchmarks.md): 7,850 organisations, 3 fiscal
years, 20 memos per organisation and year in every state, the analysis memo, the progress
reports, ITA results, measure events and evidence URLs (explicit --orgs etc. still apply).

Drops and recreates the schema (default ita_bench), builds its tables with the app's own
migrations, fills them with set-based SQL (bench/steps.py: one INSERT ... SELECT per table),
vacuums and analyses them, and prints the rows and seconds of every step. The same parameters
give the same rows. `--drop` removes the schema when you are done. Every bench user's password is BENCH_PASSWORD; usernames are
b00001.drafter, b00001.head, ... (see bench/dataset.py ROLES).
"""

import argparse
import time
from datetime import date

from flask_migrate import upgrade
from psycopg.types.json import Jsonb
from werkzeug.security import generate_password_hash

from app import create_app
from bench import auditlog, dataset, snapshots, steps
from bench.common import (
    DEFAULT_SCHEMA,
    DEFAULT_TODAY,
    MIGRATIONS,
    argument_parser,
    bench_config,
    checked_schema,
    connect,
    write_meta,
)
from extensions import db

BENCH_PASSWORD = "bench-2569"
LOCAL = {"orgs": 10000, "years": 1, "documents": 2}
NATIONAL = {"orgs": 7850, "years": 3, "documents": 20}


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    schema = checked_schema(args.schema)
    if args.drop:
        with connect(args.database_url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        print(f"schema {schema} dropped")
        return
    params = dataset.Params(
        orgs=args.orgs,
        years=args.years,
        measures=args.measures,
        documents=args.documents,
        today=args.today,
        seed=args.seed,
        national=args.national,
    )
    started = time.perf_counter()
    recreate_schema(args.database_url, schema)
    timed("schema (migrations)", lambda: migrate(args.database_url, schema))
    rows = load(args.database_url, schema, params)
    timed("vacuum analyze", lambda: vacuum(args.database_url, schema))
    seconds = round(time.perf_counter() - started, 1)
    with connect(args.database_url, autocommit=True) as conn:
        # "complete" tells other benchmarks (bench/load*.py) the schema is ready to measure.
        meta = {**vars(params), "rows": rows, "seconds": seconds, "complete": True}
        write_meta(conn, schema, meta)
        print_sizes(conn, schema)
    check_log(args.database_url, schema)
    print(
        f"total {time.perf_counter() - started:.1f} s; schema {schema}, today {params.today},"
        f" fiscal years {params.fiscal_years}"
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argument_parser("bench.generate", __doc__, DEFAULT_SCHEMA, "dropped and recreated")
    parser.add_argument("--national", action="store_true", help="the national dataset (above)")
    parser.add_argument("--orgs", type=int, help="default 10000; 7850 with --national")
    parser.add_argument("--years", type=int, help="fiscal years up to today's (1; 3)")
    parser.add_argument("--measures", type=int, default=20, help="per organisation and year")
    parser.add_argument("--documents", type=int, help="memos per organisation and year (2; 20)")
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=DEFAULT_TODAY,
        help="the day the data is built around (default %(default)s)",
    )
    parser.add_argument("--seed", type=int, default=2569)
    parser.add_argument("--drop", action="store_true", help="only drop the schema, then stop")
    args = parser.parse_args(argv)
    defaults = NATIONAL if args.national else LOCAL
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if min(args.orgs, args.years) < 1 or min(args.measures, args.documents) < 0:
        parser.error("--orgs and --years must be at least 1, the others at least 0")
    return args


def timed(label: str, action):
    started = time.perf_counter()
    result = action()
    print(f"{label:<24} {'':>10} {time.perf_counter() - started:7.1f} s", flush=True)
    return result


def recreate_schema(url: str, schema: str) -> None:
    with connect(url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.execute(f"CREATE SCHEMA {schema}")


def migrate(url: str, schema: str) -> None:
    app = create_app(bench_config(url, schema))
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        db.engine.dispose()


def load(url: str, schema: str, params: dataset.Params) -> dict[str, int]:
    """Run every step in one transaction; returns the rows each table received."""
    values = dataset.parameters(params, generate_password_hash(BENCH_PASSWORD))
    app = create_app(bench_config(url, schema))
    values["analysis_templates"] = Jsonb(snapshots.templates(app, values["ita_years"]))
    rows = {}
    with connect(url, schema) as conn:
        for statement in dataset.functions(params):
            conn.execute(statement)
        for table, statement in steps.steps_for(params.national):
            started = time.perf_counter()
            count = conn.execute(statement, values).rowcount
            # Later steps join what this one inserted: give the planner its size.
            conn.execute(f"ANALYZE {table.strip('()')}")
            print(f"{table:<24} {count:>10,} {time.perf_counter() - started:7.1f} s", flush=True)
            if not table.startswith("("):  # a temporary table, not part of the dataset
                rows[table] = count
        started = time.perf_counter()
        rows["decision_log"] = auditlog.write(conn)
        print(
            f"{'decision_log':<24} {rows['decision_log']:>10,}"
            f" {time.perf_counter() - started:7.1f} s",
            flush=True,
        )
        for table in steps.given_ids(params.national):
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
            )
    return rows


def vacuum(url: str, schema: str) -> None:
    """As autovacuum would have by the time a reminder run starts: statistics and visibility."""
    with connect(url, schema, autocommit=True) as conn:
        tables = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename", (schema,)
        ).fetchall()
        for (table,) in tables:
            conn.execute(f'VACUUM (ANALYZE) "{table}"')


def print_sizes(conn, schema: str) -> None:
    """pg_total_relation_size (table, indexes, TOAST) of every table, largest first."""
    found = conn.execute(
        "SELECT c.relname, c.reltuples::bigint, pg_total_relation_size(c.oid)"
        " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = %s AND c.relkind = 'r' ORDER BY 3 DESC",
        (schema,),
    ).fetchall()
    print("\n| table | rows (estimate) | total size MiB |\n|---|---:|---:|")
    for name, tuples, size in found:
        print(f"| {name} | {max(tuples, 0):,} | {size / 2**20:,.1f} |")
    total = sum(size for _, _, size in found)
    print(f"| all tables | | {total / 2**20:,.1f} |\n")


def check_log(url: str, schema: str) -> None:
    """The app's own compute_hash over the log of a few memos of every state."""
    with connect(url, schema) as conn:
        ids = [
            i
            for (i,) in conn.execute(
                "SELECT min(id) FROM documents GROUP BY state, revision, doc_type"
            )
        ]
    wrong, read = auditlog.check_sample(create_app(bench_config(url, schema)), ids)
    print(f"decision log sample: {read} rows of {len(ids)} memos, {wrong} with a wrong hash")
    if wrong:
        raise SystemExit("the bench decision log does not match models/audit.py")


if __name__ == "__main__":
    main()
