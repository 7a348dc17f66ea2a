"""The test database served by a real gunicorn on a free port, and a browser over HTTP: for the
tests that need worker processes (tests/test_killed_worker.py, tests/test_gunicorn_config.py)."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import demo
from support.pages import hidden_fields

ROOT = Path(__file__).resolve().parents[2]


class Browser:
    """Just enough of a browser over real HTTP: cookies, CSRF tokens from the pages, forms."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.read().decode()

    def post(self, path: str, data: dict, timeout: float = 60) -> int:
        body = urllib.parse.urlencode(data).encode()
        with self.opener.open(self.base + path, data=body, timeout=timeout) as response:
            return response.status

    def login(self, username: str) -> None:
        token = hidden_fields(self.get("/login"))["csrf_token"]
        data = {"username": username, "password": demo.PASSWORD, "csrf_token": token}
        self.post("/login", data)

    def decide(self, doc_id: int, decision: str, timeout: float = 60) -> int:
        fields = hidden_fields(self.get(f"/documents/{doc_id}"))
        data = {k: fields[k] for k in ("csrf_token", "revision", "step_no")}
        return self.post(f"/documents/{doc_id}/decide", {**data, "decision": decision}, timeout)


@dataclass(frozen=True)
class Served:
    base: str  # http://127.0.0.1:port
    log: Path  # gunicorn's stderr: its own messages and any traceback of the app


@contextmanager
def gunicorn(app, home: Path, config: Path, env: dict | None = None):
    """Serve the app's database and storage with `gunicorn -c config wsgi:app` until the block
    ends (then SIGTERM, gunicorn's graceful stop)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "APP_ENV": "development",
        "DATABASE_URL": str(app.config["SQLALCHEMY_DATABASE_URI"]),
        "STORAGE_DIR": app.config["STORAGE_DIR"],
        "INSTANCE_PATH": str(home),
        **(env or {}),
    }
    log = home / "gunicorn.log"
    command = [sys.executable, "-m", "gunicorn", "-c", str(config), "-b", f"127.0.0.1:{port}"]
    with log.open("w") as stderr:
        server = subprocess.Popen([*command, "wsgi:app"], cwd=ROOT, env=env, stderr=stderr)
        try:
            wait_for(lambda: _answers(port), "gunicorn did not start")
            yield Served(f"http://127.0.0.1:{port}", log)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)


def wait_for(condition, message: str) -> None:
    """Poll until `condition()` holds (a readiness wait, not a timing assertion)."""
    deadline = time.monotonic() + 120
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.05)


def _answers(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0
