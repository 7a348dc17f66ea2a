"""Template filters for Thai dates and digits, following the organisation's digit setting."""

from datetime import date, datetime

from flask import Flask
from flask_login import current_user
from markupsafe import Markup

import clock
import thai
from workflow.holders import labels_at
from workflow.ita.wording import level_phrase


def _thai_digits() -> bool:
    if current_user and current_user.is_authenticated:
        return current_user.organisation.thai_digits
    return True


def register_template_helpers(app: Flask) -> None:
    @app.template_filter("thaidate")
    def thaidate(value: date | None, short: bool = False) -> str:
        return thai.format_date(value, _thai_digits(), short=short)

    @app.template_filter("thaidatetime")
    def thaidatetime(value: datetime | None) -> str:
        return thai.format_datetime(clock.local(value), _thai_digits()) if value else ""

    @app.template_filter("digits")
    def digits(value) -> str:
        return "" if value is None else thai.digits(value, _thai_digits())

    @app.template_global("held_by")
    def held_by(step) -> str:
        """The names of who holds a memo's current step today (empty when nobody does)."""
        if step is None or not (current_user and current_user.is_authenticated):
            return ""
        labels = labels_at(current_user.org_id, step.position_id)
        # Each name whole on its line ("นางธัญญารัตน์ โค / นุช" broke inside a surname).
        return Markup(", ").join(
            Markup('<span class="nw-name">%s</span>') % label for label in labels
        )

    @app.template_filter("level")
    def level(name: str) -> str:
        return level_phrase(name)

    @app.template_filter("inputdate")
    def inputdate(value: date | None) -> str:
        return thai.format_input_date(value)
