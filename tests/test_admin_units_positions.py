"""Units and positions: listed, added, renamed, reordered (units), and deleted only when nothing
uses them."""

import csv
import io
import re

import sqlalchemy as sa
from support.pages import body
from test_admin_helpers import (
    as_admin,
    field_error,
    input_value,
    load,
    one,
    other_org,
    snapshot,
    switch,
)

import clock
import thai
from extensions import db
from models import ChainStep, MeasurePlan, Position, Unit

ORG = "องค์การบริหารส่วนตำบลศรีสุข"


def test_units_are_listed_added_and_edited(app, client, srisuk):
    as_admin(client)
    response = client.post_form(
        "/admin/units/new", {"name": "กองสวัสดิการสังคม", "phone": "๐๔๔-๕๖๙๑๑๒"}
    )
    assert response.status_code == 302
    unit_id = one(app, Unit, name="กองสวัสดิการสังคม")
    assert load(app, Unit, unit_id).phone == "044-569112"
    page = body(client.get("/admin/units"))
    assert "กองสวัสดิการสังคม" in page and "๐๔๔-๕๖๙๑๑๒" in page

    response = client.post_form(f"/admin/units/{unit_id}/edit", {"name": "กองสวัสดิการ", "phone": ""})
    assert response.status_code == 302
    unit = load(app, Unit, unit_id)
    assert (unit.name, unit.phone) == ("กองสวัสดิการ", "")


def test_a_unit_name_must_be_given_and_new(app, client, srisuk):
    as_admin(client)
    before = snapshot(app)
    response = client.post_form("/admin/units/new", {"name": "", "phone": "1234"})
    assert response.status_code == 400
    assert field_error(body(response), "name") == "กรุณากรอกข้อมูลช่องนี้"
    assert input_value(body(response), "phone") == "1234"
    response = client.post_form("/admin/units/new", {"name": "กองคลัง", "phone": "5678"})
    assert response.status_code == 400
    assert field_error(body(response), "name") == "มีหน่วยงานชื่อนี้แล้ว"
    assert input_value(body(response), "phone") == "5678"
    assert snapshot(app) == before


def test_a_unit_in_use_is_not_deleted_and_the_admin_is_told_why(app, client, srisuk):
    as_admin(client)
    unit_id = one(app, Unit, name="สำนักปลัด")
    before = snapshot(app)
    response = client.post_form(f"/admin/units/{unit_id}/delete", follow_redirects=True)
    page = body(response)
    assert "ลบหน่วยงาน “สำนักปลัด” ไม่ได้" in page
    assert "บุคลากรสังกัดหน่วยงานนี้ ๕ คน" in page
    assert "เอกสารของหน่วยงานนี้ ๑ ฉบับ" in page
    assert snapshot(app) == before


def test_an_unused_unit_is_deleted(app, client, srisuk):
    as_admin(client)
    client.post_form("/admin/units/new", {"name": "กองสวัสดิการสังคม", "phone": ""})
    unit_id = one(app, Unit, name="กองสวัสดิการสังคม")
    page = body(client.post_form(f"/admin/units/{unit_id}/delete", follow_redirects=True))
    assert "ลบหน่วยงาน “กองสวัสดิการสังคม” แล้ว" in page
    assert load(app, Unit, unit_id) is None


def test_positions_list_holders_vacancies_and_acting_officials(app, client, srisuk):
    as_admin(client)
    page = body(client.get("/admin/positions"))
    row = page.split("<td>หัวหน้าสำนักปลัด</td>")[1].split("</tr>")[0]
    assert "ว่าง" in row  # the section-head post is vacant ...
    assert "นางธัญญารัตน์ โคนุช (รักษาราชการแทน)" in row  # ... and someone acts for it
    row = page.split(f"<td>ปลัด{ORG}</td>")[1].split("</tr>")[0]
    assert "นางชุตติกาญจน์ คงสุข" in row and "ว่าง" not in row


def test_positions_are_added_and_renamed(app, client, srisuk):
    as_admin(client)
    assert client.post_form("/admin/positions/new", {"title": f"รองปลัด{ORG}"}).status_code == 302
    position_id = one(app, Position, title=f"รองปลัด{ORG}")
    response = client.post_form(f"/admin/positions/{position_id}/edit", {"title": "รองปลัด"})
    assert response.status_code == 302
    assert load(app, Position, position_id).title == "รองปลัด"


