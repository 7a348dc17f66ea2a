"""The phone decision page: the memo, earlier comments, the step's phrases and big decision
buttons; a confirmation screen; only a confirmed POST with its CSRF token signs."""

import re

import pytest
import sqlalchemy as sa
from support.client import login
from support.pages import body, document, log_rows, return_memo
from test_reports_helpers import field_error, rows_of, switch

from extensions import db
from models import Action, DocState, Document, DocumentStep

DECISION = "เห็นควรเสนอเพื่อโปรดพิจารณา"  # the section head's forward decision in the demo chain


def submitted(client, srisuk) -> int:
    login(client, "nattanipa")
    assert client.post_form(f"/documents/{srisuk.memo_id}/submit").status_code == 302
    switch(client, "thanyarat")
    return srisuk.memo_id


def confirm_fields(html: str) -> dict[str, str]:
    """The hidden fields and the comment of the confirmation form."""
    form = html[html.index('<section class="card decide-panel" id="confirm"') :]
    fields = {
        name: value
        for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form)
    }
    comment = re.search(r"<textarea[^>]*>([^<]*)</textarea>", form)
    fields["comment"] = comment.group(1).strip() if comment else ""
    return fields


def test_the_page_shows_the_memo_the_phrases_and_the_decisions_as_buttons(app, client, srisuk):
    memo = submitted(client, srisuk)
    html = body(client.get(f"/decide/{memo}"))
    assert "ความเห็นหัวหน้าสำนักปลัด" in html
    assert "คุณลงนามในฐานะรักษาราชการแทน หัวหน้าสำนักปลัด" in html
    assert "ข้อเท็จจริง" in html and "ได้คะแนนรวม ๙๓.๕๗ คะแนน" in html  # the body, Thai digits
    assert 'data-phrase="ได้ตรวจสอบแล้ว ถูกต้องตามระเบียบ"' in html
    assert f'name="decision" value="{DECISION}" class="btn big primary"' in html
    assert 'name="action" value="return"' in html
    assert f'href="/documents/{memo}/pdf"' in html
    assert f'action="/decide/{memo}/confirm"' in html and 'method="post"' in html


def test_the_phone_page_links_each_attachment(app, client, srisuk):
    import io

    from support.factories import PDF

    login(client, "nattanipa")
    client.post_form(
        f"/documents/{srisuk.memo_id}/attachments",
        {"file": (io.BytesIO(PDF), "ตารางคะแนน.pdf")},
        content_type="multipart/form-data",
    )
    memo = submitted(client, srisuk)
    html = body(client.get(f"/decide/{memo}"))
    link = re.search(rf'href="(/documents/{memo}/attachments/\d+)">ตารางคะแนน.pdf</a>', html)
    assert link, "the attachment is linked on the phone page"
    with client.get(link.group(1)) as opened:
        assert opened.status_code == 200 and opened.data == PDF


def test_opening_the_links_changes_nothing_not_even_with_confirmed_in_the_query(
    app, client, srisuk
):
    memo = submitted(client, srisuk)
    before = rows_of(app)
    assert client.get(f"/decide/{memo}").status_code == 200
    url = (
        f"/decide/{memo}/confirm?decision={DECISION}&comment=ok&confirmed=yes&revision=1&step_no=1"
    )
    html = body(client.get(url))
    assert "ยืนยันและลงนาม" in html and DECISION in html
    assert rows_of(app) == before


def test_choosing_a_decision_asks_to_confirm_and_only_the_confirmation_signs(app, client, srisuk):
    memo = submitted(client, srisuk)
    before = rows_of(app)
    chosen = client.post_form(
        f"/decide/{memo}/confirm",
        {"revision": "1", "step_no": "1", "decision": DECISION, "comment": "ตรวจแล้ว"},
    )
    assert chosen.status_code == 200
    assert rows_of(app) == before  # the choice alone signs nothing
    fields = confirm_fields(body(chosen))
    assert fields["confirmed"] == "yes" and fields["comment"] == "ตรวจแล้ว"
    signed = client.post_form(f"/decide/{memo}/confirm", fields)
    assert signed.status_code == 302 and signed.headers["Location"] == "/"
    assert f"บันทึกความเห็น “{DECISION}” แล้ว" in body(client.get("/", follow_redirects=True))
    last = log_rows(app, memo)[-1]
    assert (last.action, last.decision, last.comment) == (Action.FORWARD, DECISION, "ตรวจแล้ว")
    assert last.acting_for == "หัวหน้าสำนักปลัด"
    assert document(app, memo).current_step == 2


