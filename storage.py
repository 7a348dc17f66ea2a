"""Stored files (attachments; later frozen PDFs and images) under one configurable directory.

Files are named by a random key, never by anything a user typed, so no user input reaches a
file path. Swap this module for an object store without touching its callers.
"""

import secrets
from pathlib import Path

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

_DOOMED = "storage_delete_after_commit"


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


def delete_after_commit(session: Session, keys: list[str]) -> None:
    """Delete these files once the session commits; a rollback keeps them (its rows stay too)."""
    if keys:
        session.info.setdefault(_DOOMED, []).extend(keys)


@event.listens_for(Session, "after_commit")
def _delete_committed(session: Session) -> None:
    for key in session.info.pop(_DOOMED, []):
        delete(key)


@event.listens_for(Session, "after_soft_rollback")
def _keep_rolled_back(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        session.info.pop(_DOOMED, None)
