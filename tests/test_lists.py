"""Lists of memos and measures: filters, only what the user may see, pages, CSV and Excel."""

import csv
import io
from datetime import date

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from support.client import login
from support.pages import text
from test_reports_helpers import switch

from extensions import db
from models import Document, Unit, User
from workflow import documents
from workflow.lists.export import to_xlsx

SUBJECT = "รายงานผลการวิเคราะห์ผลการประเมินคุณธรรม"


def new_draft(app, username: str, subject: str, unit: str | None = None) -> int:
    with app.app_context():
        actor = db.session.scalars(sa.select(User).where(User.username == username)).one()
        unit_id = db.session.scalar(sa.select(Unit.id).where(Unit.name == unit)) if unit else None
        doc = documents.create_draft(
            actor,
            documents.MemoContent(
                doc_type=documents.DocType.GENERAL,
                issuing_unit="สำนักปลัด",
                doc_date=date(2026, 11, 2),
                subject=subject,
                addressee="นายก",
                sections=[("ข้อเท็จจริง", "เนื้อหา")],
                unit_id=unit_id,
            ),
        )
        db.session.commit()
        return doc.id


def csv_rows(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode())  # the BOM: Excel reads the Thai as UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_a_draft_is_listed_for_its_drafter_only_until_it_is_submitted(app, client, srisuk):
    login(client, "nattanipa")
    assert SUBJECT in text(client.get("/lists/documents"))
    for other in ("thanyarat", "nakarin", "admin"):
        switch(client, other)
        assert SUBJECT not in text(client.get("/lists/documents")), other
    switch(client, "nattanipa")
    client.post_form(f"/documents/{srisuk.memo_id}/submit")
    for other in ("thanyarat", "nakarin", "admin"):
        switch(client, other)
        assert SUBJECT in text(client.get("/lists/documents")), other


def test_people_outside_the_chain_see_only_their_own(app, client, srisuk):
    login(client, "nattanipa")
    client.post_form(f"/documents/{srisuk.memo_id}/submit")
    with app.app_context():  # a clerk of กองช่าง, in no chain
        org_id = srisuk.org_id
        clerk = User(org_id=org_id, username="clerk", title="นาย", full_name="เสมียน กองช่าง")
        clerk.set_password("demo-pass-123")
        db.session.add(clerk)
        db.session.commit()
    client.post_form("/logout")
    client.csrf = None
    login(client, "clerk", "demo-pass-123")
    new_draft(app, "clerk", "บันทึกของเสมียน")
    html = text(client.get("/lists/documents"))
    assert "บันทึกของเสมียน" in html and SUBJECT not in html


def test_filters_by_type_state_year_and_unit(app, client, srisuk):
    new_draft(app, "nattanipa", "บันทึกกองคลัง", unit="กองคลัง")
    login(client, "nattanipa")
    client.post_form(f"/documents/{srisuk.memo_id}/submit")  # analysis memo, สำนักปลัด, 2570

    def listed(query: str) -> str:
        return text(client.get(f"/lists/documents?{query}"))

    assert "บันทึกกองคลัง" not in listed("doc_type=analysis") and SUBJECT in listed(
        "doc_type=analysis"
    )
    assert "บันทึกกองคลัง" in listed("state=draft") and SUBJECT not in listed("state=draft")
    assert SUBJECT in listed("state=in_review")
    with app.app_context():
        finance = db.session.scalar(sa.select(Unit.id).where(Unit.name == "กองคลัง"))
    assert "บันทึกกองคลัง" in listed(f"unit={finance}") and SUBJECT not in listed(f"unit={finance}")
    # The draft dated 2 November 2026 belongs to 2570 like the submitted memo.
    both = listed("fiscal_year=2570")
    assert "บันทึกกองคลัง" in both and SUBJECT in both
    assert "ไม่พบเอกสาร" in listed("fiscal_year=2569")
    assert "ทั้งหมด ๒ รายการ" in listed("state=nonsense")  # a value not offered is ignored


def test_the_list_pages(app, client, srisuk):
    for n in range(55):
        new_draft(app, "nattanipa", f"บันทึกลำดับ {n:03d}")
    login(client, "nattanipa")
    first = text(client.get("/lists/documents"))
    assert "ทั้งหมด ๕๖ รายการ" in first and "หน้า ๑ จาก ๒" in first
    assert 'rel="next"' in first
    second = text(client.get("/lists/documents?page=2"))
    assert second.count("<tr>") - 1 == 6  # the header row and six memos


def test_the_csv_export_has_the_filtered_rows_and_is_safe_to_open(app, client, srisuk):
    new_draft(app, "nattanipa", '=HYPERLINK("http://evil.example")')
    new_draft(app, "nattanipa", "บันทึกกองคลัง", unit="กองคลัง")
    login(client, "nattanipa")
    response = client.get("/lists/documents?export=csv&state=draft")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0][:4] == ["เลขที่", "เรื่อง", "ประเภท", "สถานะ"]
    subjects = {r[1] for r in rows[1:]}
    assert "บันทึกกองคลัง" in subjects
    assert '\'=HYPERLINK("http://evil.example")' in subjects  # text, never a formula
    assert len(rows) == 4  # header, the demo draft and the two new ones
    with_unit = csv_rows(client.get("/lists/documents?export=csv&state=draft&unit=999999"))
    assert len(with_unit) == 4  # a unit not of the organisation is ignored


def test_the_excel_export_opens_with_the_same_rows(app, client, srisuk):
    new_draft(app, "nattanipa", "=1+1")
    login(client, "nattanipa")
    response = client.get("/lists/documents?export=xlsx")
    assert response.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "เรื่อง"
    assert {r[1] for r in rows[1:]} == {memo_subject(app, srisuk), "=1+1"}
    formula_cell = next(c for c in sheet["B"] if c.value == "=1+1")
    assert formula_cell.data_type == "s"  # stored as text