def test_the_confirmation_needs_its_csrf_token(app, client, srisuk):
    memo = submitted(client, srisuk)
    before = rows_of(app)
    data = {"revision": "1", "step_no": "1", "decision": DECISION, "confirmed": "yes"}
    assert client.post(f"/decide/{memo}/confirm", data=data).status_code == 400
    assert rows_of(app) == before


def test_returning_from_the_phone_needs_a_reason_and_shows_it_to_the_drafter(app, client, srisuk):
    memo = submitted(client, srisuk)
    chosen = client.post_form(
        f"/decide/{memo}/confirm", {"revision": "1", "step_no": "1", "action": "return"}
    )
    assert "ยืนยันส่งคืนแก้ไข" in body(chosen)
    assert re.search(r'<label for="comment">เหตุผลที่ส่งคืนแก้ไข</label><span class="req"', body(chosen))
    fields = confirm_fields(body(chosen))
    refused = client.post_form(f"/decide/{memo}/confirm", fields)
    assert refused.status_code == 400
    assert field_error(body(refused), "comment") == "กรุณาระบุเหตุผลที่ส่งคืนแก้ไข"
    assert document(app, memo).state == DocState.IN_REVIEW
    fields["comment"] = "แก้ตัวเลขในข้อเท็จจริง"
    assert client.post_form(f"/decide/{memo}/confirm", fields).status_code == 302
    assert document(app, memo).state == DocState.RETURNED
    switch(client, "nattanipa")
    assert "แก้ตัวเลขในข้อเท็จจริง" in body(client.get("/documents/mine"))


def test_rejecting_needs_a_reason_the_confirmation_keeps_what_was_typed(app, client, srisuk):
    memo = srisuk.memo_id
    login(client, "nattanipa")
    client.post_form(f"/documents/{memo}/submit")
    with app.app_context():  # the section head's step rejects in this test
        step = db.session.scalars(
            sa.select(DocumentStep).where(DocumentStep.document_id == memo)
        ).first()
        step.reject_decisions = ["ไม่เห็นชอบ"]
        db.session.commit()
    switch(client, "thanyarat")
    data = {"revision": "1", "step_no": "1", "decision": "ไม่เห็นชอบ", "confirmed": "yes"}
    refused = client.post_form(f"/decide/{memo}/confirm", data)
    assert refused.status_code == 400
    assert field_error(body(refused), "comment") == "กรุณาระบุเหตุผลที่ไม่อนุมัติ"
    assert re.search(r'<label for="comment">เหตุผลที่ไม่อนุมัติ</label><span class="req"', body(refused))
    assert document(app, memo).state == DocState.IN_REVIEW
    desk = body(client.get(f"/documents/{memo}"))
    assert "ข้อความความเห็น (จำเป็นเมื่อไม่อนุมัติ: ระบุเหตุผล)" in desk and "(ถ้ามี)" not in desk


def test_a_decision_not_of_the_step_is_refused(app, client, srisuk):
    memo = submitted(client, srisuk)
    before = rows_of(app)
    data = {"revision": "1", "step_no": "1", "decision": "อนุมัติ", "confirmed": "yes"}
    response = client.post_form(f"/decide/{memo}/confirm", data)
    assert response.status_code == 302 and response.headers["Location"] == f"/decide/{memo}"
    assert "กรุณาเลือกความเห็นจากปุ่มของขั้นนี้" in body(client.get(f"/decide/{memo}"))
    assert rows_of(app) == before


def test_when_it_is_not_your_turn_the_page_says_so_and_nothing_can_be_signed(app, client, srisuk):
    memo = submitted(client, srisuk)
    switch(client, "nakarin")
    html = body(client.get(f"/decide/{memo}"))
    assert "เอกสารนี้ไม่ได้รอการพิจารณาของคุณ" in html and "รอ หัวหน้าสำนักปลัด" in html
    assert 'name="decision"' not in html
    before = rows_of(app)
    data = {"revision": "1", "step_no": "1", "decision": DECISION, "confirmed": "yes"}
    response = client.post_form(f"/decide/{memo}/confirm", data)
    assert response.status_code == 302
    assert rows_of(app) == before


