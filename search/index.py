"""Keeping the search index in step with memos and measures.

After each flush the ids of touched memos and measures are noted on the session; just before the
transaction commits their rows are rebuilt from what is in the database by then, inside the same
transaction, so the index never commits ahead of or behind the data. `flask search reindex`
rebuilds everything (after an upgrade, or when the tokeniser changes).
"""

from collections import defaultdict
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

import clock
from extensions import db
from models import (
    DecisionLog,
    Document,
    DocumentSection,
    Evidence,
    Measure,
    ProgressEntry,
    SearchEntry,
)
from search.tokens import fragment_text, index_words, joined

DOCUMENT, MEASURE = "document", "measure"
BATCH = 200
_PENDING = "search_pending"


def refresh(session: Session, kind: str, ids: Iterable[int]) -> None:
    """Rebuild the rows of these memos or measures (rows of vanished items are removed)."""
    ids = sorted(set(ids))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        rows = _document_rows(session, chunk) if kind == DOCUMENT else _measure_rows(session, chunk)
        gone = set(chunk) - {row["item_id"] for row in rows}
        if gone:
            session.execute(
                sa.delete(SearchEntry).where(
                    SearchEntry.kind == kind, SearchEntry.item_id.in_(gone)
                )
            )
        if rows:
            session.execute(_upsert(session), rows)


def reindex_all(session: Session) -> int:
    """Rebuild the whole index; returns how many rows it holds."""
    session.execute(sa.delete(SearchEntry))
    for kind, model in ((DOCUMENT, Document), (MEASURE, Measure)):
        refresh(session, kind, session.scalars(sa.select(model.id)).all())
    return session.scalar(sa.select(sa.func.count(SearchEntry.id))) or 0


def _document_rows(session: Session, ids: list[int]) -> list[dict]:
    docs = session.scalars(
        sa.select(Document)
        .where(Document.id.in_(ids))
        .options(selectinload(Document.sections), selectinload(Document.drafter))
    ).all()
    comments: dict[int, list[str]] = defaultdict(list)
    people: dict[int, list[str]] = defaultdict(list)
    stmt = (
        sa.select(
            DecisionLog.document_id,
            DecisionLog.decision,
            DecisionLog.comment,
            DecisionLog.actor_name,
        )
        .where(DecisionLog.document_id.in_(ids))
        .order_by(DecisionLog.id)
    )
    for doc_id, decision, comment, actor in session.execute(stmt):
        comments[doc_id].extend(t for t in (decision, comment) if t)
        if actor and actor not in people[doc_id]:
            people[doc_id].append(actor)
    return [
        _row(
            DOCUMENT,
            doc,
            doc.subject,
            [
                doc.number or "",
                doc.addressee,
                *_section_texts(doc),
                *comments[doc.id],
                _names(doc.drafter.display_name, *people[doc.id]),
            ],
        )
        for doc in docs
    ]


def _names(*names: str) -> str:
    """The people on a memo or measure, once each, so a search by a name or surname finds it."""
    return "ผู้เกี่ยวข้อง: " + ", ".join(dict.fromkeys(n for n in names if n))


def _section_texts(doc: Document) -> list[str]:
    return [text for s in doc.sections for text in (s.heading, s.body) if text]


def _measure_rows(session: Session, ids: list[int]) -> list[dict]:
    measures = session.scalars(
        sa.select(Measure)
        .where(Measure.id.in_(ids))
        .options(
            selectinload(Measure.entries),
            selectinload(Measure.evidence),
            selectinload(Measure.people),
            selectinload(Measure.units),
        )
    ).all()
    return [
        _row(
            MEASURE,
            m,
            m.title,
            [
                " ".join(m.question_codes),
                m.analysis,
                *m.steps,
                m.follow_up,
                *(e.text for e in m.entries),
                *(e.title for e in m.evidence),
                ", ".join(u.name for u in m.units),
                _names(*(p.display_name for p in m.people)),
            ],
        )
        for m in measures
    ]


def _row(kind: str, item, title: str, texts: list[str]) -> dict:
    content = "\n".join(t for t in texts if t)
    title_words = index_words(title)
    return {
        "org_id": item.org_id,
        "kind": kind,
        "item_id": item.id,
        "title": title[:500],
        "content": content,
        "title_tokens": joined(title_words),
        "tokens": joined(title_words + index_words(content)),
        "haystack": fragment_text(f"{title}\n{content}"),
        "updated_at": clock.now(),
    }


def _upsert(session: Session):
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(SearchEntry)
    columns = ("org_id", "title", "content", "title_tokens", "tokens", "haystack", "updated_at")
    return stmt.on_conflict_do_update(
        index_elements=["kind", "item_id"], set_={c: stmt.excluded[c] for c in columns}
    )


# -- keeping step with the data -------------------------------------------------------------


def _touched(obj) -> tuple[str, int | None] | None:
    """Which index row an ORM object's change affects."""
    if isinstance(obj, Document):
        return DOCUMENT, obj.id
    if isinstance(obj, DocumentSection | DecisionLog):
        return DOCUMENT, obj.document_id
    if isinstance(obj, Measure):
        return MEASURE, obj.id
    if isinstance(obj, ProgressEntry | Evidence):
        return MEASURE, obj.measure_id
    return None


def _note_changes(session: Session, flush_context) -> None:
    pending = session.info.setdefault(_PENDING, {DOCUMENT: set(), MEASURE: set()})
    for obj in (*session.new, *session.dirty, *session.deleted):
        found = _touched(obj)
        if found and found[1] is not None:
            pending[found[0]].add(found[1])


def _apply_changes(session: Session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()  # note what this commit's own flush would have written
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    for kind, ids in pending.items():
        if ids:
            refresh(session, kind, ids)


def _forget_changes(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        session.info.pop(_PENDING, None)


_LISTENERS = (
    ("after_flush", _note_changes),
    ("before_commit", _apply_changes),
    ("after_soft_rollback", _forget_changes),
)


def listen() -> None:
    """Keep the index in step with every session's commits, the app's and a script's alike."""
    for name, listener in _LISTENERS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def rebuild() -> int:
    """The `flask search reindex` command's work, committed."""
    count = reindex_all(db.session)
    db.session.commit()
    return count
