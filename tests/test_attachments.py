"""Attachments: accepted when name and content agree, refused beside the file field otherwise,
stored under a random key, downloadable only by those who may read the memo."""

import hashlib
import io
import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from support.client import login
from support.factories import JPEG, PDF, PNG, make_user, ooxml, other_organisation, user
from support.pages import error_beside, logout

from extensions import db
from models import Attachment, Organisation
from workflow.attachments import check_file, clean_filename
from workflow.errors import ValidationFailed

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOT_ALLOWED = (
    "ไฟล์ประเภทนี้แนบไม่ได้ แนบได้เฉพาะ PDF, รูปภาพ (PNG, JPG), Word (DOC, DOCX) หรือ Excel (XLS, XLSX)"
)


def upload(client, memo_id: int, filename: str, data: bytes):
    return client.post_form(
        f"/documents/{memo_id}/attachments",
        {"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def stored(app) -> list[Attachment]:
    with app.app_context():
        rows = db.session.scalars(sa.select(Attachment).order_by(Attachment.id)).all()
        db.session.expunge_all()
        return rows


def files_in_storage(app) -> list[str]:
    root = Path(app.config["STORAGE_DIR"])
    return sorted(os.listdir(root)) if root.exists() else []


def download(client, memo_id: int, attachment_id: int):
    response = client.get(f"/documents/{memo_id}/attachments/{attachment_id}")
    body = response.get_data()
    response.close()
    return response, body


@pytest.fixture
def drafter(client, srisuk):
    login(client, "nattanipa")
    return client


@pytest.mark.parametrize(
    ("filename", "data", "content_type"),
    [
        ("ตารางคะแนน ITA 2568.pdf", PDF, "application/pdf"),
        ("ภาพกิจกรรม.png", PNG, "image/png"),
        ("ภาพประชุม.jpg", JPEG, "image/jpeg"),
        ("ภาพประชุม.JPEG", JPEG, "image/jpeg"),
        ("มาตรการ 2569.docx", ooxml("word/"), DOCX_TYPE),
        ("งบประมาณ.xlsx", ooxml("xl/"), XLSX_TYPE),
    ],
)
def test_files_whose_content_matches_their_name_are_attached(
    app, drafter, srisuk, filename, data, content_type
):
    response = upload(drafter, srisuk.memo_id, filename, data)
    assert response.status_code == 302
    (row,) = stored(app)
    assert (row.filename, row.content_type, row.size) == (filename, content_type, len(data))
    assert row.sha256 == hashlib.sha256(data).hexdigest()
    assert files_in_storage(app) == [row.storage_key]  # named by a random key, not by the user

    got, body = download(drafter, srisuk.memo_id, row.id)
    assert got.status_code == 200 and body == data
    assert got.mimetype == content_type
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    if content_type in ("application/pdf", "image/png", "image/jpeg"):
        # Opened in the browser, in a sandbox: no script of a crafted file runs as the app.
        assert got.headers["Content-Disposition"].startswith("inline;")
        assert got.headers["Content-Security-Policy"] == "sandbox"
    else:  # Word and Excel files are downloaded, under the app's own policy
        assert got.headers["Content-Disposition"].startswith("attachment;")
        assert "default-src 'self'" in got.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 60, NOT_ALLOWED),
        ("รายงาน.pdf.exe", PDF, NOT_ALLOWED),
        ("สคริปต์.html", b"<script>alert(1)</script>", NOT_ALLOWED),
        ("ไม่มีนามสกุล", PDF, NOT_ALLOWED),
        (
            "รายงาน.pdf",
            b"just some text pretending to be a PDF",
            "เนื้อไฟล์ไม่ใช่ PDF ตามนามสกุล กรุณาตรวจสอบไฟล์",
        ),
        ("ภาพ.png", JPEG, "เนื้อไฟล์ไม่ใช่ PNG ตามนามสกุล กรุณาตรวจสอบไฟล์"),
        ("มาตรการ.docx", ooxml("xl/"), "เนื้อไฟล์ไม่ใช่ DOCX ตามนามสกุล กรุณาตรวจสอบไฟล์"),
        ("งบ.xlsx", b"PK\x03\x04 not really a zip", "เนื้อไฟล์ไม่ใช่ XLSX ตามนามสกุล กรุณาตรวจสอบไฟล์"),
        ("ว่าง.pdf", b"", "ไฟล์ว่างเปล่า"),
    ],
)
def test_wrong_files_are_refused_beside_the_file_field_and_nothing_is_kept(
    app, drafter, srisuk, filename, data, message
):
    response = upload(drafter, srisuk.memo_id, filename, data)
    assert response.status_code == 400
    assert error_beside(response.get_data(as_text=True), "file") == [message]
    assert stored(app) == [] and files_in_storage(app) == []


