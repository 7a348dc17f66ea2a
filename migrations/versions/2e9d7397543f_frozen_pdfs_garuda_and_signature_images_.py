"""frozen PDFs, Garuda and signature images, freeze action

Revision ID: 2e9d7397543f
Revises: cfb632b3267f
Create Date: 2026-11-20 22:40:01.998589

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2e9d7397543f'
down_revision = 'cfb632b3267f'
branch_labels = None
depends_on = None


OLD_ACTIONS = ('submit', 'resubmit', 'forward', 'approve', 'return', 'reject', 'withdraw',
               'reopen', 'renumber')
NEW_ACTIONS = (*OLD_ACTIONS, 'freeze')

# A frozen PDF is never changed or removed: the database refuses it, as for the decision log.
FROZEN_APPEND_ONLY = {
    "postgresql": [
        """
        CREATE FUNCTION frozen_pdfs_append_only() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION 'frozen_pdfs is append-only';
        END;
        $$ LANGUAGE plpgsql
        """,
        """
        CREATE TRIGGER frozen_pdfs_append_only
        BEFORE UPDATE OR DELETE ON frozen_pdfs
        FOR EACH ROW EXECUTE FUNCTION frozen_pdfs_append_only()
        """,
    ],
    "sqlite": [
        """
        CREATE TRIGGER frozen_pdfs_no_update BEFORE UPDATE ON frozen_pdfs
        BEGIN SELECT RAISE(ABORT, 'frozen_pdfs is append-only'); END
        """,
        """
        CREATE TRIGGER frozen_pdfs_no_delete BEFORE DELETE ON frozen_pdfs
        BEGIN SELECT RAISE(ABORT, 'frozen_pdfs is append-only'); END
        """,
    ],
}
DROP_FROZEN_APPEND_ONLY = {
    "postgresql": [
        "DROP TRIGGER frozen_pdfs_append_only ON frozen_pdfs",
        "DROP FUNCTION frozen_pdfs_append_only()",
    ],
    "sqlite": [
        "DROP TRIGGER frozen_pdfs_no_update",
        "DROP TRIGGER frozen_pdfs_no_delete",
    ],
}
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


def _run(statements: dict) -> None:
    for statement in statements.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def _set_log_actions(actions: tuple[str, ...]) -> None:
    listed = ", ".join(f"'{a}'" for a in actions)
    with op.batch_alter_table('decision_log', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_decision_log_log_action'), type_='check')
        batch_op.create_check_constraint(op.f('ck_decision_log_log_action'), f"action IN ({listed})")
    if op.get_bind().dialect.name == "sqlite":
        for statement in DECISION_LOG_APPEND_ONLY_SQLITE:
            op.execute(statement)


def upgrade():
    op.create_table('frozen_pdfs',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=100), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('verify_code', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(sha256) = 64', name=op.f('ck_frozen_pdfs_sha256_hex')),
    sa.CheckConstraint('size > 0', name=op.f('ck_frozen_pdfs_size_positive')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_frozen_pdfs_document_id_documents')),
    sa.PrimaryKeyConstraint('document_id', name=op.f('pk_frozen_pdfs')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_frozen_pdfs_storage_key')),
    sa.UniqueConstraint('verify_code', name=op.f('uq_frozen_pdfs_verify_code'))
    )
    _run(FROZEN_APPEND_ONLY)
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('garuda_key', sa.String(length=100), nullable=True))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signature_key', sa.String(length=100), nullable=True))

    _set_log_actions(NEW_ACTIONS)


def downgrade():
    # Rows of the new action cannot stay under the old constraint; the log is append-only,
    # so a database that has frozen a PDF cannot be downgraded past this revision.
    _set_log_actions(OLD_ACTIONS)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('signature_key')

    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('garuda_key')

    _run(DROP_FROZEN_APPEND_ONLY)
    op.drop_table('frozen_pdfs')
