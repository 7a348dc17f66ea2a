"""The one "as of" rule of a progress report: the state of each measure at the round's end by
the dates things happened, whenever they were typed; the counts agree with the table; a report
drafted long after the round prints what one drafted on its last day would have."""

from datetime import UTC, date

import pytest
import sqlalchemy as sa
from support.measures import add_entry, bangkok, make_plan, person
from test_reports_helpers import round_of

import clock
from extensions import db
from models import (
    DocState,
    Document,
    Evidence,
    Measure,
    MeasureEvent,
    MeasurePlan,
    MeasureStatus,
    ReportRound,
    RoundKind,
)
from workflow import documents, measures
from workflow.errors import ValidationFailed
from workflow.reports import build_snapshot, create_report
from workflow.reports.content import facts_text

MARCH_END = date(2026, 3, 31)
DECEMBER = date(2026, 12, 1)


def at_moment(monkeypatch, day: date) -> None:
    """Move the whole clock (now and today) to 10:00 in Bangkok on `day`."""
    moment = bangkok(day)
    monkeypatch.setattr(clock, "now", lambda: moment.astimezone(UTC))


def snapshot(app, plan_id: int, round_id: int) -> dict:
    with app.app_context():
        return build_snapshot(
            db.session.get(MeasurePlan, plan_id), db.session.get(ReportRound, round_id)
        )


@pytest.fixture
def half(app, srisuk) -> int:
    return round_of(app, srisuk.org_id, RoundKind.HALF)


@pytest.fixture
def plan(app, srisuk, monkeypatch):
    at_moment(monkeypatch, DECEMBER)
    return make_plan(app, srisuk.org_id)


def row(data: dict, measure_id: int) -> dict:
    return next(m for m in data["measures"] if m["id"] == measure_id)


def test_an_entry_typed_after_the_round_counts_by_its_date_and_is_marked(app, plan, half):
    add_entry(
        app,
        plan.complaints_id,
        date(2026, 3, 10),
        "เปิดช่องทางร้องเรียนทางไลน์",
        recorded=bangkok(date(2026, 11, 20)),
    )
    complaints = row(snapshot(app, plan.plan_id, half), plan.complaints_id)
    assert [e["text"] for e in complaints["entries"]] == ["เปิดช่องทางร้องเรียนทางไลน์"]
    entry = complaints["entries"][0]
    assert entry["recorded"] == "2026-11-20" and entry["recorded_late"] is True
    # Work dated in the round means the measure had started, even with no status recorded.
    assert complaints["status"] == "in_progress"


def test_a_status_changed_late_takes_effect_on_its_effective_date(app, plan, half):
    with app.app_context():
        measures.change_status(
            plan.complaints_id,
            person("nattanipa"),
            MeasureStatus.DONE.value,
            effective_date=date(2026, 3, 15),
        )
        db.session.commit()
        event = db.session.scalars(
            sa.select(MeasureEvent)
            .where(MeasureEvent.measure_id == plan.complaints_id)
            .order_by(MeasureEvent.id.desc())
        ).first()
        # Who recorded it and when is kept beside the date it took effect.
        assert event.effective_date == date(2026, 3, 15)
        assert clock.local(event.created_at).date() > MARCH_END
        assert event.actor_name == "นางณัฐนิภา แสงมณี"
    data = snapshot(app, plan.plan_id, half)
    assert row(data, plan.complaints_id)["status"] == "done"
    assert data["counts"][0] == {"status": "done", "label": "ดำเนินการแล้ว", "count": 2}


def test_a_status_recorded_in_the_round_but_effective_after_it_is_not_counted(app, plan, half):
    with app.app_context():
        db.session.add(
            MeasureEvent(
                measure_id=plan.complaints_id,
                kind="status",
                old_status=MeasureStatus.NOT_STARTED,
                new_status=MeasureStatus.DONE,
                effective_date=date(2026, 4, 2),
                actor_id=person("nattanipa").id,
                actor_name="นางณัฐนิภา แสงมณี",
                created_at=bangkok(date(2026, 3, 30)),
            )
        )
        db.session.commit()
    assert row(snapshot(app, plan.plan_id, half), plan.complaints_id)["status"] == "not_started"


def test_evidence_added_late_to_an_entry_of_the_round_is_printed(app, plan, half):
    entry_id = add_entry(app, plan.complaints_id, date(2026, 2, 1), "ประชาสัมพันธ์ช่องทางร้องเรียน")
    with app.app_context():
        db.session.add(
            Evidence(
                measure_id=plan.complaints_id,
                progress_entry_id=entry_id,
                url="https://srisuk.go.th/complaints-poster",
                title="ภาพประชาสัมพันธ์",
                added_by_id=person("nattanipa").id,
                added_at=bangkok(date(2026, 10, 1)),
            )
        )
        db.session.commit()
    complaints = row(snapshot(app, plan.plan_id, half), plan.complaints_id)
    assert complaints["evidence"] == [
        {"title": "ภาพประชาสัมพันธ์", "url": "https://srisuk.go.th/complaints-poster"}
    ]


