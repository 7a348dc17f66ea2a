"""One bad recipient never stops a reminder run (issue 17, item 4): a name typed with a line
break in one organisation once made the header raise and every organisation's reminders of
the run were lost. Now the name is made header-safe, and any row that still fails is recorded
on its own and retried while the others go out."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from support.factories import other_organisation
from support.reminders import SmtpSink, at, bangkok, point_mail_at, submit_memo

from extensions import db
from models import Reminder, User
from notifications import reminders

SUBMITTED = date(2026, 5, 6)  # a Wednesday: both memos' waiting reminders are due on 12 May
DUE = date(2026, 5, 12)  # no national holiday in between
POISON = "บุญมี\r\nBcc: leak@evil.example\nศรีหนองบัว"


@pytest.fixture
def sink(app):
    server = SmtpSink().start()
    point_mail_at(app, server.port)
    yield server
    server.stop()


@pytest.fixture
def two_waiting(app, srisuk):
    """The demo memo waits for thanyarat (อบต.ศรีสุข); organisation B's for its clerk."""
    submit_memo(app, srisuk.memo_id, bangkok(SUBMITTED))
    with at(bangkok(SUBMITTED)):
        other = other_organisation(app)
    set_clerk(app, email="nb_clerk@nongbua.example.go.th")
    return other


def set_clerk(app, **values) -> None:
    with app.app_context():
        clerk = db.session.scalars(sa.select(User).where(User.username == "nb_clerk")).one()
        for name, value in values.items():
            setattr(clerk, name, value)
        db.session.commit()


def reminder_of(app, username: str) -> Reminder:
    with app.app_context():
        row = db.session.scalars(
            sa.select(Reminder)
            .join(User, User.id == Reminder.recipient_id)
            .where(User.username == username, Reminder.kind == "waiting")
        ).one()
        db.session.expunge(row)
        return row


def run_on(app, day: date) -> reminders.Summary:
    with app.app_context():
        return reminders.run(day)


def test_a_name_with_a_line_break_in_one_organisation_stops_no_one(app, two_waiting, sink):
    set_clerk(app, full_name=POISON)  # typed before input was checked, or by a bulk import
    summary = run_on(app, DUE)
    assert summary.failed.total() == 0
    assert len(sink.to("thanyarat@")) == 1  # the other organisation's reminder went out
    (mail,) = sink.to("nb_clerk@")
    assert mail["Bcc"] is None
    assert [a.addr_spec for a in mail["To"].addresses] == ["nb_clerk@nongbua.example.go.th"]
    assert mail["To"].addresses[0].display_name.endswith("บุญมี Bcc: leak@evil.example ศรีหนองบัว")
    assert reminder_of(app, "nb_clerk").sent_at is not None


def test_a_row_that_fails_is_recorded_alone_and_retried(app, two_waiting, sink):
    set_clerk(app, email="nb_clerk at nongbua")  # no address can be made of this
    summary = run_on(app, DUE)
    assert summary.failed["waiting"] == 1
    assert len(sink.to("thanyarat@")) == 1 and sink.to("nb_clerk") == []
    failed = reminder_of(app, "nb_clerk")
    assert failed.sent_at is None and failed.attempts == 1
    assert "ที่อยู่อีเมลไม่ถูกต้อง" in failed.last_error
    assert reminder_of(app, "thanyarat").sent_at is not None

    set_clerk(app, email="nb_clerk@nongbua.example.go.th")
    run_on(app, DUE + timedelta(days=1))
    run_on(app, DUE + timedelta(days=1))
    assert len(sink.to("nb_clerk@")) == 1 and len(sink.to("thanyarat@")) == 1
    assert reminder_of(app, "nb_clerk").sent_at is not None


def test_an_unexpected_error_on_one_row_is_recorded_and_the_run_finishes(app, two_waiting, sink):
    from unittest import mock

    from notifications.reminders import runner

    real = runner._deliver

    def fails_for_the_clerk(mailer, row, settings, summary):
        if row.email.startswith("nb_clerk"):
            raise LookupError("a bug met one row")
        return real(mailer, row, settings, summary)

    with mock.patch.object(runner, "_deliver", fails_for_the_clerk):
        summary = run_on(app, DUE)
    assert summary.failed.total() == 1
    assert "LookupError: a bug met one row" in reminder_of(app, "nb_clerk").last_error
    assert len(sink.to("thanyarat@")) == 1
