"""Blueprints, one per area."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from views import admin, auth, documents, main

    for module in (main, auth, documents, admin):
        app.register_blueprint(module.bp)
