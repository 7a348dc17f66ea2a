"""Units and positions: listed, added, renamed, and deleted only when nothing uses them."""

from support.pages import body
from test_admin_helpers import as_admin, field_error, input_value, load, one, snapshot, switch

from models import ChainStep, Position, Unit

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
