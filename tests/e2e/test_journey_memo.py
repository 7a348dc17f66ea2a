"""Journey 1: the analysis memo of the ITA results climbs the chain in a real browser, is returned
once with a reason, fixed, approved by every signer with a comment, and its approved PDF is
downloaded and verified on the public page."""

import re

import pytest
from playwright.sync_api import Page, expect

from . import a11y, ui
from .support import Journey

pytestmark = pytest.mark.e2e

REASON = "กรุณาเพิ่มหัวข้อการชี้แจงผลการประเมินแก่บุคลากรก่อนเสนอ"
NEW_HEADING = "การชี้แจงผลการประเมิน"
NEW_BODY = "จะชี้แจงผลการประเมินและมาตรการแก่บุคลากรทุกกองในการประชุมประจำเดือนถัดไป"
CHUTTIKAN_NOTE = "ขอให้ติดตามผลทุกไตรมาส"
NAKARIN_NOTE = "ให้ทุกกองถือปฏิบัติ"


def draft_from_results(journey: Journey, page: Page) -> None:
    """The drafter opens the year's ITA results and drafts the analysis memo from them."""
    ui.go_to(journey, page, "ผล ITA", "ita-results")
    page.get_by_role("link", name="จัดทำบันทึกวิเคราะห์ผล").click()
    journey.step(page, "ita-memo-form")
    page.get_by_role("button", name="จัดทำร่างบันทึก").click()
    expect(ui.flash(page)).to_contain_text("จัดทำร่างบันทึกวิเคราะห์ผลแล้ว")
    expect(page.locator(".memo")).to_contain_text("๙๓.๕๗")  # seed 000's overall score of 2568
    journey.step(page, "memo-drafted")


def test_analysis_memo_is_returned_fixed_approved_and_its_pdf_verifies(journey: Journey):
    drafter = journey.login("nattanipa")
    journey.step(drafter, "drafter-home")
    draft_from_results(journey, drafter)
    subject = drafter.locator(".memo dd").nth(3).inner_text()
    number = ui.submit(journey, drafter, name="drafter-submitted")
    assert re.search(r"สร ๘๓๒๐๑/[๐-๙]+", number), number
    assert any("ยืนยันการเสนอเรื่อง" in message for message in journey.dialogs)

    # The acting section head reads it, reaches the decision by keyboard, and returns it.
    head = journey.login("thanyarat")
    ui.open_pending(journey, head, subject[:40], "head")
    expect(head.locator("#decide")).to_contain_text("รักษาราชการแทน")
    a11y.check_keyboard(head, ui.SIGN)
    head.get_by_text("ส่งคืนผู้จัดทำเพื่อแก้ไข").click()
    head.get_by_label("เหตุผลที่ส่งคืนแก้ไข").fill(REASON)
    journey.shot(head, "head-return-reason", part=head.locator("#decide"))
    head.get_by_role("button", name="ส่งคืนแก้ไข").click()
    expect(ui.flash(head)).to_contain_text("ส่งคืนผู้จัดทำเพื่อแก้ไขแล้ว")
    journey.step(head, "head-returned")

    # The drafter sees the reason before anything else, fixes the memo and sends it again.
    ui.go_to(journey, drafter, "เอกสารของฉัน", "drafter-returned-list")
    first_heading = drafter.locator("main h2").first
    expect(first_heading).to_have_text("ถูกส่งคืนแก้ไข")
    returned = drafter.locator(".returned-reason").first
    expect(returned).to_contain_text(REASON)
    returned.get_by_role("link").click()
    journey.step(drafter, "drafter-returned-memo")
    reason_box = drafter.locator(".returned-reason")
    expect(reason_box).to_contain_text(REASON)
    expect(reason_box).to_be_in_viewport()
    assert reason_box.bounding_box()["y"] < drafter.locator("article.memo").bounding_box()["y"]
    drafter.get_by_role("link", name="แก้ไข", exact=True).click()
    journey.step(drafter, "drafter-edit")
    blank = drafter.locator(".section-row").last
    blank.get_by_label("หัวข้อ").fill(NEW_HEADING)
    blank.get_by_label("เนื้อหา").fill(NEW_BODY)
    drafter.get_by_role("button", name="บันทึกร่าง").click()
    expect(ui.flash(drafter)).to_contain_text("บันทึกการแก้ไขแล้ว")
    expect(drafter.locator(".memo")).to_contain_text(NEW_HEADING)
    journey.step(drafter, "drafter-fixed")
    a11y.check_keyboard(drafter, "เสนอเรื่องอีกครั้ง")
    ui.submit(journey, drafter, "เสนอเรื่องอีกครั้ง", name="drafter-resubmitted")

    # Section head, ปลัด and นายก approve, each with a comment (quick phrases and typing).
    head.reload()
    ui.open_pending(journey, head, subject[:40], "head-again")
    expect(head.locator(".muted").first).to_contain_text("ฉบับแก้ไขครั้งที่ ๑")
    head_comment = ui.sign(
        journey,
        head,
        "เห็นควรเสนอเพื่อโปรดพิจารณา",
        phrase="ได้ตรวจสอบแล้ว ถูกต้องตามระเบียบ",
        name="head",
    )
    chief = journey.login("chuttikan")
    ui.open_pending(journey, chief, subject[:40], "palad")
    chief_comment = ui.sign(
        journey,
        chief,
        "เห็นควรอนุมัติ",
        phrase="เห็นควรอนุมัติตามเสนอ",
        comment=CHUTTIKAN_NOTE,
        name="palad",
    )
    mayor = journey.login("nakarin")
    ui.open_pending(journey, mayor, subject[:40], "nayok")
    mayor_comment = ui.sign(
        journey, mayor, "อนุมัติ", phrase="อนุมัติตามเสนอ", comment=NAKARIN_NOTE, name="nayok"
    )
    expect(mayor.locator("main")).to_contain_text("ไม่มีเอกสารรอการพิจารณาของคุณ")

    # The drafter finds it approved, with every signer's comment in its blocks.
    ui.go_to(journey, drafter, "เอกสารของฉัน", "drafter-approved-list")
    approved = drafter.get_by_role("heading", name="อนุมัติแล้ว", exact=True).locator(
        "xpath=following-sibling::div[1]"
    )
    approved.get_by_role("link").first.click()
    journey.step(drafter, "approved-memo", full_page=True)
    expect(drafter.locator(".state").first).to_have_text("อนุมัติแล้ว")
    blocks = drafter.locator(".step-block")  # in the chain's order
    for index, comment in enumerate((head_comment, chief_comment, mayor_comment)):
        expect(blocks.nth(index)).to_contain_text(comment)
    expect(blocks.first).to_contain_text("รักษาราชการแทน")
    expect(drafter.locator(".timeline")).to_contain_text(REASON)  # the earlier round stays

    # The approved PDF downloads, and the public page says the file is the approved one.
    with drafter.expect_download() as download_info:
        drafter.get_by_role("link", name="ดาวน์โหลด PDF").click()
    download = download_info.value
    pdf = journey.folder / "approved.pdf"
    download.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    drafter.get_by_role("link", name="หน้าตรวจสอบเอกสาร").click()
    journey.step(drafter, "verify-page")
    drafter.get_by_label("ไฟล์ PDF ที่ต้องการตรวจสอบ").set_input_files(pdf)
    drafter.get_by_role("button", name="ตรวจสอบไฟล์").click()
    expect(drafter.locator("#result strong")).to_have_text("ตรงกัน:")
    journey.step(drafter, "verify-matches")
