"""When a memo moves, the next signer and the drafter hear of it at once: in the app as the
decision commits, and by e-mail (HTML with a plain-text part) handed to a real SMTP server on
loopback by the request itself (NOTIFY_DELIVERY=inline). A rollback sends nothing."""

import pytest
import sqlalchemy as sa
from support.client import login
from support.factories import make_user, user
from support.pages import decide, return_memo
from support.reminders import SmtpSink, point_mail_at

import clock
from extensions import db
from models import ActingAssignment, ActingKind, Notification, NotifyDelivery, NotifyEvent, User
from notifications.outbox import sender
from workflow import documents as service

SUBJECT_PART = "รายงานผลการวิเคราะห์"


@pytest.fixture
def sink(app):
    server = SmtpSink().start()
    point_mail_at(app, server.port)
    yield server
    server.stop()


def notes_of(app, username: str) -> list[Notification]:
    with app.app_context():
        stmt = (
            sa.select(Notification)
            .join(User, User.id == Notification.user_id)
            .where(User.username == username)
            .order_by(Notification.id)
        )
        rows = list(db.session.scalars(stmt))
        db.session.expunge_all()
        return rows


def bell(client) -> str:
    html = client.get("/notifications/").get_data(as_text=True)
    return html


def switch(client, username: str) -> None:
    client.post_form("/logout")
    login(client, username)


def parts(message) -> dict[str, str]:
    return {p.get_content_type(): p.get_content() for p in message.walk() if not p.is_multipart()}


def test_each_decision_tells_the_next_signer_and_the_approval_tells_the_drafter(
    app, client, srisuk, sink
):
    memo = srisuk.memo_id
    login(client, "nattanipa")
    client.post_form(f"/documents/{memo}/submit")

    # thanyarat acts for the vacant section-head post: she is told, in the app and by e-mail
    (note,) = notes_of(app, "thanyarat")
    assert "รอท่านพิจารณา" in note.title and "๘๓๒๐๑/๑๑๘๐" in note.title
    assert note.url == f"/decide/{memo}"
    assert "นางณัฐนิภา แสงมณี" in note.body
    (mail,) = sink.to("thanyarat@")
    assert mail["Subject"] == note.title
    body = parts(mail)
    assert set(body) == {"text/plain", "text/html"}
    assert f"http://127.0.0.1:5000/decide/{memo}" in body["text/plain"]
    assert f'href="http://127.0.0.1:5000/decide/{memo}"' in body["text/html"]
    assert "เรียน นางธัญญารัตน์ โคนุช" in body["text/plain"]
    assert SUBJECT_PART in body["text/html"]

    switch(client, "thanyarat")
    assert "รอท่านพิจารณา" in bell(client)
    decide(client, memo, "เห็นควรเสนอเพื่อโปรดพิจารณา", "ได้ตรวจสอบแล้ว")
    (note,) = notes_of(app, "chuttikan")
    assert "ได้ตรวจสอบแล้ว" in note.body and "นางธัญญารัตน์ โคนุช" in note.body
    (mail,) = sink.to("chuttikan@")
    assert "ความเห็น: ได้ตรวจสอบแล้ว" in parts(mail)["text/plain"]

    switch(client, "chuttikan")
    decide(client, memo, "เห็นควรอนุมัติ", "เห็นควรอนุมัติตามเสนอ")
    assert len(sink.to("nakarin@")) == 1

    switch(client, "nakarin")
    decide(client, memo, "อนุมัติ", "อนุมัติตามเสนอ")
    drafter = notes_of(app, "nattanipa")
    assert [n.title.split(":")[0] for n in drafter] == ["เรื่องได้รับอนุมัติแล้ว"]
    assert "อนุมัติตามเสนอ" in drafter[0].body
    for earlier in ("thanyarat", "chuttikan"):  # every earlier signer hears of it too
        assert "เรื่องได้รับอนุมัติแล้ว" in notes_of(app, earlier)[-1].title
        assert "ได้รับอนุมัติ" in sink.to(f"{earlier}@")[-1]["Subject"]
    assert notes_of(app, "nakarin")[-1].title.startswith("มีเรื่องรอ")  # not of his own act
    assert len(sink.to("nattanipa@")) == 1
    with app.app_context():
        statuses = db.session.scalars(sa.select(NotifyDelivery.status)).all()
    assert statuses and set(statuses) == {"sent"}


def test_a_returned_memo_tells_the_drafter_the_reason(app, client, srisuk, sink):
    memo = srisuk.memo_id
    login(client, "nattanipa")
    client.post_form(f"/documents/{memo}/submit")
    switch(client, "thanyarat")
    return_memo(client, memo, "กรุณาแนบตารางคะแนน")
    (note,) = notes_of(app, "nattanipa")
    assert note.title.startswith("เรื่องของท่านถูกส่งคืนแก้ไข")
    assert "เหตุผล: กรุณาแนบตารางคะแนน" in note.body
    assert "เหตุผล: กรุณาแนบตารางคะแนน" in parts(sink.to("nattanipa@")[0])["text/plain"]


