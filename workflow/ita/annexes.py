"""The analysis memo's attachments for the PDF (seeds 000 and 003), from its frozen data only:

1. the results: charts, and the tools this year against last year;
2. the indicators this year against last year;
3. the questions this year against last year;
4. per indicator, จุดเด่น and จุดที่ควรพัฒนา;
5. the improvement plan from the next year's measures.

Each annex is plain data in the shape of pdf/annexes.py (title lines, columns, rows of
cells of lines), plus "charts": SVG strings the print template inserts as they are.
"""

from workflow.ita import charts, wording
from workflow.measures.fields import INDICATORS

TOOL_COLUMNS = [
    ("เครื่องมือการประเมิน", "52%"),
    ("ปี {previous}", "16%"),
    ("ปี {year}", "16%"),
    ("ผลต่างคะแนน", "16%"),
]
INDICATOR_COLUMNS = [
    ("ตัวชี้วัด", "46%"),
    ("ปี {previous}", "12%"),
    ("ปี {year}", "12%"),
    ("ผลต่างคะแนน", "12%"),
    ("เทียบกับเกณฑ์", "18%"),
]
ITEM_COLUMNS = [
    ("ข้อ", "7%"),
    ("ข้อคำถาม", "57%"),
    ("ปี {previous}", "12%"),
    ("ปี {year}", "12%"),
    ("ผลต่างคะแนน", "12%"),
]
ANALYSIS_COLUMNS = [("ตัวชี้วัด", "20%"), ("จุดเด่น", "40%"), ("จุดที่ควรพัฒนา", "40%")]
# The measures plan as seed 000 prints it (the analysis memo's annex, from a snapshot here or from
# the live plan in pdf/annexes.py): one definition for both.
PLAN_COLUMNS = [
    ("ตัวชี้วัด", "12%"),
    ("มาตรการ/โครงการ/กิจกรรม", "14%"),
    ("ผลการวิเคราะห์", "15%"),
    ("วิธีการดำเนินการ", "18%"),
    ("ระยะเวลา", "8%"),
    ("งบประมาณ", "9%"),
    ("ผู้รับผิดชอบ", "13%"),
    ("การติดตามผล", "11%"),
]
BANDS = {"excellent": "ระดับดีเยี่ยม", "improve": "ควรยกระดับ", "urgent": "ต้องปรับปรุงโดยเร่งด่วน"}


def indicator_label(number) -> str:
    """'ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล': the number and the name, as seed 000's plan prints it."""
    name = INDICATORS.get(int(number), "") if str(number).isdigit() else ""
    return f"ตัวชี้วัดที่ {number} {name}".strip()


def signed(change: str | None) -> str:
    """'+6.13', '-0.49', '0.00' or '-' when there is nothing to compare."""
    if change is None:
        return "-"
    return change if change.startswith("-") or float(change) == 0 else f"+{change}"


def for_analysis(data: dict, fmt) -> list[dict]:
    """The annexes of an analysis memo; `fmt` prints digits per the organisation (pdf.data)."""
    annexes = [_results(data, fmt), _indicators(data, fmt)]
    if data["items"]:
        annexes.append(_items(data, fmt))
    annexes.append(_analysis(data, fmt))
    if data["plan"] and data["plan"]["rows"]:
        annexes.append(_plan(data, fmt))
    return annexes


def charts_of(data: dict, thai_digits: bool) -> list[str]:
    """The two charts of an analysis, in the page's and the PDF's digits."""
    rows = [
        {"number": i["number"], "name": i["name"], "score": i["score"], "previous": i["previous"]}
        for i in data["indicators"]
    ]
    found = [
        charts.indicator_chart(
            rows, data["lines"], data["previous_year"], data["fiscal_year"], thai_digits
        )
    ]
    if data["history"]:
        found.append(charts.history_chart(data["history"], data["levels"], thai_digits))
    return found


def _annex(title, columns, rows, data, fmt, charts_=None) -> dict:
    years = {"year": data["fiscal_year"], "previous": data["previous_year"]}
    return {
        "title": [fmt.num(line) for line in title],
        "columns": [{"heading": fmt.num(h.format(**years)), "width": w} for h, w in columns],
        "rows": [[[fmt.num(line) for line in cell if line] for cell in row] for row in rows],
        "charts": charts_ or [],
    }


