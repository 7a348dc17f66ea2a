"""Preferences and the morning digest: per channel instant / digest / off; the digest goes at
07:30 Bangkok on working days (weekends and the organisation's holidays skipped), once a day,
with what waits for the reader (oldest first) and the events they chose to keep for it; by
e-mail, and as one LINE push to those who chose the LINE digest (counted in the monthly meter,
by e-mail instead when LINE cannot take it)."""

from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from support.client import login
from support.factories import memo_content
from support.line import LINE_ID, FakeLine, link, point_line_at, set_up_line
from support.reminders import SmtpSink, add_holiday, at, make_round, point_mail_at

import clock
from extensions import db
from models import LineMeter, Notification, NotifyDelivery, RoundKind, User
from notifications.outbox import digest, line, sender
from workflow import documents as service

MONDAY = date(2026, 5, 11)


def bangkok(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=clock.BANGKOK)


NAKARIN_LINE = "U" + "b" * 32


@pytest.fixture
def sink(app):
    server = SmtpSink().start()
    point_mail_at(app, server.port)
    yield server
    server.stop()


@pytest.fixture
def fake(app):
    server = FakeLine().start()
    point_line_at(app, server)
    yield server
    server.stop()


def person(username: str) -> User:
    return db.session.scalars(sa.select(User).where(User.username == username)).one()


def person_id(app, username: str) -> int:
    with app.app_context():
        return person(username).id


def submitted_on_friday(app, memo_id: int) -> None:
    with app.app_context(), at(bangkok(date(2026, 5, 8), 10)):
        service.submit(memo_id, person("nattanipa"))
        db.session.commit()
        sender.run_once()


def digest_at(app, moment: datetime) -> digest.DigestSummary:
    with app.app_context(), at(moment):
        return digest.run()


def choose(client, username: str, **modes: str) -> None:
    """The person picks on the preferences page; a channel not named stays instant."""
    login(client, username)
    chosen = {"app": "instant", "email": "instant", "line": "instant", **modes}
    assert client.post_form("/notifications/settings", chosen).status_code == 302
    client.post_form("/logout")


def select_of(page: str, name: str) -> str:
    return page.split(f'<select id="{name}"')[1].split("</select>")[0]


def test_preferences_page_keeps_each_channel_and_refuses_unknown_choices(app, client, srisuk):
    login(client, "nattanipa")
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert "nattanipa@srisuk.example.go.th" in page
    for channel in ("email", "line"):  # both offer the morning digest, in Thai
        assert 'value="digest">สรุปรวมวันละครั้ง (๐๗.๓๐ น.)' in select_of(page, channel)
    assert 'value="digest"' not in select_of(page, "app")
    response = client.post_form(
        "/notifications/settings", {"app": "off", "email": "instant", "line": "digest"}
    )
    assert response.status_code == 302
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert '<option selected value="digest">' in select_of(page, "line")
    assert '<option selected value="off">' in select_of(page, "app")
    bad = client.post_form(
        "/notifications/settings", {"app": "digest", "email": "instant", "line": "off"}
    )
    assert bad.status_code == 400  # the bell has no digest: refused beside the field
    assert "กรุณาเลือกจากรายการ" in bad.get_data(as_text=True)
    with app.app_context():
        from notifications.outbox import preferences

        assert preferences.of(person("nattanipa")) == {
            "app": "off",
            "email": "instant",
            "line": "digest",
        }


def test_off_and_digest_change_what_is_written_with_the_decision(app, client, srisuk, sink):
    login(client, "nattanipa")
    client.post_form("/notifications/settings", {"app": "off", "email": "digest", "line": "off"})
    client.post_form(f"/documents/{srisuk.memo_id}/submit")
    client.post_form("/logout")
    login(client, "thanyarat")
    page = client.get(f"/documents/{srisuk.memo_id}").get_data(as_text=True)
    assert "ส่งคืนแก้ไข" in page
    from support.pages import return_memo

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
    from support.factories import other_organisation

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


