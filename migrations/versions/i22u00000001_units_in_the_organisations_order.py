"""units in the organisation's order: units.sort_order (issue 13)

Revision ID: i22u00000001
Revises: i22h15digest
Create Date: 2026-12-06 00:45:00

Units were listed by name, which puts สำนักปลัด after every กอง; annexes printed them in the
order they were set up. Each unit now has a place in its organisation's order, which the admin
changes on the units page. Existing units are numbered 1..n per organisation: สำนักปลัด
(สำนักปลัดเทศบาล, สำนักปลัด อบต. …) first, then the others in the order they were set up, as
the annexes printed them until now and as the demo lists the seeds' units.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i22u00000001'
down_revision = 'i22h15digest'
branch_labels = None
depends_on = None

# 0 for สำนักปลัด…, 1 for the others; with the id, the back-filled order.
RANK = "CASE WHEN {t}.name LIKE 'สำนักปลัด%' THEN 0 ELSE 1 END"
BACK_FILL = f"""
UPDATE units SET sort_order = 1 + (
    SELECT count(*) FROM units AS other
    WHERE other.org_id = units.org_id
      AND ({RANK.format(t='other')} < {RANK.format(t='units')}
           OR ({RANK.format(t='other')} = {RANK.format(t='units')} AND other.id < units.id))
)
"""


def upgrade():
    # Plain ADD COLUMN (no table rebuild: users, documents and measures point at units).
    op.add_column(
        'units', sa.Column('sort_order', sa.Integer(), server_default='0', nullable=False)
    )
    op.execute(BACK_FILL)


def downgrade():
    op.drop_column('units', 'sort_order')  # plain DROP COLUMN, like i20a's
