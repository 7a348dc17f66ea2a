"""Tables that follow the memo (เอกสารแนบท้าย): a progress report's table (seed 004's columns,
from its frozen snapshot) and, with an analysis memo, the measures plan of the year (seed 000).

Each annex is plain data: title lines, column headings and widths, and rows of cells, each cell a
list of lines; a line is a string, or {"name": ...} for a person's name that must not break.
The template draws every annex with the same table.
"""

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa

import thai
from extensions import db
from models import DocType, Document, Measure, MeasurePlan, MeasureStatus
from workflow.ita import annexes as ita_annexes
from workflow.measures.fields import no_budget_text
from workflow.measures.outline import outline, parent_line
from workflow.reports.snapshot import round_data

if TYPE_CHECKING:
    from pdf.data import Fmt

REPORT_COLUMNS = [
    ("ประเด็นที่ต้องปรับปรุงแก้ไข/ประเด็นที่ต้องพัฒนา", "18%"),
    ("ผู้รับผิดชอบ", "15%"),
    ("ขั้นตอนหรือวิธีการ/มาตรการ", "20%"),
    ("การรายงานผลและการกำกับติดตาม กำหนดเวลาแล้วเสร็จ", "16%"),
    ("ระยะเวลา", "8%"),
    ("การดำเนินการ", "23%"),
]
TOOL_ORDER = ("IIT", "EIT", "OIT")
PLAN_COLUMNS = ita_annexes.PLAN_COLUMNS


def for_document(doc: Document, fmt: "Fmt") -> list[dict]:
    if doc.report_snapshot is not None:
        return [progress_report(doc, fmt)]
    if doc.analysis_snapshot is not None:  # drafted from ITA results: its own frozen annexes
        return ita_annexes.for_analysis(doc.analysis_snapshot.data, fmt)
    if doc.doc_type == DocType.ANALYSIS:
        plan = measures_plan(doc, fmt)
        return [plan] if plan else []
    return []


def _annex(title: list[str], columns: list[tuple[str, str]], rows: list[list[list]]) -> dict:
    return {
        "title": title,
        "columns": [{"heading": h, "width": w} for h, w in columns],
        "rows": rows,
    }


# -- the progress report (seed 004) ----------------------------------------------------------


def progress_report(doc: Document, fmt: "Fmt") -> dict:
    data = doc.report_snapshot.data or {}
    # The round as frozen in the snapshot: a later change to the round's dates must not
    # change what was signed (snapshots always carry it; the live round is a fallback).
    frozen = data.get("round") or round_data(doc.report_snapshot.round)
    start, end = (date.fromisoformat(frozen[k]) for k in ("period_start", "period_end"))
    title = [
        "รายงานการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
        fmt.num(f"ประจำปีงบประมาณ พ.ศ. {frozen['fiscal_year']} {frozen['label']}"),
        fmt.num(f"(เดือน{_month_year(start)} – {_month_year(end)})"),
        doc.organisation.name,
    ]
    if place := _place(doc.organisation.district, doc.organisation.province):
        title.append(place)
    measures = [m for m in data.get("measures", []) if isinstance(m, dict)]
    return _annex(title, REPORT_COLUMNS, _grouped_rows(measures, fmt))


def _place(district: str, province: str) -> str:
    """'อำเภอศิลาลาด จังหวัดศรีสะเกษ' under the organisation's name, as seed 004 prints it."""
    parts = [f"อำเภอ{district.strip()}" if district.strip() else ""]
    parts.append(f"จังหวัด{province.strip()}" if province.strip() else "")
    return " ".join(p for p in parts if p)


def _grouped_rows(measures: list[dict], fmt: "Fmt") -> list:
    """Seed 004's layout: the measures under each tool (IIT, EIT, OIT) and, within a tool, under
    each indicator in number order; plan order within an indicator. A snapshot without tools
    (older ones) stays a flat list."""
    if not any(m.get("tool") for m in measures):
        return [_report_row(m, fmt) for m in measures]
    order = {tool: i for i, tool in enumerate(TOOL_ORDER)}

    def place(m: dict) -> tuple[int, int]:
        indicator = m.get("indicator")
        return order.get(m.get("tool") or "", len(order)), indicator if isinstance(
            indicator, int
        ) else 99

    ranked = sorted(measures, key=place)  # stable: plan order within an indicator
    rows, tool, indicator = [], None, None
    for m in ranked:
        if m.get("tool") != tool:
            tool, indicator = m.get("tool"), None
            rows.append({"group": f"เครื่องมือการประเมิน {tool}" if tool else "อื่น ๆ"})
        if tool and m.get("indicator") != indicator:
            indicator = m.get("indicator")
            if indicator is not None:
                name = _text(m.get("indicator_name"))
                rows.append({"group": fmt.num(f"ตัวชี้วัดที่ {indicator} {name}".strip()), "sub": True})
        rows.append(_report_row(m, fmt))
    return rows


