"""Blueprints, one per area."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from views import admin, auth, documents, ita, main, measures, notifications, pdf, reports

    for module in (main, auth, documents, measures, reports, ita, notifications, admin, pdf):
        app.register_blueprint(module.bp)