def test_a_digest_claimed_by_a_run_that_died_mid_send_goes_with_a_later_run_once(app, srisuk, sink):
    submitted_on_friday(app, srisuk.memo_id)
    sink.received.clear()
    with app.app_context():
        with at(bangkok(MONDAY, 7, 31)):  # a run claims her digest, then its process is killed
            assert digest._claim(person("thanyarat").id, MONDAY, "email")
        with at(bangkok(MONDAY, 7, 40)):
            digest.run()
        assert sink.to("thanyarat@") == []  # for all anyone knows, that run is still sending
        with at(bangkok(MONDAY, 7, 31) + digest.ABANDONED_AFTER + timedelta(minutes=1)):
            assert digest.run().sent == 1
        with at(bangkok(MONDAY, 9, 0)):
            assert digest.run().sent == 0
    assert len(sink.to("thanyarat@")) == 1


def test_the_watcher_looks_again_for_abandoned_claims_once_a_finished_day_has_waited(
    app, srisuk, sink, monkeypatch
):
    calls = []
    real_run = digest.run
    monkeypatch.setattr(digest, "run", lambda **kw: calls.append(kw) or real_run(**kw))
    submitted_on_friday(app, srisuk.memo_id)
    digests = sender.DigestPass()
    with app.app_context(), at(bangkok(MONDAY, 7, 31)):
        digests.step()
        assert digests.finished_day == MONDAY
        digests.next_check = 0.0  # a minute later: the finished day is left alone
        digests.step()
        assert len(calls) == 1
        digests.recheck_at = 0.0  # ABANDONED_AFTER later: one more look
        digests.step()
        assert len(calls) == 2 and digests.finished_day == MONDAY


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


def deliveries_of(app, username: str) -> list[tuple[str, str]]:
    with app.app_context():
        stmt = (
            sa.select(NotifyDelivery.channel, NotifyDelivery.status)
            .where(NotifyDelivery.user_id == person(username).id)
            .order_by(NotifyDelivery.id)
        )
        return [tuple(row) for row in db.session.execute(stmt)]


def test_the_line_digest_is_one_push_a_day_with_what_waits_oldest_first(
    app, client, srisuk, fake, sink
):
    set_up_line(client)
    link(client, "thanyarat")
    link(client, "nakarin", NAKARIN_LINE)
    for username in ("thanyarat", "nakarin"):
        choose(client, username, line="digest")
    make_round(app, RoundKind.HALF, due=date(2026, 5, 13))  # the 6-month report, due Wednesday
    with app.app_context(), at(bangkok(date(2026, 5, 5), 10)):  # Tuesday: late by Monday
        drafter = person("nattanipa")
        older = service.create_draft(drafter, memo_content("ขอซ่อมถนนสายบ้านหนองบัว")).id
        service.submit(older, drafter)
        db.session.commit()
        sender.run_once()
    submitted_on_friday(app, srisuk.memo_id)
    assert fake.pushes == []  # the LINE deliveries wait for the digest

    summary = digest_at(app, bangkok(MONDAY, 7, 31))
    again = digest_at(app, bangkok(MONDAY, 9, 0))
    assert summary.pushed == 2 and again.sent == 0
    (text,) = fake.texts_to(LINE_ID)  # once, although the digest ran twice
    assert text.startswith("สรุปงานประจำวันที่ ๑๑ พฤษภาคม ๒๕๖๙\nรอท่านพิจารณา ๒ เรื่อง (เก่าสุดก่อน)\n๑. ")
    assert text.index("ขอซ่อมถนนสายบ้านหนองบัว") < text.index("รายงานผลการวิเคราะห์")
    assert "ขอซ่อมถนนสายบ้านหนองบัว · รอ ๔ วันทำการ เกินเป้าหมาย" in text
    assert "รอบ ๖ เดือน ปีงบประมาณ ๒๕๖๙ ส่ง ๑๓ พฤษภาคม ๒๕๖๙" in text
    assert "การแจ้งเตือนที่รวบรวมไว้ ๒ รายการ\n- มีเรื่องรอท่านพิจารณา" in text
    assert text.endswith("\nเปิดระบบ: http://127.0.0.1:5000/")
    (below,) = fake.texts_to(NAKARIN_LINE)  # the memos will reach him: one is late on the way
    assert "ล่าช้าในขั้นก่อนถึงท่าน ๑ เรื่อง" in below and "รอท่านพิจารณา" not in below
    assert deliveries_of(app, "thanyarat") == [
        ("email", "sent"),
        ("line", "sent"),
        ("email", "sent"),
        ("line", "sent"),
    ]
    with app.app_context(), at(bangkok(MONDAY, 10)):
        pushed = next(c for c in fake.pushes if c.body["to"] == LINE_ID)
        assert pushed.headers["x-line-retry-key"] == line.digest_retry_key(
            person("thanyarat").id, MONDAY
        )
        assert line.pushed_this_month(srisuk.org_id) == 2
    # her e-mail stays instant, and the executives' e-mail digest still comes
    assert len(sink.to("thanyarat@")) == 3


