"""LINE Messaging API pushes (filled in with the SDK below)."""


class LineError(Exception):
    """LINE did not take the message; retried later."""


class FallBack(Exception):
    """LINE cannot take it now (quota nearly spent, or 429): send it by e-mail instead."""


def push(delivery, text, base_url: str) -> None:
    raise LineError("LINE is not set up")
