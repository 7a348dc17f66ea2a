"""session versions and hardening against attack and accident (issue 17)

Revision ID: i17a00000001
Revises: a7e1c0de0003
Create Date: 2026-12-04 23:50:00

users.session_version is part of every session cookie; advancing it ends them all.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i17a00000001'
down_revision = 'a7e1c0de0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')
