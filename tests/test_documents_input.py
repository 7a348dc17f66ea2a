"""Bad input on the memo pages: re-shown with a clear Thai error beside the field, nothing saved.

Thai users type B.E. years and often Thai digits; both are accepted wherever a date or number
is typed, and stored in the C.E. calendar with Arabic digits.
"""

import re
from datetime import date

import pytest
import sqlalchemy as sa
from support.client import login
from support.factories import memo_content, user
from support.pages import document, error_beside, log_rows, logout, return_memo

from extensions import db
from models import ChainStep, DocState, Document, NumberCounter
from workflow import documents as service
from workflow.errors import ValidationFailed

REQUIRED = "กรุณากรอกข้อมูลช่องนี้"


def memo_form(**changes) -> dict:
    """The new-memo form as a drafter fills it; `sections` is a list of (heading, body)."""
    sections = changes.pop("sections", [("ข้อเท็จจริง", "ผลการประเมินได้ 93.57 คะแนน")])
    data = {
        "doc_type": "general",
        "unit_id": "0",
        "issuing_unit": "สำนักปลัด โทร. 044-569109",
        "doc_date": "27/10/2568",
        "subject": "ขอรายงานผลการประเมิน",
        "addressee": "นายก",
        "closing": "จึงเรียนมาเพื่อโปรดพิจารณา",
    }
    for i, (heading, body) in enumerate(sections):
        data[f"sections-{i}-heading"] = heading
        data[f"sections-{i}-body"] = body
    return {**data, **changes}


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Document.id)))


@pytest.fixture
def drafter(client, srisuk):
    login(client, "nattanipa")
    return client


def test_writing_from_scratch_offers_a_general_memo_and_a_link_may_ask_for_an_analysis(drafter):
    selected = r'<option selected value="{}">'
    assert re.search(
        selected.format("general"), drafter.get("/documents/new").get_data(as_text=True)
    )
    asked = drafter.get("/documents/new?type=analysis").get_data(as_text=True)
    assert re.search(selected.format("analysis"), asked)


def test_a_valid_memo_is_saved_as_typed(app, drafter):
    response = drafter.post_form("/documents/new", memo_form())
    assert response.status_code == 302
    doc_id = int(response.headers["Location"].rsplit("/", 1)[1])
    doc = document(app, doc_id)
    assert (doc.subject, doc.doc_date, doc.state) == (
        "ขอรายงานผลการประเมิน",
        date(2025, 10, 27),
        DocState.DRAFT,
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("subject", "", REQUIRED),
        ("subject", "   ", REQUIRED),
        ("addressee", "", REQUIRED),
        ("issuing_unit", "", REQUIRED),
        ("subject", "ก" * 501, "ยาวได้ไม่เกิน 500 ตัวอักษร"),
        ("addressee", "ก" * 301, "ยาวได้ไม่เกิน 300 ตัวอักษร"),
        ("issuing_unit", "ก" * 301, "ยาวได้ไม่เกิน 300 ตัวอักษร"),
        ("closing", "ก" * 301, "ยาวได้ไม่เกิน 300 ตัวอักษร"),
        ("sections-0-heading", "ก" * 301, "ยาวได้ไม่เกิน 300 ตัวอักษร"),
        ("sections-0-body", "ก" * 20_001, "ยาวได้ไม่เกิน 20,000 ตัวอักษร"),
        ("doc_date", "", "กรุณาระบุวันที่"),
        ("doc_date", "29/02/2568", "ไม่มีวันที่นี้ในปฏิทิน"),  # 2025 is not a leap year
        ("doc_date", "๓๑/๐๔/๒๕๖๘", "ไม่มีวันที่นี้ในปฏิทิน"),
        ("doc_date", "27/10/68", "รูปแบบวันที่ไม่ถูกต้อง ให้พิมพ์เป็น วัน/เดือน/ปี พ.ศ. เช่น 27/10/2568"),
        ("doc_date", "27 ตุลา 2568", "ไม่รู้จักชื่อเดือนนี้ ให้ใช้ชื่อเดือนภาษาไทย เช่น ตุลาคม หรือ ต.ค."),
    ],
)
def test_bad_input_is_shown_beside_its_field_and_nothing_is_saved(
    app, drafter, field, value, message
):
    response = drafter.post_form("/documents/new", memo_form(**{field: value}))
    page = response.get_data(as_text=True)
    assert error_beside(page, field) == [message]
    assert "กรุณาแก้ไขข้อมูลที่มีข้อความสีแดงกำกับ" in page
    assert _count(app) == 1  # the seed memo only
    if value.strip() and len(value) < 400:
        assert f'value="{value}"' in page  # what was typed is kept for correcting


def test_the_longest_allowed_values_are_saved_whole(app, drafter):
    response = drafter.post_form(
        "/documents/new",
        memo_form(subject="ก" * 500, addressee="ข" * 300, sections=[("ค" * 300, "ง" * 20_000)]),
    )
    assert response.status_code == 302
    doc_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        doc = db.session.get(Document, doc_id)
        assert (len(doc.subject), len(doc.addressee)) == (500, 300)
        assert [(len(s.heading), len(s.body)) for s in doc.sections] == [(300, 20_000)]


@pytest.mark.parametrize(
    "typed",
    ["๒๗/๑๐/๒๕๖๘", "27/10/2568", "27 ตุลาคม 2568", "๒๗ ต.ค. ๒๕๖๘", "27-10-2568", "2025-10-27"],
)
def test_be_dates_and_thai_digits_are_understood(app, drafter, typed):
    response = drafter.post_form("/documents/new", memo_form(doc_date=typed))
    assert response.status_code == 302, error_beside(response.get_data(as_text=True), "doc_date")
    doc_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert document(app, doc_id).doc_date == date(2025, 10, 27)