def test_a_withdrawn_memo_tells_whoever_had_it_pending(app, client, srisuk, sink):
    memo = srisuk.memo_id
    login(client, "nattanipa")
    client.post_form(f"/documents/{memo}/submit")
    client.post_form(f"/documents/{memo}/withdraw")
    notes = notes_of(app, "thanyarat")
    assert [n.title.split(":")[0] for n in notes] == ["มีเรื่องรอท่านพิจารณา", "ผู้เสนอถอนเรื่องคืนแล้ว"]
    assert len(sink.to("thanyarat@")) == 2


def test_closing_a_returned_memo_tells_those_who_signed_it_or_had_it(app, client, srisuk, sink):
    """Closing (ยุติเรื่อง) is told like a rejection, to every signer of the round, and like a
    withdrawal, to whoever holds the step that returned it: here also a deputy who acts for
    the ปลัด from today and never signed. The นายก never had the memo and hears nothing."""
    memo = srisuk.memo_id
    with app.app_context():
        chief = user("chuttikan")
        deputy = make_user(chief.organisation, "wichai", "วิชัย ใจดี")
        db.session.add(
            ActingAssignment(
                org_id=chief.org_id,
                user=deputy,
                position=chief.position,
                kind=ActingKind.ACTING,
                start_date=clock.today(),
                order_ref="คำสั่ง อบต.ศรีสุข ที่ 99/2569",
            )
        )
        db.session.commit()
    login(client, "nattanipa")
    client.post_form(f"/documents/{memo}/submit")
    switch(client, "thanyarat")
    decide(client, memo, "เห็นควรเสนอเพื่อโปรดพิจารณา", "ได้ตรวจสอบแล้ว")
    switch(client, "chuttikan")
    return_memo(client, memo, "กรุณาแนบตารางคะแนน")
    switch(client, "nattanipa")
    closed = client.post_form(f"/documents/{memo}/close", {"reason": "จัดทำบันทึกฉบับใหม่แทนแล้ว"})
    assert closed.status_code == 302

    for username in ("thanyarat", "chuttikan", "wichai"):
        note = notes_of(app, username)[-1]
        assert note.title.startswith("ผู้เสนอยุติเรื่องแล้ว:") and "๘๓๒๐๑/๑๑๘๐" in note.title
        assert "เหตุผล: จัดทำบันทึกฉบับใหม่แทนแล้ว" in note.body
        assert note.url == f"/documents/{memo}"
    for username in ("thanyarat", "chuttikan"):  # wichai has no e-mail address
        mail = sink.to(f"{username}@")[-1]
        assert mail["Subject"].startswith("ผู้เสนอยุติเรื่องแล้ว")
        assert "โดย นางณัฐนิภา แสงมณี ยุติเรื่อง" in parts(mail)["text/plain"]
    told = {"nakarin": notes_of(app, "nakarin"), "nattanipa": notes_of(app, "nattanipa")}
    assert not [n for notes in told.values() for n in notes if "ยุติ" in n.title]


def test_a_rolled_back_decision_sends_nothing(app, srisuk, sink):
    with app.app_context():
        drafter = db.session.scalars(sa.select(User).where(User.username == "nattanipa")).one()
        service.submit(srisuk.memo_id, drafter)
        assert db.session.scalar(sa.select(sa.func.count(NotifyEvent.id))) == 1
        db.session.rollback()
        run = sender.run_once()
        assert not run.sent and not run.failed
        for model in (NotifyEvent, NotifyDelivery, Notification):
            assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == 0
    assert sink.received == []


def test_a_committed_decision_outside_a_request_is_sent_by_the_worker(app, srisuk, sink):
    with app.app_context():
        drafter = db.session.scalars(sa.select(User).where(User.username == "nattanipa")).one()
        service.submit(srisuk.memo_id, drafter)
        db.session.commit()
        assert notes_of(app, "thanyarat")  # in the app at once
        assert sink.received == []  # e-mail waits for the sender
        assert sender.run_once().sent["email"] == 1
        assert sender.run_once().sent["email"] == 0  # never twice
    assert len(sink.to("thanyarat@")) == 1


def test_where_a_memo_is_names_the_people_who_hold_the_step(app, client, srisuk):
    """The section-head post is vacant: thanyarat acts for it, so she is named wherever the
    memo's position is shown, not only the post."""
    memo = srisuk.memo_id
    login(client, "nattanipa")
    client.post_form(f"/documents/{memo}/submit")
    page = client.get(f"/documents/{memo}").get_data(as_text=True)
    assert "นางธัญญารัตน์ โคนุช (รักษาราชการแทน)" in page
    work = client.get("/my").get_data(as_text=True)
    assert "นางธัญญารัตน์ โคนุช (รักษาราชการแทน)" in work
    switch(client, "nakarin")  # the memo will reach him: his home shows where it is and who has it
    home = client.get("/").get_data(as_text=True)
    assert "นางธัญญารัตน์ โคนุช (รักษาราชการแทน)" in home
