"""The progress reports page: creating a round's report, refusals, and refreshing its table."""

import pytest
import sqlalchemy as sa
from support.client import login
from support.measures import BUDGET, add_entry, bangkok, make_plan, no_plan, set_status
from support.pages import body, document
from test_reports_helpers import (
    APRIL,
    at,
    create_report,
    round_of,
    rows_of,
    snapshot_data,
    switch,
    table_html,
)

from extensions import db
from models import (
    DocState,
    DocType,
    Document,
    DocumentSection,
    MeasureStatus,
    ReportSnapshot,
    RoundKind,
)

SUBJECT = (
    "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
    " ประจำปีงบประมาณ พ.ศ. 2569 รอบ 6 เดือน (1 ตุลาคม 2568 – 31 มีนาคม 2569)"
)


@pytest.fixture
def plan(app, srisuk, monkeypatch):
    at(monkeypatch, APRIL)
    return make_plan(app, srisuk.org_id)


HALF_CREATE = "/reports/2569/rounds/half/create"


@pytest.fixture
def half(app, srisuk) -> int:
    return round_of(app, srisuk.org_id, RoundKind.HALF)


def report_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(ReportSnapshot.document_id)))


def test_the_page_lists_the_rounds_with_due_dates_and_a_button_for_each(app, client, plan):
    login(client, "thanyarat")
    page = body(client.get("/reports/"))
    assert "ปีงบประมาณ พ.ศ. ๒๕๖๙" in page
    half = page[page.index('id="round-half"') : page.index('id="round-annual"')]
    assert "รอบ ๖ เดือน" in half and "๓๐ เมษายน ๒๕๖๙" in half and "ยังไม่มีรายงาน" in half
    assert "จัดทำรายงาน" in half
    assert page.count(">จัดทำรายงาน</button>") == 6
    assert (
        page.index('id="round-half"')
        < page.index('id="round-annual"')
        < page.index('id="round-q1"')
    )


def test_creating_the_half_year_report_drafts_a_memo_like_seed_004(app, client, plan, half):
    login(client, "nattanipa")
    doc_id = create_report(client, half)
    with app.app_context():
        doc = db.session.get(Document, doc_id)
        assert doc.doc_type == DocType.PROGRESS_REPORT and doc.state == DocState.DRAFT
        assert doc.drafter.username == "nattanipa" and doc.doc_date == APRIL
        assert doc.subject == SUBJECT  # stored with Arabic digits
        assert doc.issuing_unit == "สำนักปลัดองค์การบริหารส่วนตำบลศรีสุข โทร. 044-569109"
        assert doc.addressee == "นายกองค์การบริหารส่วนตำบลศรีสุข"
        assert [s.heading for s in doc.sections] == ["เรื่องเดิม", "ข้อเท็จจริง", "ข้อเสนอเพื่อพิจารณา"]
        background, facts, proposal = (s.body for s in doc.sections)
        assert "จำนวน 3 มาตรการ" in background
        assert background.count("ประจำปีงบประมาณ พ.ศ. 2569") == 1
        assert "ณ วันที่ 31 มีนาคม 2569" in facts
        assert "(1) ดำเนินการแล้ว 1 มาตรการ" in facts
        assert "(2) อยู่ระหว่างดำเนินการ 1 มาตรการ" in facts
        assert "(3) ยังไม่ดำเนินการ 1 มาตรการ" in facts and "ยกเลิก" not in facts
        assert "นายกองค์การบริหารส่วนตำบลศรีสุข" in proposal
        assert doc.report_snapshot.round_id == half
        assert doc.report_snapshot.plan_id == plan.plan_id
    page = body(client.get(f"/documents/{doc_id}"))
    assert "รอบ ๖ เดือน (๑ ตุลาคม ๒๕๖๘ – ๓๑ มีนาคม ๒๕๖๙)" in page  # shown in Thai digits
    table = table_html(page)
    for heading in (
        "ประเด็นที่ต้องพัฒนา (ตัวชี้วัด/ข้อคำถาม)",
        "ผู้รับผิดชอบ",
        "ขั้นตอน/วิธีการ/มาตรการ",
        "การกำกับติดตามและรายงานผล",
        "การดำเนินการ",
    ):
        assert f"<th>{heading}</th>" in table
    assert 'class="stack"' in table
    assert "สำนักปลัดประกาศมาตรฐานจรรยาบรรณพนักงานแล้ว" in table
    assert "ดำเนินการเมื่อวันที่ ๑๐ มกราคม ๒๕๖๙" in table
    assert 'href="https://srisuk.go.th/ethics"' in table
    assert "ไตรมาสที่ 2" not in table and "ไตรมาสที่ ๒" not in table  # April's entry: next round
    assert "๕๐,๐๐๐ บาท" in table and "ต.ค.๖๘ – ก.ย.๖๙" in table
    assert "ปรับปรุงข้อมูลจากมาตรการล่าสุด" in table  # the drafter's draft may be refreshed
    index = body(client.get("/reports/"))
    half_row = index[index.index('id="round-half"') : index.index('id="round-annual"')]
    assert f'href="/documents/{doc_id}"' in half_row and "ร่าง" in half_row
    assert "จัดทำรายงาน</button>" not in half_row