def test_a_position_title_must_be_given_and_new(app, client, srisuk):
    as_admin(client)
    position_id = one(app, Position, title="หัวหน้าสำนักปลัด")
    before = snapshot(app)
    response = client.post_form("/admin/positions/new", {"title": "   "})
    assert response.status_code == 400
    assert field_error(body(response), "title") == "กรุณากรอกข้อมูลช่องนี้"
    response = client.post_form(f"/admin/positions/{position_id}/edit", {"title": f"นายก{ORG}"})
    assert response.status_code == 400
    assert field_error(body(response), "title") == "มีตำแหน่งชื่อนี้แล้ว"
    assert input_value(body(response), "title") == f"นายก{ORG}"
    assert snapshot(app) == before


def test_a_position_in_use_is_not_deleted_and_the_admin_is_told_why(app, client, srisuk):
    as_admin(client)
    before = snapshot(app)
    chief = one(app, Position, title=f"ปลัด{ORG}")
    page = body(client.post_form(f"/admin/positions/{chief}/delete", follow_redirects=True))
    assert "ผู้ดำรงตำแหน่ง ๑ คน" in page and "อยู่ในสายการลงนาม ๓ ขั้น" in page
    head = one(app, Position, title="หัวหน้าสำนักปลัด")
    page = body(client.post_form(f"/admin/positions/{head}/delete", follow_redirects=True))
    assert "มีคำสั่งรักษาราชการแทน/ปฏิบัติราชการแทนตำแหน่งนี้ ๑ รายการ" in page
    assert snapshot(app) == before


def test_a_position_only_a_submitted_memo_still_names_is_kept(app, client, srisuk):
    """The memo's own copy of its chain points at the post, so the post must stay."""
    as_admin(client)
    client.post_form("/admin/positions/new", {"title": "ผู้ตรวจทาน"})
    reviewer = one(app, Position, title="ผู้ตรวจทาน")
    client.post_form(
        "/admin/chains/analysis/steps/new",
        {
            "position_id": reviewer,
            "heading": "ความเห็นผู้ตรวจทาน",
            "forward_decisions": "ตรวจแล้ว",
        },
    )
    switch(client, "nattanipa")
    client.post_form(f"/documents/{srisuk.memo_id}/submit")
    switch(client, "admin")
    step_id = one(app, ChainStep, position_id=reviewer)
    assert client.post_form(f"/admin/chains/steps/{step_id}/delete").status_code == 302
    before = snapshot(app)
    page = body(client.post_form(f"/admin/positions/{reviewer}/delete", follow_redirects=True))
    assert "อยู่ในสายการลงนามของเอกสารที่เสนอแล้ว ๑ ขั้น" in page
    assert snapshot(app) == before


def test_an_unused_position_is_deleted(app, client, srisuk):
    as_admin(client)
    client.post_form("/admin/positions/new", {"title": "นิติกร"})
    position_id = one(app, Position, title="นิติกร")
    page = body(client.post_form(f"/admin/positions/{position_id}/delete", follow_redirects=True))
    assert "ลบตำแหน่ง “นิติกร” แล้ว" in page
    assert load(app, Position, position_id) is None


# -- the organisation's order of its units -----------------------------------------------------

SEEDS_ORDER = ["สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา ศาสนาและวัฒนธรรม"]


def units_page_order(client) -> list[str]:
    """The units as the admin's units page lists them, top to bottom."""
    page = body(client.get("/admin/units"))
    rows = re.findall(r'<tr id="unit-\d+">.*?</tr>', page, re.S)
    return [re.findall(r"<td>([^<]+)</td>", row)[0] for row in rows]


def in_page_order(fragment: str, names: list[str]) -> list[str]:
    """`names` in the order the HTML fragment shows them (each must be there)."""
    assert all(name in fragment for name in names), fragment
    return sorted(names, key=fragment.index)


def test_the_demo_lists_its_units_in_the_seeds_order_with_places_to_move_them(app, client, srisuk):
    as_admin(client)
    assert units_page_order(client) == SEEDS_ORDER
    page = body(client.get("/admin/units"))
    first, *_, last = re.findall(r'<tr id="unit-\d+">.*?</tr>', page, re.S)
    assert "เลื่อนลง" in first and "เลื่อนขึ้น" not in first
    assert "เลื่อนขึ้น" in last and "เลื่อนลง" not in last
    assert 'name="csrf_token"' in first


