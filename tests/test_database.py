"""The app's database connections (database.py): a connection the server closed is replaced
before a page uses it, and psycopg's description is the same when built on first reading."""

import select
import socket

import flask
import psycopg
import pytest
import sqlalchemy as sa
from support.client import login

import database
from config import database_url
from extensions import db


def postgresql_only(app) -> None:
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("a PostgreSQL connection's socket and description; SQLite has neither")


def backend_pid(app) -> int:
    with app.app_context():
        pid = db.session.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
        db.session.remove()
    return pid


def libpq_url(app) -> str:
    return database_url(app.config["SQLALCHEMY_DATABASE_URI"]).replace("+psycopg", "", 1)


def terminate(pid: int, url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        assert conn.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0]
        # the backend is gone once it no longer shows; its socket is then closed
        for _ in range(200):
            if not conn.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
                break
            conn.execute("SELECT pg_sleep(0.01)")


def test_a_page_after_the_server_closed_the_connection_is_served(app, client, srisuk):
    # a restart of PostgreSQL, an idle time-out or an administrator's pg_terminate_backend: the
    # pooled connection is dead, and the next page must not be the one that finds out
    postgresql_only(app)
    login(client, "thanyarat")
    assert client.get("/documents/pending").status_code == 200
    pid = backend_pid(app)
    terminate(pid, libpq_url(app))

    response = client.get("/documents/pending")

    assert response.status_code == 200
    assert "รอพิจารณา" in response.get_data(as_text=True)
    assert backend_pid(app) != pid  # served on a new connection


def test_a_quiet_connection_is_used_without_a_round_trip(app, srisuk):
    postgresql_only(app)
    with app.app_context():
        db.session.execute(sa.text("SELECT 1"))
        db.session.remove()
        pings = []
        engine = db.engine
        real = engine.dialect.do_ping.ping
        engine.dialect.do_ping.ping = lambda conn: pings.append(conn) or real(conn)
        try:
            db.session.execute(sa.text("SELECT 1"))
            db.session.remove()
        finally:
            engine.dialect.do_ping.ping = real
    assert pings == []


def test_a_socket_is_quiet_until_its_peer_writes_or_closes():
    mine, peer = socket.socketpair()
    with mine, peer:
        assert database._quiet(mine.fileno())
        peer.sendall(b"N")  # a notice, a termination message
        assert not database._quiet(mine.fileno())
        mine.recv(1)
        assert database._quiet(mine.fileno())
        peer.close()  # the server went away
        assert not database._quiet(mine.fileno())
    assert select.POLLIN  # the platform has poll(); the check relies on it


def test_the_description_is_psycopgs_own_and_stays_with_its_result(app):
    postgresql_only(app)
    query = "SELECT 1 AS n, 'x'::varchar(20) AS word, now() AS at"
    with psycopg.connect(libpq_url(app)) as conn:
        plain = conn.cursor().execute(query).description
        cursor = database.LazyDescriptionCursor(conn)
        described = cursor.execute(query).description
        cursor.execute("SELECT 2 AS other")  # the cursor moves on; the description stays

        assert len(described) == 3
        assert [tuple(c) for c in described] == [tuple(c) for c in plain]
        assert [c.name for c in described] == ["n", "word", "at"]
        assert described[-1].type_code == plain[-1].type_code
        assert cursor.description[0].name == "other"
        assert cursor.execute("SET LOCAL jit = off").description is None  # no rows, no columns


def test_the_apps_postgresql_connections_describe_lazily(app):
    postgresql_only(app)
    with app.app_context():
        raw = db.session.connection().connection.dbapi_connection
        assert raw.cursor_factory is database.LazyDescriptionCursor
        # SQLAlchemy reads columns by name through it, on a statement's first run and after
        for _ in range(2):
            row = db.session.execute(sa.text("SELECT 7 AS seven, 'ก' AS thai")).mappings().one()
            assert dict(row) == {"seven": 7, "thai": "ก"}
        db.session.remove()


def test_a_get_reads_without_a_transaction_and_a_post_writes_in_one(app, client, srisuk):
    # no BEGIN and no ROLLBACK around a page's reads (two of a short page's six round trips);
    # a form's writes still commit together or not at all
    postgresql_only(app)
    seen: list[tuple[str, bool, str]] = []

    @app.after_request
    def note(response):
        raw = db.session.connection().connection.dbapi_connection
        seen.append((flask.request.method, raw.autocommit, raw.info.transaction_status.name))
        return response

    login(client, "thanyarat")
    seen.clear()
    assert client.get("/documents/pending").status_code == 200
    assert client.post_form("/logout").status_code == 302
    assert seen == [("GET", True, "IDLE"), ("POST", False, "IDLE")]
