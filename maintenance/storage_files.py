"""Which stored files the database refers to, and which it does not (orphans).

A file is written to storage before its row is committed, so a transaction that rolls back or a
worker killed mid-request can leave a file behind. Such a file is harmless: nothing refers to it
and no page can reach it (files are found only through their row's random key).
"""

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import sqlalchemy as sa

# Every column holding a storage key (storage.py), as plain SQL so it also runs on a copy.
REFERENCED_KEYS_SQL = """
SELECT storage_key FROM attachments
UNION SELECT storage_key FROM frozen_pdfs
UNION SELECT garuda_key FROM organisations WHERE garuda_key IS NOT NULL
UNION SELECT signature_key FROM users WHERE signature_key IS NOT NULL
"""


# Images an approved memo prints whose PDF is not rendered yet (pdf/freeze.py): a replaced
# signature or Garuda image stays in storage until then.
PENDING_MEMOS_SQL = "SELECT memo FROM pending_pdfs"

RowsOf = Callable[[str], Iterable[tuple]]  # runs plain SQL on the database or on a copy of it


def keys_from(rows_of: RowsOf) -> set[str]:
    """Storage keys named by any row."""
    return {key for (key,) in rows_of(REFERENCED_KEYS_SQL)} | pending_image_keys(rows_of)


def pending_image_keys(rows_of: RowsOf) -> set[str]:
    """Images that approved memos still waiting for their PDF will print."""
    keys: set[str] = set()
    for (memo,) in rows_of(PENDING_MEMOS_SQL):
        printed = json.loads(memo) if isinstance(memo, str) else memo  # SQLite gives the text
        keys.update(printed.get("image_keys", []))
    return keys


def session_rows(session) -> RowsOf:
    """`rows_of` through a SQLAlchemy session or connection."""
    return lambda sql: session.execute(sa.text(sql))


def referenced_keys(session) -> set[str]:
    """Storage keys named by any row (through a SQLAlchemy session or connection)."""
    return keys_from(session_rows(session))


def stored_files(root: Path) -> Iterator[Path]:
    """Every regular file under the storage root, in a stable order."""
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def orphans(session, root: Path) -> list[Path]:
    """Files in storage that no row refers to."""
    keys = referenced_keys(session)
    return [p for p in stored_files(root) if p.relative_to(root).as_posix() not in keys]
