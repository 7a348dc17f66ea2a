"""Demo data: อบต.ศรีสุข from seed 000, its four signers, the chain, and the analysis memo draft."""

from datetime import date

import sqlalchemy as sa

import clock
import thai
from extensions import db
from models import (
    ActingAssignment,
    ActingKind,
    ChainStep,
    DocType,
    Organisation,
    OrgKind,
    Position,
    Unit,
    User,
)
from workflow import documents, numbering
from workflow.chain_defaults import default_chain

ORG_NAME = "องค์การบริหารส่วนตำบลศรีสุข"
PASSWORD = "ita-demo-2569"
DRAFTER_POSITION = "ผู้ช่วยนักวิเคราะห์นโยบายและแผน"
GENERAL_ADMIN_HEAD = "หัวหน้าฝ่ายบริหารงานทั่วไป"

# username, title, full name, own position, is admin
PEOPLE = [
    ("nattanipa", "นาง", "ณัฐนิภา แสงมณี", DRAFTER_POSITION, False),
    ("thanyarat", "นาง", "ธัญญารัตน์ โคนุช", GENERAL_ADMIN_HEAD, False),
    ("chuttikan", "นาง", "ชุตติกาญจน์ คงสุข", f"ปลัด{ORG_NAME}", False),
    ("nakarin", "นาย", "นครินทร์ สมัญญา", f"นายก{ORG_NAME}", False),
    ("admin", "นาย", "ผู้ดูแลระบบ ศรีสุข", None, True),
]
LOGINS = [
    ("nattanipa", "นางณัฐนิภา แสงมณี", "ผู้จัดทำ: ผู้ช่วยนักวิเคราะห์นโยบายและแผน"),
    ("thanyarat", "นางธัญญารัตน์ โคนุช", "หัวหน้าฝ่ายบริหารงานทั่วไป รักษาราชการแทนหัวหน้าสำนักปลัด"),
    ("chuttikan", "นางชุตติกาญจน์ คงสุข", "ปลัด อบต.ศรีสุข"),
    ("nakarin", "นายนครินทร์ สมัญญา", "นายก อบต.ศรีสุข"),
    ("admin", "ผู้ดูแลระบบ", "ตั้งค่าองค์กร หน่วยงาน ตำแหน่ง บุคลากร สายการลงนาม"),
]
UNITS = ["สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา ศาสนาและวัฒนธรรม"]

SUBJECT = (
    "รายงานผลการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ"
    " (Integrity and Transparency Assessment : ITA) ประจำปีงบประมาณ พ.ศ. 2568"
)
SECTIONS = [
    (
        "เรื่องเดิม",
        "ตามที่องค์การบริหารส่วนตำบลศรีสุข ได้เข้าร่วมการประเมินคุณธรรมและความโปร่งใสในการดำเนินงาน"
        "ของหน่วยงานภาครัฐ (Integrity and Transparency Assessment : ITA) จากสำนักงานคณะกรรมการ"
        "ป้องกันและปราบปรามการทุจริตแห่งชาติ (สำนักงาน ป.ป.ช.) ตามแนวทางหนังสือสั่งการของอำเภอสำโรงทาบ"
        " จังหวัดสุรินทร์ ที่ สร 0023.23/ว 132 ลงวันที่ 31 มกราคม 2568 และตามประกาศสำนักงาน"
        "คณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ ลงวันที่ 26 กันยายน 2567 นั้น",
    ),
    (
        "ข้อเท็จจริง",
        "บัดนี้ สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ ได้ประกาศผลการประเมินคุณธรรม"
        "และความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) ประจำปีงบประมาณ พ.ศ. 2568"
        " ลงวันที่ 15 สิงหาคม 2568 ผลปรากฏดังนี้\n"
        "อบต.ศรีสุข ได้คะแนนรวม 93.57 คะแนน ระดับผ่านดี เพิ่มขึ้นจากปีที่ผ่านมา 6.13 คะแนน\n"
        "(1) แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (IIT) ได้คะแนน 90.53 คะแนน\n"
        "(2) แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก (EIT) ส่วนที่ 1 ได้คะแนน 97.86 คะแนน"
        " ส่วนที่ 2 ได้คะแนน 98.85 คะแนน\n"
        "(3) แบบตรวจการเปิดเผยข้อมูลสาธารณะ (OIT) ได้คะแนน 92.25 คะแนน",
    ),
    (
        "ระเบียบ/หนังสือสั่งการ",
        "1. คู่มือการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA)"
        " ประจำปีงบประมาณ พ.ศ. 2568\n"
        "2. ประกาศสำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ เรื่อง ผลการประเมินคุณธรรม"
        "และความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) ประจำปีงบประมาณ พ.ศ. 2568"
        " ลงวันที่ 15 สิงหาคม 2568",
    ),
    (
        "ข้อเสนอเพื่อพิจารณา",
        "เพื่อให้การดำเนินการเป็นไปด้วยความเรียบร้อย สำนักปลัดองค์การบริหารส่วนตำบลศรีสุข"
        " จึงขอรายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ"
        " (ITA) ประจำปีงบประมาณ พ.ศ. 2568 ให้นายกองค์การบริหารส่วนตำบลศรีสุขทราบ"
        " พร้อมทั้งกำชับเจ้าหน้าที่ผู้รับผิดชอบแต่ละตัวชี้วัดให้ดำเนินการตามข้อเสนอแนะของผู้ตรวจ"
        " รวมถึงประกาศประชาสัมพันธ์บนเว็บไซต์หน่วยงานให้ประชาชนทราบต่อไป"
        " รายละเอียดปรากฏตามเอกสารแนบท้ายบันทึกฉบับนี้",
    ),
]


