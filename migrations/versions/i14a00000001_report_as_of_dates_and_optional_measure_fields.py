"""report as-of dates: the date a measure's status change took effect

Revision ID: i14a00000001
Revises: a7e1c0de0003
Create Date: 2026-12-04 23:45:00

A status change carries the date it took effect, which progress reports go by; existing
changes took effect on the Bangkok date they were recorded.

"""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i14a00000001'
down_revision = 'a7e1c0de0003'
branch_labels = None
depends_on = None

BANGKOK = ZoneInfo("Asia/Bangkok")


def upgrade():
    with op.batch_alter_table('measure_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('effective_date', sa.Date(), nullable=True))
    _backfill_effective_dates()
    with op.batch_alter_table('measure_events', schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f('ck_measure_events_status_change_has_effective_date'),
            'new_status IS NULL OR effective_date IS NOT NULL',
        )


def _backfill_effective_dates():
    conn = op.get_bind()
    events = sa.table(
        'measure_events',
        sa.column('id', sa.Integer),
        sa.column('created_at', sa.DateTime),
        sa.column('new_status', sa.String),
        sa.column('effective_date', sa.Date),
    )
    rows = conn.execute(
        sa.select(events.c.id, events.c.created_at).where(events.c.new_status.is_not(None))
    ).all()
    for event_id, created_at in rows:
        if isinstance(created_at, str):
            created_at = datetime.fromisoformat(created_at)
        if created_at.tzinfo is None:
            created_at = created_at.replace(tzinfo=UTC)
        conn.execute(
            events.update()
            .where(events.c.id == event_id)
            .values(effective_date=created_at.astimezone(BANGKOK).date())
        )


def downgrade():
    with op.batch_alter_table('measure_events', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_measure_events_status_change_has_effective_date'), type_='check')
        batch_op.drop_column('effective_date')
