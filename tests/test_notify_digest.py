"""Preferences and the morning digest: per channel instant / digest / off; the digest goes at
07:30 Bangkok on working days (weekends and the organisation's holidays skipped), once a day,
with what waits for the reader (oldest first) and the events they chose to keep for it."""

from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from conftest import login
from factories_reminders import SmtpSink, add_holiday, at, point_mail_at

import clock
from extensions import db
from models import Notification, NotifyDelivery, User
from notifications.outbox import digest, sender
from workflow import documents as service

MONDAY = date(2026, 5, 11)


def bangkok(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=clock.BANGKOK)


@pytest.fixture
def sink(app):
    server = SmtpSink().start()
    point_mail_at(app, server.port)
    yield server
    server.stop()


def person(username: str) -> User:
    return db.session.scalars(sa.select(User).where(User.username == username)).one()


def submitted_on_friday(app, memo_id: int) -> None:
    with app.app_context(), at(bangkok(date(2026, 5, 8), 10)):
        service.submit(memo_id, person("nattanipa"))
        db.session.commit()
        sender.run_once()


def digest_at(app, moment: datetime) -> digest.DigestSummary:
    with app.app_context(), at(moment):
        return digest.run()


def test_preferences_page_keeps_each_channel_and_refuses_unknown_choices(app, client, srisuk):
    login(client, "nattanipa")
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert "สรุปรวมวันละครั้ง" in page and "nattanipa@srisuk.example.go.th" in page
    response = client.post_form(
        "/notifications/settings", {"app": "instant", "email": "digest", "line": "off"}
    )
    assert response.status_code == 302
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert '<option selected value="digest">' in page
    bad = client.post_form(
        "/notifications/settings", {"app": "digest", "email": "instant", "line": "off"}
    )
    assert bad.status_code == 400  # the bell has no digest: refused beside the field
    assert "กรุณาเลือกจากรายการ" in bad.get_data(as_text=True)
    with app.app_context():
        from notifications.outbox import preferences

        assert preferences.of(person("nattanipa")) == {
            "app": "instant",
            "email": "digest",
            "line": "off",
        }


def test_off_and_digest_change_what_is_written_with_the_decision(app, client, srisuk, sink):
    login(client, "nattanipa")
    client.post_form("/notifications/settings", {"app": "off", "email": "digest", "line": "off"})
    client.post_form(f"/documents/{srisuk.memo_id}/submit")
    client.post_form("/logout")
    login(client, "thanyarat")
    page = client.get(f"/documents/{srisuk.memo_id}").get_data(as_text=True)
    assert "ส่งคืนแก้ไข" in page
    from helpers import return_memo

    return_memo(client, srisuk.memo_id, "แก้ตัวเลข")
    with app.app_context():
        drafter = person("nattanipa")
        assert (
            db.session.scalar(
                sa.select(sa.func.count(Notification.id)).where(Notification.user_id == drafter.id)
            )
            == 0
        )
        (kept,) = db.session.scalars(
            sa.select(NotifyDelivery).where(NotifyDelivery.user_id == drafter.id)
        ).all()
        assert (kept.channel, kept.status) == ("email", "digest")
    assert sink.to("nattanipa@") == []


def test_the_morning_digest_goes_once_on_working_days_from_0730(app, srisuk, sink):
    submitted_on_friday(app, srisuk.memo_id)
    sink.received.clear()
    assert digest_at(app, bangkok(MONDAY, 7, 0)).sent == 0  # not before 07:30
    summary = digest_at(app, bangkok(MONDAY, 7, 31))
    (mail,) = sink.to("thanyarat@")  # she holds the step: the memo waits for her
    text = mail.get_body(("plain",)).get_content()
    assert "รอท่านพิจารณา ๑ เรื่อง" in text and "รายงานผลการวิเคราะห์" in text
    assert f"/decide/{srisuk.memo_id}" in text
    assert mail["Subject"] == "สรุปงานประจำวันที่ ๑๑ พฤษภาคม ๒๕๖๙"
    assert summary.sent == len(sink.received)
    digest_at(app, bangkok(MONDAY, 9, 0))
    assert len(sink.to("thanyarat@")) == 1  # once a day


