"""The register of acting officials: dated entries that decide who may sign for a post."""

from datetime import timedelta

from support.pages import body, decide, document, hidden_fields, log_rows
from test_admin_helpers import (
    as_admin,
    be,
    days_from_today,
    field_error,
    input_value,
    is_checked,
    load,
    one,
    other_org,
    selected_value,
    snapshot,
    switch,
)

import clock
from models import ActingAssignment, ActingKind, DocState, Position, User

ORG = "องค์การบริหารส่วนตำบลศรีสุข"


def entry(app, **changes) -> dict:
    data = {
        "user_id": one(app, User, username="thanyarat"),
        "position_id": one(app, Position, title=f"ปลัด{ORG}"),
        "kind": "acting",
        "start_date": be(days_from_today(-10), thai_digits=True),
        "end_date": "",
        "order_ref": "คำสั่ง อบต.ศรีสุข ที่ ๓๐๐/๒๕๖๘",
    }
    data.update(changes)
    return data


def new_entry(client, app, **changes) -> int:
    assert client.post_form("/admin/acting/new", entry(app, **changes)).status_code == 302
    position = changes.get("position_id", one(app, Position, title=f"ปลัด{ORG}"))
    return one(app, ActingAssignment, position_id=position)


def test_an_entry_typed_with_thai_digits_is_registered_and_in_force(app, client, srisuk):
    as_admin(client)
    assignment_id = new_entry(client, app, kind="delegated")
    saved = load(app, ActingAssignment, assignment_id)
    assert (saved.kind, saved.start_date, saved.end_date) == (
        ActingKind.DELEGATED,
        days_from_today(-10),
        None,
    )
    assert saved.created_by_id == one(app, User, username="admin")
    page = body(client.get("/admin/acting"))
    row = page.split(f"<td>ปลัด{ORG}</td>")[1].split("</tr>")[0]
    assert "ปฏิบัติราชการแทน" in row and "จนกว่าจะมีคำสั่งเปลี่ยนแปลง" in row
    assert "มีผล" in row and "๓๐๐/๒๕๖๘" in row


def test_an_end_date_before_the_start_is_refused_beside_the_end_field(app, client, srisuk):
    as_admin(client)
    before = snapshot(app)
    start, end = be(days_from_today(5)), be(days_from_today(1), thai_digits=True)
    response = client.post_form("/admin/acting/new", entry(app, start_date=start, end_date=end))
    page = body(response)
    assert response.status_code == 400
    assert field_error(page, "end_date").startswith("วันที่สิ้นสุดต้องไม่ก่อนวันที่เริ่ม")
    assert input_value(page, "end_date") == end  # shown as typed, Thai digits and all
    assert input_value(page, "start_date") == start
    assert snapshot(app) == before


def test_a_date_that_is_not_a_date_is_refused_beside_its_field(app, client, srisuk):
    as_admin(client)
    before = snapshot(app)
    response = client.post_form("/admin/acting/new", entry(app, start_date="31/02/2568"))
    assert field_error(body(response), "start_date") == "ไม่มีวันที่นี้ในปฏิทิน"
    response = client.post_form("/admin/acting/new", entry(app, start_date=""))
    assert field_error(body(response), "start_date") == "กรุณาระบุวันที่เริ่ม"
    assert snapshot(app) == before


def test_an_entry_without_a_person_or_a_post_is_refused_beside_the_fields(app, client, srisuk):
    as_admin(client)
    before = snapshot(app)
    response = client.post_form("/admin/acting/new", entry(app, user_id="0", position_id="0"))
    assert response.status_code == 400  # not a 404 that loses the form
    page = body(response)
    assert field_error(page, "user_id") == "กรุณาเลือกบุคลากร"
    assert field_error(page, "position_id") == "กรุณาเลือกตำแหน่ง"
    assert input_value(page, "order_ref") == "คำสั่ง อบต.ศรีสุข ที่ ๓๐๐/๒๕๖๘"
    assert snapshot(app) == before


def test_nobody_acts_for_their_own_position(app, client, srisuk):
    as_admin(client)
    before = snapshot(app)
    own = entry(app, user_id=one(app, User, username="chuttikan"))
    response = client.post_form("/admin/acting/new", own)
    assert response.status_code == 400
    assert "รักษาราชการแทนตำแหน่งของตนเองไม่ได้" in field_error(body(response), "position_id")
    assert snapshot(app) == before


def test_people_and_positions_of_another_organisation_cannot_be_registered(app, client, srisuk):
    other = other_org(app)
    as_admin(client)
    before = snapshot(app)
    for field, other_id in (("user_id", other.user_id), ("position_id", other.position_id)):
        response = client.post_form("/admin/acting/new", entry(app, **{field: other_id}))
        assert response.status_code == 400  # not even offered in the lists
        assert field_error(body(response), field) == "กรุณาเลือกจากรายการ"
    assert snapshot(app) == before


