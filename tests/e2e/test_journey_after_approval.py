"""Journey 8: after the approval (issue 20). The drafter cancels the approved seed memo, or
supersedes it, through a later memo that climbs the chain; the original stays, marked, on its
page and its verification page. She circulates it; a colleague outside the chain is told,
opens it on his phone and presses รับทราบ; the list of who has acknowledged is on the memo."""

import re

import pytest
from playwright.sync_api import expect
from test_pdf_support import approve

import demo
from extensions import db
from models import Document, FrozenPdf, Organisation, Unit, User

from . import ui
from .support import Journey

pytestmark = pytest.mark.e2e

REASON = "คะแนนตัวชี้วัดที่ ๙ ในบันทึกคลาดเคลื่อนจากประกาศผล"
CHAIN = (
    ("thanyarat", "เห็นควรเสนอเพื่อโปรดพิจารณา", "head"),
    ("chuttikan", "เห็นควรอนุมัติ", "palad"),
    ("nakarin", "อนุมัติ", "nayok"),
)


def approved_seed(journey: Journey) -> tuple[int, str]:
    """The seed memo, approved up the chain before the journey starts; its id and /v code."""
    with journey.server.app.app_context():
        memo_id = db.session.scalar(db.select(Document.id).order_by(Document.id))
        approve(memo_id)
        code = db.session.get(FrozenPdf, memo_id).verify_code
    return memo_id, code


def revoke(journey: Journey, kind: str, name: str):
    memo_id, code = approved_seed(journey)
    drafter = journey.login("nattanipa")
    drafter.goto(f"/documents/{memo_id}")
    drafter.get_by_role("link", name=re.compile("ยกเลิกหรือออกฉบับใหม่แทนที่")).click()
    journey.step(drafter, f"{name}-form")
    drafter.get_by_label(kind).check()
    drafter.get_by_role("button", name="จัดทำร่างบันทึก").click()  # no reason yet
    expect(drafter.locator("#reason-error")).to_contain_text("กรุณาระบุเหตุผล")
    journey.step(drafter, f"{name}-no-reason")
    drafter.get_by_label(re.compile("^เหตุผล")).fill(REASON)
    drafter.get_by_role("button", name="จัดทำร่างบันทึก").click()
    expect(ui.flash(drafter)).to_contain_text("จัดทำร่างบันทึกขอ")
    expect(drafter.locator("#revokes")).to_be_visible()
    journey.step(drafter, f"{name}-draft")
    later_url = drafter.url
    number = ui.submit(journey, drafter, name=f"{name}-submitted")
    for username, decision, step in CHAIN:
        signer = journey.login(username)
        ui.open_pending(
            journey, signer, re.compile(r"^(ขอยกเลิก|รายงานผลการวิเคราะห์)"), f"{name}-{step}"
        )
        ui.sign(journey, signer, decision, name=f"{name}-{step}")
    drafter.goto(later_url)
    expect(drafter.locator("#revokes")).to_contain_text("ดำเนินการแล้วเมื่อ")
    drafter.goto(f"/documents/{memo_id}")
    return memo_id, code, number, drafter


def test_the_drafter_cancels_the_approved_memo_through_the_chain(journey: Journey):
    memo_id, code, number, drafter = revoke(journey, "ยกเลิกบันทึกนี้ (ไม่มีฉบับใหม่)", "cancel")
    notice = drafter.locator("#revoked")
    expect(notice).to_contain_text("บันทึกนี้ถูกยกเลิกแล้ว")
    expect(notice).to_contain_text(number)
    expect(notice).to_contain_text(REASON)
    expect(drafter.locator(".memo dd").nth(1)).to_contain_text("๑๑๘๐")  # its number stays
    journey.step(drafter, "cancel-original-marked")

    visitor = journey.open(phone=True)
    visitor.goto(f"/v/{code}")
    expect(visitor.locator("main")).to_contain_text("เอกสารนี้ถูกยกเลิกแล้ว")
    journey.step(visitor, "cancel-verification-page", full_page=True)


def test_the_drafter_supersedes_the_approved_memo(journey: Journey):
    memo_id, code, number, drafter = revoke(journey, "ออกบันทึกฉบับใหม่แทนที่บันทึกนี้", "supersede")
    notice = drafter.locator("#revoked")
    expect(notice).to_contain_text("บันทึกนี้ถูกแทนที่แล้ว")
    notice.get_by_role("link").click()
    expect(drafter.locator(".memo")).to_contain_text("บันทึกฉบับนี้แทนที่บันทึกข้อความ")
    journey.step(drafter, "supersede-later-memo")
    desk = journey.open()
    desk.goto(f"/v/{code}")
    expect(desk.locator("main")).to_contain_text("เอกสารนี้ถูกแทนที่แล้ว")
    journey.step(desk, "supersede-verification-page")


def test_the_memo_is_circulated_and_acknowledged_on_a_phone(journey: Journey):
    memo_id, _ = approved_seed(journey)
    with journey.server.app.app_context():
        org = db.session.scalar(db.select(Organisation))
        unit = Unit(organisation=org, name="กองช่าง (แจ้งเวียน)")
        colleague = User(
            organisation=org, username="somchai", title="นาย", full_name="สมชาย ใจดี", unit=unit
        )
        colleague.set_password(demo.PASSWORD)
        db.session.add_all([unit, colleague])
        db.session.commit()

    drafter = journey.login("nattanipa")
    drafter.goto(f"/documents/{memo_id}")
    drafter.locator("#circulation").get_by_role("link", name=re.compile("แจ้งเวียนเพื่อทราบ")).click()
    journey.step(drafter, "circulate-form")
    drafter.get_by_label("กองช่าง (แจ้งเวียน)").check()
    drafter.get_by_label(re.compile("นางธัญญารัตน์")).check()
    drafter.get_by_role("button", name="แจ้งเวียน", exact=True).click()
    expect(ui.flash(drafter)).to_contain_text("แจ้งเวียนแล้ว")
    box = drafter.locator("#circulation")
    expect(box).to_contain_text("ยังไม่รับทราบ")
    journey.step(drafter, "circulated")

    phone = journey.login("somchai", phone=True)
    expect(phone.get_by_role("link", name=re.compile("^แจ้งเวียน"))).to_be_visible()
    phone.goto("/circulated")
    journey.step(phone, "phone-inbox")
    phone.get_by_role("link", name=re.compile("การนำผลการประเมิน|ผลการวิเคราะห์")).first.click()
    button = phone.locator("#acknowledge").get_by_role("button", name="รับทราบ")
    expect(button).to_be_visible()
    journey.step(phone, "phone-memo")
    button.tap()
    expect(ui.flash(phone)).to_contain_text("บันทึกการรับทราบแล้ว")
    expect(phone.locator("#acknowledge")).to_contain_text("คุณรับทราบแล้วเมื่อ")
    journey.step(phone, "phone-acknowledged")

    drafter.reload()
    expect(box).to_contain_text("รับทราบแล้ว ๑ จาก ๒ คน")
    journey.shot(drafter, "acknowledgement-list", part=box)
    with drafter.expect_download() as download:
        box.get_by_role("link", name="Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
