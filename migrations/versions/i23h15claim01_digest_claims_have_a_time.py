"""digest claims have a time: a claim left by a run that died is retried

Revision ID: i23h15claim01
Revises: i22h21remind3
Create Date: 2026-12-06 04:20:00

notify_digests.claimed_at is when a run took the person's digest of the day. A claim neither
sent nor failed 15 minutes later belongs to a run that died mid-send (a restart, a deploy at
07:31) and is taken again; before, it held the day's digest back for good. Rows from before
this revision have no time and count as in hand.

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "i23h15claim01"
down_revision = "i22h21remind3"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "notify_digests", sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade():
    with op.batch_alter_table("notify_digests") as batch_op:
        batch_op.drop_column("claimed_at")
