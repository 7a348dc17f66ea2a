"""Demo data: อบต.ศรีสุข from seed 000, its four signers, the chain, the analysis memo draft,
and the measures of 2569 from the end of seed 000 with some progress."""

import contextlib
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
    MeasureStatus,
    Organisation,
    OrgKind,
    Position,
    Rhythm,
    Unit,
    User,
)
from pdf.seal import keys
from workflow import documents, measures, numbering
from workflow.chain_defaults import default_chain
from workflow.ita.demo import create_demo_results
from workflow.oit.demo import create_demo_board

ORG_NAME = "องค์การบริหารส่วนตำบลศรีสุข"
ORG_SHORT_NAME = "อบต.ศรีสุข"  # in the demo seal's certificate: the full name exceeds 64 bytes
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
# In the order the seeds list them together: the demo organisation's order of its units.
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
        name=ORG_NAME,
        kind=OrgKind.SAO,
        district="สำโรงทาบ",
        province="สุรินทร์",
        phone="044-569109",
        doc_prefix="สร 83201",
        thai_digits=True,
        slug="srisuk",  # its public address: /p/srisuk/<year>/<item>
    )
    db.session.add(org)
    db.session.flush()
    _install_demo_seal(org.id)
    units = {
        name: Unit(organisation=org, name=name, sort_order=place)
        for place, name in enumerate(UNITS, start=1)
    }
    chain = default_chain(ORG_NAME)
    titles = [DRAFTER_POSITION, GENERAL_ADMIN_HEAD, *(s.position_title for s in chain)]
    positions = {t: Position(organisation=org, title=t) for t in titles}
    people = {}
    for username, title, full_name, position, is_admin in PEOPLE:
        user = User(
            organisation=org,
            username=username,
            title=title,
            full_name=full_name,
            email=f"{username}@srisuk.example.go.th",
            position=positions.get(position),
            unit=units["สำนักปลัด"],
            is_admin=is_admin,
        )
        user.set_password(PASSWORD)
        people[username] = user
    db.session.add_all([*units.values(), *positions.values(), *people.values()])
    for doc_type in DocType:
        for step_no, step in enumerate(chain, start=1):
            db.session.add(
                ChainStep(
                    org_id=org.id,
                    doc_type=doc_type,
                    step_no=step_no,
                    position=positions[step.position_title],
                    heading=step.heading,
                    forward_decisions=list(step.forward),
                    reject_decisions=list(step.reject),
                    phrases=list(step.phrases),
                )
            )
    db.session.flush()
    # The post of section head is vacant; the head of general administration acts for it.
    db.session.add(
        ActingAssignment(
            org_id=org.id,
            user=people["thanyarat"],
            position=positions["หัวหน้าสำนักปลัด"],
            kind=ActingKind.ACTING,
            start_date=date(2025, 10, 1),
            end_date=None,
            order_ref="คำสั่งองค์การบริหารส่วนตำบลศรีสุข ที่ 245/2568 ลงวันที่ 30 กันยายน 2568",
            created_by_id=None,
        )
    )
    # The paper register of the current fiscal year already reached 1179, as in the seed.
    numbering.move_counter_forward(org.id, thai.fiscal_year(clock.today()), 1180)
    documents.create_draft(
        people["nattanipa"],
        documents.MemoContent(
            doc_type=DocType.ANALYSIS,
            issuing_unit=units["สำนักปลัด"].memo_heading(),
            doc_date=date(2025, 10, 27),
            subject=SUBJECT,
            addressee=f"นายก{ORG_NAME}",
            sections=SECTIONS,
            closing="จึงเรียนมาเพื่อโปรดพิจารณา",
            unit_id=units["สำนักปลัด"].id,
        ),
    )
    _create_measures(units, people)
    create_demo_results(people["nattanipa"])  # ITA 2568 of seed 000, and 2567's overall
    create_demo_board(units, people)  # OIT 2569: 22 of 26 items with evidence
    return True


def _install_demo_seal(org_id: int) -> None:
    """A throwaway certificate marked as demo in its names, so the demo's approved PDFs are
    sealed; skipped (PDFs unsealed) where SEAL_SECRET_KEY is not set."""
    with contextlib.suppress(keys.NotConfigured):
        keys.store(org_id, keys.demo_seal(ORG_SHORT_NAME), actor=None, demo=True)


