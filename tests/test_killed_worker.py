"""A worker killed in the middle of a decision leaves no half-made state.

A child process (tests/killed_worker_child.py) runs a real decision against the test database
through the services: the submission that takes the memo's number, or the final approval that
freezes the PDF. It stops where the request would commit, with its rows flushed and its locks
held, and is killed with SIGKILL. The document, its steps, the number counter, the decision log
and the stored files' references are then exactly as before; the lock is gone (the same person
decides again through the normal service), and the log verifies clean. The PDF file the killed
approval wrote is left in storage unreferenced: harmless, and listed by `flask storage orphans`.

A freezer (PDF_FREEZE = "worker") killed with the PDF stored and its rows flushed leaves the
approval waiting for its PDF, as before; the next pass renders it.

The last test does the same to a gunicorn worker serving the mayor's POST (its configuration,
tests/gunicorn_hold.py, holds that one request where it would commit); gunicorn starts a new
worker and the mayor's second press approves the memo.
"""

import http.client
import os
import select
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from support.factories import user
from support.faults import sign_up_to, verified_clean
from support.served import ROOT, Browser, gunicorn, wait_for

from extensions import db
from maintenance.storage_files import orphans, referenced_keys, stored_files
from models import (
    DecisionLog,
    DocState,
    Document,
    DocumentStep,
    FrozenPdf,
    NumberCounter,
    PendingPdf,
)
from workflow import documents as service

CHILD = ROOT / "tests" / "killed_worker_child.py"
SIGNER = {"submit": "nattanipa", "approve": "nakarin", "freeze": "nakarin"}


def state_of(app, doc_id: int) -> dict:
    """Every fact a half-made decision could leave behind."""
    with app.app_context():
        doc = db.session.get(Document, doc_id)
        found = {
            "document": (
                doc.state,
                doc.revision,
                doc.current_step,
                doc.version,
                doc.fiscal_year,
                doc.number_seq,
                doc.submitted_at,
                doc.finished_at,
            ),
            "steps": _rows(DocumentStep.revision, DocumentStep.step_no, DocumentStep.position_id),
            "counters": _rows(
                NumberCounter.org_id, NumberCounter.fiscal_year, NumberCounter.last_seq
            ),
            "log": _rows(DecisionLog.id, DecisionLog.action, DecisionLog.row_hash),
            "frozen": _rows(FrozenPdf.document_id, FrozenPdf.storage_key),
            "referenced": referenced_keys(db.session),
        }
        db.session.rollback()
    return found


def _rows(*columns) -> list[tuple]:
    return [tuple(r) for r in db.session.execute(sa.select(*columns).order_by(*columns))]


def run_and_kill(app, action: str, doc_id: int) -> str:
    """Start the child, wait until its transaction is flushed, SIGKILL it; its report line."""
    env = {
        **os.environ,
        "DATABASE_URL": str(app.config["SQLALCHEMY_DATABASE_URI"]),
        "STORAGE_DIR": app.config["STORAGE_DIR"],
    }
    command = [sys.executable, str(CHILD), action, str(doc_id), SIGNER[action]]
    child = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        ready, _, _ = select.select([child.stdout], [], [], 120)
        line = child.stdout.readline() if ready else ""
        assert line.startswith("flushed"), f"child did not reach its commit: {child.stderr.read()}"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    return line


def _lock_timeout() -> None:
    """Fail instead of hanging if the killed worker's row lock were never released."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text("SET LOCAL lock_timeout = '30s'"))


@pytest.fixture
def at_final_step(app, srisuk) -> int:
    """The seed memo signed by the section head and the chief administrator: the mayor's turn."""
    with app.app_context():
        sign_up_to(srisuk.memo_id, 2)
    return srisuk.memo_id


def test_a_final_approval_killed_before_its_commit_changes_nothing(app, at_final_step):
    memo = at_final_step
    before = state_of(app, memo)
    files_before = set(stored_files(Path(app.config["STORAGE_DIR"])))

    line = run_and_kill(app, "approve", memo)
    _, rows_inside, frozen_inside = line.split()
    # Inside its transaction the child had written the approval, the PDF's row and two log rows.
    assert int(rows_inside) == len(before["log"]) + 2 and int(frozen_inside) == 1

    assert state_of(app, memo) == before
    left = set(stored_files(Path(app.config["STORAGE_DIR"]))) - files_before
    assert len(left) == 1, "the killed approval had stored its PDF"
    with app.app_context():
        assert [p.name for p in orphans(db.session, Path(app.config["STORAGE_DIR"]))] == [
            p.name for p in left
        ]
        listed = app.test_cli_runner().invoke(args=["storage", "orphans"])
    assert left.pop().name in listed.output and "1 ไฟล์" in listed.output
    assert verified_clean(app)

    with app.app_context():  # the lock is gone: the mayor approves through the normal service
        _lock_timeout()
        doc = service.decide(memo, user("nakarin"), decision="อนุมัติ", comment="อนุมัติตามเสนอ")
        db.session.commit()
        assert doc.state == DocState.APPROVED
        assert db.session.get(FrozenPdf, memo) is not None
    after = state_of(app, memo)
    assert after["document"][5] == before["document"][5]  # the same number
    assert len(after["log"]) == len(before["log"]) + 2
    assert verified_clean(app)


