"""Migrations: one head, and upgrading an empty database gives exactly the models' schema."""

import logging
import os

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from conftest import MIGRATIONS, PG_URL, make_config
from flask_migrate import downgrade, upgrade

from app import create_app
from config import database_url
from extensions import db

SCHEMA = f"ita_migrations_{os.getpid()}"  # apart from the suite's schema and other runs


def _script() -> ScriptDirectory:
    config = AlembicConfig(os.path.join(MIGRATIONS, "alembic.ini"))
    config.set_main_option("script_location", MIGRATIONS)
    return ScriptDirectory.from_config(config)


def test_there_is_exactly_one_head():
    heads = _script().get_heads()
    assert len(heads) == 1, f"merge the Alembic heads {heads} before release"


def test_every_revision_descends_from_the_first():
    script = _script()
    revisions = list(script.walk_revisions())
    bases = [r.revision for r in revisions if r.down_revision is None]
    assert len(bases) == 1
    assert {r.revision for r in revisions} == {
        r.revision for r in script.iterate_revisions(script.get_current_head(), "base")
    }


@pytest.fixture(autouse=True)
def keep_loggers():
    """Alembic's env.py calls logging.fileConfig, which disables every logger that exists and
    is not in alembic.ini (the app's own among them); enable them again for the tests after."""
    loggers = logging.Logger.manager.loggerDict.values()
    enabled = [lg for lg in loggers if isinstance(lg, logging.Logger) and not lg.disabled]
    yield
    for logger in enabled:
        logger.disabled = False


@pytest.fixture
def empty_database(tmp_path):
    """A database with nothing in it: a new SQLite file, or a new PostgreSQL schema."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    engine = sa.create_engine(database_url(PG_URL))
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        conn.execute(sa.text(f"CREATE SCHEMA {SCHEMA}"))
    base = database_url(PG_URL)
    yield f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{SCHEMA}"
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    engine.dispose()


@pytest.fixture
def migrated_app(empty_database, tmp_path):
    app = create_app(make_config(empty_database, str(tmp_path / "storage")))
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        yield app
        db.session.remove()
        db.engine.dispose()


def _for_this_dialect(dialect: str):
    """Leave out what a model declares for another database only (Index(...).ddl_if)."""

    def include(obj, name, type_, reflected, compare_to) -> bool:
        only = getattr(obj, "_ddl_if", None)
        return only is None or only.dialect in (None, dialect)

    return include


def test_upgrade_from_empty_gives_the_schema_the_models_declare(migrated_app):
    with db.engine.connect() as conn:
        opts = {"compare_type": True, "include_object": _for_this_dialect(conn.dialect.name)}
        context = MigrationContext.configure(conn, opts=opts)
        differences = compare_metadata(context, db.metadata)
    assert differences == [], "the models and the migrations disagree; generate a migration"


def test_downgrade_to_empty_and_upgrade_again(migrated_app):
    downgrade(directory=MIGRATIONS, revision="base")
    db.engine.dispose()
    left = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert left == set()
    upgrade(directory=MIGRATIONS)
    db.engine.dispose()
    assert set(sa.inspect(db.engine).get_table_names()) >= set(db.metadata.tables)
