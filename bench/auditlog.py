"""The decision log of the bench dataset, with the app's real hash chain.

Every row's row_hash is models/audit.py's DecisionLog.compute_hash (json.dumps of its facts,
which SQL cannot reproduce byte for byte) and every memo's content_sha256 is
workflow/audit.py's content_digest of the memo as stored, so `flask audit verify` finds the bench
log clean. The rows are built here, in Python, from the memo plan (doc_plan) one slice of
documents at a time, and streamed into the table with COPY.
"""

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, timedelta

import psycopg

SLICE = 20_000  # documents per query and COPY
COLUMNS = (
    "id, org_id, document_id, revision, step_no, step_heading, action, decision, comment,"
    " actor_id, actor_name, actor_position, acting_for, acting_kind, acting_assignment_id,"
    " created_at, content_sha256, prev_hash, row_hash"
)
RETURN_REASON = "กรุณาแนบหลักฐานการดำเนินงานให้ครบถ้วน แล้วเสนอใหม่"
REJECT_REASON = "ไม่อยู่ในแผนการใช้จ่ายงบประมาณประจำปี"
STEPS = 3  # the default chain of every document type (bench/dataset.py _chain)
REJECT_STEP = 3  # only the last step may reject
RETURN_STEP = 2  # where a resubmitted memo was returned in its first revision

DOCUMENTS = """
SELECT d.id, d.org_id, d.doc_type, d.state, d.revision, d.current_step, d.stop_step,
       d.submitted_at, d.last_at, doc.number_prefix, doc.number_seq, doc.issuing_unit,
       doc.doc_date, doc.subject, doc.addressee, doc.closing,
       coalesce((SELECT json_agg(json_build_array(s.heading, s.body) ORDER BY s.position)
                 FROM document_sections s WHERE s.document_id = d.id), '[]')::text,
       rs.data::text, an.data::text
FROM doc_plan d
JOIN documents doc ON doc.id = d.id
LEFT JOIN report_snapshots rs ON rs.document_id = d.id
LEFT JOIN analysis_snapshots an ON an.document_id = d.id
WHERE d.state <> 'draft' AND d.id > %s AND d.id <= %s
ORDER BY d.id
"""


