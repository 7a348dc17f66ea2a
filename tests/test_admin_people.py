"""People: logins added and edited by the admin, closed and reopened, never locking the org out."""

from support.client import login
from support.pages import body
from test_admin_helpers import (
    as_admin,
    field_error,
    input_value,
    load,
    one,
    other_org,
    selected_value,
    snapshot,
    switch,
)

import demo
from models import Position, Unit, User


def person(app, **changes) -> dict:
    data = {
        "title": "นางสาว",
        "full_name": "สุดารัตน์ ใจดี",
        "username": "sudarat",
        "email": "sudarat@srisuk.example.go.th",
        "password": "sudarat-2569",
        "confirm": "sudarat-2569",
        "position_id": one(app, Position, title="หัวหน้าสำนักปลัด"),
        "unit_id": one(app, Unit, name="สำนักปลัด"),
        "active": "y",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def logs_in(client, username: str, password: str) -> bool:
    client.post_form("/logout")
    client.fetch_csrf("/login")
    response = client.post_form("/login", {"username": username, "password": password})
    return response.status_code == 302


def test_people_are_listed_with_position_unit_login_and_rights(app, client, srisuk):
    as_admin(client)
    page = body(client.get("/admin/people"))
    row = page.split("นางชุตติกาญจน์ คงสุข")[1].split("</tr>")[0]
    assert "ปลัดองค์การบริหารส่วนตำบลศรีสุข" in row and "สำนักปลัด" in row
    assert "<code>chuttikan</code>" in row and "chuttikan@srisuk.example.go.th" in row
    assert "ใช้งาน" in row and "ผู้ดูแลระบบ" not in row
    assert (
        "ผู้ดูแลระบบ</span>"
        in page.split('<td><span class="nw-name">นายผู้ดูแลระบบ ศรีสุข</span></td>')[1].split("</tr>")[0]
    )


def test_a_new_person_can_log_in_and_fills_a_vacant_post(app, client, srisuk):
    as_admin(client)
    assert client.post_form("/admin/people/new", person(app)).status_code == 302
    user = load(app, User, one(app, User, username="sudarat"))
    assert (user.display_name, user.org_id, user.active, user.is_admin) == (
        "นางสาวสุดารัตน์ ใจดี",
        srisuk.org_id,
        True,
        False,
    )
    assert logs_in(client, "sudarat", "sudarat-2569")
    switch(client, "admin")
    row = body(client.get("/admin/positions")).split("<td>หัวหน้าสำนักปลัด</td>")[1].split("</tr>")[0]
    assert "นางสาวสุดารัตน์ ใจดี" in row and "ว่าง" not in row


def test_a_username_taken_anywhere_in_the_system_is_refused_beside_the_field(app, client, srisuk):
    other_org(app)
    as_admin(client)
    before = snapshot(app)
    for taken in ("thanyarat", "Thanyarat", "nongbua_mayor"):
        response = client.post_form("/admin/people/new", person(app, username=taken))
        page = body(response)
        assert response.status_code == 400
        # The same answer whether the name is used here or in another organisation.
        assert field_error(page, "username") == (f"ใช้ชื่อผู้ใช้นี้ไม่ได้ ลองใช้ “{taken}2” หรือเลือกชื่ออื่น")
        assert input_value(page, "full_name") == "สุดารัตน์ ใจดี"
        assert input_value(page, "username") == taken
    assert snapshot(app) == before


def test_bad_passwords_e_mails_and_usernames_are_refused_beside_their_fields(app, client, srisuk):
    as_admin(client)
    before = snapshot(app)
    cases = [
        ({"password": "short", "confirm": "short"}, "password", "อย่างน้อย 8 ตัวอักษร"),
        ({"password": "", "confirm": ""}, "password", "กรุณากำหนดรหัสผ่าน"),
        ({"confirm": "something-else"}, "confirm", "รหัสผ่านทั้งสองช่องไม่ตรงกัน"),
        ({"email": "sudarat at srisuk"}, "email", "รูปแบบอีเมลไม่ถูกต้อง"),
        ({"username": "สุดารัตน์"}, "username", "ใช้ได้เฉพาะอักษรภาษาอังกฤษ ตัวเลข และ . _ -"),
        ({"full_name": " "}, "full_name", "กรุณากรอกข้อมูลช่องนี้"),
    ]
    for changes, field, message in cases:
        response = client.post_form("/admin/people/new", person(app, **changes))
        assert response.status_code == 400, field
        assert field_error(body(response), field) == message
    assert snapshot(app) == before


def test_editing_without_a_password_keeps_it_and_a_new_one_replaces_it(app, client, srisuk):
    as_admin(client)
    user_id = one(app, User, username="nattanipa")
    page = body(client.get(f"/admin/people/{user_id}/edit"))
    assert input_value(page, "username") == "nattanipa"
    assert input_value(page, "full_name") == "ณัฐนิภา แสงมณี"
    assert selected_value(page, "position_id") == str(
        one(app, Position, title=demo.DRAFTER_POSITION)
    )
    assert input_value(page, "password") == ""  # never shown
    changes = {
        "username": "nattanipa",
        "full_name": "ณัฐนิภา แสงมณี (ย้ายหน่วย)",
        "title": "นาง",
        "password": "",
        "confirm": "",
        "unit_id": one(app, Unit, name="กองคลัง"),
        "position_id": one(app, Position, title=demo.DRAFTER_POSITION),
    }
    assert (
        client.post_form(f"/admin/people/{user_id}/edit", person(app, **changes)).status_code == 302
    )
    user = load(app, User, user_id)
    assert user.full_name == "ณัฐนิภา แสงมณี (ย้ายหน่วย)"
    assert user.unit_id == one(app, Unit, name="กองคลัง")
    assert logs_in(client, "nattanipa", demo.PASSWORD)

    switch(client, "admin")
    changes.update(password="new-secret-2569", confirm="new-secret-2569")
    client.post_form(f"/admin/people/{user_id}/edit", person(app, **changes))
    assert not logs_in(client, "nattanipa", demo.PASSWORD)
    assert logs_in(client, "nattanipa", "new-secret-2569")


def test_a_deactivated_person_cannot_log_in_until_activated_again(app, client, srisuk):
    as_admin(client)
    user_id = one(app, User, username="nattanipa")
    page = body(client.post_form(f"/admin/people/{user_id}/deactivate", follow_redirects=True))
    assert "ปิดการใช้งานบัญชีของ นางณัฐนิภา แสงมณี แล้ว" in page
    assert load(app, User, user_id).active is False
    client.post_form("/logout")
    client.fetch_csrf("/login")
    response = client.post_form("/login", {"username": "nattanipa", "password": demo.PASSWORD})
    assert response.status_code == 200
    assert "บัญชีนี้ถูกปิดการใช้งาน" in body(response)

    login(client, "admin")
    client.post_form(f"/admin/people/{user_id}/activate")
    assert load(app, User, user_id).active is True
    assert logs_in(client, "nattanipa", demo.PASSWORD)


def test_the_admin_cannot_deactivate_or_un_admin_themselves(app, client, srisuk):
    as_admin(client)
    admin_id = one(app, User, username="admin")
    before = snapshot(app)
    page = body(client.post_form(f"/admin/people/{admin_id}/deactivate", follow_redirects=True))
    assert "ปิดการใช้งานบัญชีของตนเองไม่ได้" in page

    mine = {
        "username": "admin",
        "full_name": "ผู้ดูแลระบบ ศรีสุข",
        "title": "นาย",
        "password": "",
        "confirm": "",
        "position_id": 0,
    }
    response = client.post_form(f"/admin/people/{admin_id}/edit", person(app, **mine))
    assert response.status_code == 400
    assert field_error(body(response), "is_admin").startswith("ยกเลิกสิทธิ์ผู้ดูแลระบบของตนเองไม่ได้")
    response = client.post_form(
        f"/admin/people/{admin_id}/edit", person(app, **mine, active=None, is_admin="y")
    )
    assert field_error(body(response), "active").startswith("ปิดการใช้งานบัญชีของตนเองไม่ได้")
    assert snapshot(app) == before


def test_an_admin_may_make_another_person_admin(app, client, srisuk):
    as_admin(client)
    user_id = one(app, User, username="chuttikan")
    data = person(
        app,
        username="chuttikan",
        full_name="ชุตติกาญจน์ คงสุข",
        title="นาง",
        password="",
        confirm="",
        is_admin="y",
        position_id=one(app, Position, title="ปลัดองค์การบริหารส่วนตำบลศรีสุข"),
    )
    assert client.post_form(f"/admin/people/{user_id}/edit", data).status_code == 302
    switch(client, "chuttikan")
    assert client.get("/admin/people").status_code == 200


def test_the_suggested_username_is_one_nobody_uses(app, client, srisuk):
    other_org(app)
    as_admin(client)
    assert (
        client.post_form("/admin/people/new", person(app, username="nongbua_mayor2")).status_code
        == 302
    )
    response = client.post_form("/admin/people/new", person(app, username="nongbua_mayor"))
    assert "ลองใช้ “nongbua_mayor3”" in field_error(body(response), "username")


def test_a_title_is_optional_and_the_name_prints_as_entered(app, client, srisuk):
    as_admin(client)
    new = person(app, title="", full_name="ผศ.ดร.สมชาย ใจดี", username="somchai")
    assert client.post_form("/admin/people/new", new).status_code == 302
    user = load(app, User, one(app, User, username="somchai"))
    assert (user.title, user.display_name) == ("", "ผศ.ดร.สมชาย ใจดี")