def test_thai_digits_in_the_issuing_unit_are_stored_arabic(app, drafter):
    response = drafter.post_form(
        "/documents/new", memo_form(issuing_unit="สำนักปลัด โทร. ๐๔๔-๕๖๙๑๐๙")
    )
    doc_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert document(app, doc_id).issuing_unit == "สำนักปลัด โทร. 044-569109"
    # ... and shown in the organisation's digits (อบต.ศรีสุข uses Thai digits).
    assert "สำนักปลัด โทร. ๐๔๔-๕๖๙๑๐๙" in drafter.get(f"/documents/{doc_id}").get_data(as_text=True)


def test_a_failed_edit_of_a_returned_memo_changes_nothing(app, client, srisuk):
    memo = srisuk.memo_id
    login(client, "nattanipa")
    client.post_form(f"/documents/{memo}/submit")
    logout(client)
    login(client, "thanyarat")
    return_memo(client, memo, "กรุณาแก้ไขวันที่")
    logout(client)

    login(client, "nattanipa")
    before = document(app, memo)
    response = client.post_form(
        f"/documents/{memo}/edit",
        memo_form(subject="เรื่องใหม่ที่ยังไม่ควรบันทึก", doc_date="30/02/2568"),
    )
    assert error_beside(response.get_data(as_text=True), "doc_date") == ["ไม่มีวันที่นี้ในปฏิทิน"]
    after = document(app, memo)
    assert (after.subject, after.doc_date, after.state) == (
        before.subject,
        before.doc_date,
        DocState.RETURNED,
    )


def test_thirty_sections_are_kept_and_a_thirty_first_is_refused(app, drafter):
    thirty = [(f"หัวข้อ {i}", f"เนื้อหา {i}") for i in range(1, 31)]
    response = drafter.post_form("/documents/new", memo_form(sections=thirty))
    assert response.status_code == 302
    doc_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        assert len(db.session.get(Document, doc_id).sections) == 30
    assert drafter.get(f"/documents/{doc_id}/edit").status_code == 200

    for too_many in ([*thirty, ("หัวข้อ 31", "")], [*thirty, ("", ""), ("", "เนื้อหา 32")]):
        response = drafter.post_form("/documents/new", memo_form(sections=too_many))
        page = response.get_data(as_text=True)
        assert error_beside(page, "sections") == ["มีหัวข้อได้ไม่เกิน 30 หัวข้อ"]
    assert _count(app) == 2  # the seed memo and the memo of thirty sections, nothing more


def test_submit_without_a_chain_explains_itself_and_gives_no_number(app, client, srisuk):
    with app.app_context():
        db.session.execute(sa.delete(ChainStep))
        db.session.commit()
        counters = db.session.execute(sa.select(NumberCounter.fiscal_year, NumberCounter.last_seq))
        counters = counters.all()
    login(client, "nattanipa")
    response = client.post_form(f"/documents/{srisuk.memo_id}/submit", follow_redirects=True)
    assert "ยังไม่ได้กำหนดสายการลงนามของ “บันทึกรายงานผลการวิเคราะห์ ITA”" in response.get_data(
        as_text=True
    )
    doc = document(app, srisuk.memo_id)
    assert (doc.state, doc.number_seq, doc.revision) == (DocState.DRAFT, None, 1)
    assert log_rows(app, srisuk.memo_id) == []
    with app.app_context():
        now = db.session.execute(sa.select(NumberCounter.fiscal_year, NumberCounter.last_seq))
        assert now.all() == counters


def test_an_overlong_comment_is_refused_beside_the_comment(app, client, srisuk):
    from support.pages import decide

    login(client, "nattanipa")
    client.post_form(f"/documents/{srisuk.memo_id}/submit")
    logout(client)
    login(client, "thanyarat")
    response = decide(client, srisuk.memo_id, "เห็นควรเสนอเพื่อโปรดพิจารณา", "ก" * 2001)
    assert response.status_code == 400
    assert error_beside(response.get_data(as_text=True), "comment") == ["ยาวได้ไม่เกิน 2,000 ตัวอักษร"]
    assert document(app, srisuk.memo_id).current_step == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"subject": "  "}, "subject"),
        ({"addressee": ""}, "addressee"),
        ({"subject": "ก" * 501}, "subject"),
        ({"sections": [("ก" * 301, "")]}, "sections"),
        ({"sections": [("", "ก" * 20_001)]}, "sections"),
    ],
)
def test_the_service_guards_content_without_the_form(srisuk, ctx, change, field):
    with pytest.raises(ValidationFailed) as refused:
        service.create_draft(user("nattanipa"), memo_content(**change))
    assert refused.value.field == field
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Document.id))) == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("doc_type", "secret", "กรุณาเลือกประเภทเอกสารจากรายการ"),
        ("unit_id", "9999", "กรุณาเลือกหน่วยงานจากรายการ"),  # not a unit of this organisation
        ("unit_id", "กองคลัง", "กรุณาเลือกหน่วยงานจากรายการ"),
    ],
)
def test_a_choice_not_on_the_list_is_refused_in_thai(app, drafter, field, value, message):
    response = drafter.post_form("/documents/new", memo_form(**{field: value}))
    assert error_beside(response.get_data(as_text=True), field) == [message]
    assert _count(app) == 1
