"""A double-clicked "เสนอเรื่อง": two requests of one browser arrive together. One submits the
memo; the other is told it was already done, on SQLite as on PostgreSQL, never a 500.

SQLite has no row locks: the app begins each writing request's transaction with BEGIN IMMEDIATE
(SQLAlchemy's pysqlite transaction recipe, app.py), so the second request waits for the first
and then sees the memo already submitted."""

import threading
import time

import sqlalchemy as sa
from support.client import login

from extensions import db
from models import Action, DecisionLog, DocState, Document
from workflow import numbering


def test_a_double_clicked_submit_submits_once_and_refuses_the_second_cleanly(
    app, client, srisuk, monkeypatch
):
    login(client, "nattanipa")
    original = numbering.allocate

    def slow_allocate(*args, **kwargs):
        time.sleep(0.3)  # the first click is still inside its transaction when the second comes
        return original(*args, **kwargs)

    monkeypatch.setattr(numbering, "allocate", slow_allocate)
    clicks = [app.test_client() for _ in range(2)]
    for browser in clicks:
        for cookie in ("session",):
            browser.set_cookie(cookie, client.get_cookie(cookie).value)
    barrier = threading.Barrier(2)
    answers = [None, None]

    def click(index: int) -> None:
        barrier.wait(timeout=10)
        answers[index] = clicks[index].post(
            f"/documents/{srisuk.memo_id}/submit", data={"csrf_token": client.csrf}
        )

    threads = [threading.Thread(target=click, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(a.status_code for a in answers) == [302, 403]
    refusal = next(a for a in answers if a.status_code == 403).get_data(as_text=True)
    assert "แก้ไขไม่ได้ เพราะเอกสารอยู่ในสถานะ" in refusal, refusal
    with app.app_context():
        doc = db.session.get(Document, srisuk.memo_id)
        assert doc.state is DocState.IN_REVIEW
        submits = db.session.scalar(
            sa.select(sa.func.count()).where(
                DecisionLog.document_id == doc.id, DecisionLog.action == Action.SUBMIT
            )
        )
        assert submits == 1
