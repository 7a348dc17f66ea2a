"""A fake of the LINE Messaging API on loopback: records pushes and replies (with their
headers), and answers with the statuses a test queues (429, 500 …) before returning to 200."""

import base64
import hashlib
import hmac
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import sqlalchemy as sa
from cryptography.fernet import Fernet

from extensions import db
from support.client import login

TOKEN = "fake-channel-access-token-" + "x" * 40
SECRET = "0123456789abcdef0123456789abcdef"
LINE_ID = "U" + "a" * 32


@dataclass
class Call:
    path: str
    headers: dict
    body: dict


@dataclass
class FakeLine:
    pushes: list[Call] = field(default_factory=list)
    replies: list[Call] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)  # statuses to answer next, in order
    retry_keys_seen: set = field(default_factory=set)

    def start(self) -> "FakeLine":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                call = Call(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                status, answer = fake._answer(call)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def _answer(self, call: Call) -> tuple[int, dict]:
        if self.answers:
            status = self.answers.pop(0)
            return status, {
                "message": "You have reached your monthly limit." if status == 429 else "error"
            }
        if call.path == "/v2/bot/message/reply":
            self.replies.append(call)
            return 200, {"sentMessages": [{"id": "1", "quoteToken": "q"}]}
        key = call.headers.get("x-line-retry-key")
        if key in self.retry_keys_seen:  # as LINE does: an accepted key is not sent again
            return 409, {"message": "The retry key is already accepted"}
        self.retry_keys_seen.add(key)
        self.pushes.append(call)
        return 200, {"sentMessages": [{"id": str(len(self.pushes)), "quoteToken": "q"}]}

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def texts_to(self, line_user_id: str) -> list[str]:
        return [
            m["text"]
            for c in self.pushes
            if c.body["to"] == line_user_id
            for m in c.body["messages"]
        ]


def point_line_at(app, fake: FakeLine) -> None:
    app.config.update(LINE_API_HOST=fake.url, NOTIFY_SECRET_KEY=Fernet.generate_key().decode())


def signed(body: str, secret: str = SECRET) -> str:
    """X-Line-Signature: base64 of HMAC-SHA256 of the body under the channel secret."""
    digest = hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def text_event(text: str, line_user_id: str, reply_token: str = "reply-token-1") -> str:
    return json.dumps(
        {
            "destination": "Ubot",
            "events": [
                {
                    "type": "message",
                    "mode": "active",
                    "timestamp": 1764806400000,
                    "webhookEventId": "01JEVENT0000000000000000000",
                    "deliveryContext": {"isRedelivery": False},
                    "source": {"type": "user", "userId": line_user_id},
                    "replyToken": reply_token,
                    "message": {"type": "text", "id": "1", "text": text, "quoteToken": "q"},
                }
            ],
        }
    )


def set_up_line(client, quota: int = 300) -> None:
    """The organisation's admin saves the channel's token and secret on /admin/line."""
    login(client, "admin")
    response = client.post_form("/admin/line", {"token": TOKEN, "secret": SECRET, "quota": quota})
    assert response.status_code == 302
    client.post_form("/logout")


def link(client, username: str, line_user_id: str = LINE_ID) -> None:
    """The person asks for a code and sends it to the bot; LINE calls the webhook."""
    login(client, username)
    client.post_form("/notifications/line/code")
    page = client.get("/notifications/settings").get_data(as_text=True)
    code = page.split('class="line-code"><strong>')[1].split("<")[0]
    body = text_event(code, line_user_id)
    response = client.post(
        f"/line/webhook/{_org_id(client)}",
        data=body,
        headers={"X-Line-Signature": signed(body), "Content-Type": "application/json"},
    )
    assert response.status_code == 200
    client.post_form("/logout")


def _org_id(client) -> int:
    with client.application.app_context():
        return db.session.scalar(sa.text("SELECT id FROM organisations"))
