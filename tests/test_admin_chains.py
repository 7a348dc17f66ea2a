"""Signature chains edited on the admin pages, and memos climbing the chains so built."""

import sqlalchemy as sa
from support.pages import body, decide, document, log_rows
from test_admin_helpers import (
    as_admin,
    field_error,
    load,
    one,
    selected_value,
    snapshot,
    switch,
    textarea_value,
)

from extensions import db
from models import Action, ChainStep, DocState, DocType, DocumentStep, Position, User

ORG = "องค์การบริหารส่วนตำบลศรีสุข"


def chain(app, doc_type: DocType = DocType.ANALYSIS) -> list[tuple[int, str, str]]:
    """(step_no, position title, heading) of a chain, in order."""
    with app.app_context():
        steps = db.session.scalars(
            sa.select(ChainStep).where(ChainStep.doc_type == doc_type).order_by(ChainStep.step_no)
        ).all()
        return [(s.step_no, s.position.title, s.heading) for s in steps]


def step_id(app, doc_type: DocType, step_no: int) -> int:
    return one(app, ChainStep, doc_type=doc_type, step_no=step_no)


def new_position(client, app, title: str) -> int:
    assert client.post_form("/admin/positions/new", {"title": title}).status_code == 302
    return one(app, Position, title=title)


def step_form(position_id: int, heading: str, forward: str, reject: str = "", phrases: str = ""):
    return {
        "position_id": position_id,
        "heading": heading,
        "forward_decisions": forward,
        "reject_decisions": reject,
        "phrases": phrases,
    }


def add_step(client, doc_type: str, data: dict):
    return client.post_form(f"/admin/chains/{doc_type}/steps/new", data)


def test_the_chain_page_shows_every_type_step_by_step(app, client, srisuk):
    as_admin(client)
    page = body(client.get("/admin/chains"))
    for doc_type in DocType:
        assert f'id="{doc_type.value}"' in page and doc_type.label in page
    assert page.count("ความเห็นหัวหน้าสำนักปลัด") == 3
    assert "ขั้นที่ ๓" in page
    assert "อนุมัติ · ทราบ" in page and "เห็นควรอนุมัติตามเสนอ" in page
    assert "ผู้ลงนามวันนี้: นางธัญญารัตน์ โคนุช (รักษาราชการแทน)" in page


def test_a_step_is_appended_with_its_lists_cleaned(app, client, srisuk):
    as_admin(client)
    deputy = new_position(client, app, f"รองปลัด{ORG}")
    data = step_form(
        deputy, "ความเห็นรองปลัด", " เห็นควรเสนอ \n\nเห็นควรเสนอ\nทราบ\n", "\n", "ตรวจแล้ว\nตรวจแล้ว"
    )
    assert add_step(client, "general", data).status_code == 302
    step = load(app, ChainStep, step_id(app, DocType.GENERAL, 4))
    assert (step.position_id, step.heading) == (deputy, "ความเห็นรองปลัด")
    assert (step.forward_decisions, step.reject_decisions, step.phrases) == (
        ["เห็นควรเสนอ", "ทราบ"],
        [],
        ["ตรวจแล้ว"],
    )
    assert len(chain(app, DocType.ANALYSIS)) == 3  # other types untouched


