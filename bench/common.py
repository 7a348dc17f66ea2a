"""What the generator and the benchmarks share: the database, the schema and its parameters."""

import argparse
import json
import os
import re
from datetime import date

import psycopg
from psycopg import sql

from config import TestingConfig, database_url

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_SCHEMA = "ita_bench"
# A Thursday of fiscal year 2569, after Songkran: round, measure and document reminders are all
# due, and the results do not depend on the day the benchmark is run.
DEFAULT_TODAY = date(2026, 4, 16)


def argument_parser(module: str, doc: str | None, schema: str, schema_help: str | None = None):
    """The options every bench command shares (--database-url, --schema), its docstring as help."""
    parser = argparse.ArgumentParser(
        prog=f"python -m {module}",
        description=doc,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--schema", default=schema, help=schema_help)
    return parser


MIGRATIONS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "migrations")


def checked_schema(name: str) -> str:
    """The schema name goes into DDL, so only a plain lower-case identifier is accepted."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name) or name in ("public", "pg_catalog"):
        raise SystemExit(f"not a usable schema name: {name!r}")
    return name


def app_url(url: str, schema: str) -> str:
    """SQLAlchemy URL (psycopg driver) whose connections see only the bench schema."""
    base = database_url(url)
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}options=-csearch_path%3D{schema}"


def connect(url: str, schema: str | None = None, **kwargs) -> psycopg.Connection:
    """A plain psycopg connection, its search_path set to the schema when one is given."""
    options = {"options": f"-c search_path={schema}"} if schema else {}
    return psycopg.connect(url, **options, **kwargs)


def bench_config(url: str, schema: str, **settings) -> type[TestingConfig]:
    """The testing configuration pointed at the bench schema (mail logged unless told otherwise)."""
    attrs = {"SQLALCHEMY_DATABASE_URI": app_url(url, schema), "MAIL_SERVER": "", **settings}
    return type("BenchConfig", (TestingConfig,), attrs)


def write_meta(conn: psycopg.Connection, schema: str, meta: dict) -> None:
    """Keep the generator's parameters on the schema itself (a comment: no extra table)."""
    text = json.dumps(meta, default=str, sort_keys=True)
    conn.execute(sql.SQL("COMMENT ON SCHEMA {} IS {}").format(sql.Identifier(schema), text))


def read_meta(conn: psycopg.Connection, schema: str) -> dict:
    row = conn.execute(
        "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = %s",
        (schema,),
    ).fetchone()
    if row is None:
        raise SystemExit(f"schema {schema} does not exist: run `python -m bench.generate` first")
    return json.loads(row[0] or "{}")
