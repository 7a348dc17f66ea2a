"""Tables that follow the memo: the measures plan of the year and a progress report's table."""

from datetime import date

import sqlalchemy as sa
from test_pdf_support import move_unit, norm, page_texts, pdf_text, raw_text, user

from extensions import db
from models import (
    DocType,
    Measure,
    MeasurePlan,
    Organisation,
    ReportRound,
    ReportSnapshot,
    Rhythm,
    RoundKind,
)
from pdf.data import memo_data
from pdf.render import render_pdf
from workflow import documents as service

# A year of its own, far from the demo's plans.
YEAR = 2580
PLAN_TITLE = f"มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {YEAR}"


def memo(doc_type: DocType = DocType.ANALYSIS):
    content = service.MemoContent(
        doc_type=doc_type,
        issuing_unit="สำนักปลัดองค์การบริหารส่วนตำบลศรีสุข",
        doc_date=date(YEAR - 543, 1, 15),
        subject="ทดสอบเอกสารแนบท้าย",
        addressee="นายกองค์การบริหารส่วนตำบลศรีสุข",
        sections=[("", "เนื้อหาสั้น ๆ")],
    )
    return service.create_draft(user("nattanipa"), content)


def plan(org_id: int, measures: int, long_steps: int = 2) -> MeasurePlan:
    found = MeasurePlan(org_id=org_id, fiscal_year=YEAR, title=PLAN_TITLE)
    db.session.add(found)
    db.session.flush()
    for n in range(1, measures + 1):
        steps = long_steps if n == 2 else 2
        db.session.add(
            Measure(
                org_id=org_id,
                plan_id=found.id,
                position=n,
                indicators=[n % 10 + 1],
                question_codes=[f"i{n}"],
                title=f"MEASURE-{n:02d} มาตรการปรับปรุงแนวปฏิบัติการใช้ทรัพย์สินของทางราชการ",
                analysis="ได้รับคะแนน 76.31 คะแนน พบประเด็นการใช้ทรัพย์สินของราชการยังไม่ถูกตามขั้นตอน",
                steps=[
                    f"STEP-{n:02d}-{i:03d} ระบุขั้นตอนและแนวทางการขอยืมทรัพย์สิน" for i in range(steps)
                ],
                start_month=date(YEAR - 544, 10, 1),
                end_month=date(YEAR - 543, 9, 1),
                budget=None,
                follow_up="รายงานผู้บริหารทุกไตรมาส",
                rhythm=Rhythm.QUARTERLY,
            )
        )
    db.session.flush()
    db.session.expire(found)
    return found


def arabic_digits(org_id: int) -> None:
    """Markers stay readable in the extracted text when digits are printed as typed."""
    db.session.get(Organisation, org_id).thai_digits = False


def test_a_long_measures_table_breaks_across_pages_with_its_heading_and_all_its_text(
    app, srisuk, ctx
):
    arabic_digits(srisuk.org_id)
    plan(srisuk.org_id, measures=12, long_steps=70)
    doc = memo()
    pdf = render_pdf(memo_data(doc))

    text = raw_text(pdf)
    for n in range(1, 13):
        assert f"MEASURE-{n:02d}" in text
    for i in range(70):
        assert f"STEP-02-{i:03d}" in text, f"step {i} of the long row was lost"
    pages = page_texts(pdf)
    annex_pages = [p for p in pages if "MEASURE-" in p or "STEP-" in p]
    assert len(annex_pages) >= 3
    for page in annex_pages:  # the heading row is repeated on every page of the table
        assert norm("วิธีการดำเนินการ") in page and norm("ผู้รับผิดชอบ") in page
    assert norm(f"ต.ค.{str(YEAR - 1)[-2:]} – ก.ย.{str(YEAR)[-2:]}") in pdf_text(pdf)  # B.E.
    assert norm("ไม่ใช้งบประมาณ") in pdf_text(pdf)


def test_a_plan_without_measures_adds_nothing(app, srisuk, ctx):
    doc = memo()
    pages_before = len(page_texts(render_pdf(memo_data(doc))))
    plan(srisuk.org_id, measures=0)
    pdf = render_pdf(memo_data(doc))
    assert len(page_texts(pdf)) == pages_before
    assert norm(PLAN_TITLE) not in pdf_text(pdf)


