"""Login throttling: too many wrong passwords lock the account name for a while, and too many
from one address slow that address down; the organisation's admin can unlock a person.

The counts live in the database (several worker processes share them), so these tests run on
PostgreSQL as well as SQLite. Time is moved with clock.now, never waited for.
"""

import threading
import time as time_module
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from support.client import login
from support.factories import other_organisation
from support.pages import error_beside, logout

import clock
import demo
from extensions import db
from models import LoginFailure
from workflow import login_throttle

START = datetime(2026, 11, 21, 2, 30, 0, tzinfo=UTC)  # 09:30 on 21 Nov 2569 in Bangkok
LOCKED = "ชื่อผู้ใช้นี้ถูกระงับการเข้าสู่ระบบชั่วคราว เพราะใส่รหัสผ่านผิดหลายครั้ง"
WRONG = "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, moment: datetime):
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment

    def forward(self, **delta) -> None:
        self.moment += timedelta(**delta)


@pytest.fixture
def time(monkeypatch) -> Clock:
    fixed = Clock(START)
    monkeypatch.setattr(clock, "now", fixed)
    return fixed


def attempt(client, username: str, password: str, ip: str = "192.0.2.10"):
    client.fetch_csrf("/login")
    return client.post_form(
        "/login",
        {"username": username, "password": password},
        environ_base={"REMOTE_ADDR": ip},
    )


def fail(client, username: str, times: int, ip: str = "192.0.2.10"):
    for _ in range(times):
        response = attempt(client, username, "wrong-password", ip)
    return response


def failures(app, username: str) -> int:
    with app.app_context():
        stmt = sa.select(sa.func.count()).where(LoginFailure.username == username)
        return db.session.scalar(stmt)


def test_five_wrong_passwords_lock_the_account_and_say_until_when(client, srisuk, time):
    assert WRONG in fail(client, "nattanipa", 4).get_data(as_text=True)
    response = fail(client, "nattanipa", 1)
    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == str(15 * 60)
    messages = error_beside(html, "username")
    assert len(messages) == 1 and LOCKED in messages[0]
    # Thai time in the Buddhist era: 09:30 Bangkok + 15 minutes.
    assert "๒๑ พฤศจิกายน ๒๕๖๙ เวลา ๐๙:๔๕ น." in messages[0]
    assert "ผู้ดูแลระบบขององค์กร" in messages[0]
    assert 'value="nattanipa"' in html  # the name typed stays in the form


def test_a_locked_account_refuses_even_the_right_password(client, srisuk, time):
    fail(client, "nattanipa", 5)
    time.forward(minutes=5)
    response = attempt(client, "nattanipa", demo.PASSWORD)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == str(10 * 60)
    assert LOCKED in response.get_data(as_text=True)
    assert client.get("/documents/mine").status_code == 302  # still logged out
    assert failures(client.application, "nattanipa") == 5  # refused tries are not counted


def test_the_lock_ends_on_time(client, srisuk, time):
    fail(client, "nattanipa", 5)
    time.forward(minutes=14, seconds=59)
    assert attempt(client, "nattanipa", demo.PASSWORD).status_code == 429
    time.forward(seconds=1)
    assert attempt(client, "nattanipa", demo.PASSWORD).status_code == 302
    assert client.get("/documents/mine").status_code == 200


def test_failures_outside_the_window_do_not_add_up(client, srisuk, time):
    fail(client, "nattanipa", 4)
    time.forward(minutes=16)
    response = fail(client, "nattanipa", 1)
    assert response.status_code == 200 and WRONG in response.get_data(as_text=True)


def test_a_successful_login_forgets_earlier_failures(client, srisuk, time):
    fail(client, "nattanipa", 4)
    assert attempt(client, "NattaNipa", demo.PASSWORD).status_code == 302
    logout(client)
    assert failures(client.application, "nattanipa") == 0
    assert fail(client, "nattanipa", 4).status_code == 200  # four more are not yet a lock


def test_an_unknown_name_is_locked_the_same_way(client, srisuk, time):
    """The form must not tell whether a name exists: same messages, same status, same timing
    class (a password hash is checked for unknown names too)."""
    known = [fail(client, "nattanipa", 1).get_data(as_text=True)]
    unknown = [fail(client, "nobody-here", 1).get_data(as_text=True)]
    assert error_beside(known[0], "password") == error_beside(unknown[0], "password") == [WRONG]
    known_locked = fail(client, "nattanipa", 4)
    unknown_locked = fail(client, "nobody-here", 4)
    assert known_locked.status_code == unknown_locked.status_code == 429
    assert error_beside(known_locked.get_data(as_text=True), "username") == error_beside(
        unknown_locked.get_data(as_text=True), "username"
    )


def test_one_address_trying_many_names_is_slowed_down(app, client, srisuk, time):
    app.config["LOGIN_MAX_FAILURES_PER_IP"] = 6
    for name in ("nattanipa", "nakarin", "chuttikan"):
        fail(client, name, 2, ip="198.51.100.7")
    response = attempt(client, "admin", demo.PASSWORD, ip="198.51.100.7")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) == 15 * 60
    assert "มีการใส่รหัสผ่านผิดจากเครื่องหรือเครือข่ายนี้มากเกินไป" in response.get_data(as_text=True)
    # Another address is not affected, and none of the three names is locked.
    assert attempt(client, "nattanipa", demo.PASSWORD, ip="198.51.100.8").status_code == 302


def test_forwarded_for_is_ignored_unless_a_proxy_is_configured(app, client, srisuk, time):
    """Without TRUSTED_PROXY_HOPS a client could dodge the address limit with a made-up header."""
    app.config["LOGIN_MAX_FAILURES_PER_IP"] = 3
    for n in range(3):
        client.fetch_csrf("/login")
        client.post_form(
            "/login",
            {"username": f"spray{n}", "password": "x"},
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
        )
    with app.app_context():
        assert set(db.session.scalars(sa.select(LoginFailure.ip))) == {"127.0.0.1"}


