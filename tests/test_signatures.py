"""The signature blocks under a memo: one rule builds them for the page, the PDF and the verify page."""

import re

from support.client import login
from test_pdf_support import user

from extensions import db
from models import Document
from pdf.data import memo_data
from workflow import audit
from workflow import documents as service
from workflow.signatures import signatures


def _returned_and_resumed_at_step_two(memo: int) -> None:
    service.submit(memo, user("nattanipa"))
    service.decide(memo, user("thanyarat"), decision="เห็นควรเสนอเพื่อโปรดพิจารณา")
    service.return_for_revision(memo, user("chuttikan"), reason="แก้ตัวเลข", resume_here=True)
    service.submit(memo, user("nattanipa"))
    db.session.commit()


def _step_blocks(html: str) -> list[str]:
    return re.findall(r'<div class="step-block (\w+)">(.*?)</div>\s*</div>', html, re.S)


def test_a_step_skipped_after_resume_stays_signed_on_the_page_and_in_the_pdf(app, srisuk, client):
    with app.app_context():
        memo = srisuk.memo_id
        _returned_and_resumed_at_step_two(memo)
        doc = db.session.get(Document, memo)
        chain = signatures(doc, audit.timeline(doc))
        assert [(b.status, b.earlier) for b in chain.steps] == [
            ("signed", True),
            ("current", False),
            ("pending", False),
        ]
        assert chain.steps[0].row.actor_name == "นางธัญญารัตน์ โคนุช"
        assert chain.drafter.row.revision == 2  # the drafter signs the revised memo again
        printed = memo_data(doc)["steps"]
        assert [(b["signed"], b["earlier"]) for b in printed] == [
            (True, True),
            (False, False),
            (False, False),
        ]
        assert printed[0]["name"] == "นางธัญญารัตน์ โคนุช"

    login(client, "chuttikan")
    html = client.get(f"/documents/{memo}").get_data(as_text=True)
    blocks = _step_blocks(html)
    assert [status for status, _ in blocks] == ["signed", "current", "pending"]
    assert "นางธัญญารัตน์ โคนุช" in blocks[0][1]
    assert "ลงความเห็นไว้ในฉบับก่อนแก้ไข" in blocks[0][1]


def test_a_draft_shows_its_chain_still_to_sign_on_the_page_as_in_the_pdf(app, srisuk, client):
    with app.app_context():
        doc = db.session.get(Document, srisuk.memo_id)
        printed = memo_data(doc)["steps"]
        assert printed and not any(b["signed"] for b in printed)
    login(client, "nattanipa")
    html = client.get(f"/documents/{srisuk.memo_id}").get_data(as_text=True)
    assert [status for status, _ in _step_blocks(html)] == ["pending"] * len(printed)