def test_no_digest_on_a_weekend_or_a_holiday(app, srisuk, sink):
    submitted_on_friday(app, srisuk.memo_id)
    sink.received.clear()
    assert digest_at(app, bangkok(date(2026, 5, 9), 8)).skipped_orgs == 1  # Saturday
    add_holiday(app, date(2026, 5, 18), "งานประจำปีตำบล")
    assert digest_at(app, bangkok(date(2026, 5, 18), 8)).skipped_orgs == 1
    assert sink.received == []
    digest_at(app, bangkok(date(2026, 5, 19), 8))
    assert len(sink.to("thanyarat@")) == 1


def test_events_kept_for_the_digest_arrive_in_it_and_are_then_sent(app, client, srisuk, sink):
    with app.app_context():
        from notifications.outbox import preferences

        preferences.save(person("thanyarat"), {"email": "digest"})
        db.session.commit()
    submitted_on_friday(app, srisuk.memo_id)
    assert sink.to("thanyarat@") == []  # kept for the digest
    digest_at(app, bangkok(MONDAY, 7, 45))
    (mail,) = sink.to("thanyarat@")
    assert "การแจ้งเตือนที่รวบรวมไว้" in mail.get_body(("plain",)).get_content()
    with app.app_context():
        statuses = db.session.scalars(
            sa.select(NotifyDelivery.status).where(NotifyDelivery.user_id == person("thanyarat").id)
        ).all()
    assert statuses == ["sent"]


def test_a_failed_digest_is_recorded_and_retried_the_same_day(app, srisuk, sink):
    submitted_on_friday(app, srisuk.memo_id)
    sink.received.clear()
    sink.refuse = "550 5.7.1 not now"
    failed = digest_at(app, bangkok(MONDAY, 7, 31))
    assert failed.failed and failed.sent == 0
    sink.refuse = None
    digest_at(app, bangkok(MONDAY, 8, 0))
    assert len(sink.to("thanyarat@")) == 1


def test_a_pass_in_slices_sends_each_digest_once_and_says_where_to_resume(app, srisuk, sink):
    from factories import other_organisation

    other = other_organisation(app)
    with app.app_context():
        person("nb_clerk").email = "nb_clerk@nongbua.example.go.th"  # the memo waits for him
        db.session.commit()
    submitted_on_friday(app, srisuk.memo_id)
    sink.received.clear()
    with app.app_context(), at(bangkok(MONDAY, 7, 31)):
        first = digest.run(until=0.0)  # out of time at once: one organisation, then stop
        assert first.resume_after == srisuk.org_id < other.org_id
        assert len(sink.to("thanyarat@")) == 1 and sink.to("nb_clerk@") == []
        rest = digest.run(after_org=first.resume_after, until=0.0)
        assert rest.resume_after is None  # the last organisation: the pass is complete
        again = digest.run()
        assert digest._orgs_with_someone_to_tell(MONDAY, 0) == []  # all told: nothing to walk
    assert again.sent == 0 and len(sink.to("thanyarat@")) == 1
    assert len(sink.to("nb_clerk@")) == 1  # the second slice's organisation
    assert first.sent + rest.sent == len(sink.received)


def test_the_watcher_leaves_a_finished_days_pass_alone_until_the_next_day(
    app, srisuk, sink, monkeypatch
):
    calls = []
    real_run = digest.run
    monkeypatch.setattr(digest, "run", lambda **kw: calls.append(kw) or real_run(**kw))
    submitted_on_friday(app, srisuk.memo_id)
    sink.received.clear()
    digests = sender.DigestPass()
    with app.app_context():
        with at(bangkok(MONDAY, 7, 0)):
            digests.step()  # before 07:30: looked, nothing due, looks again a minute later
            digests.next_check = 0.0
        with at(bangkok(MONDAY, 7, 31)):
            digests.step()
            assert not digests.in_progress and digests.finished_day == MONDAY
            digests.next_check = 0.0  # a minute later, and another
            digests.step()
            digests.step()
        assert len(calls) == 2  # the finished pass is not walked again the same day
        with at(bangkok(MONDAY + timedelta(days=1), 7, 31)):
            digests.step()
    assert len(calls) == 3 and len(sink.to("thanyarat@")) == 2  # Monday's and Tuesday's
