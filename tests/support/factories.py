"""Factories: people, chains built as data, sample files, and a second organisation.

Each builder that takes `app` opens its own short app context and commits, so a test can use
the client afterwards without sharing a context with it.
"""

import io
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

import demo
import thai
from extensions import db
from models import (
    ActingAssignment,
    ActingKind,
    ChainStep,
    DocType,
    Evidence,
    Holiday,
    ItaResult,
    Measure,
    MeasurePlan,
    Notification,
    OitEvidence,
    OitItem,
    Organisation,
    OrgKind,
    Position,
    ProgressEntry,
    ReportRound,
    Rhythm,
    RoundKind,
    Unit,
    User,
)
from workflow import attachments
from workflow import documents as service

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 16 + b"\xff\xd9"


def ooxml(folder: str) -> bytes:
    """A minimal Office Open XML package: 'word/' makes a .docx, 'xl/' an .xlsx."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(f"{folder}document.xml", '<?xml version="1.0"?><document/>')
    return buffer.getvalue()


def user(username: str) -> User:
    """A user by username, in the current app context."""
    return db.session.scalars(sa.select(User).where(User.username == username)).one()


def make_user(
    org: Organisation,
    username: str,
    full_name: str,
    position: Position | None = None,
    *,
    is_admin: bool = False,
    title: str = "นาย",
) -> User:
    """A person who logs in with the demo password."""
    person = User(
        organisation=org,
        username=username,
        title=title,
        full_name=full_name,
        position=position,
        is_admin=is_admin,
    )
    person.set_password(demo.PASSWORD)
    db.session.add(person)
    return person


def make_chain(
    org: Organisation, doc_type: DocType, positions: list[Position], reject_at_last: bool = True
) -> list[ChainStep]:
    """One chain step per position, in order; the last can reject when asked."""
    steps = []
    for step_no, position in enumerate(positions, start=1):
        last = step_no == len(positions)
        steps.append(
            ChainStep(
                org_id=org.id,
                doc_type=doc_type,
                step_no=step_no,
                position=position,
                heading=f"ความเห็น{position.title}",
                forward_decisions=["อนุมัติ"] if last else ["เห็นควรเสนอ"],
                reject_decisions=["ไม่อนุมัติ"] if last and reject_at_last else [],
                phrases=[],
            )
        )
    db.session.add_all(steps)
    return steps


def memo_content(subject: str = "ขอรายงานผลการดำเนินงาน", **changes) -> service.MemoContent:
    fields = {
        "doc_type": DocType.GENERAL,
        "issuing_unit": "สำนักปลัด โทร. 044-000000",
        "doc_date": date(2025, 10, 27),
        "subject": subject,
        "addressee": "นายก",
        "sections": [("ข้อเท็จจริง", "รายละเอียดตามเอกสารแนบ")],
        "closing": "จึงเรียนมาเพื่อโปรดพิจารณา",
    }
    return service.MemoContent(**{**fields, **changes})


# -- a chain of five signers, configured as data -------------------------------------------

FIVE_TITLES = ("ผู้ตรวจทาน", "หัวหน้าฝ่ายอำนวยการ", "รองปลัด", "ปลัด", "นายก")


@dataclass(frozen=True)
class FiveStepChain:
    org_id: int
    drafter: str
    signers: tuple[str, ...]  # usernames, in chain order
    memo_id: int


def five_step_chain(app) -> FiveStepChain:
    """An organisation whose general memos climb five signers, and a draft memo for it."""
    with app.app_context():
        org = Organisation(name="องค์การบริหารส่วนตำบลห้าขั้น", kind=OrgKind.SAO, doc_prefix="หข 1")
        db.session.add(org)
        db.session.flush()
        positions = [Position(organisation=org, title=t) for t in FIVE_TITLES]
        drafter = make_user(org, "five_drafter", "ผู้จัดทำ ห้าขั้น")
        signers = [
            make_user(org, f"five_signer{i}", f"ผู้ลงนามที่{i} ห้าขั้น", p)
            for i, p in enumerate(positions, start=1)
        ]
        db.session.flush()
        make_chain(org, DocType.GENERAL, positions)
        memo = service.create_draft(drafter, memo_content("ขออนุมัติโครงการห้าขั้น"))
        db.session.commit()
        return FiveStepChain(org.id, drafter.username, tuple(s.username for s in signers), memo.id)


# -- a second organisation, for cross-organisation tests -----------------------------------


@dataclass(frozen=True)
class OtherOrg:
    """Ids of organisation B (เทศบาลตำบลหนองบัว): every kind of row a URL can name."""

    org_id: int
    admin: str
    drafter: str
    mayor: str
    unit_id: int
    position_id: int
    user_id: int
    step_id: int
    assignment_id: int
    memo_id: int  # in review, at the first step
    draft_id: int
    attachment_id: int
    fiscal_year: int
    decision: str  # a decision of the memo's current step
    plan_id: int
    measure_id: int
    entry_id: int
    evidence_id: int
    round_id: int
    holiday_id: int
    notification_id: int
    result_id: int  # B's ITA result of 2568
    oit_evidence_id: int  # an evidence link of B's OIT board of 2569
    markers: tuple[str, ...]  # text only B's pages contain


B_NAME = "เทศบาลตำบลหนองบัว"
B_SUBJECT = "ขออนุมัติจัดซื้อครุภัณฑ์สำนักงานกองคลังหนองบัว"
B_DRAFT_SUBJECT = "ร่างบันทึกลับของเทศบาลหนองบัว"
B_UNIT = "กองคลังหนองบัว"
B_PEOPLE = ("สมปอง ใจดีหนองบัว", "บุญมี ศรีหนองบัว", "ประเสริฐ นายกหนองบัว")
B_MEASURE = "มาตรการเปิดเผยข้อมูลจัดซื้อของหนองบัว"
B_PROGRESS = "ประชุมชี้แจงเจ้าหน้าที่หนองบัวแล้ว"
B_HOLIDAY = "วันหยุดประเพณีหนองบัว"
B_NOTICE = "แจ้งเตือนเฉพาะของหนองบัว"
B_OIT = "ผังโครงสร้างเทศบาลหนองบัว"


def other_organisation(app) -> OtherOrg:
    """Organisation B with its own unit, posts, people, chain, acting official and papers."""
    with app.app_context():
        org = Organisation(
            name=B_NAME,
            kind=OrgKind.MUNICIPALITY,
            doc_prefix="นบ 52101",
            thai_digits=False,
            slug="nongbua",
        )
        db.session.add(org)
        db.session.flush()
        unit = Unit(organisation=org, name=B_UNIT)
        clerk_post = Position(organisation=org, title="ปลัดเทศบาลตำบลหนองบัว")
        mayor_post = Position(organisation=org, title="นายกเทศมนตรีตำบลหนองบัว")
        admin = make_user(org, "nb_admin", "ผู้ดูแลระบบหนองบัว", is_admin=True)
        drafter = make_user(org, "nb_drafter", B_PEOPLE[0])
        clerk = make_user(org, "nb_clerk", B_PEOPLE[1], clerk_post)
        mayor = make_user(org, "nb_mayor", B_PEOPLE[2], mayor_post)
        db.session.add_all([unit, clerk_post, mayor_post])
        db.session.flush()
        steps = {t: make_chain(org, t, [clerk_post, mayor_post]) for t in DocType}
        acting = ActingAssignment(
            org_id=org.id,
            user=drafter,
            position=clerk_post,
            kind=ActingKind.DELEGATED,
            start_date=date(2025, 10, 1),
            end_date=date(2025, 10, 31),
            order_ref="คำสั่งหนองบัว 1/2568",
        )
        db.session.add(acting)
        db.session.flush()
        memo = service.create_draft(drafter, memo_content(B_SUBJECT, unit_id=unit.id))
        attachment = attachments.add(memo.id, drafter, "ใบเสนอราคาหนองบัว.pdf", PDF)
        service.submit(memo.id, drafter)
        draft = service.create_draft(drafter, memo_content(B_DRAFT_SUBJECT))
        year = _measures_and_rounds(org, unit, drafter, memo.fiscal_year)
        notice = Notification(
            org_id=org.id,
            user_id=drafter.id,
            kind="memo",
            title=B_NOTICE,
            url=f"/documents/{memo.id}",
        )
        db.session.add(notice)
        result = ItaResult(org_id=org.id, fiscal_year=2568, overall=Decimal("88.00"))
        db.session.add(result)
        oit = OitItem(org_id=org.id, fiscal_year=2569, code="O1", owner=clerk, owner_unit=unit)
        oit_evidence = OitEvidence(
            org_id=org.id, url="https://nongbua.example.go.th/structure", title=B_OIT,
            added_by_id=admin.id,
        )  # fmt: skip
        oit.evidence.append(oit_evidence)
        db.session.add(oit)
        db.session.commit()
        return OtherOrg(
            org_id=org.id,
            admin=admin.username,
            drafter=drafter.username,
            mayor=mayor.username,
            unit_id=unit.id,
            position_id=clerk_post.id,
            user_id=clerk.id,
            step_id=steps[DocType.GENERAL][0].id,
            assignment_id=acting.id,
            memo_id=memo.id,
            draft_id=draft.id,
            attachment_id=attachment.id,
            fiscal_year=memo.fiscal_year,
            decision=memo.step().forward_decisions[0],
            notification_id=notice.id,
            result_id=result.id,
            oit_evidence_id=oit_evidence.id,
            **year,
            markers=(
                B_NAME,
                B_SUBJECT,
                B_DRAFT_SUBJECT,
                B_UNIT,
                *B_PEOPLE,
                "ใบเสนอราคาหนองบัว",
                B_MEASURE,
                B_PROGRESS,
                B_HOLIDAY,
                B_NOTICE,
                B_OIT,
            ),
        )


def _measures_and_rounds(org, unit, person, fiscal_year: int) -> dict[str, int]:
    """B's measures plan of the year with one measure, its progress and evidence; a report
    round and a holiday."""
    start, end = thai.fiscal_year_bounds(fiscal_year)
    plan = MeasurePlan(
        org_id=org.id,
        fiscal_year=fiscal_year,
        title=f"มาตรการของหนองบัว {fiscal_year}",
        coordinator_id=person.id,
    )
    measure = Measure(
        org_id=org.id,
        plan=plan,
        title=B_MEASURE,
        start_month=start,
        end_month=end.replace(day=1),
        rhythm=Rhythm.QUARTERLY,
        units=[unit],
        people=[person],
    )
    db.session.add_all([plan, measure])
    db.session.flush()
    entry = ProgressEntry(
        measure_id=measure.id, entry_date=start, text=B_PROGRESS, author_id=person.id
    )
    evidence = Evidence(
        measure_id=measure.id,
        url="https://nongbua.example.go.th/ita/o27",
        title="หลักฐานของหนองบัว",
        added_by_id=person.id,
    )
    half = ReportRound(
        org_id=org.id,
        fiscal_year=fiscal_year,
        kind=RoundKind.HALF,
        period_start=start,
        period_end=date(start.year + 1, 3, 31),
        due_date=date(start.year + 1, 4, 30),
    )
    holiday = Holiday(org_id=org.id, day=date(start.year, 12, 5), name=B_HOLIDAY)
    db.session.add_all([entry, evidence, half, holiday])
    db.session.flush()
    return {
        "plan_id": plan.id,
        "measure_id": measure.id,
        "entry_id": entry.id,
        "evidence_id": evidence.id,
        "round_id": half.id,
        "holiday_id": holiday.id,
    }
