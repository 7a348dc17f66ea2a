"""Stored files (attachments; later frozen PDFs and images) under one configurable directory.

Files are named by a random key, never by anything a user typed, so no user input reaches a
file path. Swap this module for an object store without touching its callers.
"""

import secrets
from pathlib import Path

from flask import current_app


def root() -> Path:
    """The storage directory (STORAGE_DIR), created on first use."""
    root = Path(current_app.config["STORAGE_DIR"])
    root.mkdir(parents=True, exist_ok=True)
    return root


def save(data: bytes) -> str:
    key = secrets.token_hex(16)
    (root() / key).write_bytes(data)
    return key


def path_of(key: str) -> Path:
    if not key.isalnum():
        raise ValueError("bad storage key")
    return root() / key


def delete(key: str) -> None:
    path_of(key).unlink(missing_ok=True)
