"""An SMTP server on loopback for the load benchmark's notification senders: it keeps when each
message arrived, to whom, and a digest of what it said (headers that differ per sending, the
Message-ID and the Date, left out), so a message sent twice is seen as such."""

import hashlib
import threading
import time
from collections import Counter
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller

from bench.notify_backlog import free_port


class _Handler:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.arrived: list[tuple[float, tuple[str, ...], str]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        msg = message_from_bytes(envelope.content, policy=policy.default)
        del msg["Message-ID"]
        del msg["Date"]
        digest = hashlib.sha256(msg.as_bytes()).hexdigest()
        with self.lock:
            self.arrived.append((time.time(), tuple(sorted(envelope.rcpt_tos)), digest))
        return "250 OK"


class MailSink:
    def __init__(self) -> None:
        self.handler = _Handler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def messages(self) -> int:
        with self.handler.lock:
            return len(self.handler.arrived)

    def doubled(self) -> int:
        """Messages that arrived more than once (same recipients, same content)."""
        with self.handler.lock:
            seen = Counter((rcpt, digest) for _, rcpt, digest in self.handler.arrived)
        return sum(n - 1 for n in seen.values() if n > 1)

    def stop(self) -> None:
        self.controller.stop()
