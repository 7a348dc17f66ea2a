"""Journey 2: a member of a responsible unit records progress with evidence on a measure of this
fiscal year; the drafter builds the 6-month report from the reports page; it climbs the chain
and, approved, still shows the table with that entry."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

import clock
import thai

from . import a11y, ui
from .support import PHONE_WIDTH, Journey

pytestmark = pytest.mark.e2e

UNIT = "สำนักปลัด"  # thanyarat's own unit: she is neither the plan's coordinator nor an admin
MEASURE = "มาตรการพัฒนาช่องทางการสื่อสาร"  # responsible: สำนักปลัด only
DONE = "มอบหมายผู้รับผิดชอบตอบคำถามผ่านเพจหน่วยงานและไลน์ทางการ พร้อมประกาศเวลาตอบกลับ"
EVIDENCE_URL = "https://srisuk.example.go.th/ita/communication-channels"
EVIDENCE_TITLE = "ประกาศผู้รับผิดชอบช่องทางการสื่อสาร"


def half_round_end() -> date:
    """The last day of this fiscal year's 6-month round (Oct-Mar, the demo's default rounds)."""
    start, _ = thai.fiscal_year_bounds(thai.fiscal_year(clock.today()))
    return date(start.year + 1, 3, 31)


def test_progress_with_evidence_reaches_the_approved_six_month_report(journey: Journey):
    member = journey.login("thanyarat")
    ui.go_to(journey, member, "มาตรการ", "measures-of-the-year")
    year = thai.fiscal_year(clock.today())
    expect(member.locator("h1")).to_contain_text(thai.digits(year))
    filters = member.get_by_role("form", name="กรองมาตรการ")
    filters.get_by_label("หน่วยงานที่รับผิดชอบ").select_option(label=UNIT)
    filters.get_by_role("button", name="กรอง").click()
    journey.step(member, "measures-of-the-unit")
    member.get_by_role("link", name=MEASURE).click()
    journey.step(member, "measure")

    progress = member.locator("form[action$='/progress']")
    # Dated inside the round the report covers, whenever the suite runs (after March, the
    # work is recorded late, dated on the round's last day).
    entry_day = min(clock.today(), half_round_end())
    progress.get_by_label("วันที่ดำเนินการ").fill(thai.format_input_date(entry_day))
    progress.get_by_label("สิ่งที่ได้ดำเนินการ").fill(DONE)
    progress.get_by_label("URL หลักฐาน").fill(EVIDENCE_URL)
    progress.get_by_label("ชื่อหลักฐาน").fill(EVIDENCE_TITLE)
    progress.get_by_label("เปลี่ยนสถานะ").select_option(label="อยู่ระหว่างดำเนินการ")
    journey.shot(member, "progress-form", part=progress)
    progress.get_by_role("button", name="บันทึก").click()
    expect(ui.flash(member)).to_contain_text("บันทึกความคืบหน้าแล้ว")
    journey.step(member, "progress-recorded")
    entries = member.locator("#entries .timeline")
    expect(entries).to_contain_text(DONE)
    expect(entries.get_by_role("link", name=EVIDENCE_TITLE)).to_have_attribute("href", EVIDENCE_URL)
    expect(member.locator("#evidence")).to_contain_text(EVIDENCE_URL)

    # The drafter builds the 6-month report of this fiscal year's plan and submits it.
    drafter = journey.login("nattanipa")
    ui.go_to(journey, drafter, "รายงานผล", "reports")
    expect(drafter.locator("main")).to_contain_text(f"ปีงบประมาณ พ.ศ. {thai.digits(year)}")
    half = drafter.locator("#round-half")
    expect(half).to_contain_text("ยังไม่มีรายงาน")
    half.get_by_role("button", name="จัดทำรายงาน").click()
    expect(ui.flash(drafter)).to_contain_text("จัดทำร่างรายงานแล้ว")
    journey.step(drafter, "report-drafted")
    table = drafter.locator(".report-table")
    expect(table).to_contain_text(f"ประจำปีงบประมาณ พ.ศ. {thai.digits(year)}")
    expect(table).to_contain_text(DONE)
    check_counts(drafter)
    subject = drafter.locator(".memo dd").nth(3).inner_text()
    ui.submit(journey, drafter, name="report-submitted")

    # Section head (acting), ปลัด and นายก approve.
    ui.open_pending(journey, member, subject[:40], "head")
    ui.sign(
        journey, member, "เห็นควรเสนอเพื่อโปรดพิจารณา", phrase="เห็นควรเสนอปลัดเพื่อโปรดพิจารณา", name="head"
    )
    chief = journey.login("chuttikan")
    ui.open_pending(journey, chief, subject[:40], "palad")
    ui.sign(journey, chief, "เห็นชอบ", comment="เห็นชอบรายงานผลรอบ ๖ เดือน", name="palad")
    mayor = journey.login("nakarin")
    ui.open_pending(journey, mayor, subject[:40], "nayok")
    ui.sign(journey, mayor, "ทราบ", phrase="ทราบ ดำเนินการตามเสนอ", name="nayok")

    # Approved: the round says so, and the report's page still has the table with the entry.
    ui.go_to(journey, drafter, "รายงานผล", "reports-after")
    half = drafter.locator("#round-half")
    expect(half).to_contain_text("อนุมัติแล้ว")
    half.get_by_role("link", name=re.compile("รายงานเลขที่")).click()
    journey.step(drafter, "report-approved", full_page=True)
    expect(drafter.locator(".state").first).to_have_text("อนุมัติแล้ว")
    row = drafter.locator(".report-table tr", has_text=MEASURE)
    expect(row).to_contain_text(DONE)
    # The entry is dated in the round: its evidence and its status are the round's, however
    # late they were typed.
    expect(row.get_by_role("link", name=EVIDENCE_TITLE)).to_have_attribute("href", EVIDENCE_URL)
    expect(row.locator("td").last).to_contain_text("อยู่ระหว่างดำเนินการ")
    check_counts(drafter)


STATUSES = ("ดำเนินการแล้ว", "อยู่ระหว่างดำเนินการ", "ยังไม่ดำเนินการ")


def check_counts(page) -> None:
    """The memo's (1) (2) (3) and the table's chips say what the table's rows say."""
    cells = page.locator(".report-table tbody tr td:last-child").all_inner_texts()
    assert cells, "the report's table has no rows"
    facts = page.locator("main").inner_text()
    for number, label in enumerate(STATUSES, start=1):
        count = sum(label in cell for cell in cells)
        expected = thai.digits(f"({number}) {label} {count} มาตรการ")
        assert expected in facts, f"the memo should say {expected!r}"
    in_progress = sum("อยู่ระหว่างดำเนินการ" in cell for cell in cells)
    assert in_progress >= 1  # this journey's measure at least
    expect(page.locator(".report-table")).to_contain_text(
        thai.digits(f"อยู่ระหว่างดำเนินการ {in_progress}")
    )


