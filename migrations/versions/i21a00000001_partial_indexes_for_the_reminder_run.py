"""partial indexes for the reminder run: unsent reminders, memos in review

Revision ID: i21a00000001
Revises: i20b00000001
Create Date: 2026-12-05 22:00:00

The reminder run's repeat on the national dataset (docs/benchmarks.md): the unsent reminders
are a handful among hundreds of thousands sent, and the memos in review one in twelve of all
memos. Both indexes hold only those rows, so they stay small however long the history grows.
`ix_reminders_unsent` (sent_at, claimed_at) over every row becomes (claimed_at) over the unsent.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i21a00000001'
down_revision = 'i20b00000001'
branch_labels = None
depends_on = None

UNSENT = sa.text('sent_at IS NULL')
IN_REVIEW = sa.text("state = 'in_review'")


def upgrade():
    with op.batch_alter_table('reminders') as batch_op:
        batch_op.drop_index('ix_reminders_unsent')
    op.create_index(
        'ix_reminders_unsent', 'reminders', ['claimed_at'],
        postgresql_where=UNSENT, sqlite_where=UNSENT,
    )
    op.create_index(
        'ix_documents_in_review', 'documents', ['org_id', 'id'],
        postgresql_where=IN_REVIEW, sqlite_where=IN_REVIEW,
    )


def downgrade():
    op.drop_index('ix_documents_in_review', table_name='documents')
    op.drop_index('ix_reminders_unsent', table_name='reminders')
    with op.batch_alter_table('reminders') as batch_op:
        batch_op.create_index('ix_reminders_unsent', ['sent_at', 'claimed_at'], unique=False)
