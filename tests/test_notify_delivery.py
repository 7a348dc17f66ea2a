"""The sender: each (event, person, channel) goes out once even with two senders at once; a
bad address, an SMTP 5xx, a poisoned name or a bug each fail alone, with the error kept on
the delivery and a retry after a back-off; `flask notify pending` shows what waits."""

import threading
from datetime import timedelta
from unittest import mock

import pytest
import sqlalchemy as sa
from support.reminders import SmtpSink, point_mail_at

import clock
from extensions import db
from models import Document, NotifyDelivery, NotifyEvent, User
from notifications.outbox import sender
from thai import to_arabic_digits
from workflow import documents as service


class PickySink(SmtpSink):
    """Refuses recipients whose address contains `refuse_for` with a 5xx."""

    refuse_for: str | None = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_for and self.refuse_for in address:
            return "550 5.1.1 mailbox unavailable"
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)


@pytest.fixture
def sink(app):
    server = PickySink().start()
    point_mail_at(app, server.port)
    yield server
    server.stop()


def person(username: str) -> User:
    return db.session.scalars(sa.select(User).where(User.username == username)).one()


def climb(app, memo_id: int) -> None:
    """Submit and approve the demo memo through the services, committed, nothing sent yet:
    thanyarat, chuttikan and nakarin are told in turn, then the drafter and the two earlier
    signers of the approval (six e-mails)."""
    with app.app_context():
        service.submit(memo_id, person("nattanipa"))
        for username in ("thanyarat", "chuttikan", "nakarin"):
            doc = db.session.get(Document, memo_id)
            decision = doc.step().decisions[0] if username != "nakarin" else "อนุมัติ"
            service.decide(memo_id, person(username), decision=decision, comment="ตามเสนอ")
        db.session.commit()


def deliveries(app) -> dict[str, list[NotifyDelivery]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(User.username, NotifyDelivery).join(User, User.id == NotifyDelivery.user_id)
        ).all()
        db.session.expunge_all()
    found: dict[str, list[NotifyDelivery]] = {}
    for username, row in rows:
        found.setdefault(username, []).append(row)
    return found


def send(app) -> sender.SendRun:
    with app.app_context():
        return sender.run_once()


def later(minutes: int):
    moment = clock.now() + timedelta(minutes=minutes)
    return mock.patch.object(clock, "now", lambda: moment)


def set_user(app, username: str, **values) -> None:
    with app.app_context():
        who = person(username)
        for name, value in values.items():
            setattr(who, name, value)
        db.session.commit()


def test_a_bad_address_fails_alone_and_is_retried_after_a_back_off(app, srisuk, sink):
    climb(app, srisuk.memo_id)
    set_user(app, "thanyarat", email="thanyarat at srisuk")
    run = send(app)
    assert run.sent["email"] == 4 and len(run.failed) == 2
    theirs = deliveries(app)["thanyarat"]
    assert {d.status for d in theirs} == {"pending"}
    assert all("ที่อยู่อีเมลไม่ถูกต้อง" in d.last_error and d.attempts == 1 for d in theirs)
    assert len(sink.to("nattanipa@")) == 1 and len(sink.to("nakarin@")) == 1

    set_user(app, "thanyarat", email="thanyarat@srisuk.example.go.th")
    assert send(app).sent["email"] == 0  # not before its back-off
    with later(2):
        assert send(app).sent["email"] == 2
        assert send(app).sent["email"] == 0
    assert len(sink.to("thanyarat@")) == 2 and len(sink.received) == 6


def test_an_smtp_5xx_for_one_person_fails_alone(app, srisuk, sink):
    climb(app, srisuk.memo_id)
    sink.refuse_for = "chuttikan@"
    run = send(app)
    assert run.sent["email"] == 4 and len(run.failed) == 2
    assert all("550" in d.last_error for d in deliveries(app)["chuttikan"])
    sink.refuse_for = None
    with later(2):
        send(app)
    assert len(sink.to("chuttikan@")) == 2 and len(sink.received) == 6