def draft_line(data: dict) -> str:
    """The note of a memo drafted on a provisional catalogue (the page shows the same line)."""
    return (
        f"หมายเหตุ: เกณฑ์การประเมิน ITA ปี {data['fiscal_year']} ที่ใช้เป็นฉบับร่าง"
        " (ยังไม่ได้ยืนยันกับคู่มือของสำนักงาน ป.ป.ช.)"
    )


def _heading(data: dict, what: str) -> list[str]:
    return [f"{what} ประจำปีงบประมาณ พ.ศ. {data['fiscal_year']}", data["org_name"]]


def _results(data: dict, fmt) -> dict:
    overall = data["overall"]
    summary = f"คะแนนรวม {overall['score'] or '-'} คะแนน"
    if overall["level"]:
        summary += f" {wording.level_phrase(overall['level'])}"
    if overall["change"] is not None:
        summary += f" (เทียบกับปี {data['previous_year']}: {signed(overall['change'])})"
    rows = [
        [[t["short"]], [t["previous"] or "-"], [t["score"] or "-"], [signed(t["change"])]]
        for t in data["tools"]
    ]
    rows.append(
        [
            ["คะแนนรวม ITA"],
            [overall["previous"] or "-"],
            [overall["score"] or "-"],
            [signed(overall["change"])],
        ]
    )
    title = [*_heading(data, "ผลการประเมิน ITA"), summary]
    if data.get("catalogue_provisional"):
        title.append(draft_line(data))
    return _annex(title, TOOL_COLUMNS, rows, data, fmt, charts_of(data, fmt.thai_digits))


def _indicators(data: dict, fmt) -> dict:
    rows = [
        [
            [f"{i['number']}. {i['name']}"],
            [i["previous"] or "-"],
            [i["score"] or "-"],
            [signed(i["change"])],
            [BANDS.get(i["band"], "-")],
        ]
        for i in data["indicators"]
    ]
    return _annex(_heading(data, "ผลการประเมินรายตัวชี้วัด"), INDICATOR_COLUMNS, rows, data, fmt)


def _items(data: dict, fmt) -> dict:
    rows = []
    for item in data["items"]:
        text = [item["text"]]
        if item["previous_text"]:
            text.append(f"(ปี {data['previous_year']}: {item['previous_text']})")
        rows.append(
            [
                [item["code"]],
                text,
                [item["previous"] or "-"],
                [item["score"] or "-"],
                [signed(item["change"])],
            ]
        )
    return _annex(_heading(data, "ผลการประเมินรายข้อคำถาม"), ITEM_COLUMNS, rows, data, fmt)


def _analysis(data: dict, fmt) -> dict:
    rows = [
        [
            [f"{i['number']}. {i['name']}", f"({i['score'] or '-'} คะแนน)"],
            i["strength"].splitlines() or ["-"],
            i["weakness"].splitlines() or ["-"],
        ]
        for i in data["indicators"]
    ]
    title = _heading(data, "การวิเคราะห์ผลการประเมิน ITA ทั้ง 10 ตัวชี้วัด")
    return _annex(title, ANALYSIS_COLUMNS, rows, data, fmt)


def _plan(data: dict, fmt) -> dict:
    plan = data["plan"]
    rows = []
    for m in plan["rows"]:
        indicators = [indicator_label(n) for n in m["indicators"]]
        if m["codes"]:
            indicators.append(f"({', '.join(m['codes'])})")
        title = [m["title"], f"(ยกเลิก: {m['cancelled']})" if m["cancelled"] else ""]
        steps = (
            m["steps"]
            if len(m["steps"]) < 2
            else [f"{n}. {s}" for n, s in enumerate(m["steps"], start=1)]
        )
        rows.append(
            [
                indicators,
                title,
                m["analysis"].splitlines(),
                steps,
                [m["period"]],
                [m["budget"]],
                [*m["units"], *m["people"]],
                m.get("follow_up", "").splitlines(),  # absent from snapshots before it printed
            ]
        )
    title = ["แนวทางการพัฒนาเพื่อนำไปสู่การปรับปรุงหรือพัฒนาองค์กร", plan["title"], data["org_name"]]
    return _annex(title, PLAN_COLUMNS, rows, data, fmt)
