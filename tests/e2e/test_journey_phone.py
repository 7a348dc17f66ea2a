"""Journey 3: the นายก on a phone (390 × 844, touch) sees what waits for him and what is late,
and decides on the memo with a few taps; no page scrolls sideways."""

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

import clock
import thai

from . import a11y, ui
from .support import PHONE_WIDTH, Journey, move_clock

pytestmark = pytest.mark.e2e

LATE_MEASURE = "มาตรการส่งเสริมการเปิดเผยข้อมูลต่อสาธารณะ"
LATE_UNIT = "กองคลัง"  # the measure's only responsible unit


def memo_waits_for_the_mayor(journey: Journey) -> str:
    """The demo's memo, submitted and forwarded by the section head and the ปลัด (desktop)."""
    drafter = journey.login("nattanipa")
    ui.open_seed_draft(journey, drafter)
    subject = drafter.locator(".memo dd").nth(3).inner_text()
    ui.submit(journey, drafter, name="drafter-submitted")
    for username, decision in (("thanyarat", "เห็นควรเสนอเพื่อโปรดพิจารณา"), ("chuttikan", "เห็นชอบ")):
        page = journey.login(username)
        ui.open_pending(journey, page, subject[:40], username)
        ui.sign(journey, page, decision, comment="เห็นควรเสนอนายก", name=username)
    return subject


def measure_runs_late(journey: Journey, monkeypatch) -> None:
    """The plan's coordinator shortens a measure of this fiscal year to its first month (October);
    the app's clock then stands after that month, so the unfinished measure is overdue."""
    coordinator = journey.login("nattanipa")
    ui.go_to(journey, coordinator, "มาตรการ", "coordinator-measures")
    coordinator.get_by_role("link", name=LATE_MEASURE).click()
    coordinator.get_by_role("link", name="แก้ไขรายละเอียด").click()
    journey.step(coordinator, "coordinator-edit-measure")
    end_month = coordinator.get_by_label("เดือนสิ้นสุด")
    end_month.select_option(index=1)  # the fiscal year's first month (0: "— ไม่ระบุ —")
    coordinator.get_by_role("button", name="บันทึก").click()
    expect(ui.flash(coordinator)).to_contain_text("บันทึกการแก้ไขแล้ว")
    journey.step(coordinator, "coordinator-measure-shortened")
    october, _ = thai.fiscal_year_bounds(thai.fiscal_year(clock.today()))
    move_clock(monkeypatch, date(october.year, 11, 1))


def on_phone(journey: Journey, page: Page, name: str) -> None:
    """Every phone page: the basics, a screenshot, and nothing wider than the screen."""
    journey.step(page, name, full_page=True)
    a11y.check_no_horizontal_scroll(page, PHONE_WIDTH)


def test_mayor_sees_pending_and_late_work_and_decides_on_a_phone(journey: Journey, monkeypatch):
    subject = memo_waits_for_the_mayor(journey)
    measure_runs_late(journey, monkeypatch)

    mayor = journey.login("nakarin", phone=True)
    first_screen_has_the_counts_and_the_first_decision(journey, mayor, subject)
    on_phone(journey, mayor, "phone-home")
    see_on_the_dashboard(journey, mayor, subject)
    decide_on_the_phone_page(journey, mayor, subject)


def first_screen_has_the_counts_and_the_first_decision(journey, mayor: Page, subject: str):
    """Without scrolling: the counts at the top, and the oldest item with its button."""
    journey.step(mayor, "phone-home-first-screen")  # the viewport only, as the นายก sees it
    height = mayor.viewport_size["height"]
    summary = mayor.get_by_role("navigation", name="สรุปสิ่งที่ต้องทำ")
    expect(summary.get_by_role("link", name=re.compile("รอท่านพิจารณา"))).to_contain_text("๑")
    expect(summary.get_by_role("link", name=re.compile("มาตรการเกินกำหนด"))).to_be_visible()
    item = mayor.locator("#waiting tr", has_text=subject[:40])
    button = item.get_by_role("link", name="พิจารณา")
    box = button.bounding_box()
    assert box is not None and box["y"] + box["height"] <= height, box
    header = mayor.locator("header.topbar").bounding_box()
    assert header["height"] <= 110, header  # two short rows, not five


def see_on_the_dashboard(journey: Journey, mayor: Page, subject: str) -> None:
    waiting = mayor.locator("#waiting")
    expect(waiting.get_by_role("link", name=subject[:40])).to_be_visible()
    overdue = mayor.locator("#overdue")
    overdue.locator("summary", has_text=LATE_UNIT).tap()  # late measures are grouped by unit
    journey.shot(mayor, "phone-home-overdue", part=overdue)
    year = thai.digits(thai.fiscal_year(clock.today()))
    late = overdue.locator("li", has_text=LATE_MEASURE).filter(has_text=f"ปี {year}")
    expect(late).to_have_count(1)
    expect(late.get_by_role("link", name=LATE_MEASURE)).to_be_visible()


def decide_on_the_phone_page(journey: Journey, mayor: Page, subject: str) -> None:
    """Tap "พิจารณา", tap the decision, confirm on the next page."""
    item = mayor.locator("main tr", has_text=subject[:40])
    ui.tap_through(mayor, item.get_by_role("link", name="พิจารณา"))
    on_phone(journey, mayor, "phone-decide")
    ui.tap_through(mayor, mayor.get_by_role("button", name="อนุมัติ", exact=True))
    on_phone(journey, mayor, "phone-confirm")
    expect(mayor.locator("#confirm")).to_contain_text("อนุมัติ")
    ui.tap_through(mayor, mayor.get_by_role("button", name="ยืนยันและลงนาม"))
    expect(ui.flash(mayor)).to_contain_text("บันทึกความเห็น “อนุมัติ” แล้ว")
    on_phone(journey, mayor, "phone-decided")
    expect(mayor.locator("main")).to_contain_text("ไม่มีเอกสารรอการพิจารณาของคุณ")
