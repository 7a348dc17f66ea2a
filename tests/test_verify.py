"""The public verification page, reached from the code printed in the PDF's footer."""

import io

import pytest
import sqlalchemy as sa
from test_pdf_support import approve

import storage
from extensions import db
from models import FrozenPdf

ORG = "องค์การบริหารส่วนตำบลศรีสุข"


@pytest.fixture
def approved(app, srisuk) -> FrozenPdf:
    with app.app_context():
        approve(srisuk.memo_id)
        frozen = db.session.get(FrozenPdf, srisuk.memo_id)
        db.session.expunge(frozen)
        return frozen


def stored(app, frozen: FrozenPdf) -> bytes:
    with app.app_context():
        return storage.path_of(frozen.storage_key).read_bytes()


def upload(client, code: str, data: bytes, name: str = "memo.pdf"):
    client.fetch_csrf(f"/v/{code}")
    return client.post_form(f"/v/{code}", {"file": (io.BytesIO(data), name)})


def test_anyone_with_the_code_sees_the_chain_of_decisions_and_the_hash(client, approved):
    response = client.get(f"/v/{approved.verify_code}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for part in (
        "สร ๘๓๒๐๑/๑๑๘๐",
        "รายงานผลการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส",
        approved.sha256,
        "ความเห็น: อนุมัติ",
    ):
        assert part in page, part
    names = ["นางณัฐนิภา แสงมณี", "นางธัญญารัตน์ โคนุช", "นางชุตติกาญจน์ คงสุข", "นายนครินทร์ สมัญญา"]
    assert [page.index(n) for n in names] == sorted(page.index(n) for n in names)
    assert "หัวหน้าฝ่ายบริหารงานทั่วไป รักษาราชการแทน หัวหน้าสำนักปลัด" in page
    assert page.count(" น.") >= 4  # each decision with its time
    # Nothing beyond the printed memo's facts: no body text, no way into the system.
    assert "สำโรงทาบ" not in page and "/documents/" not in page


def test_the_stored_bytes_are_identical_and_a_changed_copy_is_not(app, client, approved):
    original = stored(app, approved)
    same = upload(client, approved.verify_code, original).get_data(as_text=True)
    assert "ตรงกัน:" in same and "ไม่ตรงกัน" not in same

    changed = original.replace(b"%%EOF", b"%%EOF\n% edited")
    different = upload(client, approved.verify_code, changed).get_data(as_text=True)
    assert "ไม่ตรงกัน:" in different


def test_the_upload_form_needs_its_csrf_token(client, approved):
    response = client.post(
        f"/v/{approved.verify_code}", data={"file": (io.BytesIO(b"%PDF-1.7"), "x.pdf")}
    )
    assert response.status_code == 400
    assert "ตรงกัน:" not in response.get_data(as_text=True)


def test_a_file_larger_than_the_limit_is_refused(app, client, approved):
    app.config["MAX_ATTACHMENT_BYTES"] = 1000
    response = upload(client, approved.verify_code, b"%PDF-" + b"x" * 2000)
    assert response.status_code == 400
    assert "ไฟล์ใหญ่เกินไป" in response.get_data(as_text=True)


def test_codes_are_typed_from_paper_in_any_case_and_unknown_codes_are_not_found(client, approved):
    code = approved.verify_code
    typed = f"{code[:5].lower()}-{code[5:]}"
    response = client.get(f"/v?code={typed}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/v/{code}")
    assert client.get("/v").status_code == 200
    assert client.get("/v/ABCDEFGHJK").status_code == 404
    assert client.get("/v/not-a-code").status_code == 404


def test_the_lookup_page_asks_for_the_code_and_a_draft_has_none(client, srisuk):
    page = client.get("/v").get_data(as_text=True)
    assert "รหัสตรวจสอบ" in page and 'method="get"' in page
    assert client.get("/v/ZZZZZZZZZZ").status_code == 404


def test_code_guessing_is_slowed_down_per_address(app, client, srisuk):
    app.config["VERIFY_MAX_PER_MINUTE"] = 5
    guesses = [
        client.get(f"/v/ABCDEFGH{n:02d}", environ_base={"REMOTE_ADDR": "203.0.113.9"})
        for n in range(8)
    ]
    assert [g.status_code for g in guesses[:5]] == [404] * 5  # unknown codes, answered
    refused = guesses[5]
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "ถี่เกินไป" in refused.get_data(as_text=True)
    assert all(g.status_code == 429 for g in guesses[5:])
    other = client.get("/v/ABCDEFGH99", environ_base={"REMOTE_ADDR": "203.0.113.10"})
    assert other.status_code != 429  # another address is not affected
    assert client.get("/v", environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 200


def test_the_page_shows_what_was_printed_and_labels_later_changes(app, client, approved):
    with app.app_context():
        from models import Document, Organisation

        doc = db.session.get(Document, approved.document_id)
        doc.organisation.name = "เทศบาลตำบลศรีสุข"  # upgraded after the approval
        db.session.execute(sa.update(Document).where(Document.id == doc.id).values(number_seq=1190))
        db.session.commit()
        assert db.session.get(Organisation, doc.org_id).name == "เทศบาลตำบลศรีสุข"
    page = client.get(f"/v/{approved.verify_code}").get_data(as_text=True)
    facts = page.split('<dl class="facts">')[1].split("</dl>")[0]
    assert f"<dd>{ORG}" in facts and "<dd>สร ๘๓๒๐๑/๑๑๘๐" in facts  # as printed on the paper
    assert "เปลี่ยนภายหลังการอนุมัติเป็น: เทศบาลตำบลศรีสุข" in facts
    assert "เปลี่ยนภายหลังการอนุมัติเป็น: สร ๘๓๒๐๑/๑๑๙๐" in facts


def test_a_step_signed_on_an_earlier_revision_is_noted_as_on_the_pdf(app, client, srisuk):
    from support.factories import user

    from workflow import documents as service

    memo = srisuk.memo_id
    with app.app_context():
        service.submit(memo, user("nattanipa"))
        service.decide(memo, user("thanyarat"), decision="เห็นควรเสนอเพื่อโปรดพิจารณา")
        service.return_for_revision(memo, user("chuttikan"), reason="แก้ตัวเลข", resume_here=True)
        service.submit(memo, user("nattanipa"))
        service.decide(memo, user("chuttikan"), decision="เห็นควรอนุมัติ")
        service.decide(memo, user("nakarin"), decision="อนุมัติ")
        db.session.commit()
        code = db.session.get(FrozenPdf, memo).verify_code
    page = client.get(f"/v/{code}").get_data(as_text=True)
    head = page.split("นางธัญญารัตน์ โคนุช")[1].split("</li>")[0]
    assert "ลงนามไว้ในฉบับก่อนแก้ไข" in head
    assert page.count("ลงนามไว้ในฉบับก่อนแก้ไข") == 1
