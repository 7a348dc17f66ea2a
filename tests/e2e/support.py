"""The journeys' view of the world: the served app, people at their browsers, the app's clock."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Dialog, Locator, Page, expect

import clock
import demo

from . import a11y

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE_WIDTH = 390
PHONE = {
    "viewport": {"width": PHONE_WIDTH, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
TIMEOUT_MS = 15_000  # a page that freezes a PDF takes seconds; a slow CI machine more
expect.set_options(timeout=TIMEOUT_MS)


@dataclass
class LiveServer:
    app: Flask
    url: str


def move_clock(monkeypatch, day: date) -> None:
    """Move the app's "today" forward to `day` (never back); time keeps running from there.
    The server runs in this process, so patching `clock` moves it for every request. (Column
    defaults took `clock.now` itself at import: rows written later keep the real time.)"""
    real_now = clock.now
    shift = day - clock.today()
    if shift <= timedelta(0):
        return

    def now() -> datetime:
        return real_now() + shift

    monkeypatch.setattr(clock, "now", now)
    monkeypatch.setattr(clock, "today", lambda: now().astimezone(clock.BANGKOK).date())


@dataclass
class Journey:
    """One test's people at their browsers, its screenshots and what went wrong on the way."""

    browser: Browser
    server: LiveServer
    folder: Path
    contexts: list[BrowserContext] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    shots: int = 0

    def open(self, *, phone: bool = False) -> Page:
        """A new browser (its own cookies) on a desktop screen or a phone."""
        context = self.browser.new_context(
            base_url=self.server.url,
            locale="th-TH",
            timezone_id="Asia/Bangkok",
            **(PHONE if phone else DESKTOP),
        )
        context.set_default_timeout(TIMEOUT_MS)
        self.contexts.append(context)
        page = context.new_page()
        page.on("dialog", self._accept)
        page.on("pageerror", lambda error: self.errors.append(f"script error: {error}"))
        page.on("response", self._check_response)
        page.on("console", self._check_console)
        return page

    def login(self, username: str, *, phone: bool = False) -> Page:
        """Open a browser and log in through the login form; lands on the user's home page."""
        page = self.open(phone=phone)
        page.goto("/login")
        a11y.check_page(page)
        page.get_by_label("ชื่อผู้ใช้").fill(username)
        page.get_by_label("รหัสผ่าน").fill(demo.PASSWORD)
        page.get_by_role("button", name="เข้าสู่ระบบ").click()
        page.wait_for_url(re.compile(r"^(?!.*/login).*$"))
        a11y.check_page(page)
        return page

    def step(self, page: Page, name: str, *, full_page: bool = False) -> None:
        """After each navigation: the accessibility basics, then a screenshot of the step."""
        page.wait_for_load_state()
        a11y.check_page(page)
        self.shot(page, name, full_page=full_page)

    def shot(self, page: Page, name: str, *, part: Locator | None = None, **options) -> None:
        """A screenshot of the window (a whole long memo takes seconds: only where it matters),
        or of one part of the page, such as the decision form being filled in."""
        self.shots += 1
        path = self.folder / f"{self.shots:02d}-{name}.png"
        (part or page).screenshot(path=path, **options)

    def photograph_failure(self) -> None:
        """Every open page as it was when the test failed."""
        for number, context in enumerate(self.contexts, start=1):
            for page in context.pages:
                self.shot(page, f"failed-browser-{number}", full_page=True)

    def close(self) -> None:
        for context in self.contexts:
            context.close()

    def _accept(self, dialog: Dialog) -> None:
        """The pages confirm state changes with window.confirm: the user says yes."""
        self.dialogs.append(dialog.message)
        dialog.accept()

    def _check_console(self, message) -> None:
        """A Content-Security-Policy violation is a bug: the page relies on something blocked."""
        if message.type == "error" and "Content Security Policy" in message.text:
            self.errors.append(f"CSP violation on {message.location.get('url')}: {message.text}")

    def _check_response(self, response) -> None:
        if response.status >= 500:
            self.errors.append(f"HTTP {response.status} from {response.url}")
