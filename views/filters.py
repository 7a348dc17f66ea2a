"""Template filters for Thai dates and digits, following the organisation's digit setting."""

import re
from datetime import date, datetime

from flask import Flask, get_flashed_messages, has_request_context, request
from flask_login import current_user
from markupsafe import Markup

import clock
import thai
from workflow.holders import labels_at
from workflow.ita.wording import level_phrase

# Inside markup (a flash with a link), only the text between tags and entities is converted.
_TAGS_AND_ENTITIES = re.compile(r"(<[^>]*>|&#?\w+;)")


def _markup_digits(value: Markup, thai_digits: bool) -> Markup:
    """Convert the text of already-escaped markup; tags, entities and what a message marks
    <span class="verbatim"> (a file's name, as the page lists it) stay as they are."""
    out, verbatim = [], False
    for i, part in enumerate(_TAGS_AND_ENTITIES.split(value)):
        if i % 2:  # a tag or an entity
            verbatim = part.startswith(VERBATIM) or (verbatim and part != "</span>")
        out.append(part if i % 2 or verbatim else thai.digits(part, thai_digits))
    return Markup("".join(out))  # noqa: S704 (pieces of markup that was already safe)


VERBATIM = '<span class="verbatim">'
_FLASH = Markup('<div class="flash flash-%s" role="%s">%s</div>')


def _thai_digits() -> bool:
    """The organisation's digit setting, looked up once per request (a page calls the digit and
    date filters a few hundred times; each `current_user` lookup goes through two proxies)."""
    if not has_request_context():
        return _users_setting()
    serving = request._get_current_object()
    found = getattr(serving, "_ita_thai_digits", None)
    if found is None:
        found = serving._ita_thai_digits = _users_setting()
    return found


def _users_setting() -> bool:
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
        if value is None:
            return ""
        if isinstance(value, Markup):
            return _markup_digits(value, _thai_digits())
        return thai.digits(value, _thai_digits())

    @app.template_global("flashes")
    def flashes(section: str | None = None) -> Markup:
        """The flashed messages for the top of the page, or those a view pinned to `section`
        (views.common.flash_in: it redirects to that section's anchor, where the reader lands,
        instead of the top of the page, scrolled out of sight on a phone)."""
        shown = []
        for category, message in get_flashed_messages(with_categories=True):
            kind, _, pinned = category.partition("@")
            if (pinned or None) == section:
                role = "alert" if kind == "danger" else "status"
                shown.append(_FLASH % (kind, role, digits(message)))
        return Markup("\n").join(shown)

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
