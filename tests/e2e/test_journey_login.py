"""Logging in and out in a real browser: logout ends the session, even for a copied cookie,
and a person changes their own password from the name in the top bar."""

import re

from playwright.sync_api import expect

import demo

from .support import Journey


def test_logout_ends_the_session_for_every_copy_of_its_cookies(journey: Journey):
    page = journey.login("chuttikan", phone=False)
    journey.step(page, "logged-in")
    copy = journey.open()
    copy.context.add_cookies(page.context.cookies())  # someone who copied the cookies
    copy.goto("/documents/mine")
    expect(copy).not_to_have_url(re.compile(r"/login"))

    page.get_by_role("button", name="ออกจากระบบ").click()
    page.wait_for_url(re.compile(r"/login"))
    expect(page.locator(".flash")).to_contain_text("ออกจากระบบแล้ว")
    journey.step(page, "logged-out")
    copy.goto("/documents/mine")
    expect(copy).to_have_url(re.compile(r"/login"))
    page.goto("/documents/mine")
    expect(page).to_have_url(re.compile(r"/login"))


def test_a_person_changes_their_own_password(journey: Journey):
    page = journey.login("nattanipa")
    page.get_by_role("link", name=re.compile("ณัฐนิภา")).click()
    journey.step(page, "password-form")
    page.get_by_label("รหัสผ่านปัจจุบัน").fill(demo.PASSWORD)
    page.get_by_label("รหัสผ่านใหม่", exact=True).fill("password")
    page.get_by_label("ยืนยันรหัสผ่านใหม่").fill("password")
    page.get_by_role("button", name="เปลี่ยนรหัสผ่าน").click()
    expect(page.locator("#new-error")).to_contain_text("ใช้กันแพร่หลาย")
    journey.step(page, "password-refused")
    page.get_by_label("รหัสผ่านปัจจุบัน").fill(demo.PASSWORD)
    page.get_by_label("รหัสผ่านใหม่", exact=True).fill("ม่วงเหลือง-2570")
    page.get_by_label("ยืนยันรหัสผ่านใหม่").fill("ม่วงเหลือง-2570")
    page.get_by_role("button", name="เปลี่ยนรหัสผ่าน").click()
    expect(page.locator(".flash")).to_contain_text("เปลี่ยนรหัสผ่านแล้ว")
