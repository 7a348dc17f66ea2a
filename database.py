"""How the app's database connections behave: SQLite's pragmas and write lock, PostgreSQL
without JIT, and three savings on every request (docs/benchmarks.md, issue 21):

- a GET reads PostgreSQL in autocommit mode: no BEGIN before its first statement and no
  ROLLBACK after its last, two of a short page's six round trips; and psycopg, which discards
  every prepared statement on a ROLLBACK, keeps them, so a page's statements are planned once
  per connection instead of on every request (half of a page's PostgreSQL CPU). READ COMMITTED
  gave each statement its own snapshot already, so what a page reads is the same; no GET writes
  (tests/test_get_never_writes.py), and the one that must writes in a transaction it begins
  (`begin_writing`);
- the pool's liveness check before each checkout (`pool_pre_ping`) costs a round trip only when
  the connection's socket has something to say (a server that restarted or closed it);
- a statement's `cursor.description` is built only when something reads it: SQLAlchemy asks for
  it on every execution but reads it only on a statement's first, and psycopg builds a Column
  object per column each time it is asked (about a third of a page's psycopg time).
"""

import select
from collections.abc import Sequence

import psycopg
from flask import Flask, has_request_context, request
from psycopg import Column
from sqlalchemy import event
from sqlalchemy.engine import Engine

from extensions import db


def install(app: Flask) -> None:
    """Fit the app's engines once they exist (after `db.init_app`)."""
    with app.app_context():
        engines = [e for e in db.engines.values() if e.dialect.name == "postgresql"]
    for engine in engines:
        engine.dialect.do_ping = _QuickPing(engine.dialect.do_ping)
    if engines:
        app.before_request(_read_without_a_transaction)


READING = ("GET", "HEAD")
_AUTOCOMMIT = {"isolation_level": "AUTOCOMMIT"}


def reading_page() -> bool:
    """This request reads a page (a GET or HEAD, not a static file)."""
    return request.method in READING and request.endpoint != "static"


def _read_without_a_transaction() -> None:
    if reading_page():
        db.session.connection(execution_options=_AUTOCOMMIT)


def begin_writing() -> None:
    """What follows runs in a transaction, inside a GET too: a GET that must write (a PDF
    downloaded before the freezer made it) ends its autocommit reading first, so its row lock
    holds until it commits. The session's objects are read again when next used."""
    session = db.session()
    if session.in_transaction() and (
        session.connection().get_execution_options().get("isolation_level") == "AUTOCOMMIT"
    ):
        session.commit()


class _QuickPing:
    """`pool_pre_ping` without a round trip while the connection's socket is quiet.

    A PostgreSQL connection that sat in the pool cannot have been closed by the server without
    the socket becoming readable: a restart, `pg_terminate_backend`, an idle timeout and a
    crashed backend all send a message or end the stream. So a socket with nothing to read is
    taken as alive, and only one with something waiting gets the dialect's real ping (SELECT 1),
    which reads what came and fails for a dead connection: the pool then replaces it and every
    older one, as before. A server host that vanishes without a word is not caught by either
    check; the real ping would wait for TCP's time-out there too."""

    def __init__(self, ping) -> None:
        self.ping = ping

    def __call__(self, dbapi_connection) -> bool:
        if _quiet(dbapi_connection.fileno()):
            return True
        return self.ping(dbapi_connection)


def _quiet(fd: int) -> bool:
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLPRI)
    return not poller.poll(0)


class LazyDescriptionCursor(psycopg.Cursor):
    """psycopg's cursor, whose `description` builds its Column objects when first read."""

    @property
    def description(self):
        result = self.pgresult
        if result is None or not result.nfields:
            return super().description  # no columns: psycopg's own answer
        return _Description(self, result)


class _Description(Sequence):
    """The columns of one result, as psycopg would describe them, made on first reading.
    Bound to that result: executing again on the cursor does not change what it describes."""

    __slots__ = ("_source", "_size", "_columns")

    def __init__(self, cursor: psycopg.Cursor, result) -> None:
        self._source = (cursor, result)
        self._size = result.nfields
        self._columns: list[Column] | None = None

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, index):
        return self._read()[index]

    def _read(self) -> list[Column]:
        if self._columns is None:
            cursor, result = self._source
            described = _Described(result, cursor._encoding, cursor.adapters)
            self._columns = [Column(described, i) for i in range(self._size)]
        return self._columns


class _Described:
    """What psycopg's Column reads of its cursor, fixed at one result."""

    __slots__ = ("pgresult", "_encoding", "adapters")

    def __init__(self, pgresult, encoding: str, adapters) -> None:
        self.pgresult, self._encoding, self.adapters = pgresult, encoding, adapters


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """SQLite enforces foreign keys only when asked, and waits for a lock instead of failing."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


@event.listens_for(Engine, "connect")
def _postgresql(dbapi_connection, connection_record) -> None:
    """No JIT compilation on the app's PostgreSQL connections, and the lazy description.

    JIT's threshold is a planner cost, and the late-measure rule (one EXISTS per missed period)
    passes it on the national dataset: the home page's measure query then spent 770 ms
    compiling for 90 ms of work (docs/benchmarks.md). A web request's short queries never repay
    compilation."""
    if isinstance(dbapi_connection, psycopg.Connection):
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True  # a SET inside a rolled-back transaction is undone
        dbapi_connection.execute("SET jit = off")
        dbapi_connection.autocommit = autocommit
        dbapi_connection.cursor_factory = LazyDescriptionCursor


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn) -> None:
    """On SQLite, a request that changes things takes the write lock when its transaction
    begins, so a double-click's second request waits for the first and then sees its result,
    as a row lock does on PostgreSQL. (SQLAlchemy's pysqlite recipe, "Serializable isolation /
    Savepoints / Transactional DDL": SQLAlchemy emits BEGIN itself; pysqlite, which sees the
    transaction open, adds none. Reading requests, the CLI and workers keep pysqlite's own.)"""
    if conn.dialect.name == "sqlite" and _writing_request():
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _writing_request() -> bool:
    return has_request_context() and request.method not in (*READING, "OPTIONS")
