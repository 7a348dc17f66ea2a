"""Flask extensions, created unbound and initialised in the app factory."""

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.engine import Result
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "กรุณาเข้าสู่ระบบก่อนใช้งาน"
login_manager.login_message_category = "warning"


def read_columns(statement, params: dict | None = None) -> Result:
    """The rows of a statement of plain columns (no entities), run on the session's connection
    in its transaction, without the ORM's handling of each row: about half the Python of
    `Session.execute` for the small statements every page runs (docs/benchmarks.md, issue 21).
    What the session holds unsaved is flushed first, as its autoflush would."""
    session = db.session()
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, params)


def insert_ignoring_duplicates(table):
    """INSERT … ON CONFLICT DO NOTHING for the session's database (PostgreSQL or SQLite)."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialects = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
    return dialects[db.session.get_bind().dialect.name](table).on_conflict_do_nothing()
