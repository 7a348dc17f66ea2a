"""Logging in and out: the door to everything else."""

import re

import sqlalchemy as sa
from support.client import login

from extensions import db
from models import User


def test_login_ignores_the_case_of_the_username(client, srisuk):
    login(client, "NattaNipa")
    assert "นางณัฐนิภา แสงมณี" in client.get("/documents/mine").get_data(as_text=True)


def test_wrong_password_is_refused_beside_the_field_and_keeps_the_username(client, srisuk):
    client.fetch_csrf("/login")
    response = client.post_form("/login", {"username": "nakarin", "password": "wrong"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in html
    assert 'value="nakarin"' in html
    assert client.get("/documents/pending").status_code == 302  # still logged out


def test_a_person_deactivated_while_logged_in_loses_access_at_once(app, client, srisuk):
    login(client, "chuttikan")
    assert client.get("/documents/pending").status_code == 200
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "chuttikan"))
        user.active = False
        db.session.commit()
    response = client.get("/documents/pending")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_login_never_redirects_to_another_site(client, srisuk):
    import demo

    client.fetch_csrf("/login")
    for target in ("https://evil.example/", "//evil.example/", "/documents/mine"):
        client.post_form("/logout")
        client.fetch_csrf("/login")
        response = client.post_form(
            f"/login?next={target}", {"username": "nakarin", "password": demo.PASSWORD}
        )
        location = response.headers["Location"]
        assert "evil.example" not in location
    assert location.endswith("/documents/mine")


def test_logout_needs_a_post_with_csrf(client, srisuk):
    login(client, "nakarin")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400  # no CSRF token: refused
    assert client.get("/documents/pending").status_code == 200
    client.post_form("/logout")
    assert client.get("/documents/pending").status_code == 302


def tokens_on(client, url: str) -> set[str]:
    html = client.get(url, follow_redirects=True).get_data(as_text=True)
    return set(re.findall(r'name="csrf_token"[^>]*value="([^"]+)"', html))


def test_every_page_and_form_carries_one_token_that_logs_out(app, client, srisuk):
    # the menu's logout form and the page's own forms share the session's token; it is signed
    # once (views/security.py) and stays valid, so a page left open for hours still works
    login(client, "thanyarat")
    first = tokens_on(client, f"/documents/{srisuk.memo_id}")
    assert len(first) == 1
    assert tokens_on(client, "/documents/pending") == first == tokens_on(client, "/measures/")
    assert client.post("/logout", data={"csrf_token": "x" + first.pop()[1:]}).status_code == 400
    assert client.get("/documents/pending").status_code == 200
    client.post("/logout", data={"csrf_token": tokens_on(client, "/").pop()})
    assert client.get("/documents/pending").status_code == 302  # logged out


def test_another_session_gets_another_token(app, client, srisuk):
    login(client, "thanyarat")
    mine = tokens_on(client, "/")
    other = app.test_client()
    login(other, "thanyarat")
    assert tokens_on(other, "/").isdisjoint(mine)
    assert other.post("/logout", data={"csrf_token": mine.pop()}).status_code == 400
