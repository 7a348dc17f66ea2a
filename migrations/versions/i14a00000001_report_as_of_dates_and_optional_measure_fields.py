"""report as-of dates and optional measure fields

Revision ID: i14a00000001
Revises: i18a00000002
Create Date: 2026-12-04 23:45:00

A status change carries the date it took effect, which progress reports go by; existing
changes took effect on the Bangkok date they were recorded. A measure's period and reporting
rhythm may be unstated; a measure may sit under a numbered parent heading; the organisation
chooses how a measure without budget prints.

"""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i14a00000001'
down_revision = 'i18a00000002'
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
    with op.batch_alter_table('measures', schema=None) as batch_op:
        batch_op.alter_column('start_month', existing_type=sa.Date(), nullable=True)
        batch_op.alter_column('end_month', existing_type=sa.Date(), nullable=True)
        batch_op.alter_column('rhythm', existing_type=sa.String(length=10), nullable=True)
        batch_op.add_column(sa.Column('parent_title', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('follow_up_due', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('follow_up_due_set_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_measures_period_whole_or_unstated'),
            '(start_month IS NULL) = (end_month IS NULL)',
        )
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('print_no_budget', sa.Boolean(), server_default=sa.true(), nullable=False)
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
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('print_no_budget')
    with op.batch_alter_table('measures', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_measures_period_whole_or_unstated'), type_='check')
        batch_op.drop_column('parent_title')
        batch_op.drop_column('follow_up_due')
        batch_op.drop_column('follow_up_due_set_at')
        batch_op.alter_column('rhythm', existing_type=sa.String(length=10), nullable=False)
        batch_op.alter_column('end_month', existing_type=sa.Date(), nullable=False)
        batch_op.alter_column('start_month', existing_type=sa.Date(), nullable=False)
    with op.batch_alter_table('measure_events', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_measure_events_status_change_has_effective_date'), type_='check')
        batch_op.drop_column('effective_date')
