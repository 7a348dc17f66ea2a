"""The acting register holds after signatures: an order's dates cannot be moved to leave out a
signature it authorised; every change is kept (who, when, before, after) and shown; a signature
keeps a snapshot of its order; an admin naming themselves needs the organisation's consent."""

from support.pages import body, decide, log_rows
from test_admin_acting import entry
from test_admin_helpers import be, days_from_today, field_error, load, one, snapshot, switch

import clock
from extensions import db
from models import ActingAssignment, ActingChange, Organisation, Position, User

HEAD = "หัวหน้าสำนักปลัด"


def _signed_under_order(app, client, srisuk) -> int:
    """thanyarat signs the seed memo today as acting section head; returns her order's id."""
    switch(client, "nattanipa")
    client.post_form(f"/documents/{srisuk.memo_id}/submit")
    switch(client, "thanyarat")
    assert decide(client, srisuk.memo_id, "เห็นควรเสนอเพื่อโปรดพิจารณา").status_code == 302
    switch(client, "admin")
    return one(app, ActingAssignment, position_id=one(app, Position, title=HEAD))


def _as_edited(app, assignment_id: int, **changes) -> dict:
    order = load(app, ActingAssignment, assignment_id)
    data = entry(
        app,
        user_id=order.user_id,
        position_id=order.position_id,
        kind=order.kind.value,
        start_date=be(order.start_date),
        end_date=be(order.end_date) if order.end_date else "",
        order_ref=order.order_ref,
    )
    data.update(changes)
    return data


def test_an_order_cannot_be_moved_or_ended_to_leave_out_a_signature(app, client, srisuk):
    signed = _signed_under_order(app, client, srisuk)
    before = snapshot(app)
    tomorrow, yesterday = be(days_from_today(1)), be(days_from_today(-1))
    late_start = client.post_form(
        f"/admin/acting/{signed}/edit", _as_edited(app, signed, start_date=tomorrow)
    )
    assert "วันที่เริ่มจึงเลื่อนให้หลังวันนั้นไม่ได้" in field_error(body(late_start), "start_date")
    early_end = client.post_form(
        f"/admin/acting/{signed}/edit", _as_edited(app, signed, end_date=yesterday)
    )
    assert "ต้องไม่ก่อนวันนั้น" in field_error(body(early_end), "end_date")
    ended = client.post_form(f"/admin/acting/{signed}/end", {"end_date": yesterday})
    assert "ต้องไม่ก่อนวันนั้น" in field_error(body(ended), "end_date")
    assert snapshot(app) == before
    # Ending it today, after the signature, is allowed.
    today = be(clock.today())
    assert client.post_form(f"/admin/acting/{signed}/end", {"end_date": today}).status_code == 302


def test_every_change_is_kept_and_shown_with_who_when_before_and_after(app, client, srisuk):
    signed = _signed_under_order(app, client, srisuk)
    new_ref = "คำสั่ง อบต.ศรีสุข ที่ 999/2569"
    edited = _as_edited(app, signed, order_ref=new_ref)
    assert client.post_form(f"/admin/acting/{signed}/edit", edited).status_code == 302
    assert (
        client.post_form(f"/admin/acting/{signed}/end", {"end_date": be(clock.today())}).status_code
        == 302
    )
    with app.app_context():
        changes = (
            db.session.query(ActingChange)
            .filter_by(assignment_id=signed)
            .order_by(ActingChange.id)
            .all()
        )
        assert [c.action for c in changes] == ["update", "end"]
        assert (
            changes[0].before["order_ref"] != new_ref and changes[0].after["order_ref"] == new_ref
        )
        assert changes[1].before["end_date"] is None
        assert changes[1].after["end_date"] == clock.today().isoformat()
        admin = db.session.query(User).filter_by(username="admin").one()
        assert {(c.actor_id, c.actor_name) for c in changes} == {(admin.id, admin.display_name)}
    page = body(client.get("/admin/acting"))
    history = page.split("ประวัติการแก้ไขทะเบียน")[1]
    assert "แก้ไขรายการ" in history and "สิ้นสุดก่อนกำหนด" in history
    assert "๙๙๙/๒๕๖๙" in history


def test_the_signature_keeps_a_snapshot_of_its_order(app, client, srisuk):
    signed = _signed_under_order(app, client, srisuk)
    order = load(app, ActingAssignment, signed)
    row = [r for r in log_rows(app, srisuk.memo_id) if r.acting_assignment_id == signed][0]
    assert (row.acting_order_ref, row.acting_from, row.acting_until) == (
        order.order_ref,
        order.start_date,
        order.end_date,
    )
    assert row.row_hash == row.compute_hash()  # the snapshot is part of the row's hash


def test_an_admin_naming_themselves_needs_the_organisation_to_allow_it(app, client, srisuk):
    switch(client, "admin")
    mine = entry(app, user_id=one(app, User, username="admin"))
    response = client.post_form("/admin/acting/new", mine)
    assert "แต่งตั้งตนเองไม่ได้" in field_error(body(response), "user_id")
    with app.app_context():
        db.session.query(Organisation).update({"allow_self_acting": True})
        db.session.commit()
    assert client.post_form("/admin/acting/new", mine).status_code == 302
    with app.app_context():
        order = db.session.query(ActingAssignment).filter_by(user_id=mine["user_id"]).one()
        assert order.self_granted
        change = db.session.query(ActingChange).filter_by(assignment_id=order.id).one()
        assert change.action == "create" and change.self_granted
    assert "แต่งตั้งตนเอง</span>" in body(client.get("/admin/acting"))
