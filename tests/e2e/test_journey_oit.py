"""Journey 4: the season. The drafter types the ITA 2569 scores (the ten indicators on one
screen), drafts the analysis memo with the 2570 measures; it climbs the chain; she publishes it;
the OIT board shows O25 filled and linked to the public address, which a visitor who is not
logged in opens; the home page shows the readiness."""

import re

import pytest
from playwright.sync_api import expect

from . import ui
from .support import Journey

pytestmark = pytest.mark.e2e

SCORES = {  # the 2569 scores as the announcement lists them: overall, tools, indicators
    "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (IIT)": "๙๒.๑๐",
    "แบบตรวจการเปิดเผยข้อมูลสาธารณะ (OIT)": "88.40",
    **{f"ตัวชี้วัดที่ {n} ": v for n, v in zip(range(1, 11), [
        "93.69", "93.68", "98.77", "82.00", "90.18", "98.82", "98.29", "97.95", "80.50", "96.30",
    ], strict=True)},
}  # fmt: skip


def test_the_analysis_memo_is_published_and_fills_o25(journey: Journey):
    drafter = journey.login("nattanipa")
    ui.go_to(journey, drafter, "ผล ITA", "ita")
    drafter.goto("/ita/2569/edit")
    expect(drafter.locator("main")).to_contain_text("ฉบับร่าง")
    section = drafter.locator("details[open]").first
    for label, value in SCORES.items():
        section.get_by_label(re.compile("^" + re.escape(label))).first.fill(value)
    journey.step(drafter, "scores-typed")
    drafter.get_by_role("button", name="บันทึก", exact=True).click()
    expect(ui.flash(drafter)).to_contain_text("บันทึกผลการประเมิน ITA ปี ๒๕๖๙ แล้ว")
    drafter.get_by_role("link", name="จัดทำบันทึกวิเคราะห์ผล").click()
    drafter.get_by_role("button", name=re.compile("จัดทำ")).click()
    expect(ui.flash(drafter)).to_contain_text("จัดทำร่างบันทึกวิเคราะห์ผลแล้ว")
    journey.step(drafter, "memo-drafted")
    memo_url = drafter.url
    ui.submit(journey, drafter, name="memo-submitted")

    for username, decision, name in (
        ("thanyarat", "เห็นควรเสนอเพื่อโปรดพิจารณา", "head"),
        ("chuttikan", "เห็นควรอนุมัติ", "palad"),
        ("nakarin", "อนุมัติ", "nayok"),
    ):
        signer = journey.login(username)
        ui.open_pending(journey, signer, "รายงานผลการวิเคราะห์", name)
        ui.sign(journey, signer, decision, name=name)

    drafter.goto(memo_url)
    box = drafter.locator("#publish")
    expect(box).to_contain_text("OIT O๒๕ ปี ๒๕๖๙")
    box.get_by_role("button", name="เผยแพร่บนเว็บไซต์").click()
    expect(ui.flash(drafter)).to_contain_text("/p/srisuk/2569/O25")
    journey.step(drafter, "published")

    ui.go_to(journey, drafter, "OIT", "oit-board")
    o25 = drafter.locator("#item-O25")
    expect(o25).to_contain_text("มีแล้ว")
    public = o25.get_by_role("link", name=re.compile(r"p.srisuk.2569.O25$"))
    expect(public).to_be_visible()
    journey.shot(drafter, "oit-board-o25", part=o25)
    address = public.get_attribute("href")

    visitor = journey.open(phone=True)  # not logged in
    visitor.goto(address)
    expect(visitor.get_by_role("heading", level=1)).to_contain_text(
        "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร"
    )
    pdf = visitor.get_by_role("link", name=re.compile("เปิดเอกสารฉบับอนุมัติ"))
    expect(pdf).to_have_attribute("href", "/p/srisuk/2569/O25/pdf")
    expect(visitor.locator("body")).not_to_contain_text("ออกจากระบบ")
    journey.step(visitor, "public-page")

    mayor = journey.login("nakarin")
    readiness = mayor.locator("#oit-readiness")
    expect(readiness).to_contain_text("OIT พร้อม ๒๓/๒๖")  # the demo's 22 and O25
    readiness.get_by_role("link", name=re.compile("ยังไม่พร้อม")).click()
    expect(mayor.locator("#item-O26")).to_contain_text("ยังไม่มี")
    expect(mayor.locator("#item-O25")).to_have_count(0)
    journey.step(mayor, "oit-missing")
