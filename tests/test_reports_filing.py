"""A progress report is filed under its round's fiscal year everywhere (lists, exports, search),
and the executive home lists every overdue report of this and the last fiscal year."""

import csv
import io
from datetime import UTC, date, datetime, time

import pytest
from support.client import login
from support.measures import make_plan, person
from test_reports_helpers import switch

import clock
from extensions import db
from models import Document, RoundKind
from workflow import documents
from workflow.lists.filters import filed_year
from workflow.reports import create_report

# 14 December 2026: fiscal year 2570; the 6-month report of 2569 was due on 30 April 2026.
DECEMBER = date(2026, 12, 14)


@pytest.fixture
def late_report(app, srisuk, monkeypatch) -> int:
    """The 6-month report of 2569, drafted and submitted in fiscal year 2570."""
    moment = datetime.combine(DECEMBER, time(10), clock.BANGKOK).astimezone(UTC)
    monkeypatch.setattr(clock, "now", lambda: moment)
    make_plan(app, srisuk.org_id)
    with app.app_context():
        doc = create_report(person("nattanipa"), 2569, RoundKind.HALF)
        documents.submit(doc.id, person("nattanipa"))
        db.session.commit()
        return doc.id


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def test_the_report_is_filed_under_its_rounds_year_though_numbered_in_the_next(app, late_report):
    with app.app_context():
        doc = db.session.get(Document, late_report)
        assert doc.fiscal_year == 2570  # the register its number came from
        assert filed_year(doc) == 2569


def test_lists_exports_and_search_file_it_under_2569(app, client, late_report):
    login(client, "nattanipa")
    subject = "ประจำปีงบประมาณ พ.ศ. 2569 รอบ 6 เดือน"
    listed = client.get("/lists/documents?fiscal_year=2569").get_data(as_text=True)
    assert f"/documents/{late_report}" in listed
    other = client.get("/lists/documents?fiscal_year=2570").get_data(as_text=True)
    assert f"/documents/{late_report}" not in other
    rows = csv_rows(client.get("/lists/documents?export=csv&fiscal_year=2569"))
    (row,) = [r for r in rows[1:] if subject in r[1]]
    assert row[rows[0].index("ปีงบประมาณ")] == "2569"
    found = client.get("/search/?q=รายงานผลการดำเนินการ&fiscal_year=2569").get_data(as_text=True)
    assert f"/documents/{late_report}" in found
    missed = client.get("/search/?q=รายงานผลการดำเนินการ&fiscal_year=2570").get_data(as_text=True)
    assert f"/documents/{late_report}" not in missed


def test_the_home_lists_a_report_of_last_year_however_late(app, client, srisuk, monkeypatch):
    moment = datetime.combine(DECEMBER, time(10), clock.BANGKOK).astimezone(UTC)
    monkeypatch.setattr(clock, "now", lambda: moment)
    login(client, "nattanipa")
    switch(client, "nakarin")
    html = client.get("/").get_data(as_text=True)
    deadlines = html[
        html.index('id="deadlines"') : html.index("</section>", html.index('id="deadlines"'))
    ]
    # 228 days after 30 April 2026.
    assert "รอบ ๖ เดือน ปีงบประมาณ ๒๕๖๙" in deadlines
    assert "รอบ ๑๒ เดือน ปีงบประมาณ ๒๕๖๙" in deadlines