# The measures table at the end of seed 000 (2569). "ผู้บริหาร" is not a unit: it is the นายก and
# the ปลัด, so those rows name them as responsible people. The seed prints indicator 6
# (คุณภาพการดำเนินงาน) as "ตัวชี้วัดที่ ๒"; its name says 6. Question codes come from the memo's
# analysis of each indicator; follow-up and rhythm are not in the seed and are the demo's choice.
EXECUTIVES = ("nakarin", "chuttikan")
EDUCATION = "กองการศึกษา ศาสนาและวัฒนธรรม"
QUARTERLY_FOLLOW_UP = "รายงานผลการดำเนินงานต่อผู้บริหารทุกไตรมาส"
# indicator, codes, title, analysis, steps, units, executives responsible, rhythm
MEASURES_2569 = [
    (
        4,
        "i10",
        "มาตรการปรับปรุงแนวปฏิบัติการใช้ทรัพย์สินของทางราชการ",
        "ได้รับคะแนน 76.31 คะแนน พบประเด็นการใช้ทรัพย์สินของราชการยังไม่ถูกตามขั้นตอน"
        " ควรเร่งปรับปรุงระดับคะแนนให้ดีขึ้น",
        [
            "ระบุขั้นตอนและแนวทางการขอยืมทรัพย์สินตามประเภทงานให้ชัดเจนในคู่มือการปฏิบัติงาน",
            "ประชาสัมพันธ์ให้บุคลากรทราบและถือปฏิบัติอย่างเคร่งครัด",
        ],
        ["กองคลัง"],
        False,
        Rhythm.QUARTERLY,
    ),
    (
        9,
        "",
        "มาตรการส่งเสริมการเปิดเผยข้อมูลต่อสาธารณะ",
        "ได้รับคะแนน 84.50 คะแนน พบประเด็นการประชาสัมพันธ์เผยแพร่ผลการจัดซื้อจัดจ้าง แผนจัดหาพัสดุ"
        " ผลการจัดซื้อจัดจ้างทางเว็บไซต์หน่วยงาน ควรเร่งปรับปรุงระดับคะแนนให้ดีขึ้น",
        [
            "ปรับปรุงข้อมูลบนเว็บไซต์ให้เป็นปัจจุบัน",
            "พัฒนากลไกการดำเนินงานให้ต่อเนื่องสัมฤทธิ์ผล",
            "เผยแพร่ให้ประชาชนได้รับทราบผ่านช่องทางออนไลน์ เว็บไซต์หน่วยงาน"
            " และปรับปรุงอัปเดตข้อมูลเป็นประจำอย่างต่อเนื่อง",
        ],
        ["กองคลัง"],
        False,
        Rhythm.MONTHLY,
    ),
    (
        5,
        "i15",
        "กิจกรรมส่งเสริมคุณธรรมและสร้างวัฒนธรรม No Gift Policy",
        "ได้รับคะแนน 90.18 คะแนน พบประเด็นการให้ความสำคัญในการแก้ไขปัญหาทุจริต ควรเร่งปรับปรุงระดับคะแนนให้ดีขึ้น",
        [
            "จัดกิจกรรมให้ผู้บริหารและบุคลากรมีส่วนร่วมในการสร้างวัฒนธรรมองค์กร",
            "ประชาสัมพันธ์ผ่านสื่อออนไลน์ เพื่อสร้างความเชื่อมั่นในกระบวนการจัดการเรื่องร้องเรียนทุจริต",
        ],
        ["สำนักปลัด"],
        True,
        Rhythm.QUARTERLY,
    ),
    (
        2,
        "i4",
        "กิจกรรมสร้างการมีส่วนร่วมในการจัดทำและติดตามแผนการใช้จ่ายงบประมาณ",
        "ได้รับคะแนน 93.68 คะแนน พบประเด็นการรับรู้ว่าการใช้งบประมาณบางส่วนอาจไม่ตรงตามวัตถุประสงค์"
        "หรือขาดการมีส่วนร่วม ควรเร่งปรับปรุงระดับคะแนนให้ดีขึ้น",
        [
            "จัดประชุมให้บุคลากรภายในมีส่วนร่วมในการจัดทำแผนการดำเนินงานและแผนการใช้จ่ายงบประมาณ",
            "ติดตามตรวจสอบให้เป็นไปตามวัตถุประสงค์และความคุ้มค่า",
        ],
        ["สำนักปลัด", "กองคลัง"],
        False,
        Rhythm.QUARTERLY,
    ),
    (
        1,
        "i1",
        "โครงการพัฒนาคู่มือและสื่อประชาสัมพันธ์ขั้นตอนการปฏิบัติงาน",
        "ได้รับคะแนน 93.69 คะแนน พบประเด็นการปฏิบัติงานหรือให้บริการของเจ้าหน้าที่ในหน่วยงาน"
        " ควรเร่งปรับปรุงระดับคะแนนให้ดีขึ้น",
        [
            "ระบุทั้งขั้นตอนและระยะเวลาที่ใช้ในการปฏิบัติงานหรือการให้บริการแต่ละขั้นตอน"
            "ไว้ในคู่มือหรือแนวทางการปฏิบัติงานของเจ้าหน้าที่",
            "จัดทำคู่มือหรือแนวทางการปฏิบัติงาน",
        ],
        ["สำนักปลัด", "กองคลัง", "กองช่าง", EDUCATION],
        False,
        Rhythm.QUARTERLY,
    ),
    (
        8,
        "e7",
        "โครงการพัฒนาระบบการให้บริการออนไลน์ (E-Service) และการส่งเสริมการมีส่วนร่วมของประชาชน",
        "ได้รับคะแนน 97.13 คะแนน พบว่าการให้บริการออนไลน์และการตอบสนองต่อประชาชน"
        "ยังไม่เพียงพอต่อความต้องการ ควรเร่งปรับปรุงระดับคะแนนให้ดีขึ้น",
        [
            "พัฒนาระบบ E-Service สำหรับงานบริการหลัก",
            "เปิดโอกาสให้บุคคลภายนอกมีส่วนร่วมในการให้ข้อเสนอแนะเพื่อปรับปรุงงาน",
            "สรุปและรายงานผลสู่สาธารณะ",
        ],
        ["สำนักปลัด"],
        False,
        Rhythm.QUARTERLY,
    ),
    (
        7,
        "e4",
        "มาตรการพัฒนาช่องทางการสื่อสาร",
        "ได้รับคะแนน 97.82 คะแนน พบประเด็นการสื่อสารตอบข้อซักถามที่ยังขาดความชัดเจนในบางช่องทางสื่อสาร",
        [
            "มอบหมายผู้รับผิดชอบที่ชัดเจนในการตอบคำถามผ่านช่องทางติดต่อ",
            "ใช้สื่อสังคมออนไลน์ในการให้ข้อมูลที่เข้าใจง่ายและเข้าถึงได้สะดวก",
        ],
        ["สำนักปลัด"],
        False,
        Rhythm.QUARTERLY,
    ),
    (
        6,
        "e1",
        "กิจกรรมยกระดับมาตรฐานการให้บริการเพื่อความเท่าเทียม",
        "ได้รับคะแนน 98.62 คะแนน พบประเด็นข้อกังวลเรื่องความเหลื่อมล้ำในการให้บริการ"
        "ในบางมุมมองของผู้รับบริการ ควรเร่งปรับปรุงระดับคะแนนให้ดีขึ้น",
        [
            "วิเคราะห์ภารกิจที่มีความเสี่ยงต่อการเลือกปฏิบัติ",
            "พัฒนาขั้นตอนการทำงานให้ละเอียดในคู่มือ",
            "สื่อสารมาตรฐานการให้บริการให้ผู้รับบริการทราบทั่วกัน",
        ],
        ["สำนักปลัด", "กองคลัง", "กองช่าง", EDUCATION],
        False,
        Rhythm.QUARTERLY,
    ),
    (
        3,
        "i7",
        "มาตรการกำกับดูแลการใช้อำนาจตามประมวลจริยธรรม",
        "ได้รับคะแนน 98.77 คะแนน พบประเด็นการสั่งการของผู้บังคับบัญชาในการปฏิบัติงาน"
        "ของหน้าที่ปฏิบัติงานให้มีประสิทธิภาพเพิ่มขึ้น ควรเร่งปรับปรุงระดับคะแนนให้ดีขึ้น",
        [
            "เข้มงวดการปฏิบัติตามประมวลจริยธรรมและการขับเคลื่อนจริยธรรม"
            " เพื่อป้องกันการสั่งการในสิ่งที่ไม่ถูกต้องหรือการใช้อำนาจในทางที่มิชอบ"
        ],
        ["สำนักปลัด"],
        True,
        Rhythm.SEMIANNUAL,
    ),
    (
        10,
        "",
        "มาตรการบริหารจัดการความเสี่ยงและเฝ้าระวังการทุจริตเชิงรุก",
        "ได้รับคะแนน 100.00 คะแนน เป็นผลงานที่โดดเด่นและมีประสิทธิภาพสูงสุดควรเป็นต้นแบบ"
        " และรักษามาตรฐานไว้อย่างต่อเนื่อง",
        [
            "ดำเนินการตามแผนปฏิบัติการป้องกันการทุจริต",
            "ประเมินความเสี่ยงการทุจริตอย่างต่อเนื่อง",
            "รายงานผลการดำเนินงานต่อสาธารณะ",
        ],
        ["สำนักปลัด", "กองคลัง", "กองช่าง", EDUCATION],
        True,
        Rhythm.SEMIANNUAL,
    ),
]
EVIDENCE_SITE = "https://srisuk.example.go.th/ita"
# measure (index in MEASURES_2569), date, what was done, evidence path and title, status after
PROGRESS_2569 = [
    (
        2,
        date(2025, 10, 20),
        "ประกาศเจตนารมณ์ No Gift Policy ประจำปีงบประมาณ พ.ศ. 2569"
        " และประชาสัมพันธ์ทางเว็บไซต์และเพจหน่วยงาน",
        ("2569/no-gift-policy", "ประกาศเจตนารมณ์ No Gift Policy ปี 2569"),
        MeasureStatus.IN_PROGRESS,
    ),
    (
        0,
        date(2025, 12, 15),
        "ปรับปรุงคู่มือการขอยืมทรัพย์สินของทางราชการ แยกตามประเภทงาน",
        ("2569/asset-borrowing-manual", "คู่มือการขอยืมทรัพย์สินของทางราชการ"),
        MeasureStatus.IN_PROGRESS,
    ),
    (
        1,
        date(2026, 1, 12),
        "เผยแพร่แผนการจัดซื้อจัดจ้าง ประจำปีงบประมาณ พ.ศ. 2569 บนเว็บไซต์",
        ("2569/procurement-plan", "แผนการจัดซื้อจัดจ้าง ปี 2569"),
        MeasureStatus.IN_PROGRESS,
    ),
    (
        0,
        date(2026, 3, 20),
        "ชี้แจงแนวปฏิบัติการใช้ทรัพย์สินของทางราชการในที่ประชุมประจำเดือน",
        None,
        MeasureStatus.DONE,
    ),
    (
        2,
        date(2026, 6, 5),
        "จัดกิจกรรมสร้างวัฒนธรรมองค์กรร่วมกับผู้บริหารและบุคลากร",
        ("2569/no-gift-activity", "ภาพกิจกรรมสร้างวัฒนธรรมองค์กร"),
        MeasureStatus.DONE,
    ),
]