@pytest.mark.parametrize("refusal", ["429", "quota"])
def test_a_line_digest_line_cannot_take_goes_by_email_instead(
    app, client, srisuk, fake, sink, refusal
):
    margin = app.config["LINE_QUOTA_MARGIN"]
    set_up_line(client, quota=margin + 5)
    link(client, "thanyarat")
    choose(client, "thanyarat", email="off", line="digest")  # LINE only, until LINE fails
    submitted_on_friday(app, srisuk.memo_id)
    assert sink.to("thanyarat@") == []
    if refusal == "429":
        fake.answers = [429]
    else:
        with app.app_context(), at(bangkok(MONDAY, 7)):
            db.session.add(LineMeter(org_id=srisuk.org_id, month=line.month_of(), pushed=5))
            db.session.commit()

    summary = digest_at(app, bangkok(MONDAY, 7, 31))
    digest_at(app, bangkok(MONDAY, 9, 0))
    assert summary.fell_back == 1 and fake.pushes == []
    (mail,) = sink.to("thanyarat@")  # once, with the memo and the event LINE was to carry
    text = mail.get_body(("plain",)).get_content()
    assert "รอท่านพิจารณา ๑ เรื่อง" in text and "การแจ้งเตือนที่รวบรวมไว้" in text
    assert deliveries_of(app, "thanyarat") == [("line", "fallback"), ("email", "sent")]


def test_a_line_digest_that_fails_is_retried_with_the_same_key_and_shown_once(
    app, client, srisuk, fake, sink
):
    set_up_line(client)
    link(client, "thanyarat")
    choose(client, "thanyarat", email="off", line="digest")
    submitted_on_friday(app, srisuk.memo_id)
    fake.answers = [500]
    failed = digest_at(app, bangkok(MONDAY, 7, 31))
    assert list(failed.failed) == [(person_id(app, "thanyarat"), "line")]
    assert fake.pushes == [] and deliveries_of(app, "thanyarat") == [("line", "digest")]
    assert digest_at(app, bangkok(MONDAY, 8, 0)).pushed == 1
    assert digest_at(app, bangkok(MONDAY, 8, 30)).sent == 0  # the day's digest is done
    (pushed,) = fake.pushes
    key = line.digest_retry_key(person_id(app, "thanyarat"), MONDAY)
    assert pushed.headers["x-line-retry-key"] == key  # the person's and the day's, every try
    assert sink.to("thanyarat@") == [] and deliveries_of(app, "thanyarat") == [("line", "sent")]


def test_a_long_line_digest_stays_short_and_writes_digits_as_the_organisation_does():
    """Ten memos are named, the rest counted; a long subject is cut; Arabic digits when the
    organisation writes them, the link left as it is."""
    from types import SimpleNamespace as Row

    from notifications.outbox.texts import digest_line_message

    subject = "ขอความเห็นชอบโครงการ " * 20
    waiting = [
        Row(document=Row(number=f"สร ๘๓๒๐๑/{n}", subject=subject), days=n, late=n > 3)
        for n in range(1, 13)
    ]
    found = digest.Digest(waiting=waiting)
    text = digest_line_message(Row(thai_digits=False), found, MONDAY, "https://ita.example.go.th")
    lines = text.split("\n")
    assert lines[:2] == ["สรุปงานประจำวันที่ 11 พฤษภาคม 2569", "รอท่านพิจารณา 12 เรื่อง (เก่าสุดก่อน)"]
    assert [line_.split(".")[0] for line_ in lines[2:12]] == [str(n) for n in range(1, 11)]
    assert lines[2].startswith("1. สร 83201/1 ขอความเห็นชอบโครงการ")
    assert "…" in lines[2] and len(lines[2]) < 130
    assert lines[12:] == ["และอีก 2 เรื่อง", "เปิดระบบ: https://ita.example.go.th/"]
