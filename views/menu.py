"""The page frame's links and the menu's badges, on every page (templates/base.html)."""

from flask import Flask, current_app, request, url_for
from flask_login import current_user

from workflow.menu import badges

# The frame's links: the same on every page, so built once per app and script root rather
# than by url_for on every page (19 calls, about a tenth of a short page's Python).
LINKS = {
    "home": ("dashboard.index", {}),
    "pending": ("documents.pending", {}),
    "mine": ("documents.mine", {}),
    "circulated": ("circulation.inbox", {}),
    "work": ("dashboard.work", {}),
    "new_memo": ("documents.new", {}),
    "measures": ("measures.index", {}),
    "reports": ("reports.index", {}),
    "lists": ("lists.documents", {}),
    "ita": ("ita.index", {}),
    "oit": ("oit.index", {}),
    "admin": ("admin.index", {}),
    "search": ("search.index", {}),
    "notifications": ("notifications.index", {}),
    "password": ("auth.change_password", {}),
    "logout": ("auth.logout", {}),
    "favicon": ("static", {"filename": "favicon.svg"}),
    "css": ("static", {"filename": "css/app.css"}),
    "js": ("static", {"filename": "js/app.js"}),
}


def register_menu(app: Flask) -> None:
    app.context_processor(frame)


def frame() -> dict:
    endpoint = request.endpoint or ""
    # The menu marks the current page by its endpoint and its area by the blueprint: compared
    # here once, not by a dozen calls of `startswith` from the template.
    found = {
        "links": links(),
        "menu_endpoint": endpoint,
        "menu_section": endpoint.partition(".")[0],
    }
    if not current_user.is_authenticated:
        found["unread_count"] = 0
        return found
    counts = badges(current_user)
    found.update(
        pending_count=counts.pending,
        circulated_count=counts.circulated,
        unacknowledged_count=counts.unacknowledged,
        unread_count=counts.unread,
    )
    return found


def links() -> dict[str, str]:
    """LINKS as this app, under this request's script root, spells them."""
    built = current_app.extensions.setdefault("frame_links", {})
    root = request.script_root
    if root not in built:
        built[root] = {
            name: url_for(endpoint, **values) for name, (endpoint, values) in LINKS.items()
        }
    return built[root]