def test_a_bad_step_is_refused_beside_its_field_and_keeps_what_was_typed(app, client, srisuk):
    as_admin(client)
    chief = one(app, Position, title=f"ปลัด{ORG}")
    before = snapshot(app)
    cases = [
        (
            step_form(chief, "ความเห็นปลัด", "\n \n"),
            "forward_decisions",
            "กรุณาระบุความเห็นที่เสนอต่อ/อนุมัติอย่างน้อยหนึ่งรายการ",
        ),
        (
            step_form(chief, "ความเห็นปลัด", "อนุมัติ\nทราบ", "ไม่อนุมัติ\nทราบ"),
            "reject_decisions",
            "“ทราบ” อยู่ทั้งในความเห็นที่เสนอต่อ/อนุมัติและความเห็นที่ไม่อนุมัติ ความเห็นหนึ่งต้องอยู่ในรายการเดียว",
        ),
        (step_form(chief, "", "อนุมัติ\nทราบ"), "heading", "กรุณากรอกข้อมูลช่องนี้"),
        (step_form(0, "ความเห็นปลัด", "อนุมัติ\nทราบ"), "position_id", "กรุณาเลือกตำแหน่งผู้ลงนามของขั้นนี้"),
    ]
    for data, field, message in cases:
        response = add_step(client, "analysis", data)
        page = body(response)
        assert response.status_code == 400, field
        assert field_error(page, field) == message
        if data["forward_decisions"].strip():
            assert textarea_value(page, "forward_decisions") == "อนุมัติ\nทราบ"  # as typed
    step = step_id(app, DocType.ANALYSIS, 2)
    response = client.post_form(f"/admin/chains/steps/{step}/edit", step_form(chief, "x", ""))
    assert field_error(body(response), "forward_decisions")
    assert snapshot(app) == before


def test_editing_a_step_changes_its_post_heading_and_decisions(app, client, srisuk):
    as_admin(client)
    head = one(app, Position, title="หัวหน้าสำนักปลัด")
    reviewer = new_position(client, app, "หัวหน้าฝ่ายบริหารงานทั่วไป (ผู้ตรวจ)")
    step = step_id(app, DocType.ANALYSIS, 1)
    page = body(client.get(f"/admin/chains/steps/{step}/edit"))
    assert selected_value(page, "position_id") == str(head)
    assert textarea_value(page, "forward_decisions") == "เห็นควรเสนอเพื่อโปรดพิจารณา"
    assert (
        textarea_value(page, "phrases") == "ได้ตรวจสอบแล้ว ถูกต้องตามระเบียบ\nเห็นควรเสนอปลัดเพื่อโปรดพิจารณา"
    )
    data = step_form(reviewer, "ความเห็นผู้ตรวจ", "ตรวจแล้ว", "ไม่เห็นด้วย", "ถูกต้อง")
    assert client.post_form(f"/admin/chains/steps/{step}/edit", data).status_code == 302
    saved = load(app, ChainStep, step)
    assert (saved.step_no, saved.position_id, saved.heading, saved.reject_decisions) == (
        1,
        reviewer,
        "ความเห็นผู้ตรวจ",
        ["ไม่เห็นด้วย"],
    )


def test_steps_move_up_and_down_and_stay_numbered_one_to_n(app, client, srisuk):
    as_admin(client)
    mayor = step_id(app, DocType.ANALYSIS, 3)
    assert client.post_form(f"/admin/chains/steps/{mayor}/up").status_code == 302
    assert [t for _, t, _ in chain(app)] == ["หัวหน้าสำนักปลัด", f"นายก{ORG}", f"ปลัด{ORG}"]
    client.post_form(f"/admin/chains/steps/{mayor}/up")
    assert [n for n, _, _ in chain(app)] == [1, 2, 3]
    assert chain(app)[0][1] == f"นายก{ORG}"
    client.post_form(f"/admin/chains/steps/{mayor}/down")
    client.post_form(f"/admin/chains/steps/{mayor}/down")
    assert [t for _, t, _ in chain(app)] == ["หัวหน้าสำนักปลัด", f"ปลัด{ORG}", f"นายก{ORG}"]

    before = snapshot(app)
    page = body(client.post_form(f"/admin/chains/steps/{mayor}/down", follow_redirects=True))
    assert "เลื่อนขั้นนี้ไปทางนั้นไม่ได้อีกแล้ว" in page
    assert snapshot(app) == before


def test_deleting_a_step_renumbers_the_rest(app, client, srisuk):
    as_admin(client)
    client.post_form(f"/admin/chains/steps/{step_id(app, DocType.ANALYSIS, 1)}/delete")
    assert [(n, t) for n, t, _ in chain(app)] == [(1, f"ปลัด{ORG}"), (2, f"นายก{ORG}")]
    assert len(chain(app, DocType.GENERAL)) == 3


