"""Searching memos and measures: matched on whole words or on fragments inside words, ranked,
narrowed to what the user may see and to the filters.

Words. PostgreSQL: `tsv @@ plainto_tsquery('simple', <query tokens>)`, where `tsv` is the tokens
as a tsvector under a GIN index (models/search.py), ranked by `ts_rank` (plus the rank in the
title). SQLite: every query token must appear as a whole token (`' ' || tokens || ' ' LIKE
'% word %'`), ranked by how often the tokens occur (twice for the title).

Fragments. Each space-separated part of the query must occur inside `haystack` ("ราคา" finds
"ใบเสนอราคา", "1180" finds "สร 83201/1180"): PostgreSQL answers the LIKE from a pg_trgm index.
Whole-word hits rank above fragment-only hits.
"""

from dataclasses import dataclass, field

import sqlalchemy as sa

from extensions import db
from models import Document, Measure, MeasurePlan, SearchEntry, User
from search.excerpt import excerpt, highlight
from search.tokens import fragment_text, joined, query_fragments, query_words
from workflow.lists.filters import (
    Filters,
    document_conditions,
    measure_conditions,
    visible_documents,
)

PAGE_SIZE = 20
SIMPLE = sa.literal_column("'simple'::regconfig")


@dataclass
class Hit:
    kind: str
    item_id: int
    title: str
    title_html: str
    excerpt_html: str
    words: list[str]
    rank: float
    details: sa.Row


@dataclass
class Results:
    words: list[str] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 0


def search(user: User, text: str, filters: Filters, page: int = 1) -> Results:
    """The page of results for a query, best first; only what `user` may see."""
    words, fragments = query_words(text), query_fragments(text)
    if not words and not fragments:
        return Results()
    by_word, rank = _matcher(words) if words else (sa.false(), sa.literal(0.0))
    by_fragment = sa.and_(*(SearchEntry.haystack.contains(f, autoescape=True) for f in fragments))
    match = sa.or_(by_word, by_fragment) if fragments else by_word
    whole = sa.case((by_word, 1), else_=0)
    where = [SearchEntry.org_id == user.org_id, match, _allowed(user, filters)]
    total = db.session.scalar(_base(sa.func.count(SearchEntry.id)).where(*where)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    stmt = (
        _base(SearchEntry, whole.label("whole"), rank.label("rank"), *_DETAILS)
        .where(*where)
        .order_by(sa.desc("whole"), sa.desc("rank"), SearchEntry.updated_at.desc(), SearchEntry.id)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    digits = user.organisation.thai_digits
    marked = list(dict.fromkeys([*words, *fragments]))
    hits = [_hit(row, marked, digits) for row in db.session.execute(stmt)]
    return Results(words=marked, hits=hits, total=total, page=page, pages=pages)


_DETAILS = (
    Document.doc_type,
    Document.state,
    Document.number_prefix,
    Document.number_seq,
    Measure.status,
    Measure.plan_id,
    MeasurePlan.fiscal_year.label("plan_year"),
)


def _base(*columns) -> sa.Select:
    return (
        sa.select(*columns)
        .select_from(SearchEntry)
        .outerjoin(
            Document, sa.and_(SearchEntry.kind == "document", Document.id == SearchEntry.item_id)
        )
        .outerjoin(
            Measure, sa.and_(SearchEntry.kind == "measure", Measure.id == SearchEntry.item_id)
        )
        .outerjoin(MeasurePlan, MeasurePlan.id == Measure.plan_id)
    )


def _allowed(user: User, filters: Filters) -> sa.ColumnElement[bool]:
    """Memos the user may open and measures of their organisation, narrowed by the filters."""
    kinds = [sa.false()]
    if filters.wants_documents:
        kinds.append(
            sa.and_(
                SearchEntry.kind == "document",
                visible_documents(user),
                *document_conditions(filters),
            )
        )
    if filters.wants_measures:
        kinds.append(
            sa.and_(
                SearchEntry.kind == "measure",
                Measure.org_id == user.org_id,
                *measure_conditions(filters, user.org_id),
            )
        )
    return sa.or_(*kinds)


def _matcher(words: list[str]) -> tuple[sa.ColumnElement[bool], sa.ColumnElement[float]]:
    if db.session.get_bind().dialect.name == "postgresql":
        query = sa.func.plainto_tsquery(SIMPLE, joined(words))
        title = sa.func.to_tsvector(SIMPLE, SearchEntry.title_tokens)
        rank = sa.func.ts_rank(SearchEntry.tsv, query) + sa.func.ts_rank(title, query)
        return SearchEntry.tsv.op("@@")(query), rank
    tokens = sa.literal(" ") + SearchEntry.tokens + sa.literal(" ")
    title = sa.literal(" ") + SearchEntry.title_tokens + sa.literal(" ")
    match = sa.and_(*(tokens.like(f"% {w} %") for w in words))
    rank = sum(_occurrences(tokens, w) + 2 * _occurrences(title, w) for w in words)
    return match, rank


def _occurrences(padded: sa.ColumnElement[str], word: str) -> sa.ColumnElement[float]:
    """How many times ' word ' occurs in the padded token string."""
    needle = f" {word} "
    removed = sa.func.length(sa.func.replace(padded, needle, ""))
    return (sa.func.length(padded) - removed) * 1.0 / len(needle)


def _hit(row: sa.Row, words: list[str], thai_digits: bool) -> Hit:
    entry: SearchEntry = row.SearchEntry
    present = set(entry.tokens.split())
    text = fragment_text(f"{entry.title} {entry.content}")
    return Hit(
        kind=entry.kind,
        item_id=entry.item_id,
        title=entry.title,
        title_html=highlight(entry.title, words, thai_digits),
        excerpt_html=excerpt(entry.content, words, thai_digits),
        words=[w for w in words if w in present or w in text],
        rank=float(row.rank or 0),
        details=row,
    )
