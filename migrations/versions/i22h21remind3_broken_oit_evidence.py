"""the broken OIT evidence links, indexed

Revision ID: i22h21remind3
Revises: i22h21remind2
Create Date: 2026-12-06 04:45:00

An OIT item with a broken evidence link is not ready (workflow/oit/board.py). The OIT reminders
asked it with a parallel scan of all 759,442 evidence rows (three processes, 0.13 s each) on
every run; broken links are a few, so an index over them alone answers at once.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i22h21remind3'
down_revision = 'i22h21remind2'
branch_labels = None
depends_on = None

BROKEN = sa.text('broken_since IS NOT NULL')


def upgrade():
    op.create_index(
        'ix_oit_evidence_broken', 'oit_evidence', ['item_id'],
        postgresql_where=BROKEN, sqlite_where=BROKEN,
    )


def downgrade():
    op.drop_index('ix_oit_evidence_broken', table_name='oit_evidence')
