"""The snapshot of a plan at a round's end: status as of that day, what was done, evidence."""

import json
from datetime import date
from decimal import Decimal

import pytest
from support.measures import (
    BUDGET,
    COMPLAINTS,
    ETHICS,
    bangkok,
    empty_plan,
    make_plan,
    set_status,
)
from test_reports_helpers import round_of

from extensions import db
from models import Evidence, Measure, MeasurePlan, MeasureStatus, ReportRound, RoundKind
from workflow.reports import build_snapshot
from workflow.reports.snapshot import budget_label


def snapshot_of(app, plan_id: int, round_id: int) -> dict:
    with app.app_context():
        return build_snapshot(
            db.session.get(MeasurePlan, plan_id), db.session.get(ReportRound, round_id)
        )


@pytest.fixture
def half(app, srisuk) -> int:
    return round_of(app, srisuk.org_id, RoundKind.HALF)


def test_every_measure_as_it_stood_at_the_end_of_the_half_year(app, srisuk, half):
    plan = make_plan(app, srisuk.org_id)
    data = snapshot_of(app, plan.plan_id, half)
    assert data["as_of"] == "2026-03-31"
    assert data["round"]["label"] == "รอบ 6 เดือน"
    assert (data["round"]["period_start"], data["round"]["due_date"]) == (
        "2025-10-01",
        "2026-04-30",
    )
    assert [m["title"] for m in data["measures"]] == [ETHICS, BUDGET, COMPLAINTS]
    ethics, budget, complaints = data["measures"]
    assert ethics["status"] == "done" and ethics["status_label"] == "ดำเนินการแล้ว"
    assert ethics["entries"] == [
        {
            "date": "2026-01-10",
            "text": "สำนักปลัดประกาศมาตรฐานจรรยาบรรณพนักงานแล้ว",
            "by": "นางณัฐนิภา แสงมณี",
            "recorded": "2026-01-10",
            "recorded_late": False,
        }
    ]
    assert ethics["evidence"] == [
        {"title": "ประกาศมาตรฐานจรรยาบรรณ", "url": "https://srisuk.go.th/ethics"}
    ]
    assert (ethics["indicators"], ethics["codes"]) == ([1], ["i1", "i2"])
    assert ethics["units"] == ["สำนักปลัด"] and ethics["people"] == ["นางณัฐนิภา แสงมณี"]
    assert ethics["steps"][0] == "ประกาศมาตรฐานจรรยาบรรณพนักงาน"
    assert ethics["follow_up"] == "รายงานผู้บริหารทุกไตรมาส"
    assert (ethics["rhythm_label"], ethics["period_label"]) == ("รายไตรมาส", "ต.ค.68 – ก.ย.69")
    # Done on 5 April, after the round: still in progress on 31 March, without April's work.
    assert budget["status"] == "in_progress"
    assert [e["date"] for e in budget["entries"]] == ["2026-02-15"]
    assert budget["evidence"] == []
    assert (budget["budget"], budget["budget_label"]) == ("50000.00", "50,000 บาท")
    assert complaints["status"] == "not_started" and complaints["entries"] == []
    assert complaints["budget_label"] == "ไม่ใช้งบประมาณ"
    assert [(c["status"], c["count"]) for c in data["counts"]] == [
        ("done", 1),
        ("in_progress", 1),
        ("not_started", 1),
        ("cancelled", 0),
    ]


def test_the_annual_round_sees_the_whole_year(app, srisuk):
    plan = make_plan(app, srisuk.org_id)
    annual = round_of(app, srisuk.org_id, RoundKind.ANNUAL)
    budget = snapshot_of(app, plan.plan_id, annual)["measures"][1]
    assert budget["status"] == "done"
    assert [e["date"] for e in budget["entries"]] == ["2026-02-15", "2026-04-05"]
    assert [e["url"] for e in budget["evidence"]] == ["https://srisuk.go.th/budget-q2"]


def test_the_round_end_is_counted_in_bangkok_dates(app, srisuk, half):
    plan = make_plan(app, srisuk.org_id)
    # 23:30 on 31 March in Bangkok is 16:30 UTC: inside the round.
    set_status(
        app, plan.complaints_id, MeasureStatus.IN_PROGRESS, bangkok(date(2026, 3, 31), 23, 30)
    )
    # 00:30 on 1 April in Bangkok is still 31 March in UTC: outside the round.
    set_status(app, plan.complaints_id, MeasureStatus.DONE, bangkok(date(2026, 4, 1), 0, 30))
    with app.app_context():
        db.session.add(
            Evidence(
                measure_id=plan.complaints_id,
                url="https://srisuk.go.th/late",
                title="หลังรอบ",
                added_by_id=db.session.get(Measure, plan.complaints_id).people[0].id,
                added_at=bangkok(date(2026, 4, 1), 0, 30),
            )
        )
        db.session.commit()
    complaints = snapshot_of(app, plan.plan_id, half)["measures"][2]
    assert complaints["status"] == "in_progress"
    assert complaints["evidence"] == []


def test_a_cancelled_measure_is_counted_as_cancelled(app, srisuk, half):
    plan = make_plan(app, srisuk.org_id)
    set_status(app, plan.complaints_id, MeasureStatus.CANCELLED, bangkok(date(2026, 3, 1)))
    data = snapshot_of(app, plan.plan_id, half)
    assert data["measures"][2]["status_label"] == "ยกเลิก"
    assert data["counts"][3] == {"status": "cancelled", "label": "ยกเลิก", "count": 1}


def test_the_snapshot_is_plain_json_in_a_fixed_order(app, srisuk, half):
    plan = make_plan(app, srisuk.org_id)
    with app.app_context():  # reorder: the complaints measure moves to the top
        db.session.get(Measure, plan.complaints_id).position = 0
        db.session.commit()
    first = snapshot_of(app, plan.plan_id, half)
    assert json.loads(json.dumps(first, ensure_ascii=False)) == first
    assert first == snapshot_of(app, plan.plan_id, half)
    assert [m["title"] for m in first["measures"]] == [COMPLAINTS, ETHICS, BUDGET]


def test_an_empty_plan_gives_an_empty_table(app, srisuk, half):
    data = snapshot_of(app, empty_plan(app, srisuk.org_id), half)
    assert data["measures"] == [] and all(c["count"] == 0 for c in data["counts"])


@pytest.mark.parametrize(
    "amount, label",
    [
        (None, "ไม่ใช้งบประมาณ"),
        (Decimal("50000.00"), "50,000 บาท"),
        (Decimal("1234.50"), "1,234.50 บาท"),
    ],
)
def test_budget_labels(amount, label):
    assert budget_label(amount) == label