def test_no_file_chosen_is_refused_beside_the_file_field(app, drafter, srisuk):
    response = drafter.post_form(f"/documents/{srisuk.memo_id}/attachments", {})
    assert error_beside(response.get_data(as_text=True), "file") == ["กรุณาเลือกไฟล์"]
    assert stored(app) == []


def test_oversize_file_is_refused_and_the_limit_itself_is_accepted(app, drafter, srisuk):
    # Small enough that the test client keeps the upload in memory.
    app.config["MAX_ATTACHMENT_BYTES"] = 200 * 1024
    exactly = PDF + b"0" * (200 * 1024 - len(PDF))
    response = upload(drafter, srisuk.memo_id, "ใหญ่.pdf", exactly + b"0")
    assert error_beside(response.get_data(as_text=True), "file") == ["ไฟล์ใหญ่เกิน 200 KB"]
    assert stored(app) == [] and files_in_storage(app) == []

    assert upload(drafter, srisuk.memo_id, "พอดี.pdf", exactly).status_code == 302
    assert [a.size for a in stored(app)] == [200 * 1024]


@pytest.mark.parametrize(
    ("limit", "label"),
    [(10 * 1024 * 1024, "10 MB"), (1536 * 1024, "1.5 MB"), (200 * 1024, "200 KB")],
)
def test_the_size_limit_is_told_in_units_people_read(app, limit, label):
    with app.app_context():
        app.config["MAX_ATTACHMENT_BYTES"] = limit
        with pytest.raises(ValidationFailed) as refused:
            check_file("ใหญ่.pdf", PDF + b"0" * limit)
    assert refused.value.message == f"ไฟล์ใหญ่เกิน {label}"


def test_a_file_far_over_the_limit_returns_to_the_memo_with_the_error_beside_the_field(
    app, drafter, srisuk
):
    """Past the whole request's limit the body is never read; the memo page comes back."""
    app.config["MAX_ATTACHMENT_BYTES"] = 2048
    app.config["MAX_CONTENT_LENGTH"] = 4096
    response = upload(drafter, srisuk.memo_id, "ใหญ่มาก.pdf", PDF + b"0" * 8192)
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert error_beside(page, "file") == ["ไฟล์ใหญ่เกิน 2 KB"]
    assert "แนบไฟล์" in page and "รายงานผลการวิเคราะห์" in page  # the memo, not a bare error
    assert stored(app) == []


