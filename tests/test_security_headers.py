"""Security headers on every kind of answer, and the cookies of a production deployment.

The Content-Security-Policy allows only the app's own files, so the pages must carry no inline
script or style; tests/e2e fails on any policy violation in a real browser.
"""

import re

import pytest
from conftest import make_config
from support.client import login

import demo
from app import create_app
from config import ProductionConfig

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
CSP_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def assert_secured(response) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, name
    assert "camera=()" in response.headers["Permissions-Policy"]
    policy = dict(
        part.strip().split(" ", 1)
        for part in response.headers["Content-Security-Policy"].split(";")
    )
    for directive, value in CSP_DIRECTIVES.items():
        assert policy.get(directive) == value, directive
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def test_headers_on_a_page(client, srisuk):
    response = client.get("/login")
    assert response.status_code == 200
    assert_secured(response)
    assert "Strict-Transport-Security" not in response.headers  # not outside production


def test_headers_on_an_error_page(client, srisuk):
    login(client, "nattanipa")
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert_secured(response)


def test_headers_on_a_static_file(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert_secured(response)
    response.close()


def test_headers_on_a_pdf(client, srisuk):
    login(client, "nattanipa")  # the drafter may print her draft
    response = client.get(f"/documents/{srisuk.memo_id}/pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    assert_secured(response)


def test_headers_on_the_public_verification_page(client, srisuk):
    response = client.get("/v")
    assert response.status_code == 200
    assert_secured(response)


def test_no_page_carries_inline_style_or_script(client, srisuk):
    """What the policy would block: style="", <style>, inline <script> and on* handlers."""
    login(client, "admin")
    pages = ["/", "/documents/pending", "/documents/mine", "/admin/people", "/reports/"]
    pages += [f"/documents/{srisuk.memo_id}", "/notifications", "/measures/", "/ita/"]
    for url in pages:
        html = client.get(url, follow_redirects=True).get_data(as_text=True)
        assert not re.search(r"\sstyle=|<style|<script(?![^>]*\ssrc=)|\son[a-z]+=", html), url


# -- production -------------------------------------------------------------------------------


@pytest.fixture
def production_client(app, srisuk, monkeypatch):
    """The demo database served with ProductionConfig (a real secret, https)."""
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("BASE_URL", "https://ita.example.go.th")
    test = make_config(app.config["SQLALCHEMY_DATABASE_URI"], app.config["STORAGE_DIR"])
    config = type(
        "Production",
        (ProductionConfig,),
        {
            "SECRET_KEY": "x" * 40,
            "SQLALCHEMY_DATABASE_URI": test.SQLALCHEMY_DATABASE_URI,
            "STORAGE_DIR": test.STORAGE_DIR,
        },
    )
    production = create_app(config)
    production.test_client_class = type(app.test_client())
    yield production.test_client()
    from extensions import db

    with production.app_context():
        db.session.remove()
        db.engine.dispose()


def test_production_sends_hsts(production_client):
    response = production_client.get("/login", base_url="https://ita.example.go.th")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert_secured(response)


def test_production_cookies_are_secure_httponly_and_samesite(production_client):
    client = production_client
    page = client.get("/login", base_url="https://ita.example.go.th").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post(
        "/login",
        base_url="https://ita.example.go.th",
        headers={"Referer": "https://ita.example.go.th/login"},  # CSRF over https checks it
        data={
            "csrf_token": token,
            "username": "nattanipa",
            "password": demo.PASSWORD,
            "remember": "y",
        },
    )
    assert response.status_code == 302
    cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
    assert set(cookies) >= {"session", "remember_token"}
    for name in ("session", "remember_token"):
        flags = [part.strip().lower() for part in cookies[name].split(";")]
        assert "secure" in flags, name
        assert "httponly" in flags, name
        assert "samesite=lax" in flags, name


@pytest.mark.parametrize("base_url", [None, "", "http://127.0.0.1:5000", "ita.example.go.th"])
def test_production_refuses_to_start_without_its_public_address(monkeypatch, base_url):
    """The verification address printed on every approved PDF is made from BASE_URL."""
    monkeypatch.setenv("DATABASE_URL", "postgresql://ita@db/ita")
    if base_url is None:
        monkeypatch.delenv("BASE_URL", raising=False)
    else:
        monkeypatch.setenv("BASE_URL", base_url)
    config = type("Production", (ProductionConfig,), {"SECRET_KEY": "x" * 40})
    with pytest.raises(RuntimeError, match="BASE_URL"):
        config.check()
    monkeypatch.setenv("BASE_URL", "https://ita.example.go.th")
    config.check()  # and starts with one