def test_a_report_needs_the_years_plan(app, client, srisuk, monkeypatch):
    at(monkeypatch, APRIL)
    no_plan(app, srisuk.org_id)
    login(client, "nattanipa")
    before = rows_of(app)
    page = body(client.get("/reports/"))
    assert "ยังไม่มีแผนมาตรการของปีงบประมาณ พ.ศ. ๒๕๖๙" in page
    assert "จัดทำรายงาน</button>" not in page
    response = client.post_form(HALF_CREATE, follow_redirects=True)
    assert "ยังไม่มีแผนมาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. ๒๕๖๙" in body(response)
    assert rows_of(app) == before  # not even the round was saved


def test_a_second_report_for_the_round_is_refused_with_a_link_to_the_first(app, client, plan, half):
    login(client, "nattanipa")
    first = create_report(client, half)
    switch(client, "thanyarat")
    before = rows_of(app)
    response = client.post_form(HALF_CREATE, follow_redirects=True)
    page = body(response)
    assert "รอบนี้มีรายงานอยู่แล้ว (สถานะ “ร่าง”) จัดทำซ้ำไม่ได้" in page
    assert f'<a href="/documents/{first}">เปิดรายงานฉบับเดิม</a>' in page
    assert rows_of(app) == before


def test_after_the_first_is_withdrawn_a_new_report_may_be_made(app, client, plan, half):
    login(client, "nattanipa")
    first = create_report(client, half)
    client.post_form(f"/documents/{first}/submit")
    client.post_form(f"/documents/{first}/withdraw")
    assert document(app, first).state == DocState.WITHDRAWN
    switch(client, "thanyarat")  # any active member may draft it; the creator is the drafter
    second = create_report(client, half)
    assert document(app, second).drafter_id != document(app, first).drafter_id
    index = body(client.get("/reports/"))
    half_row = index[index.index('id="round-half"') : index.index('id="round-annual"')]
    assert f'href="/documents/{second}"' in half_row
    assert f'href="/documents/{first}"' in half_row and "ถอนเรื่อง" in half_row


def test_the_drafter_refreshes_a_draft_from_the_latest_measures(app, client, plan, half):
    login(client, "nattanipa")
    doc_id = create_report(client, half)
    add_entry(app, plan.budget_id, APRIL.replace(month=3, day=20), "ประชุมชี้แจงการใช้จ่ายงบประมาณ")
    assert "ประชุมชี้แจงการใช้จ่ายงบประมาณ" not in table_html(body(client.get(f"/documents/{doc_id}")))
    response = client.post_form(f"/reports/documents/{doc_id}/refresh", follow_redirects=True)
    page = body(response)
    assert "ปรับปรุงตารางจากข้อมูลมาตรการล่าสุดแล้ว" in page
    assert "ประชุมชี้แจงการใช้จ่ายงบประมาณ" in table_html(page)
    budget = snapshot_data(app, doc_id)["measures"][1]
    assert budget["title"] == BUDGET and len(budget["entries"]) == 2
    response = client.post_form(f"/reports/documents/{doc_id}/refresh", follow_redirects=True)
    assert "ข้อมูลมาตรการไม่มีการเปลี่ยนแปลง" in body(response)


