"""LINE through the real SDK against a fake Messaging API on loopback: the admin's token is
stored encrypted and never shown; a person links their account with a one-time code sent to
the bot (the webhook checks LINE's signature); events are pushed with X-Line-Retry-Key from the
delivery id; a 500 is retried with the same key; a 429 or a nearly spent monthly quota falls
back to e-mail; the admin sees the month's meter."""

import pytest
import sqlalchemy as sa
from support.client import login
from support.line import (
    LINE_ID,
    SECRET,
    TOKEN,
    FakeLine,
    link,
    point_line_at,
    set_up_line,
    signed,
    text_event,
)
from support.reminders import SmtpSink, point_mail_at

import clock
from extensions import db
from models import LineChannel, LineLink, LineMeter, NotifyDelivery, User
from notifications.outbox import line, sender
from workflow import documents as service


@pytest.fixture
def fake(app):
    server = FakeLine().start()
    point_line_at(app, server)
    yield server
    server.stop()


@pytest.fixture
def sink(app):
    server = SmtpSink().start()
    point_mail_at(app, server.port)
    yield server
    server.stop()


def person(username: str) -> User:
    return db.session.scalars(sa.select(User).where(User.username == username)).one()


def submit(app, memo_id: int) -> None:
    with app.app_context():
        service.submit(memo_id, person("nattanipa"))
        db.session.commit()


def send(app) -> sender.SendRun:
    with app.app_context():
        return sender.run_once()


def thanyarat_deliveries(app) -> list[NotifyDelivery]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(NotifyDelivery)
            .where(NotifyDelivery.user_id == person("thanyarat").id)
            .order_by(NotifyDelivery.id)
        ).all()
        db.session.expunge_all()
        return rows


def test_the_token_is_stored_encrypted_and_never_shown_again(app, client, srisuk, fake):
    set_up_line(client)
    with app.app_context():
        channel = db.session.get(LineChannel, srisuk.org_id)
        assert TOKEN not in channel.token_encrypted and SECRET not in channel.secret_encrypted
        assert line.decrypt(channel.token_encrypted) == TOKEN
    login(client, "admin")
    page = client.get("/admin/line").get_data(as_text=True)
    assert TOKEN not in page and SECRET not in page
    assert "บันทึกโทเคนไว้แล้ว" in page and f"/line/webhook/{srisuk.org_id}" in page
    bad = client.post_form("/admin/line", {"token": "short", "secret": "nothex", "quota": "300"})
    assert bad.status_code == 400 and "Channel access token ไม่ถูกต้อง" in bad.get_data(as_text=True)


def test_a_person_links_their_account_with_a_one_time_code(app, client, srisuk, fake):
    set_up_line(client)
    link(client, "thanyarat")
    with app.app_context():
        linked = db.session.get(LineLink, person("thanyarat").id)
        assert linked.line_user_id == LINE_ID and linked.code is None
    (reply,) = fake.replies
    assert "เชื่อมบัญชี LINE" in reply.body["messages"][0]["text"]
    assert reply.headers["authorization"] == f"Bearer {TOKEN}"


def test_a_webhook_without_lines_signature_changes_nothing(app, client, srisuk, fake):
    set_up_line(client)
    login(client, "thanyarat")
    client.post_form("/notifications/line/code")
    with app.app_context():
        code = db.session.get(LineLink, person("thanyarat").id).code
    body = text_event(code, "Uattacker")
    forged = client.post(
        f"/line/webhook/{srisuk.org_id}",
        data=body,
        headers={"X-Line-Signature": signed(body, "f" * 32)},
    )
    assert forged.status_code == 400
    with app.app_context():
        assert db.session.get(LineLink, person("thanyarat").id).line_user_id is None
    assert fake.replies == []