def _report_row(m: dict, fmt: "Fmt") -> list[list]:
    questions = [q for q in m.get("questions") or [] if isinstance(q, dict) and q.get("text")]
    title = _text(m.get("title"))
    if m.get("parent"):  # under a numbered parent: "2. …" then "2.1 title"
        title = f"{_text(m.get('parent'))}\n{_text(m.get('number'))} {title}"
    if questions:  # the question's own words, as seed 004's first column
        issue = [f"{_text(q.get('code'))} {_text(q.get('text'))}" for q in questions]
        issue += title.split("\n")
    elif m.get("indicator_name"):
        issue = [f"ตัวชี้วัดที่ {m.get('indicator')} {_text(m['indicator_name'])}", *title.split("\n")]
    else:
        issue = [*_indicator_lines(m.get("indicators"), m.get("codes"), fmt), *title.split("\n")]
    done = [_entry_line(e, fmt) for e in m.get("entries", []) if isinstance(e, dict)]
    if m.get("status_label"):
        done.append(fmt.num(f"สถานะ: {_text(m['status_label'])}"))
    evidence = [_evidence_line(e, fmt) for e in m.get("evidence", []) if isinstance(e, dict)]
    return [
        [fmt.num(line) for line in issue if line],
        [fmt.num(line) for line in _lines(m.get("units"))] + _names(_lines(m.get("people"))),
        _numbered(m.get("steps"), fmt),
        [fmt.num(line) for line in _lines(m.get("follow_up"))],
        [fmt.num(_text(m.get("period_label")))] if m.get("period_label") else [],
        done + evidence,
    ]


def _entry_line(entry: dict, fmt: "Fmt") -> str:
    when = _iso_date(entry.get("date"))
    text = fmt.num(_text(entry.get("text")))
    line = f"{text} (เมื่อวันที่ {fmt.day(when)})" if when else text
    recorded = _iso_date(entry.get("recorded"))
    if entry.get("recorded_late") and recorded:
        line += f" [บันทึกเข้าระบบหลังสิ้นรอบ เมื่อ {fmt.day(recorded)}]"
    return line


def _evidence_line(evidence: dict, fmt: "Fmt") -> dict | str:
    """{"link": url, "title": ...}: printed as a clickable link with its title and the URL
    (which keeps its digits as typed); a URL that is not http(s) prints as plain text."""
    title, url = fmt.num(_text(evidence.get("title"))), _text(evidence.get("url"))
    if url.startswith(("https://", "http://")):
        return {"link": url, "title": title}
    return f"หลักฐาน: {title} {url}".strip()


# -- the measures plan of the year (seed 000) -------------------------------------------------


def measures_plan(doc: Document, fmt: "Fmt") -> dict | None:
    """The plan of the memo's fiscal year, or None when there is none or it has no measures."""
    year = thai.fiscal_year(doc.doc_date)
    plan = db.session.scalars(
        sa.select(MeasurePlan).where(
            MeasurePlan.org_id == doc.org_id, MeasurePlan.fiscal_year == year
        )
    ).first()
    if plan is None or not plan.measures:
        return None
    title = [fmt.num(plan.title), doc.organisation.name]
    numbers = outline(plan.measures)
    no_budget = no_budget_text(doc.organisation)
    rows, parents = [], set()
    for m in sorted(plan.measures, key=lambda m: (m.position, m.id)):
        parent = parent_line(m, numbers[m.id])
        if parent and parent not in parents:  # "2. …" once, above its 2.1, 2.2 …
            parents.add(parent)
            rows.append({"group": fmt.num(parent)})
        rows.append(_plan_row(m, fmt, numbers[m.id], no_budget))
    return _annex(title, PLAN_COLUMNS, rows)


def _plan_row(m: Measure, fmt: "Fmt", number: str, no_budget: str) -> list[list]:
    title = [f"{number} {m.title}"]
    if m.status == MeasureStatus.CANCELLED:
        title.append(f"(ยกเลิก: {m.cancel_reason or ''})")
    indicators = [ita_annexes.indicator_label(fmt.num(n)) for n in m.indicators]
    if m.question_codes:
        indicators.append(f"({', '.join(m.question_codes)})")
    cells = [
        indicators,
        title,
        _lines(m.analysis),
        _numbered(m.steps, fmt),
        [f"{_month_abbr(m.start_month)} – {_month_abbr(m.end_month)}"],
        [_budget(m.budget, no_budget)],
        [u.name for u in m.units],
        _lines(m.follow_up),
    ]
    rows = [[fmt.num(line) for line in cell] for cell in cells]
    rows[6] += _names([p.display_name for p in m.people])
    return rows


def _budget(amount: Decimal | None, no_budget: str) -> str:
    if amount is None:
        return no_budget
    text = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    return f"{text} บาท"


# -- small helpers ----------------------------------------------------------------------------


def _indicator_lines(indicators, codes, fmt: "Fmt") -> list[str]:
    lines = [f"ตัวชี้วัดที่ {fmt.num(i)}" for i in _lines(indicators)]
    if codes := _lines(codes):
        lines.append(f"({', '.join(codes)})")
    return lines


def _names(names: list[str]) -> list[dict]:
    return [{"name": name} for name in names]


def _numbered(steps, fmt: "Fmt") -> list[str]:
    steps = _lines(steps)
    if len(steps) == 1:
        return [fmt.num(steps[0])]
    return [fmt.num(f"{i}. {s}") for i, s in enumerate(steps, start=1)]


def _lines(value) -> list[str]:
    """A list of strings from a string (one per line) or a list (one per item)."""
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else str(value).splitlines()
    return [_text(v) for v in items if _text(v)]


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _iso_date(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _month_year(day: date) -> str:
    return f"{thai.MONTHS[day.month - 1]} {thai.be_year(day.year)}"


def _month_abbr(day: date | None) -> str:
    if day is None:  # a measure that states no period
        return ""
    return f"{thai.MONTHS_ABBR[day.month - 1]}{str(thai.be_year(day.year))[-2:]}"
