"""holidays: national days an organisation works through

Revision ID: i18a00000001
Revises: a7e1c0de0003
Create Date: 2026-12-04 23:50:00

Thailand's public holidays now come from the `holidays` package; an organisation's row with
`works` set marks a national holiday it works through (it then counts as a working day).

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i18a00000001'
down_revision = 'a7e1c0de0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('holidays') as batch_op:
        batch_op.add_column(
            sa.Column('works', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('holidays') as batch_op:
        batch_op.drop_column('works')