def test_an_event_is_pushed_with_a_retry_key_from_the_delivery(app, client, srisuk, fake, sink):
    set_up_line(client)
    link(client, "thanyarat")
    submit(app, srisuk.memo_id)
    run = send(app)
    assert run.sent == {"email": 1, "line": 1}
    (push,) = fake.pushes
    pushed = next(d for d in thanyarat_deliveries(app) if d.channel == "line")
    assert push.headers["x-line-retry-key"] == line.retry_key(pushed.id)
    assert push.body["to"] == LINE_ID
    assert "มีเรื่องรอท่านพิจารณา" in push.body["messages"][0]["text"]
    assert f"/decide/{srisuk.memo_id}" in push.body["messages"][0]["text"]
    with app.app_context():
        assert line.pushed_this_month(srisuk.org_id) == 1
    login(client, "admin")
    assert "ส่งแล้ว <strong>๑</strong> จาก ๓๐๐ ข้อความ" in client.get("/admin/line").get_data(
        as_text=True
    )


def test_a_500_is_retried_later_with_the_same_key_and_sent_once(app, client, srisuk, fake, sink):
    from datetime import timedelta
    from unittest import mock

    set_up_line(client)
    link(client, "thanyarat")
    submit(app, srisuk.memo_id)
    fake.answers = [500]
    run = send(app)
    assert run.sent == {"email": 1} and len(run.failed) == 1
    failed = next(d for d in thanyarat_deliveries(app) if d.channel == "line")
    assert failed.status == "pending" and "LINE ตอบ 500" in failed.last_error
    moment = clock.now() + timedelta(minutes=2)
    with mock.patch.object(clock, "now", lambda: moment):
        assert send(app).sent == {"line": 1}
        assert send(app).sent == {}
    assert len(fake.pushes) == 1


def test_a_429_falls_back_to_email(app, client, srisuk, fake, sink):
    set_up_line(client)
    link(client, "thanyarat")
    with app.app_context():
        from notifications.outbox import preferences

        preferences.save(person("thanyarat"), {"email": "off"})  # LINE only, until LINE fails
        db.session.commit()
    submit(app, srisuk.memo_id)
    fake.answers = [429]
    run = send(app)
    assert run.fell_back == 1 and run.sent == {"email": 1}
    assert {(d.channel, d.status) for d in thanyarat_deliveries(app)} == {
        ("line", "fallback"),
        ("email", "sent"),
    }
    assert len(sink.to("thanyarat@")) == 1 and fake.pushes == []


def test_a_nearly_spent_quota_sends_by_email_before_line_refuses(app, client, srisuk, fake, sink):
    set_up_line(client, quota=app.config["LINE_QUOTA_MARGIN"] + 1)
    link(client, "thanyarat")
    with app.app_context():
        db.session.add(LineMeter(org_id=srisuk.org_id, month=line.month_of(), pushed=1))
        db.session.commit()
    submit(app, srisuk.memo_id)
    run = send(app)
    assert run.fell_back == 1 and fake.pushes == []
    assert len(sink.to("thanyarat@")) == 1  # once: the e-mail delivery existed already


def test_control_characters_never_reach_a_line_message(app, client, srisuk, fake, sink):
    set_up_line(client)
    link(client, "thanyarat")
    with app.app_context():
        drafter = person("nattanipa")
        drafter.full_name = "ณัฐนิภา\x1b[31m\u202eแสงมณี\r\nX"  # stored before input was checked
        db.session.commit()
    submit(app, srisuk.memo_id)
    send(app)
    (text,) = fake.texts_to(LINE_ID)
    assert not any(ch in text for ch in "\x1b\u202e\r")
    assert "ณัฐนิภา" in text and "แสงมณี" in text


@pytest.mark.parametrize(
    "body",
    ["", "not json", "{}", '{"events": [{"type": "message"}]}', '{"events": "x"}', "\x00" * 10],
)
def test_hostile_webhook_bodies_are_refused_cleanly(app, client, srisuk, fake, body):
    set_up_line(client)
    for signature in (signed(body), "forged", ""):
        response = client.post(
            f"/line/webhook/{srisuk.org_id}", data=body, headers={"X-Line-Signature": signature}
        )
        assert response.status_code in (200, 400), (signature, response.status_code)
    assert client.post("/line/webhook/999999", data="{}").status_code == 404
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LineLink)) == 0
