"""Decisions under load: a queue of memos waiting for the logged-in executives, each to be signed
exactly once, and the checks in the database afterwards (one row per success, none doubled,
none lost, the hash chain intact)."""

import time
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

import psycopg
import sqlalchemy as sa

from bench.paced import Request
from extensions import db
from models import DecisionLog

DECISIONS = ("forward", "approve", "reject", "return")

# Memos at the current step of one of the users. Final steps are approvals (they fix the PDF's
# content; the freezer beside gunicorn renders it); the others forward the memo to the next step.
WAITING = """
SELECT d.id, u.username, d.revision, d.current_step, s.forward_decisions,
       d.current_step = (SELECT max(step_no) FROM document_steps
                         WHERE document_id = d.id AND revision = d.revision) AS final
FROM documents d
JOIN document_steps s
  ON s.document_id = d.id AND s.revision = d.revision AND s.step_no = d.current_step
JOIN users u ON u.org_id = d.org_id AND u.position_id = s.position_id
WHERE d.state = 'in_review' AND u.username = ANY(%s)
ORDER BY md5(d.id::text)
"""


@dataclass
class Queued:
    doc_id: int
    username: str
    revision: int
    step_no: int
    final: bool


def waiting(conn: psycopg.Connection, usernames: list[str], final: bool, limit: int) -> list:
    """Up to `limit` memos waiting for the users, at a final step or not, with the decision."""
    rows = conn.execute(WAITING, (usernames,)).fetchall()
    chosen = [r for r in rows if r[5] == final][:limit]
    return [(Queued(r[0], r[1], r[2], r[3], r[5]), r[4][0]) for r in chosen]


def posts(queued: list, sessions: dict[str, tuple[str, str]]) -> list[Request]:
    """One decision POST per memo, with its signer's session cookie and CSRF token."""
    found = []
    for item, decision in queued:
        cookie, token = sessions[item.username]
        form = {
            "csrf_token": token,
            "revision": item.revision,
            "step_no": item.step_no,
            "decision": decision,
            "comment": "",
        }
        path = f"/documents/{item.doc_id}/decide"
        found.append(Request(path, cookie, urlencode(form), item.doc_id))
    return found


def queue_lines(requests: list[Request]) -> list[str]:
    """The wrk queue (bench/wrk/decide.lua): doc id, cookie, path and form body of each POST."""
    return [f"{r.doc_id}\t{r.cookie}\t{r.path}\t{r.body}" for r in requests]


def last_log_id(conn: psycopg.Connection) -> int:
    return conn.execute("SELECT coalesce(max(id), 0) FROM decision_log").fetchone()[0]


def check(conn: psycopg.Connection, queued: list[Queued], sent: list[tuple[int, int]], since: int):
    """What the database shows after the run; every count but `ok` and `rows` must be 0."""
    ok = {doc for doc, status in sent if status == 302}
    by_doc = {q.doc_id: q for q in queued}
    new = conn.execute(
        "SELECT document_id, revision, step_no, action FROM decision_log"
        " WHERE id > %s AND action = ANY(%s)",
        (since, list(DECISIONS)),
    ).fetchall()
    per_doc = Counter(doc for doc, *_ in new)
    state = dict(
        (doc, (s, step))
        for doc, s, step in conn.execute(
            "SELECT id, state, current_step FROM documents WHERE id = ANY(%s)", (list(by_doc),)
        )
    )
    advanced = sum(
        1
        for doc in ok
        if state[doc] == ("approved", None)
        and by_doc[doc].final
        or state[doc] == ("in_review", by_doc[doc].step_no + 1)
        and not by_doc[doc].final
    )
    doubled = conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM decision_log WHERE document_id = ANY(%s)"
        " AND action = ANY(%s) GROUP BY document_id, revision, step_no HAVING count(*) > 1) d",
        (list(by_doc), list(DECISIONS)),
    ).fetchone()[0]
    return {
        "sent": len(sent),
        "ok": len(ok),
        "rows": len(new),
        "rows_not_matching_a_success": len(new) - sum(per_doc[d] for d in ok if per_doc[d] == 1),
        "lost": sum(1 for doc in ok if per_doc[doc] == 0),
        "doubled_steps": doubled,
        "not_advanced": len(ok) - advanced,
        "never_sent": len(by_doc) - len({doc for doc, _ in sent}),
    }


def wait_for_pdfs(conn: psycopg.Connection, doc_ids: list[int], timeout: float = 1800) -> dict:
    """After the approvals: how long until the freezer has rendered all their PDFs, and whether
    each approved memo then has exactly one stored PDF and one FREEZE row."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        left = conn.execute(
            "SELECT count(*) FROM pending_pdfs WHERE document_id = ANY(%s)", (doc_ids,)
        ).fetchone()[0]
        if left == 0:
            break
        time.sleep(0.5)
    approved = [
        doc
        for (doc,) in conn.execute(
            "SELECT id FROM documents WHERE id = ANY(%s) AND state = 'approved'", (doc_ids,)
        )
    ]
    frozen = conn.execute(
        "SELECT count(*) FROM frozen_pdfs WHERE document_id = ANY(%s)", (approved,)
    ).fetchone()[0]
    sealed = conn.execute(
        # FrozenPdf.seal is JSON: an unsealed PDF's is JSON null, not SQL NULL
        "SELECT count(*) FROM frozen_pdfs WHERE document_id = ANY(%s) AND seal ->> 'level' <> ''",
        (approved,),
    ).fetchone()[0]
    freezes = Counter(
        doc
        for (doc,) in conn.execute(
            "SELECT document_id FROM decision_log WHERE action = 'freeze' AND document_id = ANY(%s)",
            (approved,),
        )
    )
    return {
        "backlog_s": round(time.monotonic() - started, 1),
        "approved": len(approved),
        "frozen": frozen,
        "sealed": sealed,
        "still_pending": left,
        "freeze_rows_not_one": sum(1 for doc in approved if freezes[doc] != 1),
    }


def broken_links(app, doc_ids: list[int], since: int) -> int:
    """New log rows of the documents whose hash or link to the previous row does not verify
    (recomputed as models/audit.py does; the generated rows before them carry placeholders)."""
    broken = 0
    with app.app_context():
        stmt = (
            sa.select(DecisionLog)
            .where(DecisionLog.document_id.in_(doc_ids))
            .order_by(DecisionLog.document_id, DecisionLog.id)
        )
        previous: dict[int, str] = {}
        for row in db.session.scalars(stmt):
            if row.id > since and (
                row.prev_hash != previous.get(row.document_id) or row.row_hash != row.compute_hash()
            ):
                broken += 1
            previous[row.document_id] = row.row_hash
        db.session.remove()
        db.engine.dispose()
    return broken
