"""The search index: one row per memo or measure with its text cut into words.

Thai is written without spaces, so the text is tokenised in Python (pythainlp) and the tokens are
stored joined by spaces; the database then matches whole tokens (search/).

PostgreSQL: `tsv` holds `to_tsvector('simple', tokens)`, kept by a trigger the migration creates
(the built-in tsvector_update_trigger), under a GIN index. SQLite has no tsvector: there the column
is plain text left empty (its index stays empty too) and the search matches `tokens` itself.

`haystack` is the title and text, lowercased with Arabic digits, for fragments inside words
("ราคา" in "ใบเสนอราคา"): PostgreSQL answers `LIKE '%…%'` from a pg_trgm GIN index on it; SQLite
(one organisation's data) scans it.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column

import clock
from extensions import db
from models.types import UTCDateTime

KINDS = ("document", "measure")
SEARCH_VECTOR = postgresql.TSVECTOR().with_variant(sa.Text(), "sqlite")
# pg_trgm lives in the public schema (migration i18a00000002), named in full so that a
# search_path without it (a test schema) still finds the operator class.
TRIGRAM_OPS = "public.gin_trgm_ops"


class SearchEntry(db.Model):
    __tablename__ = "search_index"
    __table_args__ = (
        sa.UniqueConstraint("kind", "item_id"),
        sa.CheckConstraint("kind IN ('document', 'measure')", name="kind_known"),
        sa.Index("ix_search_index_org_kind", "org_id", "kind"),
        sa.Index("ix_search_index_tsv", "tsv", postgresql_using="gin"),
        sa.Index(
            "ix_search_index_haystack_trgm",
            "haystack",
            postgresql_using="gin",
            postgresql_ops={"haystack": TRIGRAM_OPS},
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    kind: Mapped[str] = mapped_column(sa.String(10))
    item_id: Mapped[int]  # documents.id or measures.id, by kind
    title: Mapped[str] = mapped_column(sa.String(500))
    # The plain text searched, for the excerpt around the matching words.
    content: Mapped[str] = mapped_column(sa.Text, default="")
    title_tokens: Mapped[str] = mapped_column(sa.Text, default="")
    tokens: Mapped[str] = mapped_column(sa.Text, default="")
    haystack: Mapped[str] = mapped_column(sa.Text, default="", server_default="", deferred=True)
    tsv: Mapped[str | None] = mapped_column(SEARCH_VECTOR, deferred=True)  # set by the database
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
