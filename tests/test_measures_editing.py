"""The coordinator adds, edits, deletes and reorders measures through the real forms; every bad
input is refused beside its field and saves nothing."""

from decimal import Decimal

import pytest
import sqlalchemy as sa
from support.client import login
from test_measures_support import (
    ASSET_MEASURE,
    BUDGET_MEASURE,
    counts,
    events,
    field_error,
    measure,
    measure_form,
    measure_ids,
    plan_id,
    text_of,
    unit_id,
)

from extensions import db
from models import Measure, MeasureStatus, Rhythm


def _count_measures(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Measure))


def test_coordinator_adds_a_measure_with_thai_digits_and_commas_in_the_budget(app, client, srisuk):
    login(client, "nattanipa")
    plan = plan_id(app)
    finance = unit_id(app, "กองคลัง")
    form = measure_form(
        [finance],
        budget="๑๒,๕๐๐.๕๐",
        no_budget=None,
        question_codes="e๗ O20,i10",
        person_ids=[],
        steps="๑. จัดทำคู่มือ\n\n- ประชาสัมพันธ์ผ่านเว็บไซต์\n",
    )
    response = client.post_form(f"/measures/plans/{plan}/measures/new", form)
    assert response.status_code == 302
    created = measure(app, int(response.location.rsplit("/", 1)[1]))
    assert created.budget == Decimal("12500.50")
    assert created.question_codes == ["e7", "O20", "i10"]
    assert created.steps == ["จัดทำคู่มือ", "ประชาสัมพันธ์ผ่านเว็บไซต์"]
    assert [u.name for u in created.units] == ["กองคลัง"]
    assert created.rhythm is Rhythm.QUARTERLY and created.status is MeasureStatus.NOT_STARTED
    assert created.position == len(measure_ids(app))  # added at the end of the plan

    page = text_of(client.get(f"/measures/{created.id}"))
    assert "๑๒,๕๐๐.๕๐ บาท" in page
    assert "หนึ่งหมื่นสองพันห้าร้อยบาทห้าสิบสตางค์" in page
    assert "ต.ค.๖๘ – ก.ย.๖๙" in page
    assert "สร้างมาตรการ" in page and "นางณัฐนิภา แสงมณี" in page


BAD_INPUTS = [
    (
        {"start_month": "2026-03-01", "end_month": "2026-01-01"},
        "end_month",
        "เดือนสิ้นสุดต้องไม่ก่อนเดือนเริ่มต้น",
    ),
    ({"budget": "-500", "no_budget": None}, "budget", "งบประมาณต้องไม่ติดลบ"),
    ({"budget": "ห้าพันบาท", "no_budget": None}, "budget", "กรุณากรอกงบประมาณเป็นตัวเลข"),
    ({"budget": "1e5", "no_budget": None}, "budget", "กรุณากรอกงบประมาณเป็นตัวเลข"),
    ({"budget": "100.555", "no_budget": None}, "budget", "ทศนิยมได้ไม่เกิน 2 ตำแหน่ง"),
    ({"budget": "500"}, "budget", "กรุณาลบจำนวนเงินออก"),
    ({"unit_ids": []}, "unit_ids", "กรุณาเลือกหน่วยงานที่รับผิดชอบอย่างน้อย 1 หน่วยงาน"),
    ({"unit_ids": ["abc"]}, "unit_ids", "กรุณาเลือกจากรายการ"),
    ({"unit_ids": ["999999"]}, "unit_ids", "หน่วยงานที่เลือกไม่อยู่ในองค์กรนี้"),
    ({"question_codes": "i10; ข้อ 7"}, "question_codes", "รหัสข้อคำถาม “i10;” ไม่ถูกต้อง"),
    ({"indicators": ["11"]}, "indicators", "ตัวชี้วัดต้องเป็นหมายเลข 1 ถึง 10"),
    ({"title": "   "}, "title", "กรุณากรอกข้อมูลช่องนี้"),
    ({"title": "ก" * 501}, "title", "ยาวได้ไม่เกิน 500 ตัวอักษร"),
    ({"start_month": "2025-13-01"}, "start_month", "กรุณาเลือกจากรายการ"),
    ({"rhythm": "weekly"}, "rhythm", "กรุณาเลือกจากรายการ"),
    ({"person_ids": ["999999"]}, "person_ids", "ผู้รับผิดชอบที่เลือกไม่อยู่ในองค์กรนี้"),
]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    BAD_INPUTS,
    ids=[f"{f}-{i}" for i, (_, f, _) in enumerate(BAD_INPUTS)],
)
def test_bad_measure_input_is_refused_beside_its_field_and_saves_nothing(
    app, client, srisuk, changes, field, message
):
    login(client, "nattanipa")
    before = _count_measures(app)
    form = measure_form([unit_id(app, "กองคลัง")], **changes)
    response = client.post_form(f"/measures/plans/{plan_id(app)}/measures/new", form)
    assert response.status_code == 400
    page = text_of(response)
    assert message in (field_error(page, field) or "")
    assert form["title"].strip() in page or field == "title"  # what was typed stays in the form
    assert _count_measures(app) == before


