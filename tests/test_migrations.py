"""Migrations: one head, upgrading an empty database gives exactly the models' schema, and data
migrations fill existing rows as they say."""

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

import clock
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


def test_units_get_places_with_sam_nak_palat_first_then_the_order_they_were_set_up(
    empty_database, tmp_path
):
    """i22u00000001 numbers each organisation's existing units: สำนักปลัด… first, then by id."""
    app = create_app(make_config(empty_database, str(tmp_path / "storage")))
    set_up = {
        "อบต.ทดสอบ": ["กองคลัง", "กองช่าง", "สำนักปลัด", "กองการศึกษา ศาสนาและวัฒนธรรม"],
        "เทศบาลตำบลทดสอบ": ["กองสาธารณสุขและสิ่งแวดล้อม", "สำนักปลัดเทศบาล", "กองคลัง"],
    }
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision="i21a00000001")
        with db.engine.begin() as conn:
            tables = sa.MetaData()
            orgs = sa.Table("organisations", tables, autoload_with=conn)
            units = sa.Table("units", tables, autoload_with=conn)
            for name, unit_names in set_up.items():
                org = {"name": name, "kind": "sao", "thai_digits": True, "created_at": clock.now()}
                blank = dict.fromkeys(("district", "province", "phone", "doc_prefix"), "")
                org_id = conn.execute(orgs.insert().values(**org, **blank)).inserted_primary_key[0]
                for unit_name in unit_names:
                    conn.execute(units.insert().values(org_id=org_id, name=unit_name, phone=""))
        upgrade(directory=MIGRATIONS, revision="i22u00000001")
        with db.engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT o.name, u.name, u.sort_order FROM units u"
                    " JOIN organisations o ON o.id = u.org_id ORDER BY o.id, u.sort_order"
                )
            ).all()
        db.engine.dispose()
    assert [(org, unit) for org, unit, _ in rows] == [
        ("อบต.ทดสอบ", "สำนักปลัด"),
        ("อบต.ทดสอบ", "กองคลัง"),
        ("อบต.ทดสอบ", "กองช่าง"),
        ("อบต.ทดสอบ", "กองการศึกษา ศาสนาและวัฒนธรรม"),
        ("เทศบาลตำบลทดสอบ", "สำนักปลัดเทศบาล"),
        ("เทศบาลตำบลทดสอบ", "กองสาธารณสุขและสิ่งแวดล้อม"),
        ("เทศบาลตำบลทดสอบ", "กองคลัง"),
    ]
    assert [place for _, _, place in rows] == [1, 2, 3, 4, 1, 2, 3]


def test_a_database_with_sealed_log_rows_upgrades_past_i16a(empty_database, tmp_path):
    """i16a rebuilds organisations and decision_log in batch mode; on SQLite, with foreign keys
    enforced, dropping the old table failed as soon as rows pointed into it (the organisation's
    people, a log row's seal), so no database in use could upgrade. The row, its seal and the
    log's refusal to be edited all come through, to the head."""
    app = create_app(make_config(empty_database, str(tmp_path / "storage")))
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision="i15a00000001")
        with db.engine.begin() as conn:
            row_id = _one_sealed_log_row(conn)
        upgrade(directory=MIGRATIONS, revision="i16a00000001")
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as conn:
            seals = conn.execute(sa.text("SELECT row_id, mac FROM decision_seals")).all()
            log = conn.execute(sa.text("SELECT id, action FROM decision_log")).all()
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), db.engine.begin() as conn:
            conn.execute(sa.text("UPDATE decision_log SET comment = 'แก้ไข'"))
        db.engine.dispose()
    assert seals == [(row_id, "ab" * 32)]
    assert log == [(row_id, "submit")]


def _one_sealed_log_row(conn) -> int:
    """An organisation, its drafter, a memo in review, its 'submit' log row and that row's seal,
    as the schema of i15a00000001 holds them; the log row's id."""
    tables = sa.MetaData()
    table = {
        name: sa.Table(name, tables, autoload_with=conn)
        for name in ("organisations", "users", "documents", "decision_log", "decision_seals")
    }
    now = clock.now()
    blank = dict.fromkeys(("district", "province", "phone", "doc_prefix"), "")
    org = {"name": "อบต.ทดสอบ", "kind": "sao", "thai_digits": True, "created_at": now}
    org_id = conn.execute(table["organisations"].insert().values(**org, **blank))
    org_id = org_id.inserted_primary_key[0]
    person = {"username": "drafter", "password_hash": "-", "title": "นาง", "email": ""}
    user_id = conn.execute(
        table["users"]
        .insert()
        .values(
            org_id=org_id,
            full_name="ผู้ร่าง ทดสอบ",
            active=True,
            is_admin=False,
            created_at=now,
            **person,
        )  # fmt: skip
    ).inserted_primary_key[0]
    memo = {"doc_type": "general", "state": "in_review", "revision": 1, "version": 1}
    memo |= {"current_step": 1, "submitted_at": now, "fiscal_year": 2569, "number_seq": 1}
    text = dict.fromkeys(("issuing_unit", "subject", "addressee", "closing"), "ทดสอบ")
    doc_id = conn.execute(
        table["documents"]
        .insert()
        .values(
            org_id=org_id,
            drafter_id=user_id,
            doc_date=now.date(),
            created_at=now,
            updated_at=now,
            **memo,
            **text,
        )  # fmt: skip
    ).inserted_primary_key[0]
    signed = {"actor_name": "ผู้ร่าง ทดสอบ", "actor_position": "", "comment": ""}
    row_id = conn.execute(
        table["decision_log"]
        .insert()
        .values(
            org_id=org_id,
            document_id=doc_id,
            revision=1,
            action="submit",
            actor_id=user_id,
            created_at=now,
            content_sha256="c" * 64,
            row_hash="d" * 64,
            **signed,
        )  # fmt: skip
    ).inserted_primary_key[0]
    conn.execute(table["decision_seals"].insert().values(row_id=row_id, mac="ab" * 32))
    return row_id
