"""Build the search index (search.index, what `flask search reindex` runs) for some of
the bench dataset's organisations, e.g.

    .venv/bin/python -m bench.search_index --schema ita_national --orgs 300

The app tokenises each memo and measure in Python (pythainlp): about 2.6 ms of CPU per item, so
the whole national dataset (about a million items) would take some 45 minutes of CPU. This
indexes the memos and measures of organisations 1..--orgs (a province) plus those of the load
benchmark's executives (bench/sessions.py), so the users the search benchmark logs in as search
a full index of their own organisation inside a table of the given size.
"""

import time

import sqlalchemy as sa

from app import create_app
from bench import sessions
from bench.common import argument_parser, bench_config, checked_schema, connect
from extensions import db
from models import Document, Measure, SearchEntry
from search.index import DOCUMENT, MEASURE, refresh


def main(argv: list[str] | None = None) -> None:
    parser = argument_parser("bench.search_index", __doc__, "ita_national")
    parser.add_argument("--orgs", type=int, default=300)
    parser.add_argument("--users", type=int, default=50, help="the load benchmark's executives")
    args = parser.parse_args(argv)
    schema = checked_schema(args.schema)
    with connect(args.database_url, schema) as conn:
        users = sessions.executives(conn, args.users)
        orgs = {
            org
            for (org,) in conn.execute(
                "SELECT DISTINCT org_id FROM users WHERE id = ANY(%s)", ([u for u, _, _ in users],)
            )
        }
    orgs |= set(range(1, args.orgs + 1))
    app = create_app(bench_config(args.database_url, schema))
    started, cpu = time.perf_counter(), time.process_time()
    with app.app_context():
        for kind, model in ((DOCUMENT, Document), (MEASURE, Measure)):
            ids = db.session.scalars(sa.select(model.id).where(model.org_id.in_(orgs))).all()
            refresh(db.session, kind, ids)
            db.session.commit()
            print(f"{kind}: {len(ids):,} items", flush=True)
        rows = db.session.scalar(sa.select(sa.func.count(SearchEntry.id)))
    with connect(args.database_url, schema, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE) search_index")
    print(f"search index: {rows:,} rows for {len(orgs)} organisations in"
          f" {time.perf_counter() - started:.0f} s ({time.process_time() - cpu:.0f} s CPU)")  # fmt: skip


if __name__ == "__main__":
    main()
