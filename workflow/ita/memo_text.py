"""The analysis memo's header and body (seed 000), written from its frozen data.

Arabic digits throughout: the pages and the PDF convert them per the organisation's setting.
"""

from datetime import date

import thai
from workflow.ita import wording

ITA_NAME = (
    "การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ"
    " (Integrity and Transparency Assessment : ITA)"
)
NACC = "สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ"
BACKGROUND, FACTS, RULES, PROPOSAL = (
    "เรื่องเดิม",
    "ข้อเท็จจริง",
    "ระเบียบ/หนังสือสั่งการ",
    "ข้อเสนอเพื่อพิจารณา",
)


def subject(fiscal_year: int) -> str:
    return f"รายงานผลการวิเคราะห์ผล{ITA_NAME} ประจำปีงบประมาณ พ.ศ. {fiscal_year}"


def sections(data: dict, issuer: str, addressee: str) -> list[tuple[str, str]]:
    return [
        (BACKGROUND, background(data)),
        (FACTS, facts(data)),
        (RULES, rules(data)),
        (PROPOSAL, proposal(data, issuer, addressee)),
    ]


def background(data: dict) -> str:
    """เรื่องเดิม: the participation, the directive if any, and ป.ป.ช.'s announcement."""
    ann, year = data["announcement"], data["fiscal_year"]
    directive = f" {ann['directive']}" if ann.get("directive") else ""
    criteria = _day(ann.get("criteria_on"))
    announced = f"ตามประกาศ{NACC} ลงวันที่ {criteria}" if criteria else f"ตามประกาศ{NACC}"
    return (
        f"ตามที่{data['org_name']} ได้เข้าร่วม{ITA_NAME} ประจำปีงบประมาณ พ.ศ. {year}"
        f" จาก{NACC} (สำนักงาน ป.ป.ช.){directive} และ{announced} นั้น"
    )


def facts(data: dict) -> str:
    """ข้อเท็จจริง: the announcement, the overall score, level and change, each tool and its
    indicators, numbered as seed 000 numbers them."""
    year = data["fiscal_year"]
    results_on = _day(data["announcement"].get("results_on"))
    dated = f" ลงวันที่ {results_on}" if results_on else ""
    lines = [
        f"บัดนี้ {NACC} ได้ประกาศผล{ITA_NAME} ประจำปีงบประมาณ พ.ศ. {year}{dated} ผลปรากฏดังนี้",
        _summary(data),
    ]
    for number, group in enumerate(_groups(data["tools"]), start=1):
        lines += _group_lines(number, group)
    lines.append("รายละเอียดปรากฏตามตารางผลการประเมินและผลการวิเคราะห์แนบท้ายบันทึกนี้")
    return "\n".join(lines)


def rules(data: dict) -> str:
    year = data["fiscal_year"]
    results_on = _day(data["announcement"].get("results_on"))
    dated = f" ลงวันที่ {results_on}" if results_on else ""
    return (
        f"1. คู่มือ{ITA_NAME} ประจำปีงบประมาณ พ.ศ. {year}\n"
        f"2. ประกาศ{NACC} เรื่อง ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ"
        f" (ITA) ประจำปีงบประมาณ พ.ศ. {year}{dated}"
    )


def proposal(data: dict, issuer: str, addressee: str) -> str:
    return (
        f"เพื่อให้การดำเนินการเป็นไปด้วยความเรียบร้อย {issuer} จึงขอรายงานการวิเคราะห์ผล"
        f"{ITA_NAME} ประจำปีงบประมาณ พ.ศ. {data['fiscal_year']} ให้{addressee or 'ผู้บริหาร'}ทราบ"
        " พร้อมทั้งกำชับเจ้าหน้าที่ผู้รับผิดชอบแต่ละตัวชี้วัดให้ดำเนินการตามข้อเสนอแนะของผู้ตรวจ"
        " และมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน รวมถึงประกาศประชาสัมพันธ์"
        "บนเว็บไซต์หน่วยงานให้ประชาชนทราบต่อไป รายละเอียดปรากฏตามเอกสารแนบท้ายบันทึกฉบับนี้"
    )


def change_text(change: str | None, previous_year: int) -> str:
    """'เพิ่มขึ้นจากปีงบประมาณ พ.ศ. 2567 จำนวน 6.13 คะแนน' (or ลดลง / เท่ากับ)."""
    if change is None:
        return ""
    value = float(change)
    if value > 0:
        return f"เพิ่มขึ้นจากปีงบประมาณ พ.ศ. {previous_year} จำนวน {change} คะแนน"
    if value < 0:
        return f"ลดลงจากปีงบประมาณ พ.ศ. {previous_year} จำนวน {change.lstrip('-')} คะแนน"
    return f"เท่ากับปีงบประมาณ พ.ศ. {previous_year}"


def _summary(data: dict) -> str:
    overall = data["overall"]
    if overall["score"] is None:
        return f"{data['org_name']} ยังไม่มีคะแนนรวม"
    level = f" {wording.level_phrase(overall['level'])}" if overall["level"] else ""
    moved = change_text(overall["change"], data["previous_year"])
    return f"{data['org_name']} ได้คะแนนรวม {overall['score']} คะแนน{level} {moved}".strip()


def _groups(tools: list[dict]) -> list[list[dict]]:
    """Tools in order, the parts of one group (EIT) together."""
    groups: list[list[dict]] = []
    for tool in tools:
        if tool["group"] and groups and groups[-1][0]["group"] == tool["group"]:
            groups[-1].append(tool)
        else:
            groups.append([tool])
    return groups


def _group_lines(number: int, group: list[dict]) -> list[str]:
    if len(group) == 1:
        tool = group[0]
        return [
            f"({number}) {tool['name']} ({tool['short']}) {_score(tool)}",
            *_indicator_lines(f"{number}.", tool),
        ]
    head = group[0]["group_name"] or group[0]["group"]
    lines = [f"({number}) {head} ({group[0]['group']})"]
    for part, tool in enumerate(group, start=1):
        lines.append(f"{number}.{part} {tool['short']} {_score(tool)}")
        lines += _indicator_lines(f"{number}.{part}.", tool)
    return lines


def _indicator_lines(prefix: str, tool: dict) -> list[str]:
    return [
        f"{prefix}{n} ตัวชี้วัด{i['name']} คะแนนเฉลี่ย {i['score']} คะแนน"
        for n, i in enumerate(tool["indicators"], start=1)
        if i["score"] is not None
    ]


def _score(tool: dict) -> str:
    return f"ได้คะแนน {tool['score']} คะแนน" if tool["score"] else "(ไม่มีคะแนน)"


def _day(value: str | None) -> str:
    return thai.format_date(date.fromisoformat(value), False) if value else ""