def _create_measures(units: dict[str, Unit], people: dict[str, User]) -> None:
    """The 2569 plan of seed 000 with some progress, and this year's plan copied from it."""
    coordinator = people["nattanipa"]
    plan = measures.create_plan(coordinator, 2569)
    created = [
        measures.create_measure(plan.id, coordinator, _measure_input(row, 2569, units, people))
        for row in MEASURES_2569
    ]
    today = clock.today()
    for index, day, text, evidence, status in PROGRESS_2569:
        if day <= today:
            _progress(created[index], coordinator, day, text, evidence, status)
    current = thai.fiscal_year(today)
    if current > plan.fiscal_year:
        this_year = measures.create_plan(coordinator, current)
        copies = measures.copy_plan(plan.id, this_year.id, coordinator)
        _progress(
            copies[2],
            coordinator,
            today,
            f"ประกาศเจตนารมณ์ No Gift Policy ประจำปีงบประมาณ พ.ศ. {current}",
            (f"{current}/no-gift-policy", f"ประกาศเจตนารมณ์ No Gift Policy ปี {current}"),
            MeasureStatus.IN_PROGRESS,
        )


def _measure_input(row, fiscal_year: int, units, people) -> measures.MeasureInput:
    indicator, codes, title, analysis, steps, unit_names, executives, rhythm = row
    start, end = thai.fiscal_year_bounds(fiscal_year)
    return measures.MeasureInput(
        title=title,
        start_month=start,
        end_month=end.replace(day=1),
        rhythm=rhythm,
        indicators=[indicator],
        question_codes=codes,
        analysis=analysis,
        steps="\n".join(steps),
        no_budget=True,
        unit_ids=[units[name].id for name in unit_names],
        person_ids=[people[name].id for name in EXECUTIVES] if executives else [],
        follow_up=QUARTERLY_FOLLOW_UP
        if rhythm is Rhythm.QUARTERLY
        else (
            "รายงานผลการดำเนินงานต่อผู้บริหารทุกเดือน"
            if rhythm is Rhythm.MONTHLY
            else "รายงานผลการดำเนินงานต่อผู้บริหารทุก 6 เดือน"
        ),
    )


def _progress(measure, actor: User, day: date, text: str, evidence, status) -> None:
    path, title = evidence or ("", "")
    measures.record_progress(
        measure.id,
        actor,
        measures.ProgressInput(
            entry_date=day,
            text=text,
            url=f"{EVIDENCE_SITE}/{path}" if path else "",
            title=title,
            status=status.value if status is not measure.status else "",
        ),
    )
