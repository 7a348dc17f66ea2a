"""At the final approval the PDF is rendered once and stored; its SHA-256 goes into the decision
log; every later download returns exactly those bytes, to those who may see the memo."""

import hashlib

import pytest
import sqlalchemy as sa
from support.client import login
from test_pdf_support import approve, norm, pdf_text

import storage
from extensions import db
from models import Action, AppendOnlyViolation, DecisionLog, FrozenPdf, Organisation, OrgKind, User
from pdf import freeze
from workflow import documents as workflow_documents
from workflow import revocations


def log_of(memo_id: int) -> list[DecisionLog]:
    stmt = sa.select(DecisionLog).where(DecisionLog.document_id == memo_id).order_by(DecisionLog.id)
    return list(db.session.scalars(stmt))


def test_the_approved_pdf_is_rendered_once_and_downloads_return_its_exact_bytes(
    app, client, srisuk, monkeypatch
):
    renders = []
    original = freeze.render_pdf
    monkeypatch.setattr(freeze, "render_pdf", lambda data: renders.append(1) or original(data))
    with app.app_context():
        approve(srisuk.memo_id)
    assert len(renders) == 1

    login(client, "nakarin")
    first = client.get(f"/documents/{srisuk.memo_id}/pdf")
    second = client.get(f"/documents/{srisuk.memo_id}/pdf")
    assert first.status_code == second.status_code == 200
    assert first.data == second.data and first.data.startswith(b"%PDF-")
    assert len(renders) == 1, "downloads never render again"

    digest = hashlib.sha256(first.data).hexdigest()
    with app.app_context():
        frozen = db.session.get(FrozenPdf, srisuk.memo_id)
        assert frozen.sha256 == digest and frozen.size == len(first.data)
        assert storage.path_of(frozen.storage_key).read_bytes() == first.data
        rows = log_of(srisuk.memo_id)
    assert [r.action for r in rows][-2:] == [Action.APPROVE, Action.FREEZE]
    assert digest in rows[-1].comment
    assert rows[-1].actor_name == "นายนครินทร์ สมัญญา"
    assert rows[-1].prev_hash == rows[-2].row_hash  # the hash joins the log's chain
    assert first.headers["ETag"].strip('"') == digest
    assert frozen.verify_code in pdf_text(first.data)  # printed in the footer


def test_only_those_who_may_see_the_memo_get_its_pdf(app, client, srisuk):
    with app.app_context():
        other = Organisation(name="เทศบาลตำบลอื่น", kind=OrgKind.MUNICIPALITY)
        stranger = User(organisation=other, username="stranger", title="นาย", full_name="คนนอก")
        stranger.set_password("stranger-pass-1")
        db.session.add_all([other, stranger])
        db.session.commit()
    login(client, "thanyarat")  # a draft is its drafter's own until it is submitted
    assert client.get(f"/documents/{srisuk.memo_id}/pdf").status_code == 403
    client.post_form("/logout")
    login(client, "stranger", "stranger-pass-1")
    assert client.get(f"/documents/{srisuk.memo_id}/pdf").status_code == 404
    client.post_form("/logout")
    client.csrf = None
    response = client.get(f"/documents/{srisuk.memo_id}/pdf")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_stored_pdf_that_no_longer_matches_its_hash_is_never_served(app, client, srisuk):
    with app.app_context():
        approve(srisuk.memo_id)
        path = storage.path_of(db.session.get(FrozenPdf, srisuk.memo_id).storage_key)
    path.write_bytes(path.read_bytes() + b"% changed after approval\n")
    login(client, "nakarin")
    response = client.get(f"/documents/{srisuk.memo_id}/pdf")
    assert response.status_code == 503 and response.mimetype == "text/html"
    assert "ไม่ตรงกับค่า SHA-256 ที่บันทึกไว้ตอนอนุมัติ" in response.get_data(as_text=True)
    path.unlink()  # removed altogether: the same clear page
    assert client.get(f"/documents/{srisuk.memo_id}/pdf").status_code == 503


def test_a_frozen_pdf_cannot_be_changed_or_removed(app, srisuk, ctx):
    approve(srisuk.memo_id)
    frozen = db.session.get(FrozenPdf, srisuk.memo_id)
    frozen.sha256 = "0" * 64
    with pytest.raises(AppendOnlyViolation):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(sa.exc.DBAPIError):  # the database refuses it too
        db.session.execute(sa.text("UPDATE frozen_pdfs SET size = 1"))
    db.session.rollback()
    with pytest.raises(sa.exc.DBAPIError):
        db.session.execute(sa.text("DELETE FROM frozen_pdfs"))
    db.session.rollback()


def test_a_memo_approved_before_freezing_existed_is_frozen_at_its_first_download(
    app, client, srisuk, monkeypatch
):
    # As before freezing existed: an approval sets off only the cancellation marks.
    monkeypatch.setitem(
        app.extensions, workflow_documents.AFTER_APPROVAL, (revocations.on_approval,)
    )
    with app.app_context():
        approve(srisuk.memo_id)
        assert db.session.get(FrozenPdf, srisuk.memo_id) is None
    monkeypatch.undo()
    login(client, "chuttikan")
    first = client.get(f"/documents/{srisuk.memo_id}/pdf").data
    assert client.get(f"/documents/{srisuk.memo_id}/pdf").data == first
    with app.app_context():
        assert db.session.get(FrozenPdf, srisuk.memo_id).sha256 == hashlib.sha256(first).hexdigest()
        assert [r.action for r in log_of(srisuk.memo_id)].count(Action.FREEZE) == 1
    assert norm("ฉบับร่าง") not in pdf_text(first)


def test_the_memo_page_offers_the_pdf_and_once_approved_its_verification_page(app, client, srisuk):
    login(client, "nattanipa")
    page = client.get(f"/documents/{srisuk.memo_id}").get_data(as_text=True)
    assert "ดาวน์โหลด PDF" in page and f"/documents/{srisuk.memo_id}/pdf" in page
    assert "/v/" not in page
    with app.app_context():
        approve(srisuk.memo_id)
        code = db.session.get(FrozenPdf, srisuk.memo_id).verify_code
    page = client.get(f"/documents/{srisuk.memo_id}").get_data(as_text=True)
    assert f"/v/{code}" in page and "จัดเก็บฉบับอนุมัติ (PDF)" in page


def test_the_history_prints_the_pdfs_hash_and_code_as_they_are_in_thai_digit_pages(
    app, client, srisuk
):
    with app.app_context():
        approve(srisuk.memo_id)
        frozen = db.session.get(FrozenPdf, srisuk.memo_id)
        digest, code = frozen.sha256, frozen.verify_code
    login(client, "nattanipa")
    page = client.get(f"/documents/{srisuk.memo_id}").get_data(as_text=True)
    assert "SHA-256 ของไฟล์ PDF ฉบับอนุมัติ: " + digest in page
    assert code in page and "SHA-๒๕๖" not in page
