"""cancelling and superseding approved memos, circulation with acknowledgement (issue 20)

Revision ID: i20b00000001
Revises: i17a00000001
Create Date: 2026-12-05 21:40:00

A revocation ties a later memo to the approved memo it cancels or supersedes once approved;
circulation_recipients records who an approved memo was sent round to and when each
acknowledged it; the decision log gains the actions cancel, supersede and circulate.

"""
from alembic import op
import sqlalchemy as sa


OLD_ACTIONS = (
    'submit', 'resubmit', 'forward', 'approve', 'return', 'reject', 'withdraw', 'reopen',
    'renumber', 'freeze', 'publish', 'retract',
)
NEW_ACTIONS = (*OLD_ACTIONS, 'cancel', 'supersede', 'circulate')
# SQLite rebuilds decision_log to change its CHECK constraint, which drops the table's
# triggers; they are created again (same statements as the initial migration).
DECISION_LOG_APPEND_ONLY_SQLITE = [
    """
    CREATE TRIGGER decision_log_no_update BEFORE UPDATE ON decision_log
    BEGIN SELECT RAISE(ABORT, 'decision_log is append-only'); END
    """,
    """
    CREATE TRIGGER decision_log_no_delete BEFORE DELETE ON decision_log
    BEGIN SELECT RAISE(ABORT, 'decision_log is append-only'); END
    """,
]

# revision identifiers, used by Alembic.
revision = 'i20b00000001'
down_revision = 'i17a00000001'
branch_labels = None
depends_on = None


def _set_log_actions(actions: tuple[str, ...], old_length: int) -> None:
    listed = ", ".join(f"'{a}'" for a in actions)
    length = max(len(a) for a in actions)
    with op.batch_alter_table('decision_log', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_decision_log_log_action'), type_='check')
        batch_op.alter_column('action', existing_type=sa.String(old_length), type_=sa.String(length), existing_nullable=False)
        batch_op.create_check_constraint(op.f('ck_decision_log_log_action'), f"action IN ({listed})")
    if op.get_bind().dialect.name == "sqlite":
        for statement in DECISION_LOG_APPEND_ONLY_SQLITE:
            op.execute(statement)


def upgrade():
    op.create_table('revocations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('cancel', 'supersede', name='revocation_kind', native_enum=False, create_constraint=True, length=9), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('started_by_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('document_id <> target_id', name=op.f('ck_revocations_not_itself')),
    sa.CheckConstraint('length(reason) > 0', name=op.f('ck_revocations_reason_given')),
    sa.CheckConstraint('(done_at IS NULL) = (done_by_id IS NULL)', name=op.f('ck_revocations_done_with_signer')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_revocations_document_id_documents')),
    sa.ForeignKeyConstraint(['done_by_id'], ['users.id'], name=op.f('fk_revocations_done_by_id_users')),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_revocations_org_id_organisations')),
    sa.ForeignKeyConstraint(['started_by_id'], ['users.id'], name=op.f('fk_revocations_started_by_id_users')),
    sa.ForeignKeyConstraint(['target_id'], ['documents.id'], name=op.f('fk_revocations_target_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_revocations')),
    sa.UniqueConstraint('document_id', name=op.f('uq_revocations_document_id'))
    )
    with op.batch_alter_table('revocations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revocations_target_id'), ['target_id'], unique=False)
        batch_op.create_index('uq_revocations_target_done', ['target_id'], unique=True, sqlite_where=sa.text('done_at IS NOT NULL'), postgresql_where=sa.text('done_at IS NOT NULL'))

    op.create_table('circulation_recipients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('sent_by_id', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('acknowledged_at IS NULL OR acknowledged_at >= sent_at', name=op.f('ck_circulation_recipients_ack_after_sent')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_circulation_recipients_document_id_documents')),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_circulation_recipients_org_id_organisations')),
    sa.ForeignKeyConstraint(['sent_by_id'], ['users.id'], name=op.f('fk_circulation_recipients_sent_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_circulation_recipients_unit_id_units')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_circulation_recipients_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_circulation_recipients')),
    sa.UniqueConstraint('document_id', 'user_id', name=op.f('uq_circulation_recipients_document_id_user_id'))
    )
    with op.batch_alter_table('circulation_recipients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_circulation_recipients_document_id'), ['document_id'], unique=False)
        batch_op.create_index('ix_circulation_recipients_user', ['user_id', 'acknowledged_at'], unique=False)

    _set_log_actions(NEW_ACTIONS, old_length=8)


def downgrade():
    # Rows of the new actions cannot stay under the old constraint; the log is append-only, so
    # a database that has cancelled or circulated a memo cannot be downgraded past this revision.
    _set_log_actions(OLD_ACTIONS, old_length=9)
    op.drop_table('circulation_recipients')
    op.drop_table('revocations')
