"""The menu's badges, on every page drawn for a signed-in user (templates/base.html)."""

from flask import Flask
from flask_login import current_user

from workflow.menu import badges


def register_menu(app: Flask) -> None:
    app.context_processor(menu_badges)


def menu_badges() -> dict:
    if not current_user.is_authenticated:
        return {"unread_count": 0}
    found = badges(current_user)
    return {
        "pending_count": found.pending,
        "circulated_count": found.circulated,
        "unacknowledged_count": found.unacknowledged,
        "unread_count": found.unread,
    }
