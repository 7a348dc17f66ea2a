"""Two `flask reminders send` at the same moment, in two OS processes (as on two machines)
against one PostgreSQL database: every e-mail arrives exactly once, counted on the server."""

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa
from support.reminders import SmtpSink, make_measure, make_plan

import clock
import thai
from extensions import db
from models import Reminder, Rhythm
from tests.conftest import PG_URL

ROOT = Path(__file__).resolve().parents[1]
PEOPLE = ("nattanipa", "thanyarat", "chuttikan", "nakarin")

pytestmark = pytest.mark.skipif(
    not PG_URL,
    reason="needs PostgreSQL (TEST_DATABASE_URL): two processes at once against one database",
)


def command_env(app, port: int, instance: Path) -> dict:
    return {
        **os.environ,
        # The test database, with the test schema on its search_path (see conftest).
        "DATABASE_URL": str(app.config["SQLALCHEMY_DATABASE_URI"]),
        "APP_ENV": "development",
        "INSTANCE_PATH": str(instance),
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(port),
        "MAIL_USE_TLS": "0",
        "MAIL_USE_SSL": "0",
        "MAIL_USERNAME": "",
        "MAIL_PASSWORD": "",
    }


def test_two_runs_at_once_send_each_email_exactly_once(app, srisuk, tmp_path):
    # Last fiscal year's monthly measures have always had a period fall due (today is real).
    year = thai.fiscal_year(clock.today()) - 1
    start, end = thai.fiscal_year_bounds(year)
    plan_id = make_plan(app, fiscal_year=year)
    for i in range(60):
        make_measure(
            app,
            plan_id,
            f"มาตรการทดสอบการส่งพร้อมกัน {i + 1}",
            Rhythm.MONTHLY,
            start=start,
            end=end,
            people=(PEOPLE[i % len(PEOPLE)],),
        )

    sink = SmtpSink().start()
    sink.delay = 0.01  # keep both runs busy long enough to overlap
    try:
        env = command_env(app, sink.port, tmp_path)
        command = [sys.executable, "-m", "flask", "--app", "app", "reminders", "send"]
        runs = [
            subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [run.communicate(timeout=120) for run in runs]
    finally:
        sink.stop()

    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
        assert "การแจ้งเตือนประจำวันที่" in out

    with app.app_context():
        recorded = db.session.scalar(sa.select(sa.func.count(Reminder.id)))
        unsent = db.session.scalar(
            sa.select(sa.func.count(Reminder.id)).where(Reminder.sent_at.is_(None))
        )
    assert recorded >= 60 and unsent == 0
    arrived = Counter((m["To"], m["Subject"], m.get_content()) for m in sink.received)
    assert len(sink.received) == recorded
    assert [key for key, times in arrived.items() if times > 1] == []
