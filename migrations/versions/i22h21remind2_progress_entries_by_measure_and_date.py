"""progress entries by measure and date, for the measure reminders

Revision ID: i22h21remind2
Revises: i22h21remind
Create Date: 2026-12-06 04:25:00

The measure reminders ask, for every open measure and passed period (376,000 pairs on the
national dataset), whether an entry is dated inside it. With the index on measure_id alone each
question read the measure's entries from the table's heap pages (145,000 pages read per run);
(measure_id, entry_date) answers it from the index.

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'i22h21remind2'
down_revision = 'i22h21remind'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_progress_entries_measure_date', 'progress_entries', ['measure_id', 'entry_date']
    )


def downgrade():
    op.drop_index('ix_progress_entries_measure_date', table_name='progress_entries')
