"""Builders for the fault tests (audit verification, backup and restore, killed workers): a
small world made through the services, and ways to get around the log's append-only triggers."""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from unittest import mock

import sqlalchemy as sa

import clock
from extensions import db
from models import DecisionLog, RoundKind
from support.factories import PDF, memo_content, ooxml, user
from support.measures import make_plan
from workflow import attachments, reports
from workflow import documents as service
from workflow.audit_verify import verify

FORWARD = "เห็นควรเสนอเพื่อโปรดพิจารณา"
CHAIN = [  # the demo chain of seed 000
    ("thanyarat", FORWARD, "ได้ตรวจสอบแล้ว"),
    ("chuttikan", "เห็นควรอนุมัติ", "เห็นควรอนุมัติตามเสนอ"),
    ("nakarin", "อนุมัติ", "อนุมัติตามเสนอ"),
]
APRIL = date(2026, 4, 20)  # fiscal year 2569, after its 6-month round


@dataclass
class World:
    approved: int  # the seed memo with two attachments, signed to the end, its PDF frozen
    returned: int  # sent back by the chief administrator
    in_review: int  # waiting at step 2
    report: int  # the 6-month progress report, waiting at step 1


def build_world(app, org_id: int, seed_memo: int) -> World:
    """Documents in every interesting state, made through the services and committed."""
    make_plan(app, org_id)
    with app.app_context():
        drafter = user("nattanipa")
        attachments.add(seed_memo, drafter, "ตารางคะแนน.pdf", PDF)
        attachments.add(seed_memo, drafter, "รายละเอียด.docx", ooxml("word/"))
        sign_up_to(seed_memo, len(CHAIN))
        returned = _new_memo("บันทึกที่ถูกส่งคืน")
        sign_up_to(returned, 1)
        service.return_for_revision(returned, user("chuttikan"), reason="กรุณาแนบตารางคะแนน")
        db.session.commit()
        in_review = _new_memo("บันทึกที่รอปลัดพิจารณา")
        sign_up_to(in_review, 1)
        report = _progress_report(org_id)
    return World(seed_memo, returned, in_review, report)


def sign_up_to(memo_id: int, steps: int) -> None:
    """Submit (if a draft) and sign the first `steps` steps of the demo chain, committing each."""
    service.submit(memo_id, user("nattanipa"))
    db.session.commit()
    for username, decision, comment in CHAIN[:steps]:
        service.decide(memo_id, user(username), decision=decision, comment=comment)
        db.session.commit()


def _new_memo(subject: str) -> int:
    memo = service.create_draft(user("nattanipa"), memo_content(subject))
    db.session.commit()
    return memo.id


def _progress_report(org_id: int) -> int:
    with mock.patch.object(clock, "today", lambda: APRIL):
        doc = reports.create_report(user("nattanipa"), 2569, RoundKind.HALF)
        db.session.commit()
        service.submit(doc.id, user("nattanipa"))
        db.session.commit()
    return doc.id


def log_rows(document_id: int | None = None) -> list[DecisionLog]:
    stmt = sa.select(DecisionLog).order_by(DecisionLog.id)
    if document_id is not None:
        stmt = stmt.where(DecisionLog.document_id == document_id)
    return list(db.session.scalars(stmt))


SQLITE_TRIGGERS = {
    "decision_log_no_update": "BEFORE UPDATE",
    "decision_log_no_delete": "BEFORE DELETE",
}


@contextmanager
def log_unlocked():
    """Run raw SQL on decision_log as an intruder with database rights would, then commit.

    PostgreSQL: the trigger is disabled inside this one transaction only (ALTER TABLE locks the
    table until commit, so no other session ever sees it off). SQLite: drop and recreate.
    """
    postgres = db.engine.dialect.name == "postgresql"
    if postgres:
        db.session.execute(sa.text("ALTER TABLE decision_log DISABLE TRIGGER USER"))
    else:
        for name in SQLITE_TRIGGERS:
            db.session.execute(sa.text(f"DROP TRIGGER {name}"))
    try:
        yield
    finally:
        if postgres:
            db.session.execute(sa.text("ALTER TABLE decision_log ENABLE TRIGGER USER"))
        else:
            for name, when in SQLITE_TRIGGERS.items():
                db.session.execute(
                    sa.text(
                        f"CREATE TRIGGER {name} {when} ON decision_log"
                        " BEGIN SELECT RAISE(ABORT, 'decision_log is append-only'); END"
                    )
                )
        db.session.commit()


def tamper(*statements: str, **params) -> None:
    with log_unlocked():
        for statement in statements:
            db.session.execute(sa.text(statement), params)


def verified_clean(app) -> bool:
    """True when `flask audit verify` would find nothing wrong."""
    with app.app_context():
        problems = []
        verify(report=problems.append)
        return problems == []