def test_an_entry_after_the_round_and_its_evidence_stay_out(app, plan, half):
    entry_id = add_entry(app, plan.complaints_id, date(2026, 4, 1), "ทำหลังสิ้นรอบ")
    with app.app_context():
        db.session.add(
            Evidence(
                measure_id=plan.complaints_id,
                progress_entry_id=entry_id,
                url="https://srisuk.go.th/april",
                title="หลักฐานเดือนเมษายน",
                added_by_id=person("nattanipa").id,
                # added within the round's dates: the entry's date decides, not the upload's
                added_at=bangkok(date(2026, 3, 31)),
            )
        )
        db.session.commit()
    complaints = row(snapshot(app, plan.plan_id, half), plan.complaints_id)
    assert complaints["entries"] == [] and complaints["evidence"] == []
    assert complaints["status"] == "not_started"


def test_the_counts_are_the_table_and_the_memo_says_them(app, plan, half):
    add_entry(app, plan.complaints_id, date(2026, 3, 1), "เริ่มดำเนินการ")
    data = snapshot(app, plan.plan_id, half)
    by_status = {c["status"]: c["count"] for c in data["counts"]}
    for status in MeasureStatus:
        assert by_status[status.value] == sum(m["status"] == status.value for m in data["measures"])
    assert sum(by_status.values()) == len(data["measures"]) == 3
    facts = facts_text(data)
    assert "(1) ดำเนินการแล้ว 1 มาตรการ" in facts
    assert "(2) อยู่ระหว่างดำเนินการ 2 มาตรการ" in facts
    assert "(3) ยังไม่ดำเนินการ 0 มาตรการ" in facts


def test_two_drafting_dates_give_the_same_report(app, plan, half, monkeypatch):
    # The facts: all happened (and were typed) by the round's last day.
    add_entry(app, plan.complaints_id, date(2026, 3, 5), "รับเรื่องร้องเรียน")
    at_moment(monkeypatch, MARCH_END)
    on_the_last_day = snapshot(app, plan.plan_id, half)
    # Months later, with more work done and typed since: the round's report is unchanged.
    at_moment(monkeypatch, DECEMBER)
    add_entry(app, plan.complaints_id, date(2026, 6, 1), "ทำต่อในเดือนมิถุนายน")
    with app.app_context():
        measures.change_status(plan.complaints_id, person("nattanipa"), MeasureStatus.DONE.value)
        db.session.commit()
    assert snapshot(app, plan.plan_id, half) == on_the_last_day


def test_a_report_drafted_late_for_a_past_round_counts_what_happened_in_it(
    app, plan, half, monkeypatch
):
    with app.app_context():
        doc = create_report(person("nattanipa"), 2569, RoundKind.HALF)
        db.session.commit()
        facts = next(s.body for s in doc.sections if s.heading == "ข้อเท็จจริง")
    assert "(1) ดำเนินการแล้ว 1 มาตรการ" in facts
    assert "(2) อยู่ระหว่างดำเนินการ 1 มาตรการ" in facts


# -- the effective date of a status change ------------------------------------------------------


def change(app, measure_id: int, status: MeasureStatus, day: date | None) -> str:
    """Change the status; the refusal's message, or '' when it was done."""
    with app.app_context():
        try:
            measures.change_status(measure_id, person("nattanipa"), status.value, "", day)
        except ValidationFailed as error:
            db.session.rollback()
            assert error.field == "effective_date"
            return error.message
        db.session.commit()
        return ""


def test_the_effective_date_defaults_to_today(app, plan):
    assert change(app, plan.complaints_id, MeasureStatus.IN_PROGRESS, None) == ""
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.max(MeasureEvent.effective_date)).where(
                    MeasureEvent.measure_id == plan.complaints_id
                )
            )
            == DECEMBER
        )


def test_the_effective_date_is_never_in_the_future(app, plan):
    message = change(app, plan.complaints_id, MeasureStatus.IN_PROGRESS, date(2026, 12, 2))
    assert message == "วันที่มีผลต้องไม่เกินวันนี้"


def test_the_effective_date_is_within_the_plans_years(app, plan):
    message = change(app, plan.complaints_id, MeasureStatus.IN_PROGRESS, date(2025, 9, 30))
    assert message.startswith("วันที่มีผลต้องไม่ก่อนเริ่มปีงบประมาณของแผน")
    assert change(app, plan.complaints_id, MeasureStatus.IN_PROGRESS, date(2025, 10, 1)) == ""


def test_the_effective_date_is_not_before_the_last_change(app, plan):
    # The budget measure was done on 5 April 2026.
    message = change(app, plan.budget_id, MeasureStatus.IN_PROGRESS, date(2026, 4, 1))
    assert "ต้องไม่ก่อนการเปลี่ยนสถานะครั้งล่าสุด" in message
    with app.app_context():
        assert db.session.get(Measure, plan.budget_id).status is MeasureStatus.DONE


