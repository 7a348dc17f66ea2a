"""cancelling and superseding approved memos, circulation with acknowledgement (issue 20)

Revision ID: i20b00000001
Revises: i20a00000001
Create Date: 2026-12-05 21:40:00

A revocation ties a later memo to the approved memo it cancels or supersedes once approved;
circulation_recipients records who an approved memo was sent round to and when each
acknowledged it; the decision log gains the actions cancel, supersede and circulate.

"""
from alembic import op
import sqlalchemy as sa


OLD_ACTIONS = (
    'submit', 'resubmit', 'forward', 'approve', 'return', 'reject', 'withdraw', 'reopen',
    'renumber', 'freeze', 'publish', 'retract', 'close',
)
NEW_ACTIONS = (*OLD_ACTIONS, 'cancel', 'supersede', 'circulate')

# revision identifiers, used by Alembic.
revision = 'i20b00000001'
down_revision = 'i20a00000001'
branch_labels = None
depends_on = None


def _listed(actions: tuple[str, ...]) -> str:
    return f"action IN ({', '.join(repr(a) for a in actions)})"


def _set_log_actions(old: tuple[str, ...], new: tuple[str, ...]) -> None:
    """Widen (or narrow) the log's action list and its column's length. PostgreSQL alters both.
    SQLite cannot alter a constraint, and rebuilding decision_log (the parent of decision_seals
    and others) fails while foreign keys are enforced, so the table's schema text is edited, the
    procedure SQLite documents (sqlite.org/lang_altertable.html, section 7), as in i18b00000001;
    the append-only triggers stay in place."""
    old_length, new_length = max(map(len, old)), max(map(len, new))
    bind = op.get_bind()
    if bind.dialect.name != 'sqlite':
        op.drop_constraint(op.f('ck_decision_log_log_action'), 'decision_log', type_='check')
        op.alter_column('decision_log', 'action', existing_type=sa.String(old_length),
                        type_=sa.String(new_length), existing_nullable=False)
        op.create_check_constraint(op.f('ck_decision_log_log_action'), 'decision_log', _listed(new))
        return
    sql = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'decision_log'"
    ).scalar_one()
    edits = [
        (f"CHECK ({_listed(old)})", f"CHECK ({_listed(new)})"),
        (f"action VARCHAR({old_length}) NOT NULL", f"action VARCHAR({new_length}) NOT NULL"),
    ]
    for before, after in edits:
        if sql.count(before) != 1:
            raise RuntimeError(f"decision_log: expected exactly one {before!r} in its schema")
        sql = sql.replace(before, after)
    version = bind.exec_driver_sql('PRAGMA schema_version').scalar_one()
    bind.exec_driver_sql('PRAGMA writable_schema = ON')
    bind.exec_driver_sql(
        "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'decision_log'", (sql,)
    )
    bind.exec_driver_sql(f'PRAGMA schema_version = {int(version) + 1}')
    bind.exec_driver_sql('PRAGMA writable_schema = OFF')


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

    _set_log_actions(OLD_ACTIONS, NEW_ACTIONS)


def downgrade():
    # Rows of the new actions cannot stay under the old constraint; the log is append-only, so
    # a database that has cancelled or circulated a memo cannot be downgraded past this revision.
    _set_log_actions(NEW_ACTIONS, OLD_ACTIONS)
    op.drop_table('circulation_recipients')
    op.drop_table('revocations')