def test_a_request_above_the_limit_elsewhere_gets_a_thai_413(app, client, srisuk):
    app.config["MAX_CONTENT_LENGTH"] = 4096
    login(client, "admin")
    response = client.post_form("/reports/holidays", {"day": "20/4/2569", "name": "ก" * 8192})
    assert response.status_code == 413
    assert "ไฟล์หรือข้อมูลที่ส่งมีขนาดใหญ่เกินกำหนด" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("/var/www/รายงาน.pdf", "รายงาน.pdf"),
        ("ตาราง/../../ตาราง.pdf", "ตาราง.pdf"),
    ],
)
def test_the_path_is_stripped_from_an_uploaded_filename(app, drafter, srisuk, typed, kept):
    assert upload(drafter, srisuk.memo_id, typed, PDF).status_code == 302
    (row,) = stored(app)
    assert row.filename == kept
    assert files_in_storage(app) == [row.storage_key]


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("..\\..\\Windows\\win.ini.pdf", "win.ini.pdf"),  # as old Windows browsers send it
        ("C:\\Users\\สมศรี\\Desktop\\ตาราง.pdf", "ตาราง.pdf"),
        ("ราย\x00งาน\n.pdf", "รายงาน.pdf"),
        ("../..", "attachment"),
        ("ก" * 300 + ".pdf", "ก" * 196 + ".pdf"),  # a long name keeps its type
    ],
)
def test_clean_filename_keeps_a_plain_name(typed, kept):
    assert clean_filename(typed) == kept


def test_a_long_thai_filename_is_shortened_not_refused(app, drafter, srisuk):
    name = "รายงานผลการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส" * 5 + ".pdf"
    assert upload(drafter, srisuk.memo_id, name, PDF).status_code == 302
    (row,) = stored(app)
    assert len(row.filename) == 200
    assert row.filename.endswith(".pdf") and name.startswith(row.filename[:-4])


def test_upload_and_delete_are_refused_once_the_memo_is_in_review(app, client, srisuk):
    memo = srisuk.memo_id
    login(client, "nattanipa")
    upload(client, memo, "ตาราง.pdf", PDF)
    (attachment,) = stored(app)
    client.post_form(f"/documents/{memo}/submit")

    response = upload(client, memo, "เพิ่มภายหลัง.pdf", PDF)
    assert response.status_code == 403
    assert "แก้ไขไม่ได้ เพราะเอกสารอยู่ในสถานะ “อยู่ระหว่างพิจารณา”" in response.get_data(as_text=True)
    response = client.post_form(f"/documents/{memo}/attachments/{attachment.id}/delete")
    assert response.status_code == 403
    assert [a.id for a in stored(app)] == [attachment.id]
    assert files_in_storage(app) == [attachment.storage_key]


def test_a_draft_attachment_can_be_deleted_by_its_drafter(app, drafter, srisuk):
    upload(drafter, srisuk.memo_id, "ผิดไฟล์.pdf", PDF)
    (attachment,) = stored(app)
    response = drafter.post_form(f"/documents/{srisuk.memo_id}/attachments/{attachment.id}/delete")
    assert response.status_code == 302
    assert stored(app) == []


def test_download_only_for_those_who_may_read_the_memo(app, client, srisuk):
    memo = srisuk.memo_id
    b = other_organisation(app)
    with app.app_context():
        srisuk_org = db.session.scalars(
            sa.select(Organisation).where(Organisation.id == srisuk.org_id)
        ).one()
        make_user(srisuk_org, "somsri", "สมศรี มีสุข", user("nattanipa").position, title="นางสาว")
        db.session.commit()
    login(client, "nattanipa")
    upload(client, memo, "ตาราง.pdf", PDF)
    (attachment,) = [a for a in stored(app) if a.document_id == memo]
    logout(client)

    def status(username: str) -> int:
        login(client, username)
        response, _ = download(client, memo, attachment.id)
        logout(client)
        return response.status_code

    # A draft is its drafter's alone.
    assert {u: status(u) for u in ("nattanipa", "chuttikan", "admin", "somsri", b.admin)} == {
        "nattanipa": 200,
        "chuttikan": 403,
        "admin": 403,
        "somsri": 403,
        b.admin: 404,
    }
    login(client, "nattanipa")
    client.post_form(f"/documents/{memo}/submit")
    logout(client)
    # Submitted: the chain and the organisation's admin may read it; a colleague outside the
    # chain may not; another organisation does not see that it exists.
    assert {u: status(u) for u in ("nattanipa", "chuttikan", "admin", "somsri", b.admin)} == {
        "nattanipa": 200,
        "chuttikan": 200,
        "admin": 200,
        "somsri": 403,
        b.admin: 404,
    }