def test_refreshing_updates_the_counts_unless_the_drafter_rewrote_them(app, client, plan, half):
    login(client, "nattanipa")
    doc_id = create_report(client, half)
    set_status(app, plan.complaints_id, MeasureStatus.IN_PROGRESS, bangkok(APRIL.replace(month=3)))
    client.post_form(f"/reports/documents/{doc_id}/refresh")
    facts = document_sections(app, doc_id)["ข้อเท็จจริง"]
    assert "(2) อยู่ระหว่างดำเนินการ 2 มาตรการ" in facts
    assert "(3) ยังไม่ดำเนินการ 0 มาตรการ" in facts
    with app.app_context():  # the drafter writes the facts in their own words
        db.session.execute(
            sa.update(DocumentSection)
            .where(DocumentSection.document_id == doc_id, DocumentSection.heading == "ข้อเท็จจริง")
            .values(body="ข้อเท็จจริงที่ผู้จัดทำเขียนเอง")
        )
        db.session.commit()
    set_status(app, plan.complaints_id, MeasureStatus.DONE, bangkok(APRIL.replace(month=3, day=30)))
    client.post_form(f"/reports/documents/{doc_id}/refresh")
    assert document_sections(app, doc_id)["ข้อเท็จจริง"] == "ข้อเท็จจริงที่ผู้จัดทำเขียนเอง"
    assert snapshot_data(app, doc_id)["counts"][0]["count"] == 2


def document_sections(app, doc_id: int) -> dict[str, str]:
    with app.app_context():
        return {s.heading: s.body for s in db.session.get(Document, doc_id).sections}


def test_only_the_drafter_may_refresh_and_only_while_the_report_is_editable(
    app, client, plan, half
):
    login(client, "nattanipa")
    doc_id = create_report(client, half)
    add_entry(app, plan.budget_id, APRIL.replace(month=3, day=20), "รายการที่เพิ่มภายหลัง")
    switch(client, "thanyarat")
    before = rows_of(app)
    response = client.post_form(f"/reports/documents/{doc_id}/refresh")
    assert response.status_code == 403
    assert "เฉพาะผู้จัดทำเอกสารเท่านั้นที่ทำรายการนี้ได้" in body(response)
    assert rows_of(app) == before

    switch(client, "nattanipa")
    client.post_form(f"/documents/{doc_id}/submit")
    page = body(client.get(f"/documents/{doc_id}"))
    assert "ปรับปรุงข้อมูลจากมาตรการล่าสุด" not in page  # no button once it is under review
    before = rows_of(app)
    response = client.post_form(f"/reports/documents/{doc_id}/refresh")
    assert response.status_code == 403
    assert "แก้ไขไม่ได้ เพราะเอกสารอยู่ในสถานะ “อยู่ระหว่างพิจารณา”" in body(response)
    assert rows_of(app) == before


def test_refreshing_a_memo_that_is_not_a_report_is_404(app, client, srisuk, plan):
    login(client, "nattanipa")
    assert client.post_form(f"/reports/documents/{srisuk.memo_id}/refresh").status_code == 404
    assert client.post_form("/reports/documents/999999/refresh").status_code == 404
    assert client.post_form("/reports/2569/rounds/q5/create").status_code == 404
    assert client.post_form("/reports/2400/rounds/half/create").status_code == 404


def test_posts_without_the_csrf_token_change_nothing(app, client, plan, half):
    login(client, "nattanipa")
    before = rows_of(app)
    assert client.post(HALF_CREATE).status_code == 400
    assert rows_of(app) == before


