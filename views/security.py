"""Security headers on every response, and the client address as the trusted proxy reports it.

The Content-Security-Policy allows only the app's own scripts, styles, images and fonts: no
inline <script>, <style> or style="" (their rules live in static/css/app.css), no plugins, no
framing. HSTS is sent only when the configuration asks for it (production, served over https).
"""

from functools import lru_cache

from flask import Flask, Request, Response, abort, current_app, g, request, session
from itsdangerous import URLSafeTimedSerializer
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.middleware.proxy_fix import ProxyFix

import database
from views.cookie_session import CookieSessions
from workflow.text import NUL, clean_input

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


NUL_MESSAGE = (
    "ข้อมูลที่ส่งมามีอักขระที่ใช้ไม่ได้ (อักขระว่าง NUL) ซึ่งไม่ได้มาจากการพิมพ์ตามปกติ"
    " กรุณากลับไปกรอกใหม่ด้วยแป้นพิมพ์หรือคัดลอกข้อความจากแหล่งอื่น"
)


class CleanInputRequest(Request):
    """A request whose form values have had invisible controls removed (workflow/text.py),
    so every text field of every form, present and future, follows the same rule."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        form = self.__dict__.get("form")
        if form:
            cleaned = [(key, clean_input(value)) for key, value in form.items(multi=True)]
            self.__dict__["form"] = ImmutableMultiDict(cleaned)


def register_security(app: Flask) -> None:
    """Trust X-Forwarded-* only from the configured number of proxies; add the headers; clean
    form input and refuse NUL bytes with a message instead of letting the database fail."""
    app.request_class = CleanInputRequest
    app.session_interface = CookieSessions()
    app.before_request(refuse_nul)
    app.before_request(sign_csrf_once)
    hops = app.config.get("TRUSTED_PROXY_HOPS", 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    hsts_seconds = app.config.get("HSTS_SECONDS", 0)

    headers = dict(HEADERS)
    if hsts_seconds:
        headers["Strict-Transport-Security"] = f"max-age={hsts_seconds}; includeSubDomains"
    lowered = [(name.lower(), name, value) for name, value in headers.items()]

    @app.after_request
    def security_headers(response: Response) -> Response:
        """Each header the view has not set itself. (One pass over the response's headers:
        `setdefault` per header scans them all again, a few dozen string comparisons each.)"""
        present = {name.lower() for name, _ in response.headers}
        response.headers.extend(
            [(name, value) for low, name, value in lowered if low not in present]
        )
        return response


def refuse_nul() -> None:
    """400 with a message for a NUL byte anywhere in the address or the form (PostgreSQL cannot
    store one; nobody types one)."""
    sent = [request.path, *request.args.keys(), *request.args.values()]
    if request.method in ("POST", "PUT", "PATCH"):
        sent += [*request.form.keys(), *request.form.values()]
    if any(NUL in text for text in sent):
        abort(400, description=NUL_MESSAGE)


def sign_csrf_once() -> None:
    """Flask-WTF's CSRF token for this session, signed once per session and process instead of
    on every page (every page carries one, in the menu's logout form): `generate_csrf`, which
    the pages' forms and `csrf_token()` call, returns the token this leaves in `g`.

    A token signed earlier is as valid as a new one while tokens do not expire
    (WTF_CSRF_TIME_LIMIT is None, config.py); with a time limit, each page signs its own."""
    raw = session.get("csrf_token") if database.reading_page() else None
    config = current_app.config
    if raw is not None and config["WTF_CSRF_TIME_LIMIT"] is None:
        g.csrf_token = _signed(config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key, raw)


@lru_cache(maxsize=4096)
def _signed(secret_key: str, raw: str) -> str:
    return URLSafeTimedSerializer(secret_key, salt="wtf-csrf-token").dumps(raw)
