"""Document numbers: the running number per fiscal year, the register, and fixing one number."""

from support.pages import body, document, log_rows
from test_admin_helpers import (
    as_admin,
    field_error,
    input_value,
    memo_content,
    one,
    snapshot,
    switch,
)

import clock
import thai
from extensions import db
from models import Action, DocType, User
from workflow import documents, numbering

YEAR = thai.fiscal_year(clock.today())


def submit_seed_memo(client, srisuk):
    switch(client, "nattanipa")
    assert client.post_form(f"/documents/{srisuk.memo_id}/submit").status_code == 302
    switch(client, "admin")


def second_memo(app, submit: bool = True) -> int:
    """Another memo of นางณัฐนิภา, submitted (so numbered) unless told otherwise."""
    with app.app_context():
        drafter = db.session.get(User, one(app, User, username="nattanipa"))
        doc = documents.create_draft(drafter, memo_content(DocType.GENERAL, "ขอความเห็นชอบ"))
        if submit:
            documents.submit(doc.id, drafter)
        db.session.commit()
        return doc.id


def test_the_numbers_page_shows_the_last_number_of_each_fiscal_year(app, client, srisuk):
    as_admin(client)
    page = body(client.get("/admin/numbers"))
    assert f"<td>{thai.to_thai_digits(YEAR)}</td>" in page
    assert "<td>๑๑๗๙</td>" in page  # the paper register reached 1179
    assert f'href="/admin/numbers/{YEAR}"' in page


def test_the_next_number_is_set_with_thai_digits_and_used_by_the_next_memo(app, client, srisuk):
    as_admin(client)
    response = client.post_form(f"/admin/numbers/{YEAR}/next", {"next_seq": "๑,๒๐๐"})
    assert response.status_code == 302
    with app.app_context():
        assert numbering.last_used(srisuk.org_id, YEAR) == 1199
    submit_seed_memo(client, srisuk)
    assert document(app, srisuk.memo_id).number == "สร 83201/1200"


def test_the_next_number_never_goes_backwards(app, client, srisuk):
    as_admin(client)
    before = snapshot(app)
    response = client.post_form(f"/admin/numbers/{YEAR}/next", {"next_seq": "1100"})
    page = body(response)
    assert response.status_code == 400
    assert field_error(page, "next_seq").startswith("เลขถัดไปต้องมากกว่าเลขที่ใช้ไปแล้ว (1179)")
    assert input_value(page, "next_seq") == "1100"
    response = client.post_form(f"/admin/numbers/{YEAR}/next", {"next_seq": "หนึ่งพัน"})
    assert field_error(body(response), "next_seq") == "กรุณากรอกเป็นตัวเลข"
    assert snapshot(app) == before


def test_the_register_lists_numbered_memos_with_a_link_to_fix_each(app, client, srisuk):
    submit_seed_memo(client, srisuk)
    draft = second_memo(app, submit=False)
    page = body(client.get(f"/admin/numbers/{YEAR}"))
    assert "สร ๘๓๒๐๑/๑๑๘๐" in page and "อยู่ระหว่างพิจารณา" in page
    assert f"/admin/documents/{srisuk.memo_id}/number" in page
    assert f"/admin/documents/{draft}/number" not in page  # a draft has no number yet


def test_a_memo_is_renumbered_by_hand_and_the_change_is_logged(app, client, srisuk):
    submit_seed_memo(client, srisuk)
    memo = srisuk.memo_id
    assert input_value(body(client.get(f"/admin/documents/{memo}/number")), "number_seq") == "1180"
    response = client.post_form(f"/admin/documents/{memo}/number", {"number_seq": "๑๑๗๕"})
    assert response.status_code == 302
    assert document(app, memo).number == "สร 83201/1175"
    last = log_rows(app, memo)[-1]
    assert (last.action, last.comment) == (Action.RENUMBER, "เดิม สร 83201/1180 เป็น สร 83201/1175")
    assert last.actor_name == "นายผู้ดูแลระบบ ศรีสุข"
    switch(client, "nattanipa")
    assert "แก้ไขเลขที่หนังสือ" in body(client.get(f"/documents/{memo}"))


def test_a_number_another_memo_holds_is_refused_beside_the_field(app, client, srisuk):
    submit_seed_memo(client, srisuk)
    second_memo(app)  # takes 1181
    before = snapshot(app)
    response = client.post_form(f"/admin/documents/{srisuk.memo_id}/number", {"number_seq": "1181"})
    page = body(response)
    assert response.status_code == 400
    assert field_error(page, "number_seq") == f"เลขที่ 1181 ของปีงบประมาณ {YEAR} มีเอกสารอื่นใช้แล้ว"
    assert input_value(page, "number_seq") == "1181"
    assert snapshot(app) == before


def test_a_draft_has_no_number_to_fix(app, client, srisuk):
    as_admin(client)
    before = snapshot(app)
    response = client.get(f"/admin/documents/{srisuk.memo_id}/number")
    assert response.status_code == 400
    assert "ยังเป็นร่างและยังไม่มีเลขที่หนังสือ" in body(response)
    response = client.post_form(f"/admin/documents/{srisuk.memo_id}/number", {"number_seq": "7"})
    assert response.status_code == 400
    assert snapshot(app) == before


def test_a_renumbered_number_is_skipped_by_the_counter(app, client, srisuk):
    submit_seed_memo(client, srisuk)
    client.post_form(f"/admin/documents/{srisuk.memo_id}/number", {"number_seq": "1181"})
    second = second_memo(app)
    assert document(app, second).number_seq == 1182
