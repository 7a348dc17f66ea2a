"""The plan of a fiscal year: its table, filters, overdue flags and next deadlines, starting it,
copying last year's, its coordinator; and that another organisation's plan does not exist."""

import re
from datetime import date

import pytest
import sqlalchemy as sa
from support.client import login
from test_measures_support import (
    ASSET_MEASURE,
    BUDGET_MEASURE,
    DISCLOSURE_MEASURE,
    SEED_YEAR,
    field_error,
    make_person,
    measure,
    measure_ids,
    other_organisation,
    plain,
    plan_id,
    text_of,
    unit_id,
    user_id,
)

import clock
from extensions import db
from models import MeasurePlan, MeasureStatus, Organisation, RoundKind
from workflow.calendar import add_months
from workflow.rounds import saved_round


def _rows(page: str) -> list[str]:
    """The plan table's rows, one text per measure (none when the page has no table)."""
    if "<tbody>" not in page:
        return []
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)) for row in body.split("<tr")[1:]]


def test_the_page_opens_on_the_current_fiscal_year(app, client, srisuk, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2026, 9, 30))
    login(client, "thanyarat")
    response = client.get("/measures/")
    assert response.status_code == 302 and response.location.endswith("/measures/years/2569")
    monkeypatch.setattr(clock, "today", lambda: date(2026, 10, 1))
    assert client.get("/measures/").location.endswith("/measures/years/2570")
    assert client.get("/measures/?year=2568").location.endswith("/measures/years/2568")


def test_everyone_in_the_organisation_sees_the_seed_plan_as_a_table(app, client, srisuk):
    login(client, "thanyarat")  # neither coordinator nor admin
    page = text_of(client.get("/measures/years/2569"))
    assert "ประจำปีงบประมาณ พ.ศ. ๒๕๖๙" in page
    assert "ผู้ประสานงานของแผน: นางณัฐนิภา แสงมณี" in plain(page)
    rows = _rows(page)
    assert len(rows) == 10
    first = rows[0]
    for part in (
        "ตัวชี้วัดที่ ๔ การใช้ทรัพย์สินของราชการ",
        "(i๑๐)",
        "มาตรการปรับปรุงแนวปฏิบัติการใช้ทรัพย์สินของทางราชการ",
        "ได้รับคะแนน ๗๖.๓๑ คะแนน",
        "ประชาสัมพันธ์ให้บุคลากรทราบ",
        "ต.ค.๖๘ – ก.ย.๖๙",
        "ไม่ใช้งบประมาณ",
        "กองคลัง",
    ):
        assert part in first
    assert "นายนครินทร์ สมัญญา" in rows[2]  # "ผู้บริหาร" in the seed: the นายก and the ปลัด
    assert "เพิ่มมาตรการ" not in page and "เลื่อนขึ้น" not in page  # not theirs to shape


def test_overdue_is_flagged_after_the_period_but_never_for_finished_measures(
    app, client, srisuk, monkeypatch
):
    login(client, "nattanipa")
    monkeypatch.setattr(clock, "today", lambda: date(2026, 9, 30))  # last day of the period
    rows = _rows(text_of(client.get("/measures/years/2569")))
    # Before the period ends, only missed updates make a measure late: the monthly disclosure
    # measure reported January only; the finished asset measure is never late.
    assert "เกินกำหนด" in rows[DISCLOSURE_MEASURE] and "ขาดรายงาน" in rows[DISCLOSURE_MEASURE]
    assert "เกินกำหนด" not in rows[ASSET_MEASURE]

    monkeypatch.setattr(clock, "today", lambda: date(2026, 10, 1))
    rows = _rows(text_of(client.get("/measures/years/2569")))
    assert "ดำเนินการแล้ว" in rows[ASSET_MEASURE] and "เกินกำหนด" not in rows[ASSET_MEASURE]
    assert "อยู่ระหว่างดำเนินการ" in rows[DISCLOSURE_MEASURE]
    assert "เกินกำหนด" in rows[DISCLOSURE_MEASURE] and "เกินกำหนด" in rows[BUDGET_MEASURE]
    target = measure_ids(app)[BUDGET_MEASURE]
    cancel = {"entry_date": "1/10/2569", "status": "cancelled", "cancel_reason": "ยุบ"}
    assert client.post_form(f"/measures/{target}/progress", cancel).status_code == 302
    page = text_of(client.get(f"/measures/{target}"))
    assert "เกินกำหนด</span>" not in page

    overdue = _rows(text_of(client.get("/measures/years/2569?status=overdue")))
    assert len(overdue) == 7  # ten, less two done and one cancelled