class Lookups:
    """Who signs what: the people, the acting orders and the chain's steps, read once."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self.people = {
            uid: (name, position)
            for uid, name, position in conn.execute(
                "SELECT u.id, u.title || u.full_name, coalesce(p.title, '')"
                " FROM users u LEFT JOIN positions p ON p.id = u.position_id"
            )
        }
        self.acting = {
            org: (aid, kind, title)
            for org, aid, kind, title in conn.execute(
                "SELECT a.org_id, a.id, a.kind, p.title FROM acting_assignments a"
                " JOIN positions p ON p.id = a.position_id WHERE a.kind = 'acting'"
            )
        }
        self.steps = {
            (org, doc_type, step_no): (heading, forward)
            for org, doc_type, step_no, heading, forward in conn.execute(
                "SELECT org_id, doc_type, step_no, heading, forward_decisions ->> 0"
                " FROM chain_steps"
            )
        }
        (self.users_per_org,) = conn.execute("SELECT max(id) / max(org_id) FROM users").fetchone()


def write(conn: psycopg.Connection) -> int:
    """Append the log of every memo in doc_plan; returns the rows written."""
    look = Lookups(conn)
    (last_id,) = conn.execute("SELECT coalesce(max(id), 0) FROM doc_plan").fetchone()
    row_id = 0
    for start in range(0, last_id, SLICE):
        docs = conn.execute(DOCUMENTS, (start, start + SLICE)).fetchall()
        with conn.cursor().copy(f"COPY decision_log ({COLUMNS}) FROM STDIN") as copy:
            for doc in docs:
                for row in document_log(doc, look):
                    row_id += 1
                    copy.write_row((row_id, *row))
    if row_id:
        conn.execute("SELECT setval(pg_get_serial_sequence('decision_log', 'id'), %s)", (row_id,))
    return row_id


def document_log(doc: tuple, look: Lookups) -> Iterator[tuple]:
    """The rows of one memo, oldest first, each chained to the one before."""
    (doc_id, org, doc_type, state, revision, current, stop, submitted, last_at) = doc[:9]
    digest = content_digest(doc)
    actions = plan_actions(state, revision, current, stop)
    if len(actions) - 1 != (last_at - submitted).days:
        raise AssertionError(f"document {doc_id}: {len(actions)} actions, dates disagree")
    previous = None
    for i, (action, rev, step_no) in enumerate(actions):
        at = (last_at - timedelta(days=len(actions) - 1 - i)).astimezone(UTC)
        actor, acting = signer(org, step_no, look) if step_no else (_user(org, 1, look), None)
        heading, forward = look.steps[(org, doc_type, step_no)] if step_no else (None, None)
        decision, comment = {
            "forward": (forward, ""),
            "approve": (forward, ""),
            "return": ("ส่งคืนแก้ไข", RETURN_REASON),
            "reject": ("ไม่อนุมัติ", REJECT_REASON),
        }.get(action, (None, ""))
        name, position = look.people[actor]
        acting_id, acting_kind, acting_for = acting or (None, None, None)
        content = digest if rev == revision else _stand_in(doc_id, rev)
        facts = {
            "document_id": doc_id,
            "revision": rev,
            "step_no": step_no,
            "action": action,
            "decision": decision,
            "comment": comment,
            "actor_id": actor,
            "actor_name": name,
            "actor_position": position,
            "acting_for": acting_for,
            "acting_kind": acting_kind,
            "created_at": at.isoformat(),
            "content_sha256": content,
            "prev_hash": previous,
        }
        row_hash = _sha256(json.dumps(facts, ensure_ascii=False, sort_keys=True))
        yield (
            org,
            doc_id,
            rev,
            step_no,
            heading,
            action,
            decision,
            comment,
            actor,
            name,
            position,
            acting_for,
            acting_kind,
            acting_id,
            at,
            content,
            previous,
            row_hash,
        )
        previous = row_hash


def plan_actions(
    state: str, revision: int, current: int | None, stop: int | None
) -> list[tuple[str, int, int | None]]:
    """(action, revision, step) in order; the count matches doc_plan's `gaps` + 1."""
    actions: list[tuple[str, int, int | None]] = []
    if revision == 2:
        actions += [("submit", 1, None), ("forward", 1, 1), ("return", 1, RETURN_STEP)]
    actions.append(("resubmit" if revision == 2 else "submit", revision, None))
    reached = {"in_review": current, "approved": STEPS, "rejected": REJECT_STEP}.get(state, stop)
    actions += [("forward", revision, k) for k in range(1, reached)]
    final = {"approved": "approve", "rejected": "reject", "returned": "return"}.get(state)
    if final:
        actions.append((final, revision, reached))
    elif state == "withdrawn":
        actions.append(("withdraw", revision, None))
    return actions


def signer(org: int, step_no: int, look: Lookups) -> tuple[int, tuple | None]:
    """Users 3-5 sign steps 1-3; where the section head's post is vacant (acting order), the
    head of general administration signs step 1 for it."""
    if step_no == 1 and org in look.acting:
        return _user(org, 2, look), look.acting[org]
    return _user(org, 2 + step_no, look), None


def _user(org: int, k: int, look: Lookups) -> int:
    return (org - 1) * look.users_per_org + k


def content_digest(doc: tuple) -> str:
    """workflow/audit.py's content_digest, from the stored columns (no attachments)."""
    prefix, seq, issuing, doc_date, subject, addressee, closing = doc[9:16]
    sections, report, analysis = doc[16:19]
    content = {
        "doc_type": doc[2],
        "number": None if seq is None else (f"{prefix}/{seq}" if prefix else str(seq)),
        "issuing_unit": issuing,
        "doc_date": doc_date.isoformat(),
        "subject": subject,
        "addressee": addressee,
        "sections": json.loads(sections),
        "closing": closing,
        "attachments": [],
        "report": json.loads(report) if report is not None else None,
    }
    if analysis is not None:
        content["analysis"] = json.loads(analysis)
    return _sha256(json.dumps(content, ensure_ascii=False, sort_keys=True))


def _stand_in(doc_id: int, revision: int) -> str:
    """The content of an earlier revision, which the bench does not keep: any fixed hash."""
    return _sha256(f"bench-{doc_id}-revision-{revision}")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def check_sample(app, document_ids: list[int]) -> tuple[int, int]:
    """Recompute, through the app's models, the hashes of some memos' rows; returns the rows
    whose stored hash differs (0 when the bench log is the app's chain) and the rows read."""
    import sqlalchemy as sa

    from extensions import db
    from models import DecisionLog

    with app.app_context():
        rows = db.session.scalars(
            sa.select(DecisionLog).where(DecisionLog.document_id.in_(document_ids))
        ).all()
        return sum(row.row_hash != row.compute_hash() for row in rows), len(rows)
