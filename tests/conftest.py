"""Fixtures: an app per test on a fresh database (SQLite by default, PostgreSQL when
TEST_DATABASE_URL is set), a client that sends CSRF tokens like a browser, and the demo world."""

import os
import shutil
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from hypothesis import HealthCheck, settings
from support.client import Client
from support.database import DEMO_SCHEMA, PG_SCHEMA, DemoTemplate, reset_postgres

from app import create_app
from config import TestingConfig, database_url
from extensions import db

PG_URL = os.environ.get("TEST_DATABASE_URL")
MIGRATIONS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations")

# The fuzz tests (test_fuzz_forms.py): a short run that is the same every time by default; a long
# random one with `--hypothesis-profile=fuzz-long` (or HYPOTHESIS_PROFILE=fuzz-long).
_FUZZ = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
settings.register_profile("fuzz", max_examples=8, derandomize=True, database=None, **_FUZZ)
settings.register_profile("fuzz-long", max_examples=300, **_FUZZ)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fuzz"))


def make_config(url: str, storage: str) -> type[TestingConfig]:
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
        STORAGE_DIR = storage

    return Config


def _pg_url() -> str:
    base = database_url(PG_URL)
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}options=-csearch_path%3D{PG_SCHEMA}"


def _migrate(url: str, storage: str) -> None:
    app = create_app(make_config(url, storage))
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        db.engine.dispose()


def _pg_execute(*statements: str) -> None:
    engine = sa.create_engine(database_url(PG_URL))
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(sa.text(statement))
    engine.dispose()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """Build the schema once per run (per xdist worker), with the migrations (so triggers are
    there too)."""
    storage = str(tmp_path_factory.mktemp("storage"))
    if not PG_URL:
        path = tmp_path_factory.mktemp("db") / "template.sqlite3"
        _migrate(f"sqlite:///{path}", storage)
        yield str(path)
        return
    _pg_execute(
        f"DROP SCHEMA IF EXISTS {DEMO_SCHEMA} CASCADE",
        f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE",
        f"CREATE SCHEMA {PG_SCHEMA}",
    )
    _migrate(_pg_url(), storage)
    yield _pg_url()
    _pg_execute(
        f"DROP SCHEMA IF EXISTS {DEMO_SCHEMA} CASCADE", f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"
    )


def _fresh_database(template: str, tmp_path) -> str:
    if not PG_URL:
        path = tmp_path / "test.sqlite3"
        shutil.copy(template, path)
        return f"sqlite:///{path}"
    reset_postgres(template)
    return template


@pytest.fixture(scope="session")
def demo_template(database_template, tmp_path_factory) -> DemoTemplate:
    """The demo organisation built once per run (per xdist worker); `srisuk` loads a copy."""
    return DemoTemplate.build(database_template, tmp_path_factory.mktemp("demo"))


@pytest.fixture
def app(database_template, tmp_path):
    url = _fresh_database(database_template, tmp_path)
    application = create_app(make_config(url, str(tmp_path / "storage")))
    application.test_client_class = Client
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app) -> Client:
    return app.test_client()


@pytest.fixture
def ctx(app):
    """An app context for tests that call services directly."""
    with app.app_context():
        yield
        db.session.rollback()


@dataclass
class World:
    """Ids of the demo organisation (seed 000), so tests can log in as its people."""

    org_id: int
    memo_id: int


@pytest.fixture
def srisuk(app, demo_template) -> World:
    from models import Document

    with app.app_context():
        demo_template.load(app)
        memo_id = db.session.scalar(sa.select(Document.id))
        org_id = db.session.scalar(sa.text("SELECT id FROM organisations"))
    return World(org_id=org_id, memo_id=memo_id)
