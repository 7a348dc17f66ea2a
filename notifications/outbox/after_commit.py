"""Delivery without an extra process (NOTIFY_DELIVERY=inline, development and tests): once a
request has committed, it sends the events it wrote. Events of a transaction that rolled back
are forgotten with it (their rows never existed). In production (NOTIFY_DELIVERY=worker) the
request only commits and `flask notify work --watch` sends a moment later.
"""

from flask import Flask, Response, current_app
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from extensions import db
from notifications.outbox import sender
from notifications.outbox.events import PENDING_KEY

COMMITTED_KEY = "notify_committed"
MODES = ("inline", "worker")


@sa_event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    ids = session.info.pop(PENDING_KEY, None)
    if ids:
        session.info.setdefault(COMMITTED_KEY, []).extend(ids)


@sa_event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the outermost transaction: nothing was kept
        session.info.pop(PENDING_KEY, None)


def install(app: Flask) -> None:
    if app.config["NOTIFY_DELIVERY"] not in MODES:
        raise RuntimeError(f"NOTIFY_DELIVERY must be one of {MODES}")
    if app.config["NOTIFY_DELIVERY"] == "inline":
        app.after_request(_deliver_committed)


def _deliver_committed(response: Response) -> Response:
    ids = db.session.info.pop(COMMITTED_KEY, None)
    if ids:
        try:
            sender.run_once(event_ids=ids)
        except Exception:  # the decision is kept; the worker or the next pass sends it
            db.session.rollback()
            current_app.logger.exception("inline notification delivery failed")
    return response
