"""A date the follow-up names ("รายงานผลภายในวันที่ …") offered as a due date that reminds like a
round, until an entry is recorded."""

from datetime import date

import pytest
import sqlalchemy as sa
from support.client import login
from support.reminders import add_entry, make_measure, make_plan
from test_measures_support import text_of

from extensions import db
from models import Measure, Reminder, Rhythm, User
from notifications import reminders
from workflow.measures.followup import adopt_follow_up_date, named_date

FOLLOW_UP = "รายงานผลต่อผู้บริหารภายในวันที่ ๓๐ เมษายน ๒๕๖๙"


@pytest.mark.parametrize(
    "text, day",
    [
        (FOLLOW_UP, date(2026, 4, 30)),
        ("รายงานภายในวันที่ 15 ต.ค. 69", date(2026, 10, 15)),
        ("ภายในวันที่ 5 เดือนมีนาคม พ.ศ. 2570", date(2027, 3, 5)),
        ("รายงานผู้บริหารทุกไตรมาส", None),
        ("วันที่ 31 กุมภาพันธ์ 2569", None),
    ],
)
def test_the_named_date_is_read_in_be(text, day):
    assert named_date(text) == day


@pytest.fixture
def measure_id(app, srisuk) -> int:
    found = make_measure(
        app,
        make_plan(app),
        "มาตรการรายงานตามกำหนดวัน",
        Rhythm.YEARLY,
        people=("thanyarat",),
        start=date(2025, 10, 1),
        end=date(2026, 9, 1),
    )
    with app.app_context():
        db.session.get(Measure, found).follow_up = FOLLOW_UP
        db.session.commit()
    return found


def reminded(app, measure_id: int, day: date) -> set[str]:
    with app.app_context():
        reminders.run(day)
        stmt = sa.select(Reminder.kind).where(
            Reminder.item_type == "followup", Reminder.item_id == measure_id
        )
        return set(db.session.scalars(stmt))


def test_the_coordinator_adopts_the_date_from_the_measure_page(app, client, measure_id):
    login(client, "nattanipa")
    page = text_of(client.get(f"/measures/{measure_id}"))
    assert 'id="adopt-follow-up-date"' in page and "ตั้งวันที่ ๓๐ เมษายน ๒๕๖๙ เป็นกำหนดรายงาน" in page
    response = client.post_form(f"/measures/{measure_id}/follow-up-due")
    assert response.status_code == 302
    page = text_of(client.get(f"/measures/{measure_id}"))
    assert "กำหนดรายงาน: <strong>๓๐ เมษายน ๒๕๖๙</strong>" in page
    assert 'id="adopt-follow-up-date"' not in page
    with app.app_context():
        assert db.session.get(Measure, measure_id).follow_up_due == date(2026, 4, 30)


def test_a_member_cannot_adopt_it(app, client, measure_id):
    login(client, "thanyarat")
    assert 'id="adopt-follow-up-date"' not in text_of(client.get(f"/measures/{measure_id}"))
    assert client.post_form(f"/measures/{measure_id}/follow-up-due").status_code == 403
    with app.app_context():
        assert db.session.get(Measure, measure_id).follow_up_due is None


def test_it_reminds_like_a_round_until_an_entry_is_recorded(app, measure_id):
    assert reminded(app, measure_id, date(2026, 4, 20)) == set()  # not adopted yet
    with app.app_context():
        coordinator = db.session.scalar(sa.select(User).where(User.username == "nattanipa"))
        adopt_follow_up_date(measure_id, coordinator)
        db.session.commit()
    assert reminded(app, measure_id, date(2026, 4, 15)) == set()  # 15 days before
    assert reminded(app, measure_id, date(2026, 4, 16)) == {"due_14"}
    assert reminded(app, measure_id, date(2026, 4, 28)) == {"due_14", "due_3"}
    assert reminded(app, measure_id, date(2026, 4, 30)) == {"due_14", "due_3", "due_today"}
    add_entry(app, measure_id, date(2026, 4, 30))
    assert "overdue" not in reminded(app, measure_id, date(2026, 5, 1))


def test_an_unanswered_date_is_reminded_once_overdue(app, measure_id):
    with app.app_context():
        coordinator = db.session.scalar(sa.select(User).where(User.username == "nattanipa"))
        adopt_follow_up_date(measure_id, coordinator)
        db.session.commit()
    assert reminded(app, measure_id, date(2026, 5, 1)) == {"overdue"}
    with app.app_context():
        (row,) = db.session.scalars(
            sa.select(Reminder).where(Reminder.item_type == "followup")
        ).all()
        assert "๓๐ เมษายน ๒๕๖๙" in row.body and row.url.endswith(f"/measures/{measure_id}")
