"""A progress report climbs the demo chain like a memo; its table stays as it was submitted."""

from datetime import date

import sqlalchemy as sa
from support.client import login
from support.measures import add_entry, bangkok, make_plan, set_status
from support.pages import body, decide, document, log_rows, return_memo
from test_reports_helpers import (
    APRIL,
    at,
    create_report,
    other_org_with_report,
    round_of,
    rows_of,
    snapshot_data,
    switch,
    table_html,
)

from extensions import db
from models import Action, DocState, MeasurePlan, MeasureStatus, ReportRound, RoundKind
from workflow.reports import build_snapshot

LATE_ENTRY = "จัดอบรมจรรยาบรรณให้บุคลากรเพิ่มเติม (บันทึกย้อนหลัง)"


def live_snapshot(app, plan_id: int, round_id: int) -> dict:
    with app.app_context():
        return build_snapshot(
            db.session.get(MeasurePlan, plan_id), db.session.get(ReportRound, round_id)
        )


def test_a_report_is_approved_through_the_chain_and_later_edits_leave_it_alone(
    app, client, srisuk, monkeypatch
):
    at(monkeypatch, APRIL)
    plan = make_plan(app, srisuk.org_id)
    half = round_of(app, srisuk.org_id, RoundKind.HALF)
    login(client, "nattanipa")
    doc_id = create_report(client, half)
    assert client.post_form(f"/documents/{doc_id}/submit").status_code == 302
    assert document(app, doc_id).state == DocState.IN_REVIEW
    submitted_table = table_html(body(client.get(f"/documents/{doc_id}")))
    submitted_data = snapshot_data(app, doc_id)

    # Work recorded on the measure's page after the report went up, dated inside the round,
    # and a status change dated inside the round too.
    response = client.post_form(
        f"/measures/{plan.ethics_id}/progress",
        {"entry_date": "25/3/2569", "text": LATE_ENTRY, "url": "", "title": "", "status": ""},
    )
    assert response.status_code == 302, body(response)
    set_status(app, plan.complaints_id, MeasureStatus.IN_PROGRESS, bangkok(date(2026, 3, 30)))
    assert LATE_ENTRY in body(client.get(f"/measures/{plan.ethics_id}"))

    switch(client, "thanyarat")  # acting for the vacant section-head post
    assert "รายงานผลการดำเนินการตามมาตรการ" in body(client.get("/documents/pending"))
    assert decide(client, doc_id, "เห็นควรเสนอเพื่อโปรดพิจารณา", "ตรวจสอบแล้ว").status_code == 302
    switch(client, "chuttikan")
    assert decide(client, doc_id, "เห็นควรอนุมัติ", "เห็นควรทราบ").status_code == 302
    switch(client, "nakarin")
    assert decide(client, doc_id, "อนุมัติ", "ทราบ").status_code == 302

    doc = document(app, doc_id)
    assert doc.state == DocState.APPROVED
    page = body(client.get(f"/documents/{doc_id}"))
    assert "อนุมัติแล้ว" in page and "รักษาราชการแทน" in page
    assert table_html(page) == submitted_table
    assert LATE_ENTRY not in page
    assert LATE_ENTRY in body(client.get(f"/measures/{plan.ethics_id}"))  # the measure has it
    assert snapshot_data(app, doc_id) == submitted_data
    # The measures themselves do have the new work: only the report stands still.
    live = live_snapshot(app, plan.plan_id, half)
    assert LATE_ENTRY in [e["text"] for e in live["measures"][0]["entries"]]
    assert live["measures"][2]["status"] == "in_progress"
    assert submitted_data["measures"][2]["status"] == "not_started"

    # (Other rows, such as the stored PDF, may follow the approval.)
    signed = [
        r for r in log_rows(app, doc_id) if r.step_no is not None or r.action == Action.SUBMIT
    ]
    assert [r.action for r in signed] == [
        Action.SUBMIT,
        Action.FORWARD,
        Action.FORWARD,
        Action.APPROVE,
    ]
    assert signed[1].acting_line == "รักษาราชการแทน หัวหน้าสำนักปลัด"
    assert len({r.content_sha256 for r in signed}) == 1  # everyone signed the same table
    index = body(client.get("/reports/"))
    half_row = index[index.index('id="round-half"') : index.index('id="round-annual"')]
    assert "อนุมัติแล้ว" in half_row and "เลยกำหนด" not in half_row


def test_a_returned_report_refreshed_before_resubmission_is_signed_with_a_new_hash(
    app, client, srisuk, monkeypatch
):
    at(monkeypatch, APRIL)
    plan = make_plan(app, srisuk.org_id)
    half = round_of(app, srisuk.org_id, RoundKind.HALF)
    login(client, "nattanipa")
    doc_id = create_report(client, half)
    client.post_form(f"/documents/{doc_id}/submit")
    switch(client, "thanyarat")
    assert return_memo(client, doc_id, "ยังขาดผลการอบรมเดือนมีนาคม").status_code == 302

    add_entry(app, plan.ethics_id, date(2026, 3, 25), LATE_ENTRY)
    switch(client, "nattanipa")
    assert LATE_ENTRY not in body(client.get(f"/documents/{doc_id}"))
    client.post_form(f"/reports/documents/{doc_id}/refresh")
    assert LATE_ENTRY in table_html(body(client.get(f"/documents/{doc_id}")))
    assert client.post_form(f"/documents/{doc_id}/submit").status_code == 302

    rows = log_rows(app, doc_id)
    submit, returned, resubmit = (
        next(r for r in rows if r.action == action)
        for action in (Action.SUBMIT, Action.RETURN, Action.RESUBMIT)
    )
    assert returned.content_sha256 == submit.content_sha256
    assert resubmit.content_sha256 != submit.content_sha256
    assert document(app, doc_id).revision == 2


def test_another_organisations_rounds_holidays_and_reports_do_not_exist(
    app, client, srisuk, monkeypatch
):
    """Every report URL that names a row, given the other organisation's ids by name: 404.
    (Rounds are named by year and kind: each user reaches only their own organisation's.)"""
    at(monkeypatch, APRIL)
    other = other_org_with_report(app)
    login(client, "admin")
    before = rows_of(app)
    checked = 0
    with app.test_request_context():
        from flask import url_for

        urls = [
            (rule, url_for(rule.endpoint, **{a: other[a] for a in rule.arguments}))
            for rule in app.url_map.iter_rules()
            if rule.endpoint.startswith("reports.") and rule.arguments - {"fiscal_year", "kind"}
        ]
    assert {r.endpoint for r, _ in urls} >= {"reports.refresh", "reports.delete_holiday"}
    for rule, url in urls:
        if "GET" in rule.methods:
            assert client.get(url).status_code == 404, url
            checked += 1
        if "POST" in rule.methods:
            response = client.post_form(
                url,
                {"period_start": "1/10/2568", "period_end": "31/3/2569", "due_date": "1/5/2569"},
            )
            assert response.status_code == 404, url
            checked += 1
    assert checked >= 2
    assert rows_of(app) == before
    for url in ("/reports/", "/reports/2569/rounds", "/reports/2569/holidays"):
        page = body(client.get(url))
        assert "หนองบัวรายงาน" not in page, url
    with app.app_context():
        other_round = db.session.get(ReportRound, other["round_id"])
        assert other_round.org_id != srisuk.org_id
        own = sa.select(sa.func.count(ReportRound.id)).where(ReportRound.org_id == srisuk.org_id)
        assert db.session.scalar(own) == 0  # reading the pages saved none