def test_a_page_left_open_after_someone_else_decided_says_who_did(app, client, srisuk):
    memo = submitted(client, srisuk)
    page = client.post_form(
        f"/decide/{memo}/confirm", {"revision": "1", "step_no": "1", "decision": DECISION}
    )
    fields = confirm_fields(body(page))
    assert return_memo(client, memo, "ส่งคืนจากหน้าเอกสาร").status_code == 302  # elsewhere
    late = client.post_form(f"/decide/{memo}/confirm", fields)
    assert late.status_code == 302  # no longer her turn: back to the page, nothing signed
    assert document(app, memo).state == DocState.RETURNED
    assert [r.action for r in log_rows(app, memo)] == [Action.SUBMIT, Action.RETURN]


def test_earlier_comments_are_shown(app, client, srisuk):
    memo = submitted(client, srisuk)
    page = client.post_form(
        f"/decide/{memo}/confirm",
        {"revision": "1", "step_no": "1", "decision": DECISION, "comment": "ความเห็นแรก"},
    )
    client.post_form(f"/decide/{memo}/confirm", confirm_fields(body(page)))
    switch(client, "chuttikan")
    html = body(client.get(f"/decide/{memo}"))
    comments = html[html.index('id="comments-title"') :]
    assert "ความเห็นแรก" in comments and "นางธัญญารัตน์ โคนุช" in comments


@pytest.mark.parametrize("url", ["/decide/{id}", "/decide/{id}/confirm?decision=x"])
def test_a_memo_the_user_may_not_see_is_refused(app, client, srisuk, url):
    login(client, "chuttikan")  # the drafter's draft is hers alone
    assert client.get(url.format(id=srisuk.memo_id)).status_code == 403


def test_a_confirmation_for_an_earlier_round_is_refused_and_says_who_acted(app, client, srisuk):
    memo = submitted(client, srisuk)
    page = client.post_form(
        f"/decide/{memo}/confirm", {"revision": "1", "step_no": "1", "decision": DECISION}
    )
    stale = confirm_fields(body(page))
    assert return_memo(client, memo, "แก้ไขก่อน").status_code == 302
    switch(client, "nattanipa")
    client.post_form(f"/documents/{memo}/submit")  # revision 2 waits for her again
    switch(client, "thanyarat")
    late = client.post_form(f"/decide/{memo}/confirm", stale)
    assert late.status_code == 409
    assert "ได้ดำเนินการในขั้นนี้ไปก่อนแล้ว" in body(late)
    assert document(app, memo).revision == 2 and document(app, memo).current_step == 1


@pytest.mark.parametrize(
    ("decision", "comment", "printed"),
    [
        ("อนุมัติ", "อนุมัติ", ("", "อนุมัติ")),
        ("อนุมัติ", "อนุมัติตามเสนอ", ("", "อนุมัติตามเสนอ")),
        ("อนุมัติ", "  อนุมัติ   ตามเสนอ ", ("", "อนุมัติ   ตามเสนอ")),
        ("อนุมัติ", "ให้ทุกกองถือปฏิบัติ", ("อนุมัติ", "ให้ทุกกองถือปฏิบัติ")),
        ("เห็นชอบ", "", ("เห็นชอบ", "")),
    ],
)
def test_a_decision_and_a_comment_that_say_the_same_are_printed_once(decision, comment, printed):
    from models import DecisionLog

    assert DecisionLog(decision=decision, comment=comment).opinion == printed


def test_the_memo_page_and_the_pdf_print_a_repeated_decision_once(app, client, srisuk):
    memo = submitted(client, srisuk)
    decide_memo = {"revision": "1", "step_no": "1", "decision": DECISION, "confirmed": "yes"}
    client.post_form(f"/decide/{memo}/confirm", {**decide_memo, "comment": DECISION})
    page = body(client.get(f"/documents/{memo}"))
    start = page.index("ความเห็นหัวหน้าสำนักปลัด")
    block = page[start : page.index('class="signature"', start)]
    assert block.count(DECISION) == 1
    with app.app_context():
        from pdf.data import memo_data

        data = memo_data(db.session.get(Document, memo))
    (block,) = [b for b in data["steps"] if b["signed"]]
    assert (block["printed_decision"], block["comment"]) == ("", [DECISION])