def test_evidence_and_a_status_without_a_note_from_a_phone(journey: Journey):
    """The measure's one update form on a phone: a URL typed without its scheme and no note is
    refused beside the field with everything typed kept; typed as "www.…" it is saved with
    https:// and the status changes with it. Nothing on the page scrolls sideways."""
    member = journey.login("thanyarat", phone=True)
    member.goto(f"/measures/years/{thai.fiscal_year(clock.today())}")
    ui.tap_through(member, member.get_by_role("link", name=MEASURE).first)
    form = member.locator("form[action$='/progress']")
    form.get_by_label("URL หลักฐาน").fill("srisuk.example.go.th/ita/channels")
    form.get_by_label("ชื่อหลักฐาน").fill(EVIDENCE_TITLE)
    form.get_by_label("เปลี่ยนสถานะ").select_option(label="อยู่ระหว่างดำเนินการ")
    journey.shot(member, "phone-update-form", part=form)
    ui.tap_through(member, form.get_by_role("button", name="บันทึก"))
    expect(member.locator("#url-error")).to_contain_text("ใช้ได้เฉพาะลิงก์เว็บไซต์")
    expect(form.get_by_label("ชื่อหลักฐาน")).to_have_value(EVIDENCE_TITLE)
    expect(form.get_by_label("เปลี่ยนสถานะ")).to_have_value("in_progress")
    journey.step(member, "phone-update-refused", full_page=True)
    a11y.check_no_horizontal_scroll(member, PHONE_WIDTH)

    form.get_by_label("URL หลักฐาน").fill("www.srisuk.example.go.th/ita/channels")
    ui.tap_through(member, form.get_by_role("button", name="บันทึก"))
    expect(ui.flash(member)).to_contain_text("บันทึกความคืบหน้าแล้ว")
    expect(member.locator("#evidence")).to_contain_text(
        "https://www.srisuk.example.go.th/ita/channels"
    )
    expect(member.locator("h1 + p .state").first).to_have_text("อยู่ระหว่างดำเนินการ")
    journey.step(member, "phone-update-saved", full_page=True)
    a11y.check_no_horizontal_scroll(member, PHONE_WIDTH)


def test_the_saved_note_is_confirmed_where_a_phone_lands(journey: Journey):
    """Saving the update form lands on the measure's entries: on a 390 × 844 phone the
    confirmation used to sit at the top of the page, scrolled out of sight; it shows there."""
    member = journey.login("thanyarat", phone=True)
    member.goto(f"/measures/years/{thai.fiscal_year(clock.today())}")
    ui.tap_through(member, member.get_by_role("link", name=MEASURE).first)
    form = member.locator("form[action$='/progress']")
    form.get_by_label("สิ่งที่ได้ดำเนินการ").fill("ตอบคำถามผ่านเพจหน่วยงานภายในหนึ่งวันทำการ")
    ui.tap_through(member, form.get_by_role("button", name="บันทึก"))
    confirmation = ui.flash(member)
    expect(confirmation).to_contain_text("บันทึกความคืบหน้าแล้ว")
    expect(confirmation).to_be_in_viewport()
    expect(member.locator("#entries .timeline")).to_contain_text("ตอบคำถามผ่านเพจหน่วยงาน")
    journey.shot(member, "phone-note-saved")
