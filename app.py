"""Application factory: a list of short named steps."""

import os

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import joinedload
from werkzeug.routing import IntegerConverter

import cli
import clock
import database
import models  # noqa: F401  (registers every model with the metadata)
import search
from config import INSTANCE_DIR, Config, ProductionConfig, config_from_env
from extensions import csrf, db, login_manager, migrate
from notifications.outbox import after_commit
from pdf import freeze
from views import register_blueprints
from views.errors import register_error_handlers
from views.filters import register_template_helpers
from views.menu import register_menu
from views.security import register_security
from workflow import documents, permissions, revocations


def create_app(config: type[Config] | None = None) -> Flask:
    config = config or config_from_env()
    if issubclass(config, ProductionConfig):
        config.check()
    app = App(__name__, instance_path=str(INSTANCE_DIR))
    os.makedirs(app.instance_path, exist_ok=True)  # the default SQLite file lives there
    app.config.from_object(config)
    if app.config["PDF_FREEZE"] not in freeze.MODES:
        raise RuntimeError(f"PDF_FREEZE must be one of {freeze.MODES}")
    register_extensions(app)
    register_security(app)
    app.url_map.converters["int"] = DatabaseId
    register_blueprints(app)
    register_error_handlers(app)
    register_template_helpers(app)
    register_menu(app)
    after_commit.install(app)
    # An approval fixes what the official PDF prints, then marks the memo it cancels, if any.
    documents.on_approval(app, freeze.on_approval, revocations.on_approval)
    search.init_app(app)
    cli.register(app)
    return app


class App(Flask):
    """Flask, asking once per function, not once per call, whether a view or hook is a
    coroutine: a dozen `inspect` calls on every request (docs/benchmarks.md, issue 21)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._synchronous: dict = {}

    def ensure_sync(self, func):
        try:
            return self._synchronous[func]
        except KeyError:
            synchronous = self._synchronous[func] = super().ensure_sync(func)
            return synchronous
        except TypeError:  # a callable that cannot be a key: asked each time, as Flask does
            return super().ensure_sync(func)


class DatabaseId(IntegerConverter):
    """<int:…> in a URL matches only what an id column can hold (PostgreSQL's INTEGER, the
    smaller of the two databases), so /documents/99999999999999999999 is a 404, not a 500."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(app.root_path + "/migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    database.install(app)


@login_manager.user_loader
def load_user(user_id: str):
    """The session's user, if the cookie is of the person's current session version (logout, a
    password change or deactivation advance it) and the person is still active. The posts they
    act in today come in the same statement, for the menu's badge and the page."""
    user_key, _, version = user_id.partition(".")
    if not (user_key.isdigit() and version.isdigit()) or len(user_key) > 18:
        return None  # a cookie from before session versions, or a forged one
    today = clock.today()
    rows = db.session.execute(_SESSION_USER, {"user_id": int(user_key), "on": today}).all()
    if not rows:
        return None
    user = rows[0][0]
    if not user.active or user.session_version != int(version):
        return None
    permissions.read_with_user(user, today, [(p, a) for _, p, a in rows if p is not None])
    return user


# With its organisation, in the same statement: nearly every page reads it (the digit setting
# of every number shown, the name); and with the acting assignments in force, one row each
# (none: one row). Built once: `Session.get` with an option builds and keys a new statement on
# every request; this one keeps its SQLAlchemy cache key.
_ORDER = models.ActingAssignment
_SESSION_USER = (
    sa.select(models.User, _ORDER.position_id, _ORDER.id)
    .outerjoin(
        _ORDER,
        permissions.acting_in_force(
            models.User.id, models.User.org_id, sa.bindparam("on", type_=sa.Date)
        ),
    )
    .options(joinedload(models.User.organisation))
    .where(models.User.id == sa.bindparam("user_id"))
    .order_by(_ORDER.start_date)
)