def test_a_missing_half_year_report_is_flagged_once_its_due_date_has_passed(
    app, client, srisuk, monkeypatch
):
    make_plan(app, srisuk.org_id)
    at(monkeypatch, APRIL.replace(month=5, day=4))  # Monday 4 May 2026: due 30 April
    login(client, "nattanipa")
    page = body(client.get("/reports/"))
    half_row = page[page.index('id="round-half"') : page.index('id="round-annual"')]
    assert "เลยกำหนด ๔ วัน" in half_row
    quarter_one = page[page.index('id="round-q1"') : page.index('id="round-q2"')]
    assert "เลยกำหนด" not in quarter_one  # quarters are follow-up rounds, not required reports


def test_a_withdrawn_report_may_not_come_back_once_its_round_has_another(app, client, plan, half):
    """The check `workflow.documents.reopen` calls, and the reopen button refused by it."""
    from workflow.reports import ReportExists, require_round_free

    login(client, "nattanipa")
    first = create_report(client, half)
    client.post_form(f"/documents/{first}/submit")
    client.post_form(f"/documents/{first}/withdraw")
    with app.app_context():
        require_round_free(db.session.get(Document, first))  # the round is free: no refusal
    second = create_report(client, half)
    with app.app_context():
        with pytest.raises(ReportExists) as refused:
            require_round_free(db.session.get(Document, first))
        assert refused.value.document.id == second
        require_round_free(db.session.get(Document, second))  # itself is no obstacle
    response = client.post_form(f"/documents/{first}/reopen")
    assert response.status_code == 409
    assert "รอบนี้มีรายงานอยู่แล้ว" in body(response)
    assert document(app, first).state == DocState.WITHDRAWN


def test_someone_elses_draft_is_listed_without_a_link_they_could_not_open(app, client, plan, half):
    login(client, "nattanipa")
    doc_id = create_report(client, half)
    switch(client, "chuttikan")
    page = body(client.get("/reports/"))
    half_row = page[page.index('id="round-half"') : page.index('id="round-annual"')]
    assert "ร่างรายงาน" in half_row and "นางณัฐนิภา แสงมณี" in half_row
    assert f'href="/documents/{doc_id}"' not in half_row
    assert client.get(f"/documents/{doc_id}").status_code == 403


def test_a_report_needs_a_signature_chain_for_progress_reports(app, client, srisuk, plan, half):
    from models import ChainStep

    with app.app_context():
        db.session.execute(
            sa.delete(ChainStep).where(ChainStep.doc_type == DocType.PROGRESS_REPORT)
        )
        db.session.commit()
    login(client, "nattanipa")
    response = client.post_form(HALF_CREATE, follow_redirects=True)
    assert "ยังไม่ได้กำหนดสายการลงนามของ “รายงานความก้าวหน้าตามมาตรการ”" in body(response)
    assert report_count(app) == 0


def test_a_report_keeps_its_type_and_new_memos_cannot_be_reports(app, client, plan, half):
    login(client, "nattanipa")
    new_page = body(client.get("/documents/new"))
    assert 'value="progress_report"' not in new_page
    refused = client.post_form(
        "/documents/new",
        {
            "doc_type": "progress_report",
            "issuing_unit": "สำนักปลัด",
            "doc_date": "1/4/2569",
            "subject": "รายงานที่ไม่มีตาราง",
            "addressee": "นายก",
        },
    )
    assert refused.status_code in (200, 400) and "รายงานที่ไม่มีตาราง" in body(refused)
    doc_id = create_report(client, half)
    edit_page = body(client.get(f"/documents/{doc_id}/edit"))
    assert 'value="general"' not in edit_page
    with app.app_context():
        from workflow import documents as service
        from workflow.errors import ValidationFailed

        doc = db.session.get(Document, doc_id)
        content = service.MemoContent(
            doc_type=DocType.GENERAL,
            issuing_unit=doc.issuing_unit,
            doc_date=doc.doc_date,
            subject=doc.subject,
            addressee=doc.addressee,
        )
        with pytest.raises(ValidationFailed) as refused_change:
            service.update_draft(doc_id, doc.drafter, content)
        assert refused_change.value.field == "doc_type"
        db.session.rollback()
    assert document(app, doc_id).doc_type == DocType.PROGRESS_REPORT
