"""One rule for a missed update, on one fixture: the measure page, the plan's "เกินกำหนด" filter,
the list of measures, "งานของฉัน", the executive home and the reminder run agree."""

from datetime import date

import pytest
import sqlalchemy as sa
from support.client import login
from support.reminders import add_entry, make_measure, make_plan
from test_reports_helpers import switch

import clock
from extensions import db
from models import Measure, MeasurePlan, MeasureStatus, Reminder, Rhythm, User
from notifications import reminders
from workflow.dashboard.home import overdue_by_unit
from workflow.dashboard.work import my_measures
from workflow.measures import plan_rows
from workflow.measures.schedule import OVERDUE

# 20 May 2026 (fiscal year 2569): October to April are past their due dates, May is not.
TODAY = date(2026, 5, 20)
WHOLE_YEAR = {"start": date(2025, 10, 1), "end": date(2026, 9, 1)}


@pytest.fixture
def fixture(app, srisuk, monkeypatch):
    """A monthly measure that skipped November only, one reported every quarter, one done
    without reporting, one that starts in June; all named to ธัญญารัตน์."""
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    plan_id = make_plan(app)
    skipped = make_measure(
        app, plan_id, "มาตรการข้ามเดือนพฤศจิกายน", Rhythm.MONTHLY, people=("thanyarat",), **WHOLE_YEAR
    )
    for month in (10, 12, 1, 2, 3, 4):
        add_entry(app, skipped, date(2025 if month > 9 else 2026, month, 15))
    quarterly = make_measure(
        app,
        plan_id,
        "มาตรการรายงานครบทุกไตรมาส",
        Rhythm.QUARTERLY,
        people=("thanyarat",),
        **WHOLE_YEAR,
    )
    add_entry(app, quarterly, date(2025, 11, 3))
    add_entry(app, quarterly, date(2026, 2, 3))
    done = make_measure(
        app,
        plan_id,
        "มาตรการเสร็จแล้ว",
        Rhythm.MONTHLY,
        people=("thanyarat",),
        status=MeasureStatus.DONE,
        **WHOLE_YEAR,
    )
    june = make_measure(
        app,
        plan_id,
        "มาตรการเริ่มเดือนมิถุนายน",
        Rhythm.MONTHLY,
        people=("thanyarat",),
        start=date(2026, 6, 1),
        end=date(2026, 9, 1),
    )
    return {"plan": plan_id, "skipped": skipped, "quarterly": quarterly, "done": done, "june": june}


def user(username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


def late_on_the_plan(app, plan_id: int) -> set[int]:
    with app.app_context():
        plan = db.session.get(MeasurePlan, plan_id)
        return {r.measure.id for r in plan_rows(plan, status=OVERDUE)}


def late_on_the_home(app) -> set[int]:
    with app.app_context():
        return {m.id for group in overdue_by_unit(user("nakarin")) for m in group.measures}


def late_in_my_work(app, username: str) -> set[int]:
    with app.app_context():
        return {r.measure.id for r in my_measures(user(username)) if r.overdue}


def reminded(app) -> dict[int, str]:
    with app.app_context():
        reminders.run(TODAY)
        rows = db.session.execute(
            sa.select(Reminder.item_id, Reminder.round_key).where(Reminder.item_type == "measure")
        )
        return dict(rows.all())


def test_the_four_views_agree_on_what_is_missing(app, client, fixture):
    plan = late_on_the_plan(app, fixture["plan"])
    assert fixture["skipped"] in plan
    assert not {fixture["quarterly"], fixture["done"], fixture["june"]} & plan
    # Every late measure of the year (the demo's unreported ones too) is late everywhere alike.
    assert late_on_the_home(app) == plan
    with app.app_context():  # named to her, or through her unit
        mine = {r.measure.id for r in my_measures(user("thanyarat"))}
    assert fixture["skipped"] in mine
    assert late_in_my_work(app, "thanyarat") == plan & mine
    sent = reminded(app)
    assert set(sent) == plan
    assert sent[fixture["skipped"]] == "2569-m11"  # the one month it skipped


def test_the_pages_show_the_missed_month(app, client, fixture):
    login(client, "thanyarat")
    page = client.get(f"/measures/{fixture['skipped']}").get_data(as_text=True)
    periods = page[
        page.index('id="periods"') : page.index("</section>", page.index('id="periods"'))
    ]
    assert periods.count("ขาดรายงาน</span>") == 1
    assert periods.count("รายงานแล้ว (") == 6  # October, December to April
    assert "ยังไม่ถึงกำหนดส่ง" in periods  # May, due 10 June
    november = periods[periods.index("period-missing") - 200 : periods.index("period-missing")]
    assert "พ.ย." in november
    assert "เกินกำหนด" in page

    listed = client.get("/measures/years/2569?status=overdue").get_data(as_text=True)
    assert f'/measures/{fixture["skipped"]}"' in listed
    assert f'/measures/{fixture["quarterly"]}"' not in listed

    work = client.get("/my").get_data(as_text=True)
    card = work[work.index(f'id="measure-{fixture["skipped"]}"') :]
    card = card[: card.index("</article>")]
    assert "ขาดรายงาน ช่วง" in card and "เกินกำหนด" in card
    assert "ไม่มีกำหนดรายงานที่ค้างอยู่" not in card

    lists = client.get("/lists/measures?state=overdue&fiscal_year=2569").get_data(as_text=True)
    assert f'/measures/{fixture["skipped"]}"' in lists

    switch(client, "nakarin")
    home = client.get("/").get_data(as_text=True)
    overdue = home[
        home.index('id="overdue"') : home.index("</section>", home.index('id="overdue"'))
    ]
    assert "มาตรการข้ามเดือนพฤศจิกายน" in overdue
    assert "มาตรการรายงานครบทุกไตรมาส" not in overdue


def test_a_late_entry_for_the_missed_month_clears_it_everywhere(app, client, fixture):
    add_entry(app, fixture["skipped"], date(2025, 11, 28))
    assert fixture["skipped"] not in late_on_the_plan(app, fixture["plan"])
    assert fixture["skipped"] not in late_on_the_home(app)
    assert fixture["skipped"] not in late_in_my_work(app, "thanyarat")
    assert fixture["skipped"] not in reminded(app)


def test_a_measure_without_a_period_is_chased_through_its_plans_year(app, fixture):
    with app.app_context():
        found = db.session.get(Measure, fixture["skipped"])
        found.start_month = found.end_month = None
        db.session.commit()
    assert fixture["skipped"] in late_on_the_plan(app, fixture["plan"])
    assert fixture["skipped"] in late_on_the_home(app)
    assert reminded(app)[fixture["skipped"]] == "2569-m11"