def test_the_effective_date_cannot_reach_into_a_round_already_reported(app, plan, half):
    with app.app_context():
        doc = create_report(person("nattanipa"), 2569, RoundKind.HALF)
        documents.submit(doc.id, person("nattanipa"))
        db.session.commit()
        doc_id = doc.id
    message = change(app, plan.complaints_id, MeasureStatus.IN_PROGRESS, date(2026, 3, 1))
    assert "รอบที่เสนอรายงานผลการดำเนินการแล้ว" in message
    assert change(app, plan.complaints_id, MeasureStatus.IN_PROGRESS, date(2026, 4, 1)) == ""
    with app.app_context():
        assert db.session.get(Document, doc_id).state is DocState.IN_REVIEW


def test_a_status_chosen_with_an_entry_takes_effect_on_the_entry_date(app, plan, half):
    with app.app_context():
        measures.record_progress(
            plan.complaints_id,
            person("nattanipa"),
            measures.ProgressInput(
                entry_date=date(2026, 3, 20), text="ปิดเรื่องร้องเรียนครบ", status="done"
            ),
        )
        db.session.commit()
    complaints = row(snapshot(app, plan.plan_id, half), plan.complaints_id)
    assert complaints["status"] == "done" and complaints["entries"][0]["recorded_late"] is True


def test_the_measure_page_shows_when_a_status_took_effect_and_who_recorded_it(app, client, plan):
    from support.client import login

    change(app, plan.complaints_id, MeasureStatus.IN_PROGRESS, date(2026, 11, 3))
    login(client, "nattanipa")
    page = client.get(f"/measures/{plan.complaints_id}").get_data(as_text=True)
    assert "มีผลตั้งแต่วันที่ ๓ พฤศจิกายน ๒๕๖๙" in page
    assert "บันทึกโดย นางณัฐนิภา แสงมณี" in page


def test_a_status_changed_alone_keeps_a_bad_date_and_says_why(app, client, plan):
    """Changed on its own from the measure page, a status takes effect on the form's date, which
    must be one it may take effect on; with an entry, the entry's date would be moved instead."""
    from support.client import login
    from test_reports_helpers import field_error, input_value

    login(client, "nattanipa")
    # The budget measure was done on 5 April 2026.
    response = client.post_form(
        f"/measures/{plan.budget_id}/progress",
        {"entry_date": "1/4/2569", "status": "in_progress"},
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "ต้องไม่ก่อนการเปลี่ยนสถานะครั้งล่าสุด" in field_error(html, "entry_date")
    assert input_value(html, "entry_date") == "1/4/2569"
    with app.app_context():
        assert db.session.get(Measure, plan.budget_id).status is MeasureStatus.DONE


# -- the demo's 6-month report of 2569, drafted today -------------------------------------------


def test_the_demo_half_year_report_counts_its_entries_and_links_its_evidence(app, srisuk):
    import io

    from pypdf import PdfReader

    from demo import EVIDENCE_SITE
    from pdf.data import memo_data
    from pdf.render import render_pdf

    with app.app_context():
        doc = create_report(person("nattanipa"), 2569, RoundKind.HALF)
        db.session.commit()
        facts = next(s.body for s in doc.sections if s.heading == "ข้อเท็จจริง")
        data = doc.report_snapshot.data
        pdf = render_pdf(memo_data(doc))
    assert "(1) ดำเนินการแล้ว 1 มาตรการ" in facts
    assert "(2) อยู่ระหว่างดำเนินการ 2 มาตรการ" in facts
    assert "(3) ยังไม่ดำเนินการ 7 มาตรการ" in facts
    urls = {ev["url"] for m in data["measures"] for ev in m["evidence"]}
    assert urls == {
        f"{EVIDENCE_SITE}/2569/no-gift-policy",
        f"{EVIDENCE_SITE}/2569/asset-borrowing-manual",
        f"{EVIDENCE_SITE}/2569/procurement-plan",
    }
    links = {
        annot.get_object()["/A"]["/URI"]
        for page in PdfReader(io.BytesIO(pdf)).pages
        for annot in page.get("/Annots") or []
        if annot.get_object().get("/Subtype") == "/Link"
    }
    assert urls <= links


def test_an_entry_dated_before_the_last_change_moves_its_status_to_that_change(app, plan, half):
    # The budget measure was done on 5 April 2026; an entry of 1 March marks it in progress.
    with app.app_context():
        measures.record_progress(
            plan.budget_id,
            person("nattanipa"),
            measures.ProgressInput(
                entry_date=date(2026, 3, 1), text="ทบทวนการใช้จ่าย", status="in_progress"
            ),
        )
        db.session.commit()
        last = db.session.scalars(
            sa.select(MeasureEvent)
            .where(MeasureEvent.measure_id == plan.budget_id)
            .order_by(MeasureEvent.id.desc())
        ).first()
        assert last.new_status is MeasureStatus.IN_PROGRESS
        assert last.effective_date == date(2026, 4, 5)  # not before the change it follows
    # The half year still sees it in progress as of 31 March, with the March entry.
    budget = row(snapshot(app, plan.plan_id, half), plan.budget_id)
    assert budget["status"] == "in_progress"
    assert [e["date"] for e in budget["entries"]] == ["2026-02-15", "2026-03-01"]
