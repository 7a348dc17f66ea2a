"""digest runs per channel: the morning digest goes by e-mail or as one LINE push

Revision ID: i22h15digest
Revises: i21a00000001
Create Date: 2026-12-06 00:40:00

A person may take the morning digest on LINE as well as by e-mail, each at most once a day, so
the day's claim (notify_digests) is per channel. The rows already there were e-mail digests.
The table is small (one row a person a day) and no other table refers to it, so SQLite rebuilds
it through batch mode; PostgreSQL alters it in place.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i22h15digest'
down_revision = 'i21a00000001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notify_digests') as batch_op:
        batch_op.add_column(
            sa.Column('channel', sa.String(length=10), nullable=False, server_default='email')
        )
        batch_op.drop_constraint(op.f('pk_notify_digests'), type_='primary')
        batch_op.create_primary_key(op.f('pk_notify_digests'), ['user_id', 'day', 'channel'])
        batch_op.create_check_constraint(
            op.f('ck_notify_digests_known_channel'), "channel IN ('email', 'line')"
        )


def downgrade():
    op.execute("DELETE FROM notify_digests WHERE channel <> 'email'")
    with op.batch_alter_table('notify_digests') as batch_op:
        batch_op.drop_constraint(op.f('ck_notify_digests_known_channel'), type_='check')
        batch_op.drop_constraint(op.f('pk_notify_digests'), type_='primary')
        batch_op.create_primary_key(op.f('pk_notify_digests'), ['user_id', 'day'])
        batch_op.drop_column('channel')
