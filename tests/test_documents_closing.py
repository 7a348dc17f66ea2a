"""Ending a memo: a draft that never had a number is discarded for good (its files too); a
returned memo the drafter will not send again is closed (ยุติเรื่อง) with a reason kept in the
log. Only the drafter may do either; a refusal changes nothing."""

import io
import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from support.client import login
from support.factories import PDF, make_user, memo_content, other_organisation, user
from support.pages import error_beside, log_rows, logout, return_memo

from extensions import db
from models import (
    Action,
    Attachment,
    DecisionLog,
    DocState,
    Document,
    DocumentSection,
    Organisation,
    SearchEntry,
)
from workflow import audit_verify, closing
from workflow import documents as service
from workflow.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed

REASON = "ได้จัดทำบันทึกฉบับใหม่แทนแล้ว ตามที่ปลัดแนะนำ"


def files_in_storage(app) -> list[str]:
    root = Path(app.config["STORAGE_DIR"])
    return sorted(os.listdir(root)) if root.exists() else []


def attach(client, memo_id: int, name: str = "ตาราง.pdf"):
    response = client.post_form(
        f"/documents/{memo_id}/attachments",
        {"file": (io.BytesIO(PDF), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302


def facts(app, memo_id: int):
    with app.app_context():
        doc = db.session.get(Document, memo_id)
        if doc is None:
            return None
        return (doc.state, doc.number, doc.subject, [a.id for a in doc.attachments])


def log_problems(app) -> list[str]:
    """What verifying the whole decision log finds (nothing when no row was lost or changed)."""
    found: list[str] = []
    with app.app_context():
        summary = audit_verify.verify(report=lambda problem: found.append(problem.describe()))
    assert summary.documents > 0 and summary.rows > 0
    return found


def returned_memo(app, client, memo_id: int) -> None:
    """Submit the draft as nattanipa and have thanyarat return it."""
    login(client, "nattanipa")
    client.post_form(f"/documents/{memo_id}/submit")
    logout(client)
    login(client, "thanyarat")
    assert return_memo(client, memo_id, "ขอแก้ไขตัวเลขงบประมาณ").status_code == 302
    logout(client)


def with_colleague(app, srisuk) -> None:
    with app.app_context():
        org = db.session.get(Organisation, srisuk.org_id)
        make_user(org, "somsri", "สมศรี มีสุข", user("nattanipa").position, title="นางสาว")
        db.session.commit()


# -- discarding a draft -----------------------------------------------------------------------


def submitted_memo(app) -> int:
    """Another memo of the same drafter, submitted: its log must survive a discard."""
    with app.app_context():
        doc = service.create_draft(user("nattanipa"), memo_content("ขออนุมัติจัดซื้อวัสดุสำนักงาน"))
        service.submit(doc.id, user("nattanipa"))
        db.session.commit()
        return doc.id


def test_the_drafter_discards_a_draft_for_good_with_its_files(app, client, srisuk):
    memo = srisuk.memo_id
    other = submitted_memo(app)
    login(client, "nattanipa")
    attach(client, memo)
    attach(client, memo, "ภาพประกอบ.pdf")
    assert len(files_in_storage(app)) == 2
    page = client.get(f"/documents/{memo}").get_data(as_text=True)
    assert "ลบร่าง" in page and "ลบร่างนี้ถาวร?" in page  # the browser asks before it posts

    response = client.post_form(f"/documents/{memo}/discard")

    assert response.status_code == 302 and response.location.endswith("/documents/mine")
    with app.app_context():
        assert db.session.get(Document, memo) is None
        for model in (DocumentSection, Attachment):
            rows = db.session.scalars(sa.select(model).where(model.document_id == memo)).all()
            assert rows == []
        entry = sa.select(SearchEntry).where(SearchEntry.item_id == memo)
        assert db.session.scalars(entry.where(SearchEntry.kind == "document")).all() == []
    assert files_in_storage(app) == []
    mine = client.get("/documents/mine").get_data(as_text=True)
    assert "ลบร่าง “" in mine and "” แล้ว" in mine  # the flash names what was deleted
    assert client.get(f"/documents/{memo}").status_code == 404
    assert log_problems(app) == [], "the other memos' logs are untouched"
    assert [r.action for r in log_rows(app, other)] == [Action.SUBMIT]


def test_a_discard_that_rolls_back_keeps_the_files(app, client, srisuk):
    login(client, "nattanipa")
    attach(client, srisuk.memo_id)
    kept = files_in_storage(app)
    with app.app_context():
        closing.discard(srisuk.memo_id, user("nattanipa"))
        db.session.rollback()
        db.session.commit()  # a later commit in the same session does not delete them either
    assert files_in_storage(app) == kept
    assert facts(app, srisuk.memo_id) is not None


@pytest.mark.parametrize(
    ("who", "refusal"), [("somsri", NotAllowed), ("admin", NotAllowed), ("outsider", NotFound)]
)
def test_only_the_drafter_may_discard(app, client, srisuk, who, refusal):
    with_colleague(app, srisuk)
    outsider = other_organisation(app).admin
    who = outsider if who == "outsider" else who
    login(client, "nattanipa")
    attach(client, srisuk.memo_id)
    before, files = facts(app, srisuk.memo_id), files_in_storage(app)
    with app.app_context():
        with pytest.raises(refusal):
            closing.discard(srisuk.memo_id, user(who))
        db.session.rollback()
    assert facts(app, srisuk.memo_id) == before and files_in_storage(app) == files


def test_a_submitted_memo_and_a_numbered_draft_cannot_be_discarded(app, client, srisuk):
    memo = srisuk.memo_id
    login(client, "nattanipa")
    client.post_form(f"/documents/{memo}/submit")
    response = client.post_form(f"/documents/{memo}/discard")
    assert response.status_code == 409
    assert "ลบได้เฉพาะร่างที่ยังไม่ได้เสนอ" in response.get_data(as_text=True)

    client.post_form(f"/documents/{memo}/withdraw")
    client.post_form(f"/documents/{memo}/reopen")
    before = facts(app, memo)
    assert before[0] == DocState.DRAFT and before[1]
    page = client.get(f"/documents/{memo}").get_data(as_text=True)
    assert "ลบร่างนี้ถาวร?" not in page and "ยุติเรื่อง" in page  # it is closed instead
    response = client.post_form(f"/documents/{memo}/discard")
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "จึงลบไม่ได้" in text and "ให้ใช้ “ยุติเรื่อง” แทน" in text
    assert facts(app, memo) == before


def test_discard_without_the_form_token_changes_nothing(app, client, srisuk):
    login(client, "nattanipa")
    before = facts(app, srisuk.memo_id)
    response = client.post(f"/documents/{srisuk.memo_id}/discard")
    assert response.status_code in (302, 400)
    assert facts(app, srisuk.memo_id) == before


# -- closing a returned memo ------------------------------------------------------------------


def test_the_drafter_closes_a_returned_memo_with_a_reason_kept_in_the_log(app, client, srisuk):
    memo = srisuk.memo_id
    returned_memo(app, client, memo)
    number = facts(app, memo)[1]
    login(client, "nattanipa")
    page = client.get(f"/documents/{memo}").get_data(as_text=True)
    assert "ยุติเรื่อง (ไม่เสนอเรื่องนี้อีก)" in page and "ยืนยันการยุติเรื่อง?" in page

    response = client.post_form(f"/documents/{memo}/close", {"reason": f"  {REASON}  "})

    assert response.status_code == 302
    assert facts(app, memo)[:2] == (DocState.CLOSED, number)
    last = log_rows(app, memo)[-1]
    assert (last.action, last.comment, last.actor_name) == (
        Action.CLOSE,
        REASON,
        "นางณัฐนิภา แสงมณี",
    )
    page = client.get(f"/documents/{memo}").get_data(as_text=True)
    assert 'class="state state-closed">ยุติเรื่อง' in page
    assert f"ยุติเรื่องแล้ว:</strong> {REASON}" in page
    assert "ยืนยันการยุติเรื่อง?" not in page and "เสนอเรื่องอีกครั้ง" not in page
    mine = client.get("/documents/mine").get_data(as_text=True)
    assert "<h2>ยุติเรื่องแล้ว</h2>" in mine
    listed = client.get("/lists/documents?state=closed").get_data(as_text=True)
    assert f"/documents/{memo}" in listed and "ยุติเรื่อง" in listed
    assert log_problems(app) == [], "a closed memo's log checks out"
    # Final: nothing more can be done with it.
    rows = len(log_rows(app, memo))
    assert client.post_form(f"/documents/{memo}/submit").status_code == 403
    again = client.post_form(f"/documents/{memo}/close", {"reason": REASON})
    assert again.status_code == 409
    assert len(log_rows(app, memo)) == rows


def test_closing_without_a_reason_keeps_the_memo_and_says_so_beside_the_field(app, client, srisuk):
    memo = srisuk.memo_id
    returned_memo(app, client, memo)
    before, rows = facts(app, memo), len(log_rows(app, memo))
    login(client, "nattanipa")
    response = client.post_form(f"/documents/{memo}/close", {"reason": "   "})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert error_beside(page, "reason") == ["กรุณาระบุเหตุผลที่ยุติเรื่อง"]
    assert '<details class="card close-memo" id="close" open>' in page
    assert facts(app, memo) == before and len(log_rows(app, memo)) == rows


@pytest.mark.parametrize(
    ("who", "refusal"),
    [("somsri", NotAllowed), ("thanyarat", NotAllowed), ("admin", NotAllowed)],
)
def test_only_the_drafter_may_close(app, client, srisuk, who, refusal):
    with_colleague(app, srisuk)
    returned_memo(app, client, srisuk.memo_id)
    before = facts(app, srisuk.memo_id)
    with app.app_context():
        with pytest.raises(refusal):
            closing.close(srisuk.memo_id, user(who), reason=REASON)
        db.session.rollback()
    assert facts(app, srisuk.memo_id) == before


def test_an_unsent_draft_or_a_memo_in_review_is_not_closed(app, ctx, srisuk):
    memo, drafter = srisuk.memo_id, user("nattanipa")
    with pytest.raises(InvalidTransition, match="ให้ “ลบร่าง” แทน"):
        closing.close(memo, drafter, reason=REASON)
    db.session.rollback()
    service.submit(memo, drafter)
    db.session.commit()
    with pytest.raises(InvalidTransition, match="อยู่ระหว่างพิจารณา"):
        closing.close(memo, drafter, reason=REASON)
    db.session.rollback()
    rows = db.session.scalars(sa.select(DecisionLog).where(DecisionLog.document_id == memo)).all()
    assert [r.action for r in rows] == [Action.SUBMIT]


def test_a_too_long_reason_is_refused_beside_the_field(app, ctx, srisuk):
    memo, drafter = srisuk.memo_id, user("nattanipa")
    service.submit(memo, drafter)
    service.withdraw(memo, drafter)
    service.reopen(memo, drafter)
    db.session.commit()
    with pytest.raises(ValidationFailed) as refused:
        closing.close(memo, drafter, reason="ก" * (service.MAX_COMMENT_CHARS + 1))
    assert refused.value.field == "reason"
    db.session.rollback()
    closing.close(memo, drafter, reason=REASON)  # a numbered draft may be closed
    db.session.commit()
    assert db.session.get(Document, memo).state == DocState.CLOSED
