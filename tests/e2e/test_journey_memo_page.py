"""Journeys on the memo page: a file too large for the limit is refused beside the field before
anything is sent; printing the page gives the memo and its history without the menu."""

import pytest
from playwright.sync_api import expect

from . import ui
from .support import Journey

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_file_over_the_limit_is_refused_beside_the_field_before_it_is_sent(journey: Journey):
    journey.server.app.config["MAX_ATTACHMENT_BYTES"] = 2048
    drafter = journey.login("nattanipa")
    ui.open_seed_draft(journey, drafter)
    field = drafter.locator("input[type=file][name=file]")
    big = {"name": "ใหญ่.pdf", "mimeType": "application/pdf", "buffer": PDF + b"0" * 4096}
    field.set_input_files(big)
    expect(drafter.locator("p.error.client")).to_have_text("ไฟล์ใหญ่เกิน 2 KB")
    drafter.get_by_role("button", name="แนบไฟล์").click()
    expect(drafter.locator(".flash")).to_have_count(0)  # not sent
    journey.step(drafter, "attachment-too-large")

    small = {"name": "เล็ก.pdf", "mimeType": "application/pdf", "buffer": PDF}
    field.set_input_files(small)
    expect(drafter.locator("p.error.client")).to_have_text("")
    drafter.get_by_role("button", name="แนบไฟล์").click()
    expect(ui.flash(drafter)).to_contain_text("แนบไฟล์ เล็ก.pdf แล้ว")


def test_printing_the_memo_page_leaves_out_the_menu_and_the_forms(journey: Journey):
    drafter = journey.login("nattanipa")
    ui.open_seed_draft(journey, drafter)
    drafter.emulate_media(media="print")
    expect(drafter.locator("header.topbar")).to_be_hidden()
    expect(drafter.get_by_role("button", name="แนบไฟล์")).to_be_hidden()
    expect(drafter.locator(".memo")).to_be_visible()
    journey.shot(drafter, "memo-printed", full_page=True)
