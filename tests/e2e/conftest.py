"""Fixtures of the browser journeys: the real app served on 127.0.0.1 (werkzeug, a background
thread) against its own fresh database with the demo loaded, and Debian's Chromium driven by
Playwright. Each test gets a new server and demo; the browser is shared by the package.

Screenshots of every step go to test-artifacts/e2e/<test>/<nn>-<step>.png (git-ignored).
"""

import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import _fresh_database, make_config  # tests/conftest.py: fresh DB from template
from playwright.sync_api import Browser, sync_playwright
from werkzeug.serving import make_server

from app import create_app
from extensions import db

from .support import Journey, LiveServer

CHROMIUM = "/usr/bin/chromium"
# No sandbox (CI runs as root in a container); no GPU; and nothing that phones home: the machine
# has no internet, and without these Chromium floods the log with refused connections.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: a journey in a real browser (needs Chromium)")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's outcome on the test, so the journey can photograph a failure."""
    report = yield
    setattr(item, f"outcome_{report.when}", report)
    return report


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Chromium, shared by the journeys of this package (launching it takes about a second)."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: install Debian's browser (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def live_server(database_template, demo_template, tmp_path) -> Iterator[LiveServer]:
    """The app on an ephemeral port of 127.0.0.1, with the demo organisation on a fresh database
    (SQLite, or PostgreSQL when TEST_DATABASE_URL is set, as in tests/conftest.py)."""
    url = _fresh_database(database_template, tmp_path)
    app = create_app(make_config(url, str(tmp_path / "storage")))
    with app.app_context():
        demo_template.load(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def journey(request, browser, live_server) -> Iterator[Journey]:
    """A test's browsers on the live server. Afterwards: a photo of every page if the test
    failed, and a failure if any page answered 5xx or threw a script error."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "-", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    trip = Journey(browser, live_server, folder)
    try:
        yield trip
        call = getattr(request.node, "outcome_call", None)
        if call is not None and call.failed:
            trip.photograph_failure()
    finally:
        trip.close()
    assert not trip.errors, "\n".join(trip.errors)
