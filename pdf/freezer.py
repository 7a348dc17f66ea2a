"""`flask pdf freeze`: render the approved PDFs whose content the approvals fixed (PendingPdf).

Any number of freezers may run, on one machine or several: each takes a document's row lock
with SKIP LOCKED, so two never render the same memo, and a download rendering it first makes
the freezer find it gone. A freezer killed mid-render leaves the pending row as it was (nothing
is committed until the PDF is stored); the next pass renders it. A render that fails is retried
later, after 1, 2, 4 … 60 minutes, and reported: `pending()` lists them and the one-pass
command exits 1, so cron mails it.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

import clock
from extensions import db
from models import Document, PendingPdf
from pdf.freeze import render_fixed

BATCH = 20
MAX_RETRY_MINUTES = 60


@dataclass
class FreezeRun:
    frozen: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)  # document id → error

    def describe(self) -> str:
        line = f"จัดทำไฟล์ PDF ฉบับอนุมัติ {len(self.frozen):,} ฉบับ"
        if self.failed:
            line += f" ไม่สำเร็จ {len(self.failed):,} ฉบับ (จะลองใหม่ภายหลัง)"
        return line


def run_once(stop: Callable[[], bool] = lambda: False) -> FreezeRun:
    """Render every pending PDF that is due now; stop between memos when `stop()` says so."""
    run = FreezeRun()
    passed: set[int] = set()  # taken by another process, done, or failed in this pass
    while not stop():
        due = _due(passed)
        if not due:
            break
        for doc_id in due:
            if stop():
                break
            passed.add(doc_id)
            try:
                if freeze_one(doc_id):
                    run.frozen.append(doc_id)
            except FreezeFailed as error:
                run.failed[doc_id] = str(error)
    return run


def watch(interval: float, stop: Callable[[], bool]) -> None:
    """Keep rendering as approvals arrive, looking every `interval` seconds when idle."""
    log = current_app.logger
    while not stop():
        run = run_once(stop)
        if run.frozen or run.failed:
            log.info(run.describe())
        for doc_id, error in run.failed.items():
            log.error("PDF of document %s failed to render: %s", doc_id, error)
        if not run.frozen:
            _sleep(interval, stop)


class FreezeFailed(RuntimeError):
    """The render failed; the error is on the pending row, which is retried later."""


def freeze_one(doc_id: int) -> bool:
    """Whether this process froze the memo's PDF; False when there was nothing to do for it
    (frozen already, or being frozen by another process). Raises FreezeFailed."""
    try:
        stmt = sa.select(Document).where(Document.id == doc_id).with_for_update(skip_locked=True)
        doc = db.session.scalars(stmt.execution_options(populate_existing=True)).one_or_none()
        pending = db.session.get(PendingPdf, doc_id, populate_existing=True) if doc else None
        if pending is None:
            db.session.rollback()
            return False
        render_fixed(doc, pending)
        db.session.commit()
        return True
    except IntegrityError:  # SQLite has no row locks: another process stored it first
        db.session.rollback()
        return False
    except Exception as error:  # recorded on the row and reported, then retried
        db.session.rollback()
        message = f"{type(error).__name__}: {error}"[:2000]
        _record_failure(doc_id, message)
        raise FreezeFailed(message) from error


def pending() -> list[PendingPdf]:
    """Approved memos whose PDF is still to be rendered, oldest first."""
    stmt = sa.select(PendingPdf).order_by(PendingPdf.created_at, PendingPdf.document_id)
    return list(db.session.scalars(stmt))


def _due(passed: set[int]) -> list[int]:
    stmt = (
        sa.select(PendingPdf.document_id)
        .where(sa.or_(PendingPdf.retry_at.is_(None), PendingPdf.retry_at <= clock.now()))
        .order_by(PendingPdf.created_at, PendingPdf.document_id)
        .limit(BATCH + len(passed))
    )
    due = [doc_id for doc_id in db.session.scalars(stmt) if doc_id not in passed][:BATCH]
    db.session.rollback()  # no transaction stays open between memos
    return due


def _record_failure(doc_id: int, message: str) -> None:
    row = db.session.get(PendingPdf, doc_id)
    if row is None:
        return
    row.attempts += 1
    row.last_error = message
    row.retry_at = clock.now() + timedelta(minutes=min(2 ** (row.attempts - 1), MAX_RETRY_MINUTES))
    db.session.commit()


def _sleep(seconds: float, stop: Callable[[], bool]) -> None:
    end = time.monotonic() + seconds
    while not stop() and time.monotonic() < end:
        time.sleep(min(0.2, end - time.monotonic()))
