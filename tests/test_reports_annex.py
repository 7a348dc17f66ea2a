"""The progress report's printed annex as seed 004 prints it: an อำเภอ / จังหวัด line under the
title, a period column, rows grouped by tool and indicator with the question's own words in the
first column."""

import sqlalchemy as sa
from support.measures import person

from extensions import db
from models import Document, Measure, Organisation, RoundKind
from pdf.annexes import REPORT_COLUMNS, progress_report
from pdf.data import Fmt
from workflow.reports import create_report

ARABIC = Fmt(thai_digits=False)


def demo_report(app, srisuk) -> int:
    """The demo's 6-month report of 2569 (its measures answer the ITA 2568 catalogue)."""
    with app.app_context():
        doc = create_report(person("nattanipa"), 2569, RoundKind.HALF)
        db.session.commit()
        return doc.id


def annex_of(app, doc_id: int) -> dict:
    with app.app_context():
        return progress_report(db.session.get(Document, doc_id), ARABIC)


def test_the_title_names_the_district_and_province(app, srisuk):
    doc_id = demo_report(app, srisuk)
    title = annex_of(app, doc_id)["title"]
    assert title[3] == "องค์การบริหารส่วนตำบลศรีสุข"
    assert title[4] == "อำเภอสำโรงทาบ จังหวัดสุรินทร์"
    with app.app_context():
        org = db.session.scalar(sa.select(Organisation))
        org.district, org.province = "", ""
        db.session.commit()
    assert annex_of(app, doc_id)["title"][-1] == "องค์การบริหารส่วนตำบลศรีสุข"


def test_rows_are_grouped_by_tool_then_indicator_with_a_period_column(app, srisuk):
    annex = annex_of(app, demo_report(app, srisuk))
    headings = [c["heading"] for c in annex["columns"]]
    assert headings == [h for h, _ in REPORT_COLUMNS] and "ระยะเวลา" in headings
    groups = [r["group"] for r in annex["rows"] if isinstance(r, dict) and not r.get("sub")]
    assert groups == ["เครื่องมือการประเมิน IIT", "เครื่องมือการประเมิน EIT", "เครื่องมือการประเมิน OIT"]
    # Within each tool, the indicators in number order, each heading once.
    by_tool: dict[str, list[int]] = {}
    tool = ""
    for row in annex["rows"]:
        if isinstance(row, dict) and not row.get("sub"):
            tool = row["group"]
        elif isinstance(row, dict):
            by_tool.setdefault(tool, []).append(int(row["group"].split()[1]))
    assert all(numbers == sorted(set(numbers)) for numbers in by_tool.values())
    assert by_tool["เครื่องมือการประเมิน IIT"] and by_tool["เครื่องมือการประเมิน OIT"]
    measures = [r for r in annex["rows"] if isinstance(r, list)]
    assert len(measures) == 10 and all(len(r) == len(headings) for r in measures)
    assert all(r[4] == ["ต.ค.68 – ก.ย.69"] for r in measures)  # the period column


def test_the_first_column_quotes_the_question(app, srisuk):
    annex = annex_of(app, demo_report(app, srisuk))
    (ethics,) = [
        r
        for r in annex["rows"]
        if isinstance(r, list) and "มาตรการกำกับดูแลการใช้อำนาจตามประมวลจริยธรรม" in r[0]
    ]
    assert ethics[0][0].startswith("i7 ท่านเคยถูกผู้บังคับบัญชา สั่งให้ทำธุระส่วนตัว")


def test_a_numbered_parent_prints_above_its_measure(app, srisuk):
    with app.app_context():
        first = db.session.scalar(
            sa.select(Measure).where(Measure.title == "มาตรการกำกับดูแลการใช้อำนาจตามประมวลจริยธรรม")
        )
        first.parent_title = "มาตรการด้านจริยธรรม"
        db.session.commit()
    annex = annex_of(app, demo_report(app, srisuk))
    (row,) = [
        r for r in annex["rows"] if isinstance(r, list) and any("ด้านจริยธรรม" in x for x in r[0])
    ]
    parent_at = next(i for i, line in enumerate(row[0]) if line.endswith(". มาตรการด้านจริยธรรม"))
    number = row[0][parent_at].split(".")[0]
    assert row[0][parent_at + 1] == f"{number}.1 มาตรการกำกับดูแลการใช้อำนาจตามประมวลจริยธรรม"
