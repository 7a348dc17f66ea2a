"""Values a page reads several times in one request, read once: who the user may sign for, an
organisation's days off, its report periods. Only while serving a page (a GET or HEAD,
`database.reading_page`, the rule autocommit reading follows too): no GET writes a row
(tests/test_get_never_writes.py walks every page as every role), so what a GET read earlier
cannot go stale before its page is drawn. A POST, a CLI command or a test outside a request
always reads afresh."""

from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import g, has_request_context

import database

T = TypeVar("T")


def reading_page() -> bool:
    """Serving a page: what is read may be kept until the response is drawn."""
    return has_request_context() and database.reading_page()


def per_request(key: Hashable, compute: Callable[[], T]) -> T:
    if not reading_page():
        return compute()
    cache = g.setdefault("_read_once", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def read_earlier(key: Hashable):
    """What this GET has already read under `key`, or None."""
    if not reading_page():
        return None
    return g.get("_read_once", {}).get(key)
