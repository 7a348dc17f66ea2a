"""The memo text a progress report starts with, written from its snapshot like seed 004.

Arabic digits throughout: the pages and the PDF convert them per the organisation's setting.
"""

from datetime import date

import clock
import thai
from models import DEFAULT_CLOSING, DocType, MeasureStatus, ReportRound, User
from workflow.documents import MemoContent

TITLE = "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
BACKGROUND, FACTS, PROPOSAL = "เรื่องเดิม", "ข้อเท็จจริง", "ข้อเสนอเพื่อพิจารณา"


def period_text(start: date, end: date) -> str:
    """'1 ตุลาคม 2568 – 31 มีนาคม 2569'."""
    return f"{thai.format_date(start, False)} – {thai.format_date(end, False)}"


def subject(report_round: ReportRound) -> str:
    label = thai.to_arabic_digits(report_round.kind.label)
    return (
        f"{TITLE} ประจำปีงบประมาณ พ.ศ. {report_round.fiscal_year} {label}"
        f" ({period_text(report_round.period_start, report_round.period_end)})"
    )


def report_content(
    actor: User, report_round: ReportRound, data: dict, addressee: str
) -> MemoContent:
    """The draft's header and body: from the drafter's unit, dated today, to the last signer."""
    unit = actor.unit
    return MemoContent(
        doc_type=DocType.PROGRESS_REPORT,
        issuing_unit=unit.memo_heading() if unit else actor.organisation.name,
        doc_date=clock.today(),
        subject=subject(report_round),
        addressee=addressee,
        sections=[
            (BACKGROUND, background_text(actor.organisation.name, data)),
            (FACTS, facts_text(data)),
            (PROPOSAL, proposal_text(data, addressee)),
        ],
        closing=DEFAULT_CLOSING,
        unit_id=unit.id if unit else None,
    )


def background_text(org_name: str, data: dict) -> str:
    title, year = data["plan"]["title"], data["plan"]["fiscal_year"]
    if str(year) not in title:
        title = f"{title} ประจำปีงบประมาณ พ.ศ. {year}"
    return (
        f"ตามที่{org_name} ได้จัดทำ{title} จำนวน {len(data['measures'])} มาตรการ"
        " เพื่อยกระดับผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA)"
        " โดยให้หน่วยงานผู้รับผิดชอบดำเนินการ และรายงานผลการดำเนินการตามรอบที่กำหนด นั้น"
    )


def facts_text(data: dict) -> str:
    """The counts of measures by status at the round's end (cancelled only when there are any);
    refreshed with the snapshot."""
    r = data["round"]
    start, end = date.fromisoformat(r["period_start"]), date.fromisoformat(r["period_end"])
    lines = [
        f"บัดนี้ ได้ครบ{r['label']} ({period_text(start, end)}) แล้ว"
        f" ผลการดำเนินการตามมาตรการ ณ วันที่ {thai.format_date(end, False)} สรุปได้ดังนี้"
    ]
    shown = [c for c in data["counts"] if c["count"] or c["status"] != MeasureStatus.CANCELLED]
    for number, count in enumerate(shown, start=1):
        lines.append(f"({number}) {count['label']} {count['count']} มาตรการ")
    if not data["measures"]:
        lines.append("ยังไม่มีมาตรการในแผน")
    lines.append("รายละเอียดปรากฏตามตารางรายงานผลการดำเนินการแนบท้ายบันทึกนี้")
    return thai.to_arabic_digits("\n".join(lines))


def proposal_text(data: dict, addressee: str) -> str:
    return (
        f"จึงเห็นควรรายงานผลการดำเนินการตามมาตรการฯ {data['round']['label']}"
        f" ให้{addressee or 'ผู้บริหาร'}ทราบ และเผยแพร่รายงานนี้บนเว็บไซต์ของหน่วยงาน"
        " เพื่อให้ประชาชนทราบต่อไป"
    )
