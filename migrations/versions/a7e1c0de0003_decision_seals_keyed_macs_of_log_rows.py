"""decision seals: keyed MACs of log rows

Revision ID: a7e1c0de0003
Revises: a7e1c0de0002
Create Date: 2026-11-21 06:57:48.256739

Each decision-log row's hash under AUDIT_KEY (HMAC-SHA256), so that rows rewritten by
someone with database rights but without the key are found by `flask audit verify`.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7e1c0de0003'
down_revision = 'a7e1c0de0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('decision_seals',
    sa.Column('row_id', sa.Integer(), nullable=False),
    sa.Column('mac', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['row_id'], ['decision_log.id'], name=op.f('fk_decision_seals_row_id_decision_log')),
    sa.PrimaryKeyConstraint('row_id', name=op.f('pk_decision_seals'))
    )


def downgrade():
    op.drop_table('decision_seals')
