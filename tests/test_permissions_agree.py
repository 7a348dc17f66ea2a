"""'May view a memo' exists twice: can_view in Python (one memo's page) and visible_documents in
SQL (the lists and the search). Over every demo user and a memo in every state they agree."""

from datetime import date

import sqlalchemy as sa
from test_pdf_support import user

from extensions import db
from models import DocState, DocType, Document, Organisation, OrgKind, User
from workflow import closing
from workflow import documents as service
from workflow.permissions import can_view, visible_documents

FORWARDS = {
    "thanyarat": "เห็นควรเสนอเพื่อโปรดพิจารณา",
    "chuttikan": "เห็นควรอนุมัติ",
    "nakarin": "อนุมัติ",
}
SIGNERS = list(FORWARDS)


def _draft(username: str, subject: str) -> int:
    content = service.MemoContent(
        doc_type=DocType.GENERAL,
        issuing_unit="สำนักปลัด",
        doc_date=date(2026, 11, 2),
        subject=subject,
        addressee="นายก",
        sections=[("ข้อเท็จจริง", "ข้อความ")],
    )
    return service.create_draft(user(username), content).id


def _submitted(subject: str, signed: int = 0) -> int:
    memo = _draft("nattanipa", subject)
    service.submit(memo, user("nattanipa"))
    for name in SIGNERS[:signed]:
        service.decide(memo, user(name), decision=FORWARDS[name])
    return memo


def _memo_in_every_state() -> None:
    _draft("chuttikan", "ร่างของผู้อื่น")
    _submitted("รอขั้นแรก")
    _submitted("รอขั้นที่สอง", signed=1)
    service.return_for_revision(_submitted("ส่งคืน", signed=1), user("chuttikan"), reason="แก้")
    _submitted("อนุมัติแล้ว", signed=3)
    service.withdraw(_submitted("ถอนแล้ว"), user("nattanipa"))
    closed = _submitted("ยุติเรื่องแล้ว", signed=1)
    service.return_for_revision(closed, user("chuttikan"), reason="แก้")
    closing.close(closed, user("nattanipa"), reason="ไม่ดำเนินการต่อ")
    rejected = _submitted("ไม่อนุมัติ", signed=2)
    doc = db.session.get(Document, rejected)
    refusal = doc.step().reject_decisions[0]
    service.decide(rejected, user("nakarin"), decision=refusal, comment="ไม่เหมาะสม")
    db.session.commit()


def _someone_elsewhere() -> None:
    """A clerk of another organisation, who may see none of these memos."""
    org = Organisation(name="เทศบาลตำบลอื่น", kind=OrgKind.MUNICIPALITY)
    clerk = User(organisation=org, username="elsewhere", title="นาย", full_name="อื่น")
    clerk.set_password("elsewhere-pass-123")
    db.session.add_all([org, clerk])
    db.session.commit()


def test_can_view_and_visible_documents_agree_for_every_user_and_state(app, ctx, srisuk):
    _memo_in_every_state()
    _someone_elsewhere()
    docs = db.session.scalars(sa.select(Document).order_by(Document.id)).all()
    assert {d.state for d in docs} == set(DocState)  # every state is covered
    users = db.session.scalars(sa.select(User).order_by(User.id)).all()
    assert len(users) == 6  # the five demo roles and another organisation's clerk
    for person in users:
        in_sql = set(db.session.scalars(sa.select(Document.id).where(visible_documents(person))))
        in_python = {d.id for d in docs if can_view(person, d)}
        assert in_sql == in_python, person.username
    # and the rule is not trivially "all" or "none": someone sees some memos and not others
    some = [u for u in users if 0 < sum(can_view(u, d) for d in docs) < len(docs)]
    assert some
