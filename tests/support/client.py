"""The test client: it sends the session's CSRF token with every form, and logs in as a user."""

import re

from flask.testing import FlaskClient


class Client(FlaskClient):
    """A test client that sends the session's CSRF token with every form, as the pages do."""

    csrf: str | None = None

    def fetch_csrf(self, url: str = "/login") -> str:
        html = self.get(url, follow_redirects=True).get_data(as_text=True)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        assert match, f"no CSRF token on {url}"
        self.csrf = match.group(1)
        return self.csrf

    def post_form(self, url: str, data: dict | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf or self.fetch_csrf())
        return self.post(url, data=data, **kwargs)


def login(client: Client, username: str, password: str | None = None):
    import demo

    client.fetch_csrf("/login")
    response = client.post_form(
        "/login", {"username": username, "password": password or demo.PASSWORD}
    )
    assert response.status_code == 302, f"login as {username} failed"
    client.fetch_csrf("/login")  # a fresh token for the logged-in session
    return client