def create_demo() -> bool:
    """Build the demo organisation; False when it already exists."""
    if db.session.scalar(sa.select(Organisation.id).where(Organisation.name == ORG_NAME)):
        return False
    org = Organisation(
        name=ORG_NAME, kind=OrgKind.SAO, district="สำโรงทาบ", province="สุรินทร์",
        phone="044-569109", doc_prefix="สร 83201", thai_digits=True,
    )
    db.session.add(org)
    db.session.flush()
    units = {name: Unit(organisation=org, name=name) for name in UNITS}
    chain = default_chain(ORG_NAME)
    titles = [DRAFTER_POSITION, GENERAL_ADMIN_HEAD, *(s.position_title for s in chain)]
    positions = {t: Position(organisation=org, title=t) for t in titles}
    people = {}
    for username, title, full_name, position, is_admin in PEOPLE:
        user = User(
            organisation=org, username=username, title=title, full_name=full_name,
            email=f"{username}@srisuk.example.go.th", position=positions.get(position),
            unit=units["สำนักปลัด"], is_admin=is_admin,
        )
        user.set_password(PASSWORD)
        people[username] = user
    db.session.add_all([*units.values(), *positions.values(), *people.values()])
    for doc_type in DocType:
        for step_no, step in enumerate(chain, start=1):
            db.session.add(ChainStep(
                org_id=org.id, doc_type=doc_type, step_no=step_no,
                position=positions[step.position_title], heading=step.heading,
                forward_decisions=list(step.forward), reject_decisions=list(step.reject),
                phrases=list(step.phrases),
            ))
    db.session.flush()
    # The post of section head is vacant; the head of general administration acts for it.
    db.session.add(ActingAssignment(
        org_id=org.id, user=people["thanyarat"], position=positions["หัวหน้าสำนักปลัด"],
        kind=ActingKind.ACTING, start_date=date(2025, 10, 1), end_date=None,
        order_ref="คำสั่งองค์การบริหารส่วนตำบลศรีสุข ที่ 245/2568 ลงวันที่ 30 กันยายน 2568",
        created_by_id=None,
    ))
    # The paper register of the current fiscal year already reached 1179, as in the seed.
    numbering.move_counter_forward(org.id, thai.fiscal_year(clock.today()), 1180)
    documents.create_draft(people["nattanipa"], documents.MemoContent(
        doc_type=DocType.ANALYSIS,
        issuing_unit=units["สำนักปลัด"].memo_heading(),
        doc_date=date(2025, 10, 27),
        subject=SUBJECT,
        addressee=f"นายก{ORG_NAME}",
        sections=SECTIONS,
        closing="จึงเรียนมาเพื่อโปรดพิจารณา",
        unit_id=units["สำนักปลัด"].id,
    ))
    return True
