"""The guided first run of a new organisation: each set-up step with its state, the admin page
that does it, and the demo organisation (อบต.ศรีสุข, `flask demo`) as the example."""

from dataclasses import dataclass

import sqlalchemy as sa

import clock
import demo
import thai
from extensions import db
from models import ChainStep, DocType, Organisation, User
from workflow.admin.overview import summary
from workflow.errors import ValidationFailed
from workflow.permissions import require_admin
from workflow.rounds import is_checked

MIN_TARGET, MAX_TARGET = 1, 30


@dataclass
class Step:
    key: str
    title: str
    done: bool
    state: str  # what is there now
    endpoint: str  # the page that does it
    example: str  # how the demo organisation has it
    required: bool = True


def checklist(actor: User) -> list[Step]:
    """The set-up steps of the admin's organisation, in the order to do them."""
    found = summary(actor)  # checks the admin right
    org = actor.organisation
    chains = [t for t in DocType if not found.chain_steps[t]]
    year = thai.fiscal_year(clock.today())
    rounds_checked = is_checked(org.id, year)
    unsigned = _signers_without_signature(org.id)
    return [
        Step("units", "หน่วยงาน", found.units > 0, f"{found.units} หน่วยงาน", "admin.units",
             "สำนักปลัด กองคลัง กองช่าง กองการศึกษา ศาสนาและวัฒนธรรม"),
        Step("positions", "ตำแหน่ง", found.positions > 0, f"{found.positions} ตำแหน่ง",
             "admin.positions", f"{demo.DRAFTER_POSITION} หัวหน้าสำนักปลัด ปลัด นายก"),
        Step("people", "บุคลากรและบัญชีผู้ใช้", found.active_people > 1,
             f"ใช้งานอยู่ {found.active_people} คน", "admin.people",
             "ผู้จัดทำ ผู้รักษาราชการแทนหัวหน้าสำนักปลัด ปลัด นายก และผู้ดูแลระบบ"),
        Step("chains", "สายการลงนามของเอกสารทุกประเภท", not chains,
             "ครบทุกประเภท" if not chains else "ยังไม่ได้กำหนด: " + ", ".join(t.label for t in chains),
             "admin.chains", "หัวหน้าสำนักปลัด → ปลัด → นายก พร้อมข้อความความเห็นที่ใช้บ่อย"),
        Step("rounds", f"กำหนดส่งรายงานปีงบประมาณ {year}", rounds_checked,
             "ตรวจสอบแล้ว" if rounds_checked else "ยังใช้วันที่ตั้งต้น (ยังไม่ได้ตรวจสอบ)", "reports.rounds_page",
             "รอบ ๖ เดือน ส่งภายใน ๓๐ เมษายน รอบ ๑๒ เดือน ส่งภายใน ๓๑ ตุลาคม"),
        Step("garuda", "ภาพตราครุฑสำหรับบันทึกข้อความ", org.garuda_key is not None,
             "อัปโหลดแล้ว" if org.garuda_key else "ยังไม่มี", "pdf.garuda",
             "ภาพตราครุฑสูง ๑.๕ ซม. มุมซ้ายบนของบันทึกข้อความ (แต่ละองค์กรอัปโหลดเอง)"),
        Step("signatures", "ภาพลายมือชื่อของผู้ลงนาม (ไม่บังคับ)", not unsigned,
             "ครบทุกคน" if not unsigned else "ยังไม่มี: " + ", ".join(unsigned), "pdf.signature",
             "ไม่มีภาพลายมือชื่อก็ได้ ระบบพิมพ์ชื่อผู้ลงนามแทน", required=False),
    ]  # fmt: skip


def is_complete(steps: list[Step]) -> bool:
    return all(step.done for step in steps if step.required)


def set_target_days(actor: User, days: int | None) -> Organisation:
    """The admin sets how many working days a memo may wait at one step before it shows late."""
    require_admin(actor)
    if days is None or not MIN_TARGET <= days <= MAX_TARGET:
        raise ValidationFailed(
            f"กรุณาระบุจำนวนวันทำการระหว่าง {MIN_TARGET} ถึง {MAX_TARGET} วัน", field="days"
        )
    org = db.session.get(Organisation, actor.org_id, with_for_update=True)
    org.target_working_days = days
    db.session.flush()
    return org


def _signers_without_signature(org_id: int) -> list[str]:
    """Active people holding a post of a chain who have no signature image yet."""
    in_chain = sa.select(ChainStep.position_id).where(ChainStep.org_id == org_id)
    stmt = (
        sa.select(User)
        .where(
            User.org_id == org_id,
            User.active,
            User.position_id.in_(in_chain),
            User.signature_key.is_(None),
        )
        .order_by(User.full_name)
    )
    return [u.display_name for u in db.session.scalars(stmt)]
