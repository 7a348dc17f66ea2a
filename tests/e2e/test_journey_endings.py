"""Journey: ending memos the drafter will not pursue. A draft written by mistake is discarded for
good, its attachment with it; a memo returned by the section head is closed (ยุติเรื่อง) on the
drafter's phone, first without a reason (refused beside the field), then with one that the
memo's history keeps."""

import re

import pytest
from playwright.sync_api import expect

from . import ui
from .support import Journey

pytestmark = pytest.mark.e2e

MISTAKE = "ขออนุมัติซ่อมแซมเครื่องปรับอากาศ (พิมพ์ผิดเรื่อง)"
RETURN_REASON = "เรื่องนี้ซ้ำกับบันทึกที่กองคลังเสนอไว้แล้ว"
CLOSE_REASON = "ไม่ดำเนินการต่อ เพราะกองคลังเสนอเรื่องเดียวกันไว้แล้ว"


def quotation_pdf() -> bytes:
    """A real one-page PDF (the browser's viewer refuses a file without pages)."""
    import weasyprint

    return weasyprint.HTML(string="<h1>Quotation 2569</h1><p>ใบเสนอราคา</p>").write_pdf()


def test_a_mistaken_draft_is_discarded_with_its_attachment(journey: Journey):
    drafter = journey.login("nattanipa")
    ui.go_to(journey, drafter, "เอกสารของฉัน", "my-documents")
    drafter.get_by_role("link", name="+ สร้างบันทึกข้อความ").click()
    drafter.get_by_label("เรื่อง", exact=True).fill(MISTAKE)
    drafter.get_by_role("button", name="บันทึกร่าง").click()
    expect(ui.flash(drafter)).to_contain_text("บันทึกร่างแล้ว")
    drafter.locator("input#file").set_input_files(
        files=[{"name": "ใบเสนอราคา.pdf", "mimeType": "application/pdf", "buffer": quotation_pdf()}]
    )
    drafter.get_by_role("button", name="แนบไฟล์").click()
    expect(ui.flash(drafter)).to_contain_text("แนบไฟล์ ใบเสนอราคา.pdf แล้ว")
    journey.step(drafter, "draft-with-attachment")

    # The PDF opens in the browser's own viewer (no download), sandboxed away from the app.
    downloads: list = []
    drafter.on("download", lambda download: downloads.append(download))
    with drafter.expect_response(re.compile(r"/attachments/\d+$")) as opened:
        drafter.get_by_role("link", name="ใบเสนอราคา.pdf").click()
    headers = opened.value.all_headers()
    assert headers["content-type"] == "application/pdf"
    assert headers["content-disposition"].startswith("inline;")
    assert (headers["content-security-policy"], headers["x-content-type-options"]) == (
        "sandbox",
        "nosniff",
    )
    drafter.wait_for_load_state()
    assert drafter.evaluate("document.contentType") == "application/pdf" and downloads == []
    drafter.wait_for_timeout(1500)  # only for the photograph: the viewer draws the page after load
    journey.shot(drafter, "attachment-pdf-opened")
    drafter.go_back()

    drafter.get_by_role("button", name="ลบร่าง").click()
    expect(ui.flash(drafter)).to_contain_text(f"ลบร่าง “{MISTAKE}” แล้ว")
    assert any("ลบร่างนี้ถาวร?" in message for message in journey.dialogs)
    expect(drafter.get_by_role("link", name=re.compile(re.escape(MISTAKE[:20])))).to_have_count(0)
    journey.step(drafter, "draft-discarded")


def test_a_returned_memo_is_closed_on_the_phone_with_a_reason(journey: Journey):
    drafter = journey.login("nattanipa")
    ui.open_seed_draft(journey, drafter)
    subject = drafter.locator(".memo dd").nth(3).inner_text()
    number = ui.submit(journey, drafter)

    head = journey.login("thanyarat")
    ui.open_pending(journey, head, subject[:40], "head")
    head.get_by_text("ส่งคืนผู้จัดทำเพื่อแก้ไข").click()
    head.get_by_label("เหตุผลที่ส่งคืนแก้ไข").fill(RETURN_REASON)
    head.get_by_role("button", name="ส่งคืนแก้ไข").click()
    expect(ui.flash(head)).to_contain_text("ส่งคืนผู้จัดทำเพื่อแก้ไขแล้ว")

    phone = journey.login("nattanipa", phone=True)
    phone.goto("/documents/mine")
    returned = phone.locator(".returned-reason").first
    expect(returned).to_contain_text(RETURN_REASON)
    ui.tap_through(phone, returned.get_by_role("link"))
    journey.step(phone, "phone-returned-memo")
    phone.get_by_text("ยุติเรื่อง (ไม่เสนอเรื่องนี้อีก)").tap()
    close = phone.locator("#close")
    close.get_by_role("button", name="ยุติเรื่อง").tap()
    expect(close.locator(".error")).to_have_text("กรุณาระบุเหตุผลที่ยุติเรื่อง")
    journey.step(phone, "phone-close-needs-a-reason")

    phone.get_by_label("เหตุผลที่ยุติเรื่อง").fill(CLOSE_REASON)
    phone.locator("#close").get_by_role("button", name="ยุติเรื่อง").tap()
    expect(ui.flash(phone)).to_contain_text(f"ยุติเรื่องเลขที่ {number} แล้ว")
    assert any("ยืนยันการยุติเรื่อง?" in message for message in journey.dialogs)
    expect(phone.locator(".state").first).to_have_text("ยุติเรื่อง")
    expect(phone.locator(".closed-reason")).to_contain_text(CLOSE_REASON)
    expect(phone.locator(".timeline li").last).to_contain_text(CLOSE_REASON)
    expect(phone.get_by_role("button", name=re.compile("^เสนอเรื่อง"))).to_have_count(0)
    journey.step(phone, "phone-closed", full_page=True)

    phone.goto("/documents/mine")
    expect(phone.get_by_role("heading", name="ยุติเรื่องแล้ว")).to_be_visible()
    journey.step(phone, "phone-mine-closed")
