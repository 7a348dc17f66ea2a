"""search: fragments inside words (pg_trgm) and the names of the people on a memo

Revision ID: i18a00000002
Revises: i18a00000001
Create Date: 2026-12-04 23:58:00

`haystack` is each row's title and text, lowercased with Arabic digits; PostgreSQL answers
`LIKE '%fragment%'` over it from a trigram GIN index (pg_trgm, a trusted extension since
PostgreSQL 13, created in the public schema). Existing rows get an approximation here; `flask
search reindex` after the upgrade writes them exactly (README, "Running in production").

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i18a00000002'
down_revision = 'i18a00000001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('search_index') as batch_op:
        batch_op.add_column(sa.Column('haystack', sa.Text(), server_default='', nullable=False))
    op.execute("UPDATE search_index SET haystack = lower(title || ' ' || content)")
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
        op.create_index(
            'ix_search_index_haystack_trgm', 'search_index', ['haystack'], unique=False,
            postgresql_using='gin', postgresql_ops={'haystack': 'public.gin_trgm_ops'},
        )


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index('ix_search_index_haystack_trgm', table_name='search_index')
    with op.batch_alter_table('search_index') as batch_op:
        batch_op.drop_column('haystack')