def test_the_standard_chain_fills_only_an_empty_chain(app, client, srisuk):
    as_admin(client)
    for _ in range(3):
        client.post_form(f"/admin/chains/steps/{step_id(app, DocType.GENERAL, 1)}/delete")
    assert chain(app, DocType.GENERAL) == []
    assert "ยังไม่ได้กำหนดสายการลงนาม" in body(client.get("/admin/chains"))
    positions_before = len(snapshot(app)["positions"])

    page = body(client.post_form("/admin/chains/general/defaults", follow_redirects=True))
    assert "ใช้สายการลงนามมาตรฐาน ๓ ขั้นแล้ว" in page
    assert chain(app, DocType.GENERAL) == chain(app, DocType.ANALYSIS)
    assert len(snapshot(app)["positions"]) == positions_before  # matched by title

    before = snapshot(app)
    page = body(client.post_form("/admin/chains/general/defaults", follow_redirects=True))
    assert "มีขั้นตอนอยู่แล้ว" in page
    assert snapshot(app) == before


def test_the_standard_chain_creates_positions_it_does_not_find(app, client, srisuk):
    as_admin(client)
    head = one(app, Position, title="หัวหน้าสำนักปลัด")
    client.post_form(f"/admin/positions/{head}/edit", {"title": "หัวหน้าสำนักปลัด อบต."})
    for _ in range(3):
        client.post_form(f"/admin/chains/steps/{step_id(app, DocType.PROGRESS_REPORT, 1)}/delete")
    client.post_form("/admin/chains/progress_report/defaults")
    created = one(app, Position, title="หัวหน้าสำนักปลัด")
    assert created != head
    assert load(app, ChainStep, step_id(app, DocType.PROGRESS_REPORT, 1)).position_id == created


def test_a_chain_is_copied_to_the_other_document_types(app, client, srisuk):
    as_admin(client)
    deputy = new_position(client, app, f"รองปลัด{ORG}")
    add_step(client, "analysis", step_form(deputy, "ความเห็นรองปลัด", "เห็นควรเสนอ"))
    page = body(client.post_form("/admin/chains/analysis/copy", follow_redirects=True))
    assert "คัดลอกสายการลงนามไปยัง" in page
    assert chain(app, DocType.GENERAL) == chain(app, DocType.ANALYSIS)
    assert chain(app, DocType.PROGRESS_REPORT) == chain(app, DocType.ANALYSIS)
    assert len(chain(app, DocType.GENERAL)) == 4


