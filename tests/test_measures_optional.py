"""Measures carry what real plans carry without forcing what they lack: budget, reporting rhythm
and period may be unstated; a period may run past the plan's year (a warning); past years'
plans are one click from the measures page."""

from datetime import date

import sqlalchemy as sa
from support.client import login
from test_measures_support import measure, measure_form, plan_id, text_of, unit_id
from test_reports_helpers import field_error

import clock
from extensions import db
from models import Measure, MeasurePlan, Organisation, User
from workflow.lists.filters import Filters
from workflow.lists.measures import all_measures, export_row
from workflow.measures.schedule import is_overdue, read_periods, row_of


def add(app, client, **changes):
    login(client, "nattanipa")
    form = measure_form([unit_id(app, "กองคลัง")], **changes)
    return client.post_form(f"/measures/plans/{plan_id(app)}/measures/new", form)


def test_a_measure_with_no_budget_rhythm_or_period_is_saved(app, client, srisuk):
    response = add(app, client, budget="", no_budget=None, rhythm="", start_month="", end_month="")
    assert response.status_code == 302
    created = measure(app, int(response.location.rsplit("/", 1)[1]))
    assert created.budget is None and created.rhythm is None
    assert created.start_month is None and created.end_month is None
    page = text_of(client.get(response.location))
    assert "ไม่ระบุ" in page  # period and rhythm
    assert "ไม่ใช้งบประมาณ" in page  # the organisation's default for no budget
    assert 'id="periods"' not in page  # no rhythm: no periods owed


def test_a_half_stated_period_is_refused_beside_its_field(app, client, srisuk):
    response = add(app, client, end_month="")
    assert response.status_code == 400
    assert "เว้นว่างทั้งสองช่อง" in field_error(text_of(response), "end_month")


def test_a_measure_without_a_period_runs_through_its_plans_year(app, client, srisuk, monkeypatch):
    response = add(app, client, start_month="", end_month="", rhythm="quarterly")
    created_id = int(response.location.rsplit("/", 1)[1])
    # 20 January 2026: the first quarter of 2569 (due 15 January) was missed.
    monkeypatch.setattr(clock, "today", lambda: date(2026, 1, 20))
    with app.app_context():
        found = db.session.get(Measure, created_id)
        assert not is_overdue(found)
        periods = read_periods(found.org_id, {2569})[2569][found.rhythm]
        row = row_of(found, periods, clock.today())
        assert row.overdue and [p.start for p in row.missing] == [date(2025, 10, 1)]
        assert is_overdue(found, date(2026, 10, 1))  # after its plan's year, unfinished


def test_the_organisation_may_print_a_blank_budget(app, client, srisuk):
    response = add(app, client)
    with app.app_context():
        org = db.session.scalar(sa.select(Organisation))
        org.print_no_budget = False
        db.session.commit()
    page = text_of(client.get(response.location))
    budget_row = page[page.index('<th scope="row">งบประมาณ</th>') :][:200]
    assert "ไม่ใช้งบประมาณ" not in budget_row
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "nattanipa"))
        rows = [export_row(r) for r in all_measures(user, Filters(fiscal_year=2569))]
        assert all(r[6] != "ไม่ใช้งบประมาณ" for r in rows)


def test_a_period_past_the_plans_year_is_a_warning_not_a_refusal(app, client, srisuk):
    response = add(app, client, end_month="2026-12-01")
    assert response.status_code == 302
    page = text_of(client.get(response.location))
    assert "เลยปีงบประมาณของแผน" in page  # the flash after saving
    assert 'id="period-warning"' in page and "เลยปีงบประมาณ พ.ศ. ๒๕๖๙ ของแผน" in page


def test_past_years_plans_are_linked_from_the_measures_page(app, client, srisuk):
    login(client, "nattanipa")
    with app.app_context():
        years = {p.fiscal_year for p in db.session.scalars(sa.select(MeasurePlan))}
    assert 2569 in years
    page = text_of(client.get("/measures/", follow_redirects=True))
    nav = page[page.index('id="other-plans"') :][:600]
    assert 'href="/measures/years/2569"' in nav
