"""Sessions end when they should: logout, a password change and deactivation end every copy of
a session cookie and every remember-me cookie; people change their own password."""

from datetime import timedelta

import sqlalchemy as sa
from support.client import login
from support.pages import error_beside, logout

import demo
from extensions import db
from models import User
from workflow.admin import people

NEW_PASSWORD = "ม่วงเหลือง-2570"


def _copy_cookies(source, target) -> None:
    """What an attacker who copied the browser's cookies would send."""
    for name in ("session", "remember_token"):
        cookie = source.get_cookie(name)
        if cookie is not None:
            target.set_cookie(name, cookie.value)


def _opens(client) -> bool:
    return client.get("/documents/mine").status_code == 200


def _login_remembered(client, username: str = "chuttikan"):
    client.fetch_csrf("/login")
    data = {"username": username, "password": demo.PASSWORD, "remember": "y"}
    assert client.post_form("/login", data).status_code == 302
    client.fetch_csrf("/documents/mine")
    return client


def test_a_session_cookie_copied_before_logout_no_longer_opens_pages(app, client, srisuk):
    login(client, "chuttikan")
    thief = app.test_client()
    _copy_cookies(client, thief)
    assert _opens(thief)
    logout(client)
    assert not _opens(client) and not _opens(thief)


def test_a_remember_me_cookie_alone_does_not_survive_logout(app, client, srisuk):
    _login_remembered(client)
    thief = app.test_client()
    thief.set_cookie("remember_token", client.get_cookie("remember_token").value)
    assert _opens(thief)  # the cookie alone logs in, as remember-me should
    logout(client)
    assert not _opens(thief)


def test_the_remember_me_cookie_lasts_thirty_days(app, client, srisuk):
    _login_remembered(client)
    cookie = client.get_cookie("remember_token")
    assert app.config["REMEMBER_COOKIE_DURATION"] == timedelta(days=30)
    assert cookie.expires is not None
    lifetime = cookie.expires.timestamp() - __import__("time").time()
    assert 29 * 86400 < lifetime <= 30 * 86400 + 60


def test_an_admin_password_reset_ends_the_persons_sessions(app, client, srisuk):
    _login_remembered(client)
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "chuttikan"))
        user.set_password(NEW_PASSWORD)
        db.session.commit()
    assert not _opens(client)


def test_reactivating_a_person_does_not_revive_old_cookies(app, client, srisuk):
    _login_remembered(client, "chuttikan")
    stolen = app.test_client()
    _copy_cookies(client, stolen)
    with app.app_context():
        person_id = db.session.scalar(sa.select(User.id).where(User.username == "chuttikan"))
        actor = db.session.scalar(sa.select(User).where(User.username == "admin"))
        person = db.session.get(User, person_id)
        data = people.PersonData(
            title=person.title,
            full_name=person.full_name,
            username=person.username,
            position_id=person.position_id,
            unit_id=person.unit_id,
            active=False,
        )
        people.update_person(person_id, actor, data)
        db.session.commit()
        data.active = True
        people.update_person(person_id, actor, data)
        db.session.commit()
    assert not _opens(stolen) and not _opens(client)


def test_a_person_changes_their_own_password_and_other_sessions_end(app, client, srisuk):
    login(client, "chuttikan")
    other_device = login(app.test_client(), "chuttikan")
    page = client.get("/account/password").get_data(as_text=True)
    assert "รหัสผ่านปัจจุบัน" in page
    data = {"current": demo.PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    response = client.post_form("/account/password", data)
    assert response.status_code == 302
    assert _opens(client)  # this browser carries on
    assert not _opens(other_device)
    logout(client)
    login(client, "chuttikan", NEW_PASSWORD)


def test_changing_a_password_needs_the_current_one_and_a_good_new_one(app, client, srisuk):
    login(client, "chuttikan")
    cases = [
        ({"current": "not-mine", "new": NEW_PASSWORD}, "current", "รหัสผ่านปัจจุบันไม่ถูกต้อง"),
        ({"current": demo.PASSWORD, "new": "short7"}, "new", "อย่างน้อย 8 ตัวอักษร"),
        ({"current": demo.PASSWORD, "new": "Password123"}, "new", "ใช้กันแพร่หลาย"),
        ({"current": demo.PASSWORD, "new": "Chuttikan"}, "new", "ชื่อผู้ใช้"),
    ]
    for data, field, message in cases:
        response = client.post_form("/account/password", {**data, "confirm": data["new"]})
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert any(message in error for error in error_beside(html, field)), (data, html)
    logout(client)
    login(client, "chuttikan")  # the password did not change
