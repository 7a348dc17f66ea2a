"""indexes for the reminder run's repeat: memo arrivals, OIT and follow-up due dates

Revision ID: i22h21remind
Revises: i22h19get001
Create Date: 2026-12-06 04:15:00

The reminder run's second pass of a day (issue 21) on the national dataset:

- `ix_decision_log_arrival` (document_id, created_at, action): a memo's arrival (its latest
  log row other than a renumbering) is read from the index alone, the newest entry first,
  instead of from the log's heap pages (the reminder run's 43,910 memos in review, and the
  pending lists and the home page, which count from the same arrival);
- `ix_oit_items_due_date`: the OIT reminders read the few items due in their window instead of
  all 424,000;
- `ix_measures_follow_up_due`, only over measures that have an adopted follow-up date: the
  follow-up reminders read those instead of every measure of every organisation.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i22h21remind'
down_revision = 'i22h19get001'
branch_labels = None
depends_on = None

WITH_FOLLOW_UP = sa.text('follow_up_due IS NOT NULL')


def upgrade():
    op.create_index(
        'ix_decision_log_arrival', 'decision_log', ['document_id', 'created_at', 'action']
    )
    op.create_index('ix_oit_items_due_date', 'oit_items', ['due_date'])
    op.create_index(
        'ix_measures_follow_up_due', 'measures', ['follow_up_due'],
        postgresql_where=WITH_FOLLOW_UP, sqlite_where=WITH_FOLLOW_UP,
    )


def downgrade():
    op.drop_index('ix_measures_follow_up_due', table_name='measures')
    op.drop_index('ix_oit_items_due_date', table_name='oit_items')
    op.drop_index('ix_decision_log_arrival', table_name='decision_log')