def test_a_five_step_chain_built_on_the_pages_takes_a_memo_to_approval(app, client, srisuk):
    as_admin(client)
    reviewer_post = new_position(client, app, "นักวิเคราะห์นโยบายและแผน (ผู้ตรวจ/ทาน)")
    deputy_post = new_position(client, app, f"รองปลัด{ORG}")
    for username, name, post in (
        ("reviewer", "ผู้ตรวจ ทานดี", reviewer_post),
        ("deputy", "รองปลัด ใจกว้าง", deputy_post),
    ):
        response = client.post_form(
            "/admin/people/new",
            {
                "title": "นาย",
                "full_name": name,
                "username": username,
                "password": "walk-2569-x",
                "confirm": "walk-2569-x",
                "position_id": post,
                "unit_id": 0,
                "active": "y",
            },
        )
        assert response.status_code == 302
    add_step(client, "analysis", step_form(reviewer_post, "ความเห็นผู้ตรวจ/ทาน", "ตรวจทานแล้ว"))
    reviewer_step = step_id(app, DocType.ANALYSIS, 4)
    for _ in range(3):
        client.post_form(f"/admin/chains/steps/{reviewer_step}/up")
    add_step(client, "analysis", step_form(deputy_post, "ความเห็นรองปลัด", "เห็นควรเสนอ", "ไม่เห็นควร"))
    deputy_step = step_id(app, DocType.ANALYSIS, 5)
    for _ in range(2):
        client.post_form(f"/admin/chains/steps/{deputy_step}/up")
    assert [t for _, t, _ in chain(app)] == [
        "นักวิเคราะห์นโยบายและแผน (ผู้ตรวจ/ทาน)",
        "หัวหน้าสำนักปลัด",
        f"รองปลัด{ORG}",
        f"ปลัด{ORG}",
        f"นายก{ORG}",
    ]

    memo = srisuk.memo_id
    switch(client, "nattanipa")
    assert client.post_form(f"/documents/{memo}/submit").status_code == 302
    walk = [
        ("reviewer", "walk-2569-x", "ตรวจทานแล้ว"),
        ("thanyarat", None, "เห็นควรเสนอเพื่อโปรดพิจารณา"),
        ("deputy", "walk-2569-x", "เห็นควรเสนอ"),
        ("chuttikan", None, "เห็นควรอนุมัติ"),
        ("nakarin", None, "อนุมัติ"),
    ]
    for username, password, decision in walk:
        switch(client, username, password)
        assert f"/documents/{memo}" in body(client.get("/documents/pending")), username
        assert decide(client, memo, decision, f"ความเห็นของ {username}").status_code == 302

    assert document(app, memo).state == DocState.APPROVED
    assert len(snapshot(app)["document_steps"]) == 5
    rows = log_rows(app, memo)
    assert [r.action for r in rows] == [
        Action.SUBMIT,
        *[Action.FORWARD] * 4,
        Action.APPROVE,
        Action.FREEZE,
    ]
    assert [r.step_heading for r in rows[1:6]] == [
        "ความเห็นผู้ตรวจ/ทาน",
        "ความเห็นหัวหน้าสำนักปลัด",
        "ความเห็นรองปลัด",
        f"ความเห็นปลัด{ORG}",
        f"ความเห็นของนายก{ORG}",
    ]
    assert rows[3].actor_name == "นายรองปลัด ใจกว้าง"


def test_editing_the_chain_leaves_a_submitted_memo_on_its_own_chain(app, client, srisuk):
    memo = srisuk.memo_id
    switch(client, "nattanipa")
    client.post_form(f"/documents/{memo}/submit")
    with app.app_context():
        snapshot_before = [
            (s.step_no, s.position_title, s.heading, s.forward_decisions)
            for s in db.session.scalars(sa.select(DocumentStep).order_by(DocumentStep.step_no))
        ]

    switch(client, "admin")
    first = step_id(app, DocType.ANALYSIS, 1)
    head = one(app, Position, title="หัวหน้าสำนักปลัด")
    client.post_form(f"/admin/chains/steps/{first}/edit", step_form(head, "ความเห็นใหม่", "ผ่าน"))
    client.post_form(f"/admin/chains/steps/{step_id(app, DocType.ANALYSIS, 2)}/delete")  # ปลัด
    client.post_form(f"/admin/positions/{head}/edit", {"title": "หัวหน้าสำนักปลัด (ชื่อใหม่)"})
    assert [t for _, t, _ in chain(app)] == ["หัวหน้าสำนักปลัด (ชื่อใหม่)", f"นายก{ORG}"]

    with app.app_context():
        after = [
            (s.step_no, s.position_title, s.heading, s.forward_decisions)
            for s in db.session.scalars(sa.select(DocumentStep).order_by(DocumentStep.step_no))
        ]
    assert after == snapshot_before
    page = body(client.get(f"/documents/{memo}"))
    assert "ความเห็นหัวหน้าสำนักปลัด" in page and "ความเห็นใหม่" not in page

    # The memo still climbs its old three steps, ปลัด included.
    for username, decision in (
        ("thanyarat", "เห็นควรเสนอเพื่อโปรดพิจารณา"),
        ("chuttikan", "เห็นควรอนุมัติ"),
        ("nakarin", "อนุมัติ"),
    ):
        switch(client, username)
        assert decide(client, memo, decision).status_code == 302, username
    assert document(app, memo).state == DocState.APPROVED
    assert load(app, User, one(app, User, username="chuttikan")).active