def test_behind_a_configured_proxy_the_forwarded_address_counts(srisuk_behind_proxy, time):
    client = srisuk_behind_proxy.test_client()
    client.fetch_csrf("/login")
    client.post_form(
        "/login",
        {"username": "nattanipa", "password": "x"},
        headers={"X-Forwarded-For": "203.0.113.9"},
    )
    with srisuk_behind_proxy.app_context():
        assert list(db.session.scalars(sa.select(LoginFailure.ip))) == ["203.0.113.9"]


@pytest.fixture
def srisuk_behind_proxy(app, srisuk):
    """The same database served behind one reverse proxy (TRUSTED_PROXY_HOPS = 1)."""
    from conftest import make_config
    from support.client import Client

    from app import create_app

    base = make_config(app.config["SQLALCHEMY_DATABASE_URI"], app.config["STORAGE_DIR"])
    proxied = create_app(type("BehindProxy", (base,), {"TRUSTED_PROXY_HOPS": 1}))
    proxied.test_client_class = Client
    yield proxied
    with proxied.app_context():
        db.session.remove()
        db.engine.dispose()


# -- the admin unlocks ------------------------------------------------------------------------


def test_the_admin_sees_the_lock_and_unlocks_the_person(app, client, srisuk, time, caplog):
    fail(client, "nattanipa", 5)
    login(client, "admin")
    page = client.get("/admin/people").get_data(as_text=True)
    assert "ถูกล็อกถึง" in page and "ปลดล็อก" in page
    user_id = _user_id(app, "nattanipa")
    with caplog.at_level("INFO", logger="workflow.login_throttle"):
        response = client.post_form(f"/admin/people/{user_id}/unlock", follow_redirects=True)
    assert "ปลดล็อกการเข้าสู่ระบบของ" in response.get_data(as_text=True)
    assert "admin unlocked the login of nattanipa" in caplog.text
    logout(client)
    assert attempt(client, "nattanipa", demo.PASSWORD).status_code == 302


def test_unlock_needs_the_csrf_token(app, client, srisuk, time):
    fail(client, "nattanipa", 5)
    login(client, "admin")
    assert client.post(f"/admin/people/{_user_id(app, 'nattanipa')}/unlock").status_code == 400
    assert failures(app, "nattanipa") == 5


def test_only_an_admin_may_unlock(app, client, srisuk, time):
    fail(client, "nattanipa", 5)
    login(client, "nakarin")
    response = client.post_form(f"/admin/people/{_user_id(app, 'nattanipa')}/unlock")
    assert response.status_code == 403
    assert failures(app, "nattanipa") == 5


def test_another_organisations_admin_cannot_unlock(app, client, srisuk, time):
    other_organisation(app)
    fail(client, "nattanipa", 5)
    login(client, "nb_admin")
    response = client.post_form(f"/admin/people/{_user_id(app, 'nattanipa')}/unlock")
    assert response.status_code == 404
    assert failures(app, "nattanipa") == 5
    assert "nattanipa" not in client.get("/admin/people").get_data(as_text=True)


def _user_id(app, username: str) -> int:
    from models import User

    with app.app_context():
        return db.session.scalar(sa.select(User.id).where(User.username == username))


def _burst(app, passwords: list[str], monkeypatch, ip: str = "192.0.2.10") -> tuple[list, list]:
    """Send these passwords for nattanipa all at once, each from its own browser; the password
    check is slowed down like scrypt, so every request arrives while the first are hashing.
    Returns the answers' status codes and the passwords that were hash-checked, in order."""
    checked = []
    original = login_throttle.check_password_evenly

    def slow_check(user, password):
        checked.append(password)
        time_module.sleep(0.2)
        return original(user, password)

    monkeypatch.setattr(login_throttle, "check_password_evenly", slow_check)
    clients = [app.test_client() for _ in passwords]
    for browser in clients:
        browser.fetch_csrf("/login")
    barrier = threading.Barrier(len(passwords))
    statuses = [None] * len(passwords)

    def send(index: int) -> None:
        barrier.wait(timeout=10)
        data = {"username": "nattanipa", "password": passwords[index]}
        answer = clients[index].post_form("/login", data, environ_base={"REMOTE_ADDR": ip})
        statuses[index] = answer.status_code

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(passwords))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses, checked


def test_a_burst_of_wrong_passwords_is_counted_up_to_the_limit_only(app, srisuk, monkeypatch):
    statuses, checked = _burst(app, ["wrong-password"] * 20, monkeypatch)
    assert len(checked) == 5  # at most the limit of passwords is ever hash-checked
    assert failures(app, "nattanipa") == 5
    assert set(statuses) <= {200, 429}  # wrong, or locked: never a 500 from the crowd


def test_the_right_password_in_a_burst_does_not_slip_past_the_lock(
    app, client, srisuk, monkeypatch
):
    fail(client, "nattanipa", 4)  # one failure from the lock
    passwords = ["wrong-password"] * 14 + [demo.PASSWORD]
    statuses, checked = _burst(app, passwords, monkeypatch)
    if checked[0] == demo.PASSWORD:
        # the right password arrived first, before the lock: it logs in and clears the count,
        # so the wrong ones after it are counted afresh, up to the limit
        assert statuses.count(302) == 1 and len(checked) <= 1 + 5
    else:
        # a wrong one arrived first and set off the lock: no password after it is checked, the
        # right one included
        assert len(checked) == 1 and 302 not in statuses and statuses.count(429) >= 14