def test_a_bad_field_in_an_edit_leaves_the_good_fields_unsaved(app, client, srisuk):
    login(client, "nattanipa")
    target = measure_ids(app)[ASSET_MEASURE]
    original, history_before = measure(app, target), counts(app, target)
    form = measure_form(
        [unit_id(app, "กองคลัง")], title="ชื่อใหม่ที่ไม่ควรถูกบันทึก", budget="-1", no_budget=None
    )
    response = client.post_form(f"/measures/{target}/edit", form)
    assert response.status_code == 400
    assert "งบประมาณต้องไม่ติดลบ" in field_error(text_of(response), "budget")
    after = measure(app, target)
    assert after.title == original.title and after.budget is None
    assert counts(app, target) == history_before  # no history row for a refused edit


def test_an_edit_is_recorded_in_the_history_with_what_changed(app, client, srisuk):
    login(client, "nattanipa")
    target = measure_ids(app)[BUDGET_MEASURE]
    units = [unit_id(app, "สำนักปลัด"), unit_id(app, "กองคลัง")]
    current = measure(app, target)
    form = measure_form(
        units,
        title=current.title,
        indicators=["2"],
        question_codes="i4",
        analysis=current.analysis,
        steps="\n".join(current.steps),
        follow_up=current.follow_up,
        budget="15,000",
        no_budget=None,
        end_month="2026-03-01",
    )
    assert client.post_form(f"/measures/{target}/edit", form).status_code == 302
    after = measure(app, target)
    assert after.budget == Decimal("15000.00") and after.end_month.month == 3
    edited = [e for e in events(app, target) if e.kind == "edited"]
    assert len(edited) == 1
    assert "งบประมาณ: ไม่ใช้งบประมาณ → 15,000.00 บาท" in edited[0].note
    assert "ระยะเวลา: ต.ค.68 – ก.ย.69 → ต.ค.68 – มี.ค.69" in edited[0].note
    assert "ชื่อมาตรการ" not in edited[0].note
    assert edited[0].actor_name == "นางณัฐนิภา แสงมณี"
    page = text_of(client.get(f"/measures/{target}"))
    assert "แก้ไขรายละเอียด" in page and "๑๕,๐๐๐.๐๐ บาท" in page


def test_a_measure_without_recorded_work_can_be_deleted_but_not_one_with_work(app, client, srisuk):
    login(client, "nattanipa")
    ids = measure_ids(app)
    worked, untouched = ids[ASSET_MEASURE], ids[BUDGET_MEASURE]
    response = client.post_form(f"/measures/{worked}/delete", follow_redirects=True)
    assert "ลบไม่ได้" in text_of(response)
    assert worked in measure_ids(app)

    response = client.post_form(f"/measures/{untouched}/delete")
    assert response.status_code == 302 and response.location.endswith("/measures/years/2569")
    assert untouched not in measure_ids(app)


def test_measures_are_reordered_within_the_plan(app, client, srisuk):
    login(client, "nattanipa")
    first, second, *_ = measure_ids(app)
    assert client.post_form(f"/measures/{second}/move", {"direction": "up"}).status_code == 302
    assert measure_ids(app)[:2] == [second, first]
    client.post_form(f"/measures/{second}/move", {"direction": "up"})  # already first: no change
    assert measure_ids(app)[:2] == [second, first]
    client.post_form(f"/measures/{second}/move", {"direction": "down"})
    assert measure_ids(app)[:2] == [first, second]


@pytest.mark.parametrize("username", ["thanyarat", "chuttikan"])
def test_only_the_coordinator_and_admins_shape_the_plan(app, client, srisuk, username):
    login(client, username)
    plan = plan_id(app)
    target = measure_ids(app)[BUDGET_MEASURE]
    before = measure(app, target)
    form = measure_form([unit_id(app, "กองคลัง")], title="ไม่ควรถูกบันทึก")
    for url in (f"/measures/plans/{plan}/measures/new", f"/measures/{target}/edit"):
        assert client.get(url).status_code == 403
        response = client.post_form(url, form)
        assert response.status_code == 403
        assert "เฉพาะผู้ประสานงานของแผน" in text_of(response)
    assert client.post_form(f"/measures/{target}/delete").status_code == 403
    assert client.post_form(f"/measures/{target}/move", {"direction": "up"}).status_code == 403
    after = measure(app, target)
    assert (after.title, after.position) == (before.title, before.position)
    assert target in measure_ids(app)


def test_an_org_admin_who_is_not_the_coordinator_edits_the_plan(app, client, srisuk):
    login(client, "admin")
    form = measure_form([unit_id(app, "กองช่าง")], title="มาตรการที่ผู้ดูแลระบบเพิ่ม")
    response = client.post_form(f"/measures/plans/{plan_id(app)}/measures/new", form)
    assert response.status_code == 302