@pytest.mark.parametrize(
    ("title", "sheet"),
    [
        ("รายงาน 1/2569", "รายงาน 1-2569"),
        ("a\\b?c*d[e]f:g", "a-b-c-d-e-f-g"),
        ("มาตรการของกองคลัง/สำนักปลัด ปีงบประมาณ 2569", "มาตรการของกองคลัง-สำนักปลัด ปีง"),
        ("'ทะเบียน'", "ทะเบียน"),
        ("", "ข้อมูล"),
    ],
)
def test_the_excel_export_names_its_sheet_whatever_the_title_holds(title, sheet):
    """openpyxl refused a title with / (and Excel any of \\ / ? * [ ] : or over 31 letters):
    the export raised instead of giving the file."""
    book = load_workbook(io.BytesIO(to_xlsx(title, ["เรื่อง"], [["บันทึกข้อความ"]])))
    assert book.sheetnames == [sheet] and len(sheet) <= 31
    assert list(book.active.iter_rows(values_only=True)) == [("เรื่อง",), ("บันทึกข้อความ",)]


def memo_subject(app, srisuk) -> str:
    with app.app_context():
        return db.session.get(Document, srisuk.memo_id).subject


def test_the_exports_hold_only_what_the_user_may_see(app, client, srisuk):
    login(client, "thanyarat")
    assert (
        len(csv_rows(client.get("/lists/documents?export=csv"))) == 1
    )  # the drafter's draft: not hers
    sheet = load_workbook(io.BytesIO(client.get("/lists/documents?export=xlsx").get_data())).active
    assert sheet.max_row == 1


def test_measures_are_listed_filtered_and_exported(app, client, srisuk):
    login(client, "nakarin")
    html = text(client.get("/lists/measures?state=overdue"))
    assert "มาตรการส่งเสริมการเปิดเผยข้อมูลต่อสาธารณะ" in html
    assert "กิจกรรมส่งเสริมคุณธรรมและสร้างวัฒนธรรม No Gift Policy" not in html  # done in 2569
    # Ten measures of 2569, two done; and of 2570 the monthly one that missed October.
    assert "ทั้งหมด ๙ รายการ" in html
    this_year = text(client.get("/lists/measures?fiscal_year=2570"))
    assert "ทั้งหมด ๑๐ รายการ" in this_year and this_year.count("เกินกำหนด</strong>") == 1
    with app.app_context():
        works = db.session.scalar(sa.select(Unit.id).where(Unit.name == "กองช่าง"))
    rows = csv_rows(client.get(f"/lists/measures?export=csv&fiscal_year=2569&unit={works}"))
    assert rows[0][2] == "มาตรการ/โครงการ/กิจกรรม"
    assert len(rows) == 1 + 3  # กองช่าง shares three measures of 2569
    assert all("กองช่าง" in r[7] for r in rows[1:])
    sheet = load_workbook(
        io.BytesIO(client.get("/lists/measures?export=xlsx&state=overdue").get_data())
    ).active
    assert sheet.max_row == 1 + 9
    assert {r[11] for r in sheet.iter_rows(min_row=2, values_only=True)} == {"เกินกำหนด"}


def test_exports_give_bangkoks_submission_day_as_a_real_date_cell(app, client, srisuk):
    """Submitted at 05:18 on 5 December in Bangkok, which is still 4 December in UTC."""
    from support.reminders import bangkok, submit_memo

    submit_memo(app, srisuk.memo_id, bangkok(date(2026, 12, 5), 5, 18))
    login(client, "nattanipa")
    (row,) = csv_rows(client.get("/lists/documents?export=csv"))[1:]
    assert row[-1] == "5 ธันวาคม 2569"

    response = client.get("/lists/documents?export=xlsx")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    submitted = sheet.cell(row=2, column=sheet.max_column)
    assert submitted.is_date and submitted.value.date() == date(2026, 12, 5)
    assert "107041E" in submitted.number_format  # shown in the Thai Buddhist calendar
    dated = sheet.cell(row=2, column=sheet.max_column - 1)
    assert dated.is_date
    fiscal_year = sheet.cell(row=2, column=8)
    assert fiscal_year.value == 2570 and fiscal_year.data_type == "n"


def test_the_excel_sheet_opens_with_a_frozen_header_a_filter_and_fitted_columns(
    app, client, srisuk
):
    login(client, "nakarin")
    sheet = load_workbook(
        io.BytesIO(client.get("/lists/measures?export=xlsx&fiscal_year=2569").get_data())
    ).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:O{sheet.max_row}"
    widths = {c: sheet.column_dimensions[c].width for c in "ABC"}
    assert widths["A"] < 16 and widths["C"] > 40  # year narrow, the measures' titles wide
    numbers = [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert numbers and all(isinstance(n, int) for n in numbers)  # numbers, not text


def test_the_filters_fold_away_with_a_count_of_those_in_use(app, client, srisuk):
    """On a phone the results come first: the filters sit in a <details> (opened by app.js on
    wider screens) whose summary says how many are in use."""
    login(client, "nattanipa")
    for url in ("/lists/documents", "/search/?q=ITA"):
        page = text(client.get(url))
        folded = page[page.index('<details class="more-filters" data-open-wide>') :]
        assert "<summary>ตัวกรอง</summary>" in folded
        assert folded.index('name="state"') < folded.index("</details>")
    page = text(client.get("/search/?q=ITA&state=draft&kind=document"))
    assert "<summary>ตัวกรอง (ใช้อยู่ ๒)</summary>" in page