def test_a_poisoned_name_is_sent_with_a_safe_header(app, srisuk, sink):
    set_user(app, "chuttikan", full_name="ชุตติกาญจน์\r\nBcc: leak@evil.example\nคงสุข")
    climb(app, srisuk.memo_id)
    run = send(app)
    assert run.sent["email"] == 6 and not run.failed
    for mail in sink.to("chuttikan@"):
        assert mail["Bcc"] is None
        assert [a.addr_spec for a in mail["To"].addresses] == ["chuttikan@srisuk.example.go.th"]


def test_a_bug_on_one_delivery_is_recorded_and_the_others_go_out(app, srisuk, sink):
    climb(app, srisuk.memo_id)
    real = sender.Sender._send_one

    def breaks_for_nakarin(self, delivery, event, user, thai_digits):
        if user.username == "nakarin":
            raise KeyError("unexpected")
        return real(self, delivery, event, user, thai_digits)

    with mock.patch.object(sender.Sender, "_send_one", breaks_for_nakarin):
        run = send(app)
    assert run.sent["email"] == 5 and len(run.failed) == 1
    (broken,) = deliveries(app)["nakarin"]
    assert broken.status == "pending" and "KeyError" in broken.last_error


def test_a_delivery_that_keeps_failing_gives_up_and_pending_lists_it(app, srisuk, sink):
    climb(app, srisuk.memo_id)
    set_user(app, "nakarin", email="nakarin@@srisuk")
    minutes = 0
    for _ in range(sender.MAX_ATTEMPTS):
        minutes += 61
        with later(minutes):
            send(app)
    (gave_up,) = deliveries(app)["nakarin"]
    assert gave_up.status == "failed" and gave_up.attempts == sender.MAX_ATTEMPTS
    result = app.test_cli_runner().invoke(args=["notify", "pending"])
    assert result.exit_code == 0, result.exception
    assert "nakarin" in result.output and "ส่งไม่สำเร็จ" in result.output
    assert "การแจ้งเตือนที่ค้างอยู่ 1 รายการ" in result.output


def test_two_senders_at_once_send_each_delivery_once(app, srisuk, sink):
    """Two senders (threads with their own connections, as two machines would have) drain a
    backlog together; every delivery reaches the SMTP server exactly once."""
    count = 120
    with app.app_context():
        drafter = person("nattanipa")
        for n in range(count):
            event = NotifyEvent(
                org_id=drafter.org_id,
                document_id=srisuk.memo_id,
                kind="returned",
                actor_name="ผู้ทดสอบ",
                subject="งานค้าง",
                comment=f"รายการที่ {n}",
            )
            db.session.add(event)
            db.session.flush()
            db.session.add(
                NotifyDelivery(
                    event_id=event.id, org_id=drafter.org_id, user_id=drafter.id, channel="email"
                )
            )
        db.session.commit()
    sink.delay = 0.02  # sending takes a while, so the two overlap
    results: list[sender.SendRun] = []
    start = threading.Barrier(2)

    def work() -> None:
        with app.app_context():
            start.wait()
            results.append(sender.run_once())
            db.session.remove()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    texts = [to_arabic_digits(m.get_body(("plain",)).get_content()) for m in sink.received]
    numbers = [n for n in range(count) for t in texts if f"เหตุผล: รายการที่ {n}\n" in t]
    assert sorted(numbers) == list(range(count))  # each once, none twice
    assert sum(r.sent["email"] for r in results) == count
    assert all(r.sent["email"] > 0 for r in results), [r.sent for r in results]  # both took part


def test_an_approved_analysis_memo_tells_the_measures_coordinator(app, srisuk, sink):
    """The seed memo is the ITA analysis: its approval also tells whoever coordinates the
    latest plan of measures (here made someone other than the drafter)."""
    from models import MeasurePlan

    with app.app_context():
        latest = db.session.scalars(
            sa.select(MeasurePlan).order_by(MeasurePlan.fiscal_year.desc())
        ).first()
        latest.coordinator_id = person("admin").id
        person("admin").email = "admin@srisuk.example.go.th"
        db.session.commit()
    climb(app, srisuk.memo_id)
    send(app)
    (told,) = sink.to("admin@")
    assert told["Subject"].startswith("เรื่องได้รับอนุมัติแล้ว")
