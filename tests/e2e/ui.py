"""What the people of the journeys do with the pages: clicks, typing and choices, as a user would."""

import re

from playwright.sync_api import Locator, Page, expect

from .support import Journey

PENDING = re.compile(r"^รอพิจารณา")  # the menu link; its name carries the badge's count
SIGN = "ลงความเห็นและลงนาม"


def flash(page: Page):
    return page.locator(".flash").first


def tap_through(page: Page, target: Locator) -> None:
    """Tap something that opens another page and wait for it: unlike a click, a tap does not
    wait for the navigation it starts."""
    before = page.url
    target.tap()
    page.wait_for_url(lambda url: url != before)


def go_to(journey: Journey, page: Page, menu_item: str | re.Pattern, name: str) -> None:
    """Follow a link of the main menu."""
    page.get_by_role("navigation", name="เมนูหลัก").get_by_role("link", name=menu_item).click()
    journey.step(page, name)


def open_pending(journey: Journey, page: Page, subject: str, name: str) -> None:
    """From the pending list, open the document whose subject contains `subject`."""
    go_to(journey, page, PENDING, f"{name}-pending")
    page.get_by_role("link", name=subject).first.click()
    journey.step(page, f"{name}-document")


def sign(
    journey: Journey,
    page: Page,
    decision: str,
    *,
    phrase: str | None = None,
    comment: str = "",
    name: str,
) -> str:
    """On the document's page: choose the decision, tap a quick phrase and/or type a comment,
    sign. Returns the comment as it was sent."""
    form = page.locator("#decide")
    form.get_by_label(decision, exact=True).check()
    box = form.get_by_label(re.compile("^ข้อความความเห็น"))
    if phrase:
        form.get_by_role("button", name=phrase, exact=True).click()
        expect(box).to_have_value(re.compile(re.escape(phrase)))
    if comment:
        box.press("End")
        box.press_sequentially(f" {comment}" if phrase else comment)
    sent = box.input_value()
    journey.shot(page, f"{name}-decision", part=form)
    form.get_by_role("button", name=SIGN).click()
    expect(flash(page)).to_contain_text(f"บันทึกความเห็น “{decision}” แล้ว")
    journey.step(page, f"{name}-signed")
    return sent


def submit(journey: Journey, page: Page, button: str = "เสนอเรื่อง", name: str = "submitted") -> str:
    """The drafter presses the submit button of the document's page and confirms."""
    page.get_by_role("button", name=button, exact=True).click()
    expect(flash(page)).to_contain_text("เสนอเรื่องแล้ว")
    journey.step(page, name)
    return page.locator(".memo dd").nth(1).inner_text()  # ที่: the document's number


def open_seed_draft(journey: Journey, page: Page) -> None:
    """The demo's draft of the seed 000 analysis memo, from the drafter's own documents."""
    go_to(journey, page, "เอกสารของฉัน", "my-documents")
    drafts = page.get_by_role("heading", name="ร่าง", exact=True).locator(
        "xpath=following-sibling::div[1]"
    )
    drafts.get_by_role("link", name=re.compile("ผลการวิเคราะห์")).first.click()
    journey.step(page, "memo-draft")
