"""The search index on PostgreSQL: the database keeps the tokens' tsvector itself, and the query
is served by the GIN index over it. (tests/test_migrations.py compares the whole schema.)"""

import pytest
import sqlalchemy as sa

from extensions import db
from models import SearchEntry
from search.query import SIMPLE


@pytest.fixture
def postgres(app, ctx, srisuk):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: the tsvector and trigram indexes exist only there")


def test_the_trigger_keeps_the_tsvector_of_the_tokens(postgres):
    entry = db.session.scalars(sa.select(SearchEntry).where(SearchEntry.kind == "document")).one()
    assert "'ita'" in db.session.scalar(
        sa.select(SearchEntry.tsv).where(SearchEntry.id == entry.id)
    )
    db.session.execute(
        sa.update(SearchEntry).where(SearchEntry.id == entry.id).values(tokens="กล้อง วงจรปิด")
    )
    tsv = db.session.scalar(sa.select(SearchEntry.tsv).where(SearchEntry.id == entry.id))
    assert tsv == "'กล้อง':1 'วงจรปิด':2"


def test_the_match_is_served_by_the_gin_index(postgres):
    query = sa.func.plainto_tsquery(SIMPLE, "ทรัพย์สิน")
    stmt = sa.select(SearchEntry.id).where(SearchEntry.tsv.op("@@")(query))
    sql = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
    db.session.execute(sa.text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(row[0] for row in db.session.execute(sa.text(f"EXPLAIN {sql}")))
    assert "ix_search_index_tsv" in plan


def test_a_thai_fragment_is_served_by_the_trigram_index(postgres):
    stmt = sa.select(SearchEntry.id).where(SearchEntry.haystack.contains("เสนอราคา"))
    sql = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
    db.session.execute(sa.text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(row[0] for row in db.session.execute(sa.text(f"EXPLAIN {sql}")))
    assert "ix_search_index_haystack_trgm" in plan
    trigrams = db.session.scalar(sa.text("SELECT public.show_trgm('ใบเสนอราคา')"))
    assert len(trigrams) > 3, "Thai letters count as word characters in the database's locale"