def test_the_admin_moves_a_unit_and_every_list_of_units_follows(app, client, srisuk):
    as_admin(client)
    works = one(app, Unit, name="กองช่าง")
    response = client.post_form(f"/admin/units/{works}/up")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/units#unit-{works}")
    client.post_form(f"/admin/units/{one(app, Unit, name='สำนักปลัด')}/down")
    moved = ["กองช่าง", "สำนักปลัด", "กองคลัง", "กองการศึกษา ศาสนาและวัฒนธรรม"]
    assert units_page_order(client) == moved
    assert client.post_form("/admin/units/new", {"name": "กองสวัสดิการสังคม"}).status_code == 302
    assert units_page_order(client) == [*moved, "กองสวัสดิการสังคม"]  # a new unit comes last

    lists = body(client.get("/lists/measures"))
    unit_filter = re.search(r'<select id="unit".*?</select>', lists, re.S).group(0)
    assert in_page_order(unit_filter, moved) == moved
    with app.app_context():
        plan_id = db.session.scalar(
            sa.select(MeasurePlan.id).where(
                MeasurePlan.fiscal_year == thai.fiscal_year(clock.today())
            )
        )
    form = body(client.get(f"/measures/plans/{plan_id}/measures/new"))
    choices = re.search(r'<ul class="radio-list" id="unit_ids">.*?</ul>', form, re.S).group(0)
    assert in_page_order(choices, moved) == moved


def exported_unit_cells(client) -> list[str]:
    """The measures export's responsible-units cells that name both สำนักปลัด and กองคลัง."""
    body = client.get("/lists/measures?export=csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    at = rows[0].index("หน่วยงานที่รับผิดชอบ")
    return [row[at] for row in rows[1:] if "สำนักปลัด" in row[at] and "กองคลัง" in row[at]]


def test_the_measures_export_names_units_in_the_organisations_order(app, client, srisuk):
    switch(client, "nattanipa")
    before = exported_unit_cells(client)
    assert before and all(cell.index("สำนักปลัด") < cell.index("กองคลัง") for cell in before)
    switch(client, "admin")
    client.post_form(f"/admin/units/{one(app, Unit, name='กองคลัง')}/up")
    switch(client, "nattanipa")
    after = exported_unit_cells(client)
    assert len(after) == len(before)
    assert all(cell.index("กองคลัง") < cell.index("สำนักปลัด") for cell in after)


def test_a_unit_does_not_move_past_either_end_and_the_admin_is_told(app, client, srisuk):
    as_admin(client)
    before = snapshot(app)
    first, last = one(app, Unit, name="สำนักปลัด"), one(app, Unit, name=SEEDS_ORDER[-1])
    page = body(client.post_form(f"/admin/units/{first}/up", follow_redirects=True))
    assert "เลื่อนหน่วยงาน “สำนักปลัด” ไปทางนั้นไม่ได้อีกแล้ว" in page
    page = body(client.post_form(f"/admin/units/{last}/down", follow_redirects=True))
    assert f"เลื่อนหน่วยงาน “{SEEDS_ORDER[-1]}” ไปทางนั้นไม่ได้อีกแล้ว" in page
    assert snapshot(app) == before


def test_only_the_organisations_admin_moves_its_units(app, client, srisuk):
    finance = one(app, Unit, name="กองคลัง")
    other = other_org(app)
    switch(client, "nattanipa")  # not an admin
    before = snapshot(app)
    for direction in ("up", "down"):
        assert client.post_form(f"/admin/units/{finance}/{direction}").status_code == 403
    assert snapshot(app) == before
    switch(client, "admin")
    before = snapshot(app)
    for direction in ("up", "down"):  # another organisation's unit does not exist here
        assert client.post_form(f"/admin/units/{other.unit_id}/{direction}").status_code == 404
    assert client.post(f"/admin/units/{finance}/up").status_code == 400  # no CSRF token
    assert snapshot(app) == before


def test_units_sharing_a_place_are_listed_by_name_and_a_move_numbers_them_afresh(
    app, client, srisuk
):
    with app.app_context():  # units made outside the admin pages, e.g. by an import
        db.session.execute(sa.update(Unit).values(sort_order=0))
        db.session.commit()
    as_admin(client)
    by_name = sorted(SEEDS_ORDER)
    assert units_page_order(client) == by_name
    client.post_form(f"/admin/units/{one(app, Unit, name=by_name[-1])}/up")
    assert units_page_order(client) == [*by_name[:-2], by_name[-1], by_name[-2]]
    with app.app_context():
        places = db.session.scalars(sa.select(Unit.sort_order).order_by(Unit.sort_order))
        assert list(places) == [1, 2, 3, 4]