def test_an_entry_is_edited_ended_early_and_deleted(app, client, srisuk):
    as_admin(client)
    assignment_id = new_entry(client, app)
    page = body(client.get(f"/admin/acting/{assignment_id}/edit"))
    assert input_value(page, "start_date") == be(days_from_today(-10))
    assert selected_value(page, "user_id") == str(one(app, User, username="thanyarat"))
    assert is_checked(page, "kind-0") and not is_checked(page, "kind-1")  # รักษาราชการแทน
    edited = entry(app, order_ref="คำสั่ง ที่ 301/2568", end_date=be(days_from_today(30)))
    assert client.post_form(f"/admin/acting/{assignment_id}/edit", edited).status_code == 302
    saved = load(app, ActingAssignment, assignment_id)
    assert (saved.order_ref, saved.end_date) == ("คำสั่ง ที่ 301/2568", days_from_today(30))

    page = body(client.get(f"/admin/acting/{assignment_id}/end"))
    assert input_value(page, "end_date") == be(clock.today())  # today is offered
    response = client.post_form(
        f"/admin/acting/{assignment_id}/end", {"end_date": be(days_from_today(-11))}
    )
    assert response.status_code == 400
    assert field_error(body(response), "end_date").startswith("วันที่สิ้นสุดต้องไม่ก่อนวันที่เริ่ม")
    client.post_form(f"/admin/acting/{assignment_id}/end", {"end_date": be(days_from_today(-1))})
    assert load(app, ActingAssignment, assignment_id).end_date == days_from_today(-1)
    row = body(client.get("/admin/acting")).split(f"<td>ปลัด{ORG}</td>")[1].split("</tr>")[0]
    assert "สิ้นสุดแล้ว" in row

    client.post_form(f"/admin/acting/{assignment_id}/delete")
    assert load(app, ActingAssignment, assignment_id) is None


def test_an_entry_someone_signed_under_cannot_be_deleted_or_given_to_someone_else(
    app, client, srisuk
):
    switch(client, "nattanipa")
    client.post_form(f"/documents/{srisuk.memo_id}/submit")
    switch(client, "thanyarat")
    decide(client, srisuk.memo_id, "เห็นควรเสนอเพื่อโปรดพิจารณา")  # signs as acting section head
    switch(client, "admin")
    signed = one(app, ActingAssignment, position_id=one(app, Position, title="หัวหน้าสำนักปลัด"))
    before = snapshot(app)
    page = body(client.post_form(f"/admin/acting/{signed}/delete", follow_redirects=True))
    assert "มีการลงนามตามคำสั่งนี้แล้ว ๑ ครั้ง" in page
    other_person = entry(
        app,
        user_id=one(app, User, username="nattanipa"),
        position_id=one(app, Position, title="หัวหน้าสำนักปลัด"),
    )
    response = client.post_form(f"/admin/acting/{signed}/edit", other_person)
    assert response.status_code == 400
    assert "จึงเปลี่ยนผู้รักษาราชการแทน ตำแหน่ง หรือประเภทไม่ได้" in body(response)
    assert snapshot(app) == before


def pass_first_step(client, srisuk):
    """Submit the seed memo and sign the section-head step, so it waits for ปลัด."""
    switch(client, "nattanipa")
    client.post_form(f"/documents/{srisuk.memo_id}/submit")
    switch(client, "thanyarat")
    assert decide(client, srisuk.memo_id, "เห็นควรเสนอเพื่อโปรดพิจารณา").status_code == 302


def test_an_acting_order_that_ended_yesterday_gives_no_right_to_sign(app, client, srisuk):
    memo = srisuk.memo_id
    pass_first_step(client, srisuk)
    switch(client, "admin")
    yesterday = clock.today() - timedelta(days=1)
    assignment_id = new_entry(client, app, end_date=be(yesterday, thai_digits=True))

    switch(client, "thanyarat")
    assert f"/documents/{memo}" not in body(client.get("/documents/pending"))
    page = body(client.get(f"/documents/{memo}"))
    assert 'name="decision"' not in page  # she may read it (she signed), not decide it
    before = snapshot(app)
    response = client.post_form(
        f"/documents/{memo}/decide",
        {
            "revision": "1",
            "step_no": "2",
            "decision": "เห็นควรอนุมัติ",
            "comment": "",
        },
    )
    assert response.status_code == 403
    assert snapshot(app) == before

    # The same order with no end date puts her in the ปลัด's seat again.
    switch(client, "admin")
    client.post_form(f"/admin/acting/{assignment_id}/edit", entry(app, end_date=""))
    switch(client, "thanyarat")
    assert f"/documents/{memo}" in body(client.get("/documents/pending"))
    assert "revision" in hidden_fields(body(client.get(f"/documents/{memo}")))
    assert decide(client, memo, "เห็นควรอนุมัติ").status_code == 302
    assert document(app, memo).current_step == 3
    assert log_rows(app, memo)[-1].acting_line == f"รักษาราชการแทน ปลัด{ORG}"


def test_an_acting_order_starting_tomorrow_is_not_yet_in_force(app, client, srisuk):
    pass_first_step(client, srisuk)
    switch(client, "admin")
    new_entry(client, app, start_date=be(days_from_today(1)))
    row = body(client.get("/admin/acting")).split(f"<td>ปลัด{ORG}</td>")[1].split("</tr>")[0]
    assert "ยังไม่ถึงวันเริ่ม" in row
    switch(client, "thanyarat")
    assert f"/documents/{srisuk.memo_id}" not in body(client.get("/documents/pending"))
    assert document(app, srisuk.memo_id).state == DocState.IN_REVIEW
