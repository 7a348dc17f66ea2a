"""The load benchmark's users: executives with memos waiting for them, logged in over HTTP."""

import http.client
import re
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import psycopg

AGENT = "ita-bench"  # the same User-Agent as the wrk scripts: Flask-Login's session check
PASSWORD = "bench-2569"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

# Chief administrators and mayors whose pending page is not empty, spread over organisations.
EXECUTIVES = """
SELECT u.id, u.username, count(*) AS waiting
FROM documents d
JOIN document_steps s
  ON s.document_id = d.id AND s.revision = d.revision AND s.step_no = d.current_step
JOIN users u ON u.org_id = d.org_id AND u.position_id = s.position_id
WHERE d.state = 'in_review' AND u.active
  AND (u.username LIKE '%%.chief' OR u.username LIKE '%%.mayor')
GROUP BY u.id, u.username
ORDER BY md5(u.username)
LIMIT %s
"""


def executives(conn: psycopg.Connection, count: int) -> list[tuple[int, str, int]]:
    """(user id, username, memos waiting) of `count` executives with a non-empty pending page."""
    found = conn.execute(EXECUTIVES, (count,)).fetchall()
    if len(found) < count:
        raise SystemExit(f"only {len(found)} executives have memos waiting; {count} wanted")
    return found


class Client:
    """One HTTP/1.1 connection that keeps the session cookie, as a browser would."""

    def __init__(self, base: str):
        parts = urlsplit(base)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        self.cookie = ""

    def request(self, method: str, path: str, form: dict | None = None):
        headers = {"User-Agent": AGENT, "Cookie": self.cookie}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            morsel = SimpleCookie(header).get("session")
            if morsel is not None:  # the cookie is Secure (production); sent anyway on loopback
                self.cookie = f"session={morsel.value}"
        return response, text

    def close(self) -> None:
        self.conn.close()


def log_in(base: str, username: str) -> tuple[str, str]:
    """The session cookie of a fresh login, and the session's CSRF token (read from a page)."""
    client = Client(base)
    try:
        _, page = client.request("GET", "/login")
        form = {"csrf_token": _csrf(page), "username": username, "password": PASSWORD}
        response, _ = client.request("POST", "/login", form)
        if response.status != 302 or "/login" in response.headers.get("Location", ""):
            raise SystemExit(f"{username} could not log in (HTTP {response.status})")
        _, home = client.request("GET", "/")
        return client.cookie, _csrf(home)
    finally:
        client.close()


def log_in_all(base: str, usernames: list[str]) -> dict[str, tuple[str, str]]:
    """Every user's (cookie, CSRF token); a few logins at a time (each one hashes a password)."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(
            zip(usernames, pool.map(lambda name: log_in(base, name), usernames), strict=True)
        )


def _csrf(page: str) -> str:
    match = CSRF.search(page)
    if match is None:
        raise SystemExit("no csrf_token on the page")
    return match.group(1)
