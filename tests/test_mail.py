"""E-mail over SMTP: Thai subjects survive the trip, one connection serves a run, a login is
used when configured, a dead server fails fast, and without a server the message is logged."""

import logging
import time

import pytest
from support.reminders import AUTH_WITHOUT_TLS, SmtpSink, free_port

from notifications.mail import Mailer, MailError

SUBJECT = (
    "อีก ๑๔ วันครบกำหนดส่งรายงานความก้าวหน้าตามมาตรการรอบ ๖ เดือน ปีงบประมาณ พ.ศ. ๒๕๖๙ (๓๐ เมษายน ๒๕๖๙)"
)
BODY = "เรียน นางณัฐนิภา แสงมณี\n\nรายงานครบกำหนดส่งวันที่ ๓๐ เมษายน ๒๕๖๙\n\nhttps://ita.example.go.th/reports/2569\n"
TO = ("นางณัฐนิภา แสงมณี", "nattanipa@srisuk.example.go.th")


def config(port: int, **extra) -> dict:
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_FROM": "ita@srisuk.example.go.th",
        "MAIL_PORT": port,
        "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False,
        "MAIL_USERNAME": "",
        "MAIL_PASSWORD": "",
        "MAIL_TIMEOUT": 5,
        **extra,
    }


def message(subject: str = SUBJECT) -> tuple:
    return TO, subject, BODY


@pytest.fixture
def sink():
    server = SmtpSink().start()
    yield server
    server.stop()


def test_a_long_thai_subject_and_body_arrive_intact(sink):
    with Mailer(config(sink.port)) as mailer:
        mailer.send(*message())
    (got,) = sink.received
    assert got["Subject"] == SUBJECT  # the spaces between folded words are kept
    assert got["To"].addresses[0].display_name == "นางณัฐนิภา แสงมณี"
    assert got["To"].addresses[0].addr_spec == "nattanipa@srisuk.example.go.th"
    assert got["From"].addresses[0].addr_spec == "ita@srisuk.example.go.th"
    assert got.get_content() == BODY
    assert got["Date"] and got["Message-ID"]


def test_one_connection_serves_many_messages(sink):
    with Mailer(config(sink.port)) as mailer:
        for i in range(5):
            mailer.send(*message(f"{SUBJECT} {i}"))
    assert len(sink.received) == 5
    assert len(sink.connections) == 1


@pytest.mark.filterwarnings(AUTH_WITHOUT_TLS)
def test_the_login_from_configuration_is_used():
    server = SmtpSink(login=("ita", "s3cret")).start()
    try:
        with Mailer(config(server.port, MAIL_USERNAME="ita", MAIL_PASSWORD="s3cret")) as mailer:
            mailer.send(*message())
        assert len(server.received) == 1
        wrong = Mailer(config(server.port, MAIL_USERNAME="ita", MAIL_PASSWORD="wrong"))
        with wrong, pytest.raises(MailError):
            wrong.send(*message())
        assert len(server.received) == 1
    finally:
        server.stop()


def test_a_refused_recipient_is_an_error_and_the_connection_stays_usable(sink):
    with Mailer(config(sink.port)) as mailer:
        sink.refuse = "550 5.1.1 mailbox unavailable"
        with pytest.raises(MailError, match="550"):
            mailer.send(*message())
        sink.refuse = None
        mailer.send(*message())
    assert len(sink.received) == 1
    assert len(sink.connections) == 1


def test_a_server_that_is_down_fails_fast_for_the_rest_of_the_run():
    with Mailer(config(free_port())) as mailer:
        with pytest.raises(MailError, match="เชื่อมต่อเซิร์ฟเวอร์อีเมลไม่ได้"):
            mailer.send(*message())
        started = time.monotonic()
        for _ in range(20):
            with pytest.raises(MailError):
                mailer.send(*message())
        assert time.monotonic() - started < 1


def test_without_a_mail_server_the_message_is_logged_not_lost(app, caplog):
    mailer = Mailer({"MAIL_SERVER": ""})
    with app.app_context(), caplog.at_level(logging.INFO), mailer:
        assert mailer.logs_only
        mailer.send(*message())
    assert SUBJECT in caplog.text
    assert "To: นางณัฐนิภา แสงมณี <nattanipa@srisuk.example.go.th>" in caplog.text
    assert "https://ita.example.go.th/reports/2569" in caplog.text
    assert any(r.levelno == logging.INFO and r.name.endswith(".mail") for r in caplog.records)
