"""Blueprints, one per area."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from views import (
        admin,
        auth,
        dashboard,
        documents,
        ita,
        line,
        measures,
        notifications,
        oit,
        pdf,
        reports,
    )

    for module in (
        dashboard,
        auth,
        documents,
        measures,
        reports,
        ita,
        oit,
        notifications,
        admin,
        pdf,
        line,
    ):
        app.register_blueprint(module.bp)
    register_work_overview(app)


def register_work_overview(app: Flask) -> None:
    """The home page's companions: the phone decision page, the lists, search, the first run."""
    from views import circulation, decide, lists, public, revocations, search, setup

    for module in (decide, lists, search, setup, public, revocations, circulation):
        app.register_blueprint(module.bp)