def test_filters_by_responsible_unit_and_status(app, client, srisuk):
    login(client, "thanyarat")
    works = unit_id(app, "กองช่าง")
    rows = _rows(text_of(client.get(f"/measures/years/2569?unit={works}")))
    assert len(rows) == 3 and all("กองช่าง" in r for r in rows)
    rows = _rows(text_of(client.get("/measures/years/2569?status=done")))
    assert len(rows) == 2 and all("ดำเนินการแล้ว" in r for r in rows)
    rows = _rows(text_of(client.get(f"/measures/years/2569?unit={works}&status=done")))
    assert rows == []
    page = text_of(client.get("/measures/years/2569?unit=abc&status=nonsense"))
    assert "ไม่พบมาตรการตามตัวกรองนี้" in page


def test_next_update_deadline_follows_the_rhythm_and_the_organisations_rounds(
    app, client, srisuk, monkeypatch
):
    monkeypatch.setattr(clock, "today", lambda: date(2025, 11, 1))
    login(client, "nattanipa")
    target = measure_ids(app)[BUDGET_MEASURE]  # quarterly, no entries
    rows = _rows(text_of(client.get("/measures/years/2569")))
    assert "ภายใน ๑๕ ม.ค. ๖๙" in rows[BUDGET_MEASURE]  # Q1 by default is due 15 January
    assert "ภายใน ๑๐ พ.ย. ๖๘" in rows[DISCLOSURE_MEASURE]  # monthly: October's by 10 November
    assert "ไม่มีกำหนดรายงาน" in rows[ASSET_MEASURE]  # done: nothing more to report

    with app.app_context():  # this organisation gives itself until 20 January for Q1
        q1 = saved_round(srisuk.org_id, SEED_YEAR, RoundKind.Q1)
        q1.due_date = date(2026, 1, 20)
        db.session.commit()
    assert "ภายใน ๒๐ ม.ค. ๖๙" in _rows(text_of(client.get("/measures/years/2569")))[BUDGET_MEASURE]

    client.post_form(f"/measures/{target}/progress", {"entry_date": "1/11/2568", "text": "ประชุม"})
    page = text_of(client.get(f"/measures/{target}"))
    assert "ภายใน ๑๕ เมษายน ๒๕๖๙" in page  # Q1 is reported; Q2 next


def test_any_active_user_starts_the_plan_of_a_year_and_becomes_its_coordinator(app, client, srisuk):
    login(client, "thanyarat")
    year = 2575
    page = text_of(client.get(f"/measures/years/{year}"))
    assert "ยังไม่มีแผนมาตรการของปีงบประมาณ พ.ศ. ๒๕๗๕" in page
    assert client.post_form(f"/measures/years/{year}/plan").status_code == 302
    with app.app_context():
        plan = db.session.scalars(
            sa.select(MeasurePlan).where(MeasurePlan.fiscal_year == year)
        ).one()
        assert plan.coordinator_id == user_id(app, "thanyarat")
        assert plan.title.endswith("ประจำปีงบประมาณ พ.ศ. 2575")
    response = client.post_form(f"/measures/years/{year}/plan", follow_redirects=True)
    assert "มีแผนมาตรการของปีงบประมาณ พ.ศ. ๒๕๗๕ อยู่แล้ว" in text_of(response)
    with app.app_context():
        count = sa.select(sa.func.count()).where(MeasurePlan.fiscal_year == year)
        assert db.session.scalar(count) == 1


def test_last_years_measures_start_an_empty_plan(app, client, srisuk):
    login(client, "nattanipa")
    with app.app_context():
        target_year = db.session.scalar(sa.select(sa.func.max(MeasurePlan.fiscal_year))) + 1
    client.post_form(f"/measures/years/{target_year}/plan")
    target = plan_id(app, target_year)
    source = measure_ids(app)
    response = client.post_form(f"/measures/plans/{target}/copy", {"source_plan_id": plan_id(app)})
    assert response.status_code == 302
    copies = measure_ids(app, target_year)
    assert len(copies) == len(source) == 10
    original, copy = measure(app, source[ASSET_MEASURE]), measure(app, copies[ASSET_MEASURE])
    months = 12 * (target_year - SEED_YEAR)
    assert copy.start_month == add_months(original.start_month, months)
    assert copy.end_month == add_months(original.end_month, months)
    for name in (
        "title",
        "indicators",
        "question_codes",
        "analysis",
        "steps",
        "follow_up",
        "rhythm",
        "budget",
    ):
        assert getattr(copy, name) == getattr(original, name)
    assert [u.id for u in copy.units] == [u.id for u in original.units]
    assert original.status is MeasureStatus.DONE and copy.status is MeasureStatus.NOT_STARTED
    assert copy.entries == [] and copy.evidence == []
    people = measure(app, copies[2]).people
    assert {p.full_name for p in people} == {"นครินทร์ สมัญญา", "ชุตติกาญจน์ คงสุข"}

    response = client.post_form(f"/measures/plans/{target}/copy", {"source_plan_id": plan_id(app)})
    assert response.status_code == 400
    assert "มีมาตรการอยู่แล้ว 10 รายการ" in field_error(text_of(response), "source_plan_id")
    assert len(measure_ids(app, target_year)) == 10


