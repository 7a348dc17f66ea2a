"""Acting officials: someone signs for a post not their own while the register says so.

Demo register: thanyarat (หัวหน้าฝ่ายบริหารงานทั่วไป) รักษาราชการแทน หัวหน้าสำนักปลัด from
1 October 2025, open-ended, by order 245/2568.
"""

from datetime import date

import pytest
import sqlalchemy as sa
from support.client import login
from support.factories import make_user, user
from support.pages import decide, document, log_rows, logout

import clock
from extensions import db
from models import ActingAssignment, ActingKind, Action, DocState, Organisation, Position
from workflow import documents as service
from workflow.errors import NotAllowed

SECTION_HEAD = "หัวหน้าสำนักปลัด"
FORWARD = "เห็นควรเสนอเพื่อโปรดพิจารณา"


@pytest.fixture
def submitted(app, client, srisuk):
    """The seed memo, submitted by its drafter, waiting at the section head's step."""
    login(client, "nattanipa")
    assert client.post_form(f"/documents/{srisuk.memo_id}/submit").status_code == 302
    logout(client)
    return srisuk.memo_id


def _today(monkeypatch, day: date) -> None:
    monkeypatch.setattr(clock, "today", lambda: day)


def _assignment(app) -> ActingAssignment:
    with app.app_context():
        row = db.session.scalars(sa.select(ActingAssignment)).one()
        db.session.expunge(row)
        return row


def test_acting_official_signs_with_the_acting_line_recorded(app, client, submitted, monkeypatch):
    _today(monkeypatch, date(2025, 10, 27))
    login(client, "thanyarat")
    page = client.get(f"/documents/{submitted}").get_data(as_text=True)
    assert f"คุณลงนามในฐานะรักษาราชการแทน {SECTION_HEAD}" in page
    assert "ตามคำสั่งองค์การบริหารส่วนตำบลศรีสุข ที่ ๒๔๕/๒๕๖๘" in page  # the order, in Thai digits

    assert decide(client, submitted, FORWARD, "ได้ตรวจสอบแล้ว").status_code == 302

    row = log_rows(app, submitted)[-1]
    assert (row.action, row.step_no, row.actor_name) == (Action.FORWARD, 1, "นางธัญญารัตน์ โคนุช")
    assert row.actor_position == "หัวหน้าฝ่ายบริหารงานทั่วไป"  # her own post, as printed
    assert (row.acting_for, row.acting_kind) == (SECTION_HEAD, ActingKind.ACTING)
    assert row.acting_assignment_id == _assignment(app).id
    signed = client.get(f"/documents/{submitted}").get_data(as_text=True)
    assert f"หัวหน้าฝ่ายบริหารงานทั่วไป รักษาราชการแทน<br>{SECTION_HEAD}" in signed


@pytest.mark.parametrize(
    ("day", "end", "may_sign"),
    [
        (date(2025, 9, 30), None, False),  # the day before the order takes effect
        (date(2025, 10, 1), None, True),  # its first day
        (date(2030, 1, 1), None, True),  # open-ended
        (date(2025, 10, 31), date(2025, 10, 31), True),  # its last day
        (date(2025, 11, 1), date(2025, 10, 31), False),  # the day after it ended
    ],
    ids=["before-start", "first-day", "open-ended", "last-day", "after-end"],
)
def test_acting_official_signs_only_within_the_registers_dates(
    app, client, submitted, monkeypatch, day, end, may_sign
):
    with app.app_context():
        db.session.scalars(sa.select(ActingAssignment)).one().end_date = end
        db.session.commit()
    _today(monkeypatch, day)
    login(client, "thanyarat")

    pending = client.get("/documents/pending").get_data(as_text=True)
    page = client.get(f"/documents/{submitted}")
    response = client.post_form(
        f"/documents/{submitted}/decide",
        {"revision": "1", "step_no": "1", "decision": FORWARD, "comment": ""},
    )

    doc = document(app, submitted)
    if may_sign:
        assert "รายงานผลการวิเคราะห์" in pending
        assert response.status_code == 302 and doc.current_step == 2
        return
    assert "รายงานผลการวิเคราะห์" not in pending
    # Out of her dates the memo is none of her business: she may neither open nor sign it.
    assert page.status_code == 403
    assert response.status_code == 403
    assert "ไม่มีคำสั่งให้รักษาราชการแทนหรือปฏิบัติราชการแทนที่มีผลในวันนี้" in response.get_data(as_text=True)
    assert (doc.state, doc.current_step) == (DocState.IN_REVIEW, 1)
    assert [r.action for r in log_rows(app, submitted)] == [Action.SUBMIT]


