"""Delivery: a failed send stays unsent and goes out exactly once on a later run; a retry that
is no longer due is forgotten; a crashed run's claims wait out their lease; without a mail
server the message is logged."""

import logging
from datetime import date, timedelta
from unittest import mock

import pytest
import sqlalchemy as sa
from support.reminders import (
    SmtpSink,
    bangkok,
    free_port,
    point_mail_at,
    sign,
    submit_memo,
)

import clock
from extensions import db
from models import Notification, Reminder, User
from notifications import reminders
from notifications.reminders import ledger, runner

SUBMITTED = date(2026, 5, 6)  # a Wednesday; the section head's reminder is due on 12 May
DUE = date(2026, 5, 12)  # Thu 7, Fri 8, Mon 11, Tue 12: 4 working days, no holiday


@pytest.fixture
def sink(app):
    server = SmtpSink().start()
    yield server
    server.stop()


@pytest.fixture
def waiting_memo(app, srisuk) -> int:
    submit_memo(app, srisuk.memo_id, bangkok(SUBMITTED))
    return srisuk.memo_id


def run_on(app, day: date) -> reminders.Summary:
    with app.app_context():
        return reminders.run(day)


def waiting_row(app, memo_id: int, step: int = 1) -> Reminder | None:
    """The waiting reminder to thanyarat (acting section head) about the memo."""
    with app.app_context():
        row = db.session.scalars(
            sa.select(Reminder)
            .join(User, User.id == Reminder.recipient_id)
            .where(
                Reminder.item_type == "document",
                Reminder.item_id == memo_id,
                Reminder.round_key == f"r1-s{step}",
                Reminder.kind == "waiting",
                User.username == "thanyarat",
            )
        ).one_or_none()
        if row is not None:
            db.session.expunge(row)
        return row


def memo_mails(server: SmtpSink, memo_id: int) -> list:
    return [m for m in server.to("thanyarat@") if f"/documents/{memo_id}" in m.get_content()]


def notes_about(app, memo_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count(Notification.id)).where(
                Notification.url == f"/documents/{memo_id}"
            )
        )


def test_a_server_that_is_down_leaves_it_unsent_and_the_next_run_sends_it_once(
    app, waiting_memo, sink
):
    point_mail_at(app, free_port())  # nothing listens there
    failed = run_on(app, DUE)
    assert failed.failed["waiting"] == 1 and failed.sent["waiting"] == 0
    row = waiting_row(app, waiting_memo)
    assert row.sent_at is None and row.attempts == 1
    assert "เชื่อมต่อเซิร์ฟเวอร์อีเมลไม่ได้" in row.last_error
    assert notes_about(app, waiting_memo) == 0  # no in-app notice without the e-mail either
    assert "จะลองส่งใหม่" in failed.describe()

    point_mail_at(app, sink.port)
    retried = run_on(app, DUE)
    assert retried.sent["waiting"] == 1 and retried.retried >= 1
    assert len(memo_mails(sink, waiting_memo)) == 1
    row = waiting_row(app, waiting_memo)
    assert row.sent_at is not None and row.attempts == 1
    assert notes_about(app, waiting_memo) == 1

    run_on(app, DUE)
    run_on(app, DUE + timedelta(days=1))
    assert len(memo_mails(sink, waiting_memo)) == 1


def test_a_server_that_refuses_the_message_leaves_it_for_the_next_run(app, waiting_memo, sink):
    point_mail_at(app, sink.port)
    sink.refuse = "550 5.7.1 try again later"
    run_on(app, DUE)
    assert memo_mails(sink, waiting_memo) == []
    row = waiting_row(app, waiting_memo)
    assert row.sent_at is None and "550" in row.last_error

    sink.refuse = None
    run_on(app, DUE)
    run_on(app, DUE)
    assert len(memo_mails(sink, waiting_memo)) == 1
    assert waiting_row(app, waiting_memo).sent_at is not None


def test_a_retry_that_is_no_longer_due_is_forgotten(app, waiting_memo, sink):
    point_mail_at(app, free_port())
    run_on(app, DUE)
    assert waiting_row(app, waiting_memo).sent_at is None

    sign(app, waiting_memo, "thanyarat", bangkok(DUE, 16))  # she signed before the retry
    point_mail_at(app, sink.port)
    summary = run_on(app, DUE + timedelta(days=1))
    assert memo_mails(sink, waiting_memo) == []
    assert waiting_row(app, waiting_memo) is None
    assert summary.dropped >= 1


def test_a_reminder_that_failed_too_often_is_left_alone(app, waiting_memo, sink):
    point_mail_at(app, free_port())
    run_on(app, DUE)
    with app.app_context():
        row = db.session.get(Reminder, waiting_row(app, waiting_memo).id)
        row.attempts = ledger.MAX_ATTEMPTS
        db.session.commit()
    point_mail_at(app, sink.port)
    run_on(app, DUE)
    assert memo_mails(sink, waiting_memo) == []
    assert waiting_row(app, waiting_memo).sent_at is None


def test_a_crashed_run_holds_its_claims_until_the_lease_expires(app, waiting_memo, sink):
    """The run dies after handing the e-mail over but before recording it. Within the lease
    another run must not send it again; after the lease it is sent again (at least once)."""
    point_mail_at(app, sink.port)
    with (
        mock.patch.object(runner, "_record", side_effect=RuntimeError("killed")),
        pytest.raises(RuntimeError),
    ):
        run_on(app, DUE)
    assert len(memo_mails(sink, waiting_memo)) == 1
    assert waiting_row(app, waiting_memo).sent_at is None

    run_on(app, DUE)
    assert len(memo_mails(sink, waiting_memo)) == 1  # still held by the crashed run

    later = clock.now() + ledger.LEASE + timedelta(minutes=1)
    with mock.patch.object(clock, "now", lambda: later):
        run_on(app, DUE)
    assert len(memo_mails(sink, waiting_memo)) == 2
    assert waiting_row(app, waiting_memo).sent_at is not None


def test_without_a_mail_server_the_reminder_is_logged_and_counts_as_sent(app, waiting_memo, caplog):
    app.config["MAIL_SERVER"] = ""
    with caplog.at_level(logging.INFO):
        summary = run_on(app, DUE)
    row = waiting_row(app, waiting_memo)
    assert row.sent_at is not None
    assert row.subject in caplog.text
    assert f"/documents/{waiting_memo}" in caplog.text
    assert "To: นางธัญญารัตน์ โคนุช <thanyarat@srisuk.example.go.th>" in caplog.text
    assert summary.logged >= 1
    assert "MAIL_SERVER" in summary.describe()
