"""Each test's fresh database, and the demo organisation built once per run and copied into it.

A fresh database is a copy of the migrated schema: on SQLite a copy of the migrated file; on
PostgreSQL the run's own schema emptied by DELETE with triggers held off and its sequences
restarted (TRUNCATE of the ~50 tables took over a second per test; DELETE of a test's few rows
takes milliseconds).

Building the demo (`demo.create_demo`: about fifty people, chains, measures, ITA results, the OIT
board) took most of every test's set-up. It is built once per run (per xdist worker) and copied:
on SQLite with the backup API from a built file; on PostgreSQL with INSERT … SELECT from a
snapshot schema, triggers and foreign keys held off (`session_replication_role = replica`) for
the copy, and the sequences set where the build left them.

A copy is exactly what building would give only when nothing the build reads has changed, so
`load` builds the demo afresh instead when the test moved the clock, changed the app's settings,
or put rows in the database before asking for the demo.
"""

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

import clock
from extensions import db

# One schema per test process (each xdist worker is one), so runs at once never share tables.
PG_SCHEMA = f"ita_test_{os.getpid()}"
DEMO_SCHEMA = f"{PG_SCHEMA}_demo"

_NOW, _TODAY = clock.now, clock.today
_PLAIN = (str, int, float, bool, type(None))
# Where the copy lives, not what the demo is made of.
_PLACE = {"SQLALCHEMY_DATABASE_URI", "STORAGE_DIR"}


def _settings(app) -> dict:
    return {k: v for k, v in app.config.items() if isinstance(v, _PLAIN) and k not in _PLACE}


def _tables() -> list[sa.Table]:
    import models  # noqa: F401  (every table on db.metadata)

    return list(db.metadata.sorted_tables)


def _empty() -> sa.TextClause:
    checks = " OR ".join(f'EXISTS (SELECT 1 FROM "{t.name}")' for t in _tables())
    return sa.text(f"SELECT {checks}")


@dataclass
class DemoTemplate:
    day: object  # clock.today() when built: the demo's rows depend on it
    settings: dict
    sqlite_path: Path | None = None
    pg_load: str | None = None  # one script: copy the rows, set the sequences
    stats: dict = field(default_factory=lambda: {"copied": 0, "built": 0})

    @classmethod
    def build(cls, database_template: str, folder: Path) -> "DemoTemplate":
        from conftest import PG_URL, _fresh_database, make_config

        import demo
        from app import create_app

        if PG_URL:
            url = _fresh_database(database_template, folder)
        else:
            url = f"sqlite:///{folder / 'demo.sqlite3'}"
            _copy_sqlite(Path(database_template), folder / "demo.sqlite3")
        storage = folder / "storage"
        app = create_app(make_config(url, str(storage)))
        with app.app_context():
            day = clock.today()
            demo.create_demo()
            db.session.commit()
            assert not storage.exists() or not any(storage.iterdir()), (
                "the demo now writes files: copy the storage folder with the database"
            )
            template = cls(day=day, settings=_settings(app))
            if PG_URL:
                template.pg_load = _snapshot_postgres()
            else:
                template.sqlite_path = folder / "demo.sqlite3"
            db.session.remove()
            db.engine.dispose()
        return template

    def usable_for(self, app) -> bool:
        if clock.now is not _NOW or clock.today is not _TODAY or clock.today() != self.day:
            return False
        if _settings(app) != self.settings:
            return False
        return not db.session.scalar(_empty())

    def load(self, app) -> None:
        """The demo organisation in the app's database (inside an app context), committed."""
        import demo

        if not self.usable_for(app):
            db.session.rollback()
            demo.create_demo()
            db.session.commit()
            self.stats["built"] += 1
            return
        db.session.rollback()
        db.session.remove()
        if self.sqlite_path is not None:
            db.engine.dispose()
            target = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
            _copy_sqlite(self.sqlite_path, Path(target))
        else:
            with db.engine.begin() as conn:
                conn.exec_driver_sql(self.pg_load)
        self.stats["copied"] += 1


_RESET: dict[str, tuple[sa.Engine, str]] = {}


def reset_postgres(url: str) -> None:
    """Empty every table of the schema at `url` and restart its sequences, as after migrating."""
    if url not in _RESET:
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        with engine.connect() as conn:
            _RESET[url] = (engine, _reset_script(conn))
    engine, script = _RESET[url]
    with engine.begin() as conn:
        conn.exec_driver_sql(script)


def _reset_script(conn) -> str:
    sequences = conn.scalars(
        sa.text("SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()")
    ).all()
    return ";\n".join(
        [
            "SET LOCAL session_replication_role = replica",
            *(f'DELETE FROM "{t.name}"' for t in _tables()),
            *(f"SELECT setval('\"{name}\"', 1, false)" for name in sequences),
        ]
    )


def _copy_sqlite(source: Path, target: Path) -> None:
    """Copy with SQLite's backup API: safe while other connections have the target open."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def _snapshot_postgres() -> str:
    """Copy the built demo's rows into DEMO_SCHEMA, empty the test schema again, and return the
    script that loads the copy back."""
    statements = ["SET LOCAL session_replication_role = replica"]
    with db.engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {DEMO_SCHEMA} CASCADE"))
        conn.execute(sa.text(f"CREATE SCHEMA {DEMO_SCHEMA}"))
        for table in _tables():
            columns = conn.scalars(
                sa.text(
                    "SELECT column_name FROM information_schema.columns"
                    " WHERE table_schema = current_schema() AND table_name = :t"
                    " AND is_generated = 'NEVER' ORDER BY ordinal_position"
                ),
                {"t": table.name},
            ).all()
            names = ", ".join(f'"{c}"' for c in columns)
            copy = f'{DEMO_SCHEMA}."{table.name}"'
            conn.execute(sa.text(f'CREATE TABLE {copy} AS SELECT {names} FROM "{table.name}"'))
            if conn.scalar(sa.text(f"SELECT EXISTS (SELECT 1 FROM {copy})")):
                statements.append(
                    f'INSERT INTO "{table.name}" ({names}) OVERRIDING SYSTEM VALUE'
                    f" SELECT {names} FROM {copy}"
                )
        sequences = conn.execute(
            sa.text(
                "SELECT sequencename, last_value FROM pg_sequences"
                " WHERE schemaname = current_schema() AND last_value IS NOT NULL"
            )
        ).all()
        statements += [f"SELECT setval('\"{name}\"', {value})" for name, value in sequences]
    reset_postgres(str(db.engine.url.render_as_string(hide_password=False)))
    assert not db.session.scalar(_empty()), "a table kept rows after the reset"
    return ";\n".join(statements)