def test_the_coordinator_hands_the_plan_over(app, client, srisuk):
    login(client, "nattanipa")
    plan = plan_id(app)
    response = client.post_form(f"/measures/plans/{plan}/coordinator", {"coordinator_id": "999999"})
    assert response.status_code == 400
    assert field_error(text_of(response), "coordinator_id") == "กรุณาเลือกจากรายการ"
    thanyarat = user_id(app, "thanyarat")
    response = client.post_form(
        f"/measures/plans/{plan}/coordinator", {"coordinator_id": thanyarat}
    )
    assert response.status_code == 302
    # Now no longer the coordinator, nattanipa (not an admin) cannot hand it back.
    response = client.post_form(
        f"/measures/plans/{plan}/coordinator", {"coordinator_id": user_id(app, "nattanipa")}
    )
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(MeasurePlan, plan).coordinator_id == thanyarat


def test_a_user_of_another_unit_cannot_copy_or_hand_over(app, client, srisuk):
    make_person(app, "engineer", "กองช่าง", "ช่าง ตั้งใจ")
    login(client, "engineer")
    plan = plan_id(app)
    assert (
        client.post_form(f"/measures/plans/{plan}/copy", {"source_plan_id": plan}).status_code
        == 403
    )
    response = client.post_form(f"/measures/plans/{plan}/coordinator", {"coordinator_id": 1})
    assert response.status_code == 403


def _substitute(rule, ids: dict[str, int]) -> str:
    return re.sub(r"<int:(\w+)>", lambda m: str(ids[m.group(1)]), rule.rule)


def test_another_organisations_plans_and_measures_do_not_exist(app, client, srisuk):
    other = other_organisation(app)
    theirs = {
        "plan_id": other.plan_id,
        "measure_id": other.measure_id,
        "entry_id": other.entry_id,
        "evidence_id": other.evidence_id,
        "fiscal_year": SEED_YEAR,
    }
    ours = dict(theirs, measure_id=measure_ids(app)[DISCLOSURE_MEASURE])
    login(client, "admin")  # the strongest person of อบต.ศรีสุข
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("measures.")]
    checked = 0
    for rule in rules:
        params = set(rule.arguments)
        if not params - {"fiscal_year"}:
            continue  # a year is always read within the user's own organisation
        for ids in (theirs, ours) if params & {"entry_id", "evidence_id"} else (theirs,):
            url = _substitute(rule, ids)
            if "GET" in rule.methods:
                assert client.get(url).status_code == 404, url
            if "POST" in rule.methods:
                response = client.post_form(url, {"direction": "up", "status": "done"})
                assert response.status_code == 404, url
            checked += 1
    assert checked >= 12
    page = text_of(client.get("/measures/years/2569"))
    assert "มาตรการของเทศบาลอื่น" not in page
    other_measure = measure(app, other.measure_id)
    assert other_measure.status is MeasureStatus.NOT_STARTED and len(other_measure.entries) == 1


@pytest.mark.parametrize("year", [2559, 2701])
def test_a_plan_year_outside_the_sensible_range_is_refused(app, client, srisuk, year):
    login(client, "nattanipa")
    response = client.post_form(f"/measures/years/{year}/plan", follow_redirects=True)
    assert "ปีงบประมาณต้องอยู่ระหว่าง" in text_of(response)
    assert plan_id(app, year) is None


def test_digits_follow_the_organisations_setting(app, client, srisuk):
    with app.app_context():
        org = db.session.get(Organisation, srisuk.org_id)
        org.thai_digits = False
        db.session.commit()
    login(client, "thanyarat")
    rows = _rows(text_of(client.get("/measures/years/2569")))
    assert "ต.ค.68 – ก.ย.69" in rows[0] and "ได้รับคะแนน 76.31 คะแนน" in rows[0]
    assert "ตัวชี้วัดที่ 4" in rows[0]
