"""session versions and hardening against attack and accident (issue 17)

Revision ID: i17a00000001
Revises: i16a00000001
Create Date: 2026-12-04 23:50:00

users.session_version is part of every session cookie; advancing it ends them all.
The acting register keeps its history (acting_changes) and flags self-granted orders; each
decision row keeps a snapshot of the order it was signed under; two organisation settings.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i17a00000001'
down_revision = 'i16a00000001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('allow_self_acting', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('forbid_drafter_signing', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('acting_assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('self_granted', sa.Boolean(), server_default=sa.false(), nullable=False))
    # Plain ADD COLUMN (no table rebuild), so the log's append-only triggers stay in place.
    op.add_column('decision_log', sa.Column('acting_order_ref', sa.String(length=300), nullable=True))
    op.add_column('decision_log', sa.Column('acting_from', sa.Date(), nullable=True))
    op.add_column('decision_log', sa.Column('acting_until', sa.Date(), nullable=True))
    op.add_column('decision_log', sa.Column('own_memo', sa.Boolean(), nullable=True))
    op.add_column('frozen_pdfs', sa.Column('printed', sa.JSON(), nullable=True))
    op.create_table('acting_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('actor_name', sa.String(length=250), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('self_granted', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_acting_changes_actor_id_users')),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_acting_changes_org_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_acting_changes'))
    )
    with op.batch_alter_table('acting_changes', schema=None) as batch_op:
        batch_op.create_index('ix_acting_changes_org_at', ['org_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_acting_changes_assignment_id'), ['assignment_id'], unique=False)


def downgrade():
    op.drop_table('acting_changes')
    op.drop_column('frozen_pdfs', 'printed')
    op.drop_column('decision_log', 'own_memo')
    op.drop_column('decision_log', 'acting_until')
    op.drop_column('decision_log', 'acting_from')
    op.drop_column('decision_log', 'acting_order_ref')
    with op.batch_alter_table('acting_assignments', schema=None) as batch_op:
        batch_op.drop_column('self_granted')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('forbid_drafter_signing')
        batch_op.drop_column('allow_self_acting')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')
