"""Journey: everyone hears at once. The admin sets up the organisation's LINE, the acting
section head links her LINE account with a one-time code, and the seed 000 memo climbs its
chain: after each decision the next signer's bell shows it, the test SMTP server has the
e-mail, the LINE fake has the push for the linked account, and the drafter hears of the
approval."""

import re
import urllib.request

import pytest
from playwright.sync_api import Page, expect
from support.line import SECRET, TOKEN, FakeLine, point_line_at, signed, text_event
from support.reminders import SmtpSink, point_mail_at

from . import ui
from .support import Journey

pytestmark = pytest.mark.e2e

LINE_ID = "U" + "b" * 32


@pytest.fixture
def channels(live_server):
    sink, fake = SmtpSink().start(), FakeLine().start()
    point_mail_at(live_server.app, sink.port)
    point_line_at(live_server.app, fake)
    yield sink, fake
    sink.stop()
    fake.stop()


def bell_count(page: Page):
    return page.locator("a.bell .badge")


def heard(journey: Journey, page: Page, headline: str, name: str) -> None:
    """The bell shows the news; the notifications page says what it is."""
    page.reload()
    expect(bell_count(page)).to_have_text("๑")
    page.locator("a.bell").click()
    expect(page.locator(".notifications li").first).to_contain_text(headline)
    journey.step(page, name)
    page.get_by_role("button", name="ทำเครื่องหมายว่าอ่านแล้วทั้งหมด").click()


def set_up_line(journey: Journey) -> None:
    admin = journey.login("admin")
    admin.goto(f"{journey.server.url}/admin/line")
    admin.get_by_label("Channel access token (long-lived)").fill(TOKEN)
    admin.get_by_label("Channel secret").fill(SECRET)
    journey.step(admin, "admin-line-form")
    admin.get_by_role("button", name="บันทึก").click()
    expect(ui.flash(admin)).to_contain_text("บันทึกการตั้งค่า LINE แล้ว")
    expect(admin.locator("main")).not_to_contain_text(TOKEN)
    journey.step(admin, "admin-line-saved")


def link_line(journey: Journey, page: Page, org_id: int) -> None:
    page.goto(f"{journey.server.url}/notifications/settings")
    page.get_by_role("button", name="ขอรหัสเชื่อมบัญชี LINE").click()
    code = page.locator(".line-code").inner_text().strip()
    journey.step(page, "head-line-code")
    body = text_event(code, LINE_ID).encode()  # what LINE posts when she sends the code
    request = urllib.request.Request(
        f"{journey.server.url}/line/webhook/{org_id}",
        data=body,
        headers={"X-Line-Signature": signed(body.decode()), "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
    page.reload()
    expect(page.locator("#line-account")).to_contain_text("เชื่อมบัญชี LINE แล้ว")
    journey.step(page, "head-line-linked")


def test_each_decision_reaches_the_next_signer_in_the_app_by_email_and_on_line(
    journey: Journey, channels
):
    sink, fake = channels
    set_up_line(journey)
    head = journey.login("thanyarat")
    from extensions import db

    with journey.server.app.app_context():
        org_id = db.session.scalar(db.text("SELECT id FROM organisations"))
    link_line(journey, head, org_id)

    drafter = journey.login("nattanipa")
    ui.open_seed_draft(journey, drafter)
    subject = drafter.locator(".memo dd").nth(3).inner_text()
    ui.submit(journey, drafter, name="drafter-submitted")
    expect(drafter.locator("main")).to_contain_text("นางธัญญารัตน์ โคนุช (รักษาราชการแทน)")

    heard(journey, head, "มีเรื่องรอท่านพิจารณา", "head-bell")
    assert len(sink.to("thanyarat@")) == 1
    assert len(fake.texts_to(LINE_ID)) == 1 and "มีเรื่องรอท่านพิจารณา" in fake.texts_to(LINE_ID)[0]
    ui.open_pending(journey, head, subject[:40], "head")
    ui.sign(journey, head, "เห็นควรเสนอเพื่อโปรดพิจารณา", comment="ตรวจแล้ว", name="head")

    chief = journey.login("chuttikan")
    heard(journey, chief, "มีเรื่องรอท่านพิจารณา", "chief-bell")
    (mail,) = sink.to("chuttikan@")
    assert "ความเห็น: ตรวจแล้ว" in mail.get_body(("plain",)).get_content()
    ui.open_pending(journey, chief, subject[:40], "chief")
    ui.sign(journey, chief, "เห็นควรอนุมัติ", name="chief")

    mayor = journey.login("nakarin")
    heard(journey, mayor, "มีเรื่องรอท่านพิจารณา", "mayor-bell")
    assert len(sink.to("nakarin@")) == 1
    ui.open_pending(journey, mayor, subject[:40], "mayor")
    ui.sign(journey, mayor, "อนุมัติ", comment="อนุมัติตามเสนอ", name="mayor")

    heard(journey, drafter, "เรื่องได้รับอนุมัติแล้ว", "drafter-bell")
    (approved,) = sink.to("nattanipa@")
    assert approved["Subject"].startswith("เรื่องได้รับอนุมัติแล้ว")
    assert re.search(r"อนุมัติตามเสนอ", approved.get_body(("html",)).get_content())
    # the linked head, an earlier signer, hears of the approval on LINE too
    assert "เรื่องได้รับอนุมัติแล้ว" in fake.texts_to(LINE_ID)[-1]
