"""The session cookie is verified once per process (views/cookie_session.py), and what Flask
refused before is still refused: a tampered cookie, one past its lifetime, one signed with a key
no longer in use. Sessions holding lists (flashes) are read afresh each time, and a page that
changes nothing in the session writes no cookie and says `Vary: Cookie`."""

import time
from datetime import timedelta

import flask.app
import pytest
from flask import flash, session
from support.client import login

from views.cookie_session import CookieSessions

PAGE = "/documents/mine"


def _opens(client) -> bool:
    return client.get(PAGE).status_code == 200


def _cookie(client) -> str:
    return client.get_cookie("session").value


def test_the_app_reads_sessions_through_the_cache(app):
    assert isinstance(app.session_interface, CookieSessions)


def test_a_cookie_seen_before_still_opens_pages_and_an_unchanged_session_writes_no_cookie(
    client, srisuk
):
    login(client, "chuttikan")
    assert _opens(client)
    response = client.get(PAGE)  # the same cookie again: verified from the cache
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert "Cookie" in response.headers.get("Vary", "")


def test_a_tampered_copy_of_a_verified_cookie_is_refused(app, client, srisuk):
    login(client, "chuttikan")
    assert _opens(client)
    genuine = _cookie(client)
    payload, _, signature = genuine.rpartition(".")
    # The first character: the last one of base64 carries padding bits that may not count.
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    forger = app.test_client()
    forger.set_cookie("session", f"{payload}.{flipped}")
    assert not _opens(forger)
    assert _opens(client)  # and the genuine one still works


def test_a_cookie_older_than_the_session_lifetime_is_refused_though_verified_before(
    app, client, srisuk, monkeypatch
):
    login(client, "chuttikan")
    assert _opens(client)
    lifetime = app.permanent_session_lifetime.total_seconds()
    later = time.time() + lifetime + 5
    monkeypatch.setattr(time, "time", lambda: later)  # itsdangerous reads the same clock
    assert not _opens(client)


def test_a_cookie_signed_with_a_retired_key_is_refused_though_verified_before(app, client, srisuk):
    login(client, "chuttikan")
    assert _opens(client)
    retired, genuine = app.secret_key, _cookie(client)
    app.secret_key = "a-new-key-" + "x" * 40
    assert not _opens(client)
    app.config["SECRET_KEY_FALLBACKS"] = [retired]  # rotated, the old key still accepted
    client.set_cookie("session", genuine)  # the refusal's login message replaced it
    assert _opens(client)


def _cookie_of(app, fill) -> dict:
    """The request headers of a browser holding the session cookie `fill(session)` leaves."""
    with app.test_request_context():
        fill(session)
        response = app.response_class()
        app.session_interface.save_session(app, session, response)
        cookie = response.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    return {"Cookie": f"{app.config['SESSION_COOKIE_NAME']}={cookie}"}


def test_each_request_gets_its_own_copy_of_a_cached_session(app):
    sessions = CookieSessions()
    headers = _cookie_of(app, lambda s: s.update(who="chuttikan"))
    with app.test_request_context(headers=headers) as ctx:
        first = sessions.open_session(app, ctx.request)
        first["who"] = "someone else"
        second = sessions.open_session(app, ctx.request)
    assert second["who"] == "chuttikan" and not second.modified


def test_flashes_are_shown_once_though_the_cookie_holding_them_is_sent_twice(app):
    sessions = CookieSessions()
    headers = _cookie_of(app, lambda s: flash("บันทึกแล้ว", "success"))
    with app.test_request_context(headers=headers) as ctx:
        first = sessions.open_session(app, ctx.request)
        first["_flashes"].append(("danger", "changed in place"))
        second = sessions.open_session(app, ctx.request)
    assert second["_flashes"] == [("success", "บันทึกแล้ว")]


def test_the_cache_keeps_at_most_its_size(app):
    sessions = CookieSessions(size=3)
    for n in range(5):
        headers = _cookie_of(app, lambda s, n=n: s.update(n=n))
        with app.test_request_context(headers=headers) as ctx:
            assert sessions.open_session(app, ctx.request)["n"] == n
    assert len(sessions._verified) == 3


def test_a_permanent_session_is_written_again_on_each_request_as_flask_does(app):
    with app.test_request_context():
        session.permanent = True
        session["who"] = "chuttikan"
        session.modified = False
        session.accessed = True
        response = app.response_class()
        app.session_interface.save_session(app, session, response)
    assert app.config["SESSION_REFRESH_EACH_REQUEST"]
    assert "Set-Cookie" in response.headers
    assert app.permanent_session_lifetime <= timedelta(days=31)


# -- the app asks once per function whether it is a coroutine (app.App.ensure_sync) ---------


def test_a_plain_view_or_hook_is_run_as_it_is_and_asked_about_once(app, monkeypatch):
    asked = []
    real = flask.app.iscoroutinefunction
    monkeypatch.setattr(flask.app, "iscoroutinefunction", lambda f: asked.append(f) or real(f))

    def hook():
        return "done"

    assert app.ensure_sync(hook) is hook and app.ensure_sync(hook) is hook
    assert asked == [hook]


def test_an_async_view_is_still_refused_without_flask_async(app):
    async def view():
        return "never"

    with pytest.raises(RuntimeError, match="async"):
        app.ensure_sync(view)


def test_a_callable_that_cannot_be_a_key_is_still_run(app):
    class Unhashable:
        __hash__ = None

        def __call__(self):
            return "done"

    hook = Unhashable()
    assert app.ensure_sync(hook) is hook
