"""Flask's signed-cookie session, without checking the same cookie's signature on every request.

A browser sends the same session cookie with each page until the session changes (log-in, a
flash, a new CSRF token), so Flask verified one HMAC, decoded base64 and JSON and built an
itsdangerous serializer per request to read a value it read a moment before: about 4 % of a
short page's instructions (docs/benchmarks.md, issue 21). Here a cookie whose signature was verified
once in this process is taken as verified again while it is byte for byte the same and within
the session's lifetime; its age is checked on every request as itsdangerous would. Only
sessions of plain values (text, numbers, flags) are kept, since each request is handed a fresh
copy and a list kept here could be changed in place (flashes are). A secret key rotated without
a restart misses the cache: the key is part of what is looked up.

Saving an unchanged session only marks the response `Vary: Cookie`, as Flask does, without the
dozen configuration reads Flask makes first.
"""

import time
from collections import OrderedDict
from threading import Lock

from flask import Flask, Request, Response
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from itsdangerous import BadSignature

_PLAIN = (str, int, float, bool, type(None))


class CookieSessions(SecureCookieSessionInterface):
    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._verified: OrderedDict[tuple, tuple[dict, float]] = OrderedDict()
        self._lock = Lock()

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie or not app.secret_key:
            return super().open_session(app, request)
        key = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()), self.salt, cookie)
        max_age = int(app.permanent_session_lifetime.total_seconds())
        found = self._verified.get(key)
        if found is not None:
            data, signed_at = found
            if 0 <= time.time() - signed_at <= max_age:
                return self.session_class(data)
        serializer = self.get_signing_serializer(app)
        try:
            data, signed = serializer.loads(cookie, max_age=max_age, return_timestamp=True)
        except BadSignature:  # forged, tampered, or older than the lifetime
            return self.session_class()
        if all(type(value) in _PLAIN for value in data.values()):
            self._keep(key, data, signed.timestamp())
        return self.session_class(data)

    def _keep(self, key: tuple, data: dict, signed_at: float) -> None:
        with self._lock:
            self._verified[key] = (dict(data), signed_at)
            while len(self._verified) > self.size:
                self._verified.popitem(last=False)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        refresh = session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]
        if session.modified or refresh:
            super().save_session(app, session, response)
        elif session.accessed:
            response.vary.add("Cookie")