def test_a_submission_killed_before_its_commit_consumes_no_number(app, srisuk):
    memo = srisuk.memo_id
    before = state_of(app, memo)
    assert before["document"][0] == DocState.DRAFT and before["document"][5] is None

    line = run_and_kill(app, "submit", memo)
    assert int(line.split()[1]) == len(before["log"]) + 1  # the SUBMIT row existed inside

    assert state_of(app, memo) == before  # no number taken, no steps, no log row
    assert verified_clean(app)

    with app.app_context():
        _lock_timeout()
        service.submit(memo, user("nattanipa"))
        db.session.commit()
        doc = db.session.get(Document, memo)
        counter = db.session.get(NumberCounter, (doc.org_id, doc.fiscal_year))
        assert doc.state == DocState.IN_REVIEW
        assert doc.number_seq == counter.last_seq  # the killed submission's number was never used
        previous = dict(((o, y), s) for o, y, s in before["counters"])
        assert doc.number_seq == previous.get((doc.org_id, doc.fiscal_year), 0) + 1
    assert verified_clean(app)


def test_a_freezer_killed_before_its_commit_leaves_the_pdf_to_the_next_pass(app, at_final_step):
    memo = at_final_step
    app.config["PDF_FREEZE"] = "worker"
    with app.app_context():
        service.decide(memo, user("nakarin"), decision="อนุมัติ", comment="อนุมัติตามเสนอ")
        db.session.commit()
        code = db.session.get(PendingPdf, memo).verify_code
    before = state_of(app, memo)
    files_before = set(stored_files(Path(app.config["STORAGE_DIR"])))

    line = run_and_kill(app, "freeze", memo)
    assert line.split()[1:] == [str(len(before["log"]) + 1), "1"]  # FREEZE row and PDF row inside

    assert state_of(app, memo) == before
    with app.app_context():
        assert db.session.get(PendingPdf, memo).attempts == 0  # not a failure: it never finished
    left = set(stored_files(Path(app.config["STORAGE_DIR"]))) - files_before
    assert len(left) == 1, "the killed freezer had stored the PDF"
    assert verified_clean(app)

    with app.app_context():
        _lock_timeout()
        result = app.test_cli_runner().invoke(args=["pdf", "freeze", "--nice", "0"])
        assert "จัดทำไฟล์ PDF ฉบับอนุมัติ 1 ฉบับ" in result.output, result.output
        assert db.session.get(FrozenPdf, memo).verify_code == code
        assert db.session.get(PendingPdf, memo) is None
    assert verified_clean(app)


# -- the same through gunicorn: a worker killed while it serves the POST -----------------------


def test_a_gunicorn_worker_killed_while_serving_the_final_approval_changes_nothing(
    app, at_final_step, tmp_path
):
    memo = at_final_step
    before = state_of(app, memo)
    marker, ready = tmp_path / "hold", tmp_path / "held-pid"
    marker.touch()
    hold = {"HOLD_MARKER": str(marker), "HOLD_READY": str(ready)}
    with gunicorn(app, tmp_path, ROOT / "tests" / "gunicorn_hold.py", hold) as served:
        mayor = Browser(served.base)
        mayor.login("nakarin")
        outcome = []

        def press_approve() -> None:  # the response never comes: the worker is killed
            try:
                outcome.append(mayor.decide(memo, "อนุมัติ", timeout=120))
            except (OSError, http.client.HTTPException) as error:
                outcome.append(error)

        pressing = threading.Thread(target=press_approve)
        pressing.start()
        wait_for(ready.exists, "the worker never reached its commit")
        os.kill(int(ready.read_text()), signal.SIGKILL)
        pressing.join(timeout=120)
        assert outcome and not isinstance(outcome[0], int), "the killed request got an answer"

        assert state_of(app, memo) == before
        assert verified_clean(app)
        # The mayor presses again; gunicorn's new worker serves it and the memo is approved.
        assert mayor.decide(memo, "อนุมัติ") == 200
    with app.app_context():
        doc = db.session.get(Document, memo)
        assert doc.state == DocState.APPROVED and db.session.get(FrozenPdf, memo) is not None
    assert verified_clean(app)
