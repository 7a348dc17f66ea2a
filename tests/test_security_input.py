"""Text that is not what it looks like: invisible control characters, direction overrides and
zero-width-only values are cleaned at input on every form; NUL bytes are refused with a message;
exports stay readable whatever an older version stored."""

import io

import sqlalchemy as sa
from openpyxl import load_workbook
from support.client import login
from support.pages import document, error_beside
from test_documents_input import REQUIRED, memo_form
from test_lists import new_draft

from extensions import db
from models import Measure
from workflow.text import clean_input, printable


def test_the_cleaning_rule():
    assert clean_input("เรื่อง\x01ทดสอบ\x0b") == "เรื่องทดสอบ"
    assert clean_input("ก\u202eข\u2066ค\u2069") == "กขค"  # no direction overrides or isolates
    assert clean_input("\u200b\u200b \ufeff") == ""  # nothing visible: empty, so required fails
    assert clean_input("บรรทัดแรก\r\n\tบรรทัดสอง") == "บรรทัดแรก\r\n\tบรรทัดสอง"  # long text keeps them
    assert clean_input("ตัด\u200bคำ") == "ตัด\u200bคำ"  # a word-break hint inside Thai text stays
    assert printable("a\x00b\x01c\x1fd\ufffe") == "abcd"


def test_control_characters_typed_into_a_memo_are_not_stored(app, client, srisuk):
    login(client, "nattanipa")
    form = memo_form(
        subject="ขอรายงาน\x01ผล\u202eการประเมิน", **{"sections-0-body": "ย่อหน้าแรก\n\tย่อหน้าสอง\x0b"}
    )
    response = client.post_form("/documents/new", form)
    assert response.status_code == 302
    doc = document(app, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert doc.subject == "ขอรายงานผลการประเมิน"


def test_a_subject_of_only_zero_width_spaces_is_required_like_an_empty_one(app, client, srisuk):
    login(client, "nattanipa")
    response = client.post_form("/documents/new", memo_form(subject="\u200b\u200b\u200b"))
    assert error_beside(response.get_data(as_text=True), "subject") == [REQUIRED]


def test_a_nul_byte_in_the_login_form_is_a_400_with_a_message(client, srisuk):
    client.fetch_csrf("/login")
    response = client.post_form("/login", {"username": "admin\x00", "password": "x"})
    assert response.status_code == 400
    assert "อักขระที่ใช้ไม่ได้" in response.get_data(as_text=True)


def test_a_nul_byte_in_a_search_or_a_form_is_a_400_with_a_message(app, client, srisuk):
    login(client, "nattanipa")
    assert client.get("/search?q=ITA%00").status_code == 400
    response = client.post_form("/documents/new", memo_form(subject="เรื่อง\x00"))
    assert response.status_code == 400
    assert "อักขระที่ใช้ไม่ได้" in response.get_data(as_text=True)


def test_exports_open_whatever_control_characters_are_already_stored(app, client, srisuk):
    new_draft(app, "nattanipa", "เรื่องที่มี\x01อักขระควบคุม")
    with app.app_context():
        measure = db.session.scalars(sa.select(Measure).order_by(Measure.id)).first()
        measure.title = "มาตรการ\x0bที่บันทึกไว้ก่อน"
        db.session.commit()
    login(client, "nattanipa")
    expected = {
        "/lists/documents?export=xlsx": "เรื่องที่มีอักขระควบคุม",
        "/lists/measures?export=xlsx&fiscal_year=2569": "มาตรการที่บันทึกไว้ก่อน",
    }
    for url, title in expected.items():
        response = client.get(url)
        assert response.status_code == 200, url
        cells = {
            value
            for row in load_workbook(io.BytesIO(response.get_data())).active.iter_rows(
                values_only=True
            )
            for value in row
        }
        assert title in cells, url
    rows = client.get("/lists/documents?export=csv").get_data(as_text=True)
    assert "เรื่องที่มีอักขระควบคุม" in rows


def test_a_line_break_in_a_persons_name_becomes_a_space(app, srisuk):
    from workflow.admin.common import clean_text

    assert clean_text("สมชาย\r\nBcc: x@example.com", "full_name", 200) == "สมชาย Bcc: x@example.com"
