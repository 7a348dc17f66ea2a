"""The seed 000 memo climbs its whole chain through the real pages, with a comment at each step."""

from support.client import login
from support.pages import decide, document, log_rows, return_memo

from models import Action, DocState


def test_seed_memo_climbs_the_chain_to_the_chief_executive(app, client, srisuk):
    memo = srisuk.memo_id
    login(client, "nattanipa")
    response = client.post_form(f"/documents/{memo}/submit")
    assert response.status_code == 302
    doc = document(app, memo)
    assert doc.state == DocState.IN_REVIEW and doc.current_step == 1
    assert doc.number == "สร 83201/1180"  # the paper register had reached 1179

    client.get("/logout")
    client.post_form("/logout")
    login(client, "thanyarat")  # acting for the vacant section-head post
    pending = client.get("/documents/pending").get_data(as_text=True)
    assert "รายงานผลการวิเคราะห์" in pending
    assert decide(client, memo, "เห็นควรเสนอเพื่อโปรดพิจารณา", "ได้ตรวจสอบแล้ว").status_code == 302
    client.post_form("/logout")

    login(client, "chuttikan")
    assert decide(client, memo, "เห็นควรอนุมัติ", "เห็นควรอนุมัติตามเสนอ").status_code == 302
    client.post_form("/logout")

    login(client, "nakarin")
    assert decide(client, memo, "อนุมัติ", "อนุมัติตามเสนอ").status_code == 302
    page = client.get(f"/documents/{memo}").get_data(as_text=True)
    assert "อนุมัติแล้ว" in page
    assert "รักษาราชการแทน" in page

    doc = document(app, memo)
    assert doc.state == DocState.APPROVED and doc.current_step is None
    rows = log_rows(app, memo)
    assert [r.action for r in rows] == [
        Action.SUBMIT,
        Action.FORWARD,
        Action.FORWARD,
        Action.APPROVE,
        Action.FREEZE,
    ]
    assert [r.comment for r in rows[1:4]] == ["ได้ตรวจสอบแล้ว", "เห็นควรอนุมัติตามเสนอ", "อนุมัติตามเสนอ"]
    section_head = rows[1]
    assert section_head.actor_name == "นางธัญญารัตน์ โคนุช"
    assert section_head.actor_position == "หัวหน้าฝ่ายบริหารงานทั่วไป"
    assert section_head.acting_line == "รักษาราชการแทน หัวหน้าสำนักปลัด"
    assert len({r.content_sha256 for r in rows}) == 1  # everyone signed the same content
    assert all(r.prev_hash == p.row_hash for p, r in zip(rows, rows[1:], strict=False))


def test_returned_memo_is_revised_and_climbs_again_from_the_first_step(app, client, srisuk):
    memo = srisuk.memo_id
    login(client, "nattanipa")
    client.post_form(f"/documents/{memo}/submit")
    client.post_form("/logout")

    login(client, "thanyarat")
    assert decide(client, memo, "เห็นควรเสนอเพื่อโปรดพิจารณา").status_code == 302
    client.post_form("/logout")
    login(client, "chuttikan")
    assert return_memo(client, memo, "กรุณาแนบตารางคะแนนรายตัวชี้วัด").status_code == 302
    client.post_form("/logout")

    login(client, "nattanipa")
    mine = client.get("/documents/mine").get_data(as_text=True)
    assert "กรุณาแนบตารางคะแนนรายตัวชี้วัด" in mine
    assert document(app, memo).state == DocState.RETURNED
    client.post_form(f"/documents/{memo}/submit")
    doc = document(app, memo)
    assert (doc.state, doc.revision, doc.current_step) == (DocState.IN_REVIEW, 2, 1)
    page = client.get(f"/documents/{memo}").get_data(as_text=True)
    assert "กรุณาแนบตารางคะแนนรายตัวชี้วัด" in page  # earlier round stays visible
