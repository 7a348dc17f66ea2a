"""oit board, evidence, publications, organisation slug, publish actions

Revision ID: i16a00000001
Revises: i15a00000001
Create Date: 2026-12-04 23:32:02.403425

The OIT board (items with owners and due dates, evidence URLs checked by the link checker), the
public publication of approved memos at /p/<slug>/<year>/<item>, each organisation's slug (the
existing ones get "org-<id>"), and the decision log's two new actions, publish and retract.

"""
from alembic import op
import sqlalchemy as sa


OLD_ACTIONS = (
    'submit', 'resubmit', 'forward', 'approve', 'return', 'reject', 'withdraw', 'reopen',
    'renumber', 'freeze',
)
NEW_ACTIONS = (*OLD_ACTIONS, 'publish', 'retract')
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


def _set_log_actions(actions: tuple[str, ...]) -> None:
    listed = ", ".join(f"'{a}'" for a in actions)
    with op.batch_alter_table('decision_log', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_decision_log_log_action'), type_='check')
        batch_op.create_check_constraint(op.f('ck_decision_log_log_action'), f"action IN ({listed})")
    if op.get_bind().dialect.name == "sqlite":
        for statement in DECISION_LOG_APPEND_ONLY_SQLITE:
            op.execute(statement)


# revision identifiers, used by Alembic.
revision = 'i16a00000001'
down_revision = 'i15a00000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('oit_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('owner_unit_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('checked_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(checked_at IS NULL) = (checked_by_id IS NULL)', name=op.f('ck_oit_items_checked_with_checker')),
    sa.ForeignKeyConstraint(['checked_by_id'], ['users.id'], name=op.f('fk_oit_items_checked_by_id_users')),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_oit_items_org_id_organisations')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_oit_items_owner_id_users')),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['units.id'], name=op.f('fk_oit_items_owner_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oit_items')),
    sa.UniqueConstraint('org_id', 'fiscal_year', 'code', name=op.f('uq_oit_items_org_id_fiscal_year_code'))
    )
    with op.batch_alter_table('oit_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oit_items_org_id'), ['org_id'], unique=False)

    op.create_table('oit_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_checked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_status', sa.Integer(), nullable=True),
    sa.Column('last_ok_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=300), nullable=True),
    sa.Column('broken_since', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_oit_evidence_added_by_id_users')),
    sa.ForeignKeyConstraint(['item_id'], ['oit_items.id'], name=op.f('fk_oit_evidence_item_id_oit_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_oit_evidence_org_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oit_evidence')),
    sa.UniqueConstraint('item_id', 'url', name=op.f('uq_oit_evidence_item_id_url'))
    )
    with op.batch_alter_table('oit_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oit_evidence_org_id'), ['org_id'], unique=False)

    op.create_table('publications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=False),
    sa.Column('retracted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('retracted_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(retracted_at IS NULL) = (retracted_by_id IS NULL)', name=op.f('ck_publications_retracted_with_who')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_publications_document_id_documents')),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_publications_org_id_organisations')),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_publications_published_by_id_users')),
    sa.ForeignKeyConstraint(['retracted_by_id'], ['users.id'], name=op.f('fk_publications_retracted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publications'))
    )
    with op.batch_alter_table('publications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_publications_document_id'), ['document_id'], unique=False)
        batch_op.create_index('ix_publications_place', ['org_id', 'fiscal_year', 'code'], unique=False)

    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('slug', sa.String(length=60), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_organisations_slug'), ['slug'])
    op.execute("UPDATE organisations SET slug = 'org-' || CAST(id AS VARCHAR(20))")
    _set_log_actions(NEW_ACTIONS)


def downgrade():
    # Rows of the new actions cannot stay under the old constraint; the log is append-only, so
    # a database that has published a memo cannot be downgraded past this revision.
    _set_log_actions(OLD_ACTIONS)
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_organisations_slug'), type_='unique')
        batch_op.drop_column('slug')

    with op.batch_alter_table('publications', schema=None) as batch_op:
        batch_op.drop_index('ix_publications_place')
        batch_op.drop_index(batch_op.f('ix_publications_document_id'))

    op.drop_table('publications')
    with op.batch_alter_table('oit_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oit_evidence_org_id'))

    op.drop_table('oit_evidence')
    with op.batch_alter_table('oit_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oit_items_org_id'))

    op.drop_table('oit_items')