def test_delegated_official_signs_as_ปฏิบัติราชการแทน(app, client, submitted, monkeypatch):
    _today(monkeypatch, date(2025, 10, 27))
    with app.app_context():
        registered = db.session.scalars(sa.select(ActingAssignment)).one()
        registered.end_date = date(2025, 10, 2)  # thanyarat's order is over
        db.session.add(
            ActingAssignment(
                org_id=registered.org_id,
                user=user("chuttikan"),
                position=registered.position,
                kind=ActingKind.DELEGATED,
                start_date=date(2025, 10, 20),
                end_date=date(2025, 10, 31),
                order_ref="หนังสือมอบอำนาจ ที่ 12/2568",
            )
        )
        db.session.commit()

    login(client, "chuttikan")  # the ปลัด signs the section head's step by delegation
    assert decide(client, submitted, FORWARD).status_code == 302
    row = log_rows(app, submitted)[-1]
    assert row.actor_position == "ปลัดองค์การบริหารส่วนตำบลศรีสุข"
    assert row.acting_line == f"ปฏิบัติราชการแทน {SECTION_HEAD}"


def test_the_holder_of_the_post_signs_without_an_acting_line(app, client, submitted):
    with app.app_context():
        org = db.session.scalars(sa.select(Organisation)).one()
        post = db.session.scalars(sa.select(Position).where(Position.title == SECTION_HEAD)).one()
        make_user(org, "somchai", "สมชาย ตั้งใจ", post)
        db.session.commit()
    login(client, "somchai")
    assert "คุณลงนามในฐานะ" not in client.get(f"/documents/{submitted}").get_data(as_text=True)
    assert decide(client, submitted, FORWARD).status_code == 302
    row = log_rows(app, submitted)[-1]
    assert (row.actor_position, row.acting_for, row.acting_kind) == (SECTION_HEAD, None, None)


def test_the_signature_keeps_its_acting_line_when_the_register_and_people_change(
    app, client, submitted
):
    login(client, "thanyarat")
    decide(client, submitted, FORWARD)
    logout(client)
    with app.app_context():
        thanyarat = user("thanyarat")
        thanyarat.full_name = "ธัญญารัตน์ ย้ายแล้ว"
        thanyarat.position = None
        db.session.scalars(sa.select(ActingAssignment)).one().end_date = date(2025, 10, 1)
        db.session.commit()

    login(client, "chuttikan")
    page = client.get(f"/documents/{submitted}").get_data(as_text=True)
    assert "(นางธัญญารัตน์ โคนุช)" in page
    assert f"หัวหน้าฝ่ายบริหารงานทั่วไป รักษาราชการแทน<br>{SECTION_HEAD}" in page
    assert "ย้ายแล้ว" not in page


def test_acting_authority_is_checked_by_the_service_on_the_day_it_signs(
    app, submitted, monkeypatch
):
    _today(monkeypatch, date(2025, 9, 30))
    with app.app_context():
        with pytest.raises(NotAllowed):
            service.decide(submitted, user("thanyarat"), decision=FORWARD)
        db.session.rollback()
        _today(monkeypatch, date(2025, 10, 1))
        service.decide(submitted, user("thanyarat"), decision=FORWARD)
        db.session.commit()
    assert document(app, submitted).current_step == 2


def test_an_order_deleted_between_reading_and_signing_is_refused_not_signed_as_own_post(
    app, submitted, monkeypatch
):
    # A page reads the posts a user signs for once (as ids); the assignment itself is fetched
    # when she signs. If an admin deleted it in between, she does not sign as the post's holder.
    from workflow.permissions import positions_held, signing_authority

    _today(monkeypatch, date(2025, 10, 27))
    with app.test_request_context("/documents/pending"):
        her = user("thanyarat")
        doc = db.session.get(service.Document, submitted)
        held = positions_held(her)  # kept for this GET
        assignment = db.session.scalars(sa.select(ActingAssignment)).one()
        assert held[doc.step().position_id] == assignment.id
        assert signing_authority(her, doc) is assignment
        db.session.delete(assignment)
        db.session.flush()
        with pytest.raises(NotAllowed, match="เพิ่งถูกลบ"):
            signing_authority(her, doc)
        db.session.rollback()