def test_a_progress_report_prints_its_table_with_the_columns_of_seed_004(app, srisuk, ctx):
    doc = memo(DocType.PROGRESS_REPORT)
    found = plan(srisuk.org_id, measures=0)
    half = ReportRound(
        org_id=srisuk.org_id,
        fiscal_year=YEAR,
        kind=RoundKind.HALF,
        period_start=date(YEAR - 544, 10, 1),
        period_end=date(YEAR - 543, 3, 31),
        due_date=date(YEAR - 543, 4, 30),
    )
    db.session.add(half)
    db.session.flush()
    db.session.add(
        ReportSnapshot(document_id=doc.id, round_id=half.id, plan_id=found.id, data=snapshot_data())
    )
    db.session.flush()
    db.session.expire(doc)

    pdf = render_pdf(memo_data(doc))
    text = pdf_text(pdf)
    for heading in (
        "รายงานการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
        f"ประจำปีงบประมาณ พ.ศ. {thai(YEAR)} รอบ ๖ เดือน",
        f"(เดือนตุลาคม {thai(YEAR - 1)} – มีนาคม {thai(YEAR)})",
        "ประเด็นที่ต้องปรับปรุงแก้ไข/ประเด็นที่ต้องพัฒนา",
        "ขั้นตอนหรือวิธีการ/มาตรการ",
        "การรายงานผลและการกำกับติดตาม กำหนดเวลาแล้วเสร็จ",
        "การดำเนินการ",
    ):
        assert norm(heading) in text, heading
    assert norm("ตัวชี้วัดที่ ๑") in text and norm("ประกาศมาตรฐานจรรยาบรรณพนักงาน") in text
    assert norm(f"สำนักปลัดประกาศแล้ว (เมื่อวันที่ ๑๐ มกราคม {thai(YEAR)})") in text
    assert norm("สถานะ: ดำเนินการแล้ว") in text
    assert "https://srisuk.go.th/ethics-2580" in "".join(raw_text(pdf).split())  # digits as typed


def test_a_report_prints_its_round_as_frozen_not_as_later_edited(app, srisuk, ctx):
    from workflow.reports.snapshot import round_data

    doc = memo(DocType.PROGRESS_REPORT)
    found = plan(srisuk.org_id, measures=0)
    half = ReportRound(
        org_id=srisuk.org_id,
        fiscal_year=YEAR,
        kind=RoundKind.HALF,
        period_start=date(YEAR - 544, 10, 1),
        period_end=date(YEAR - 543, 3, 31),
        due_date=date(YEAR - 543, 4, 30),
    )
    db.session.add(half)
    db.session.flush()
    data = {**snapshot_data(), "round": round_data(half)}
    db.session.add(
        ReportSnapshot(document_id=doc.id, round_id=half.id, plan_id=found.id, data=data)
    )
    half.period_end = date(YEAR - 543, 2, 28)  # the admin moves the round afterwards
    half.due_date = date(YEAR - 543, 3, 31)
    db.session.flush()
    db.session.expire(doc)

    text = pdf_text(render_pdf(memo_data(doc)))
    assert norm(f"(เดือนตุลาคม {thai(YEAR - 1)} – มีนาคม {thai(YEAR)})") in text
    assert norm(f"กุมภาพันธ์ {thai(YEAR)})") not in text


def snapshot_data() -> dict:
    """A snapshot in the shape workflow.reports.snapshot builds."""
    return {
        "as_of": f"{YEAR - 543}-03-31",
        "measures": [
            {
                "indicators": [1],
                "codes": ["i1", "i2"],
                "title": "ประกาศมาตรฐานจรรยาบรรณพนักงาน",
                "steps": ["ประกาศมาตรฐาน", "ปฏิบัติงานตามมาตรฐาน"],
                "units": ["สำนักปลัด"],
                "people": ["นางณัฐนิภา แสงมณี"],
                "follow_up": "รายงานผู้บริหารทุกไตรมาส",
                "status": "done",
                "status_label": "ดำเนินการแล้ว",
                "entries": [{"date": f"{YEAR - 543}-01-10", "text": "สำนักปลัดประกาศแล้ว"}],
                "evidence": [{"title": "ประกาศ", "url": "https://srisuk.go.th/ethics-2580"}],
            }
        ],
    }


def thai(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))


def test_the_analysis_and_report_annexes_list_units_in_the_organisations_order(app, srisuk, ctx):
    """The analysis memo's plan annex and a progress report's rows take the units of each
    measure in the order the admin sets (the demo: the seeds' order, สำนักปลัด first)."""
    from workflow.ita import overview
    from workflow.reports.snapshot import measure_row

    pair = ("สำนักปลัด", "กองคลัง")

    def orders() -> set[tuple[str, ...]]:
        rows = overview.collect(user("nattanipa"), 2568)["plan"]["rows"]
        measures = db.session.scalars(sa.select(Measure)).all()
        reported = [
            measure_row(m, m.status, date(2025, 10, 1), date(2026, 3, 31)) for m in measures
        ]
        found = [row["units"] for row in [*rows, *reported]]
        return {tuple(u for u in units if u in pair) for units in found if set(pair) <= set(units)}

    assert orders() == {pair}
    move_unit("กองคลัง", -1)
    assert orders() == {pair[::-1]}
