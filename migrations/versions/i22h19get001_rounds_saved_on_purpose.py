"""report rounds saved on purpose: who checked them; round reminders keyed by organisation

Revision ID: i22h19get001
Revises: i22u00000001
Create Date: 2026-12-06 01:00:00

Pages no longer save the default rounds when they are first opened (issue 19): a round without
a row has the default dates. report_rounds.checked_at/checked_by_id record the admin who saved
or confirmed a round's dates, which the set-up checklist asks for; rows saved before this
revision are left unchecked, since a page visit saved most of them.

A round reminder's item_id was the round's row id, which an unsaved round does not have: it is
now the organisation's id (the round itself is in round_key, "2569-half").

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i22h19get001'
down_revision = 'i22u00000001'
branch_labels = None
depends_on = None


CHECKER = '(checked_at IS NULL) = (checked_by_id IS NULL)'


def upgrade():
    if op.get_bind().dialect.name == 'sqlite':
        # Not batch mode: rebuilding report_rounds would drop a table that report_snapshots
        # points at, which SQLite refuses with foreign keys on. ADD COLUMN may carry both.
        op.execute('ALTER TABLE report_rounds ADD COLUMN checked_at DATETIME')
        op.execute(
            'ALTER TABLE report_rounds ADD COLUMN checked_by_id INTEGER'
            ' CONSTRAINT fk_report_rounds_checked_by_id_users REFERENCES users (id)'
            f' CONSTRAINT ck_report_rounds_checked_with_checker CHECK ({CHECKER})'
        )
    else:
        op.add_column(
            'report_rounds', sa.Column('checked_at', sa.DateTime(timezone=True), nullable=True)
        )
        op.add_column('report_rounds', sa.Column('checked_by_id', sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f('fk_report_rounds_checked_by_id_users'),
            'report_rounds', 'users', ['checked_by_id'], ['id'],
        )
        op.create_check_constraint(
            op.f('ck_report_rounds_checked_with_checker'), 'report_rounds', CHECKER
        )
    op.execute(
        "UPDATE reminders SET item_id = (SELECT r.org_id FROM report_rounds r"
        " WHERE r.id = reminders.item_id) WHERE item_type = 'round'"
    )


def downgrade():
    op.execute(
        "DELETE FROM reminders WHERE item_type = 'round' AND NOT EXISTS (SELECT 1"
        " FROM report_rounds r WHERE r.org_id = reminders.item_id"
        " AND r.fiscal_year || '-' || r.kind = reminders.round_key)"
    )
    op.execute(
        "UPDATE reminders SET item_id = (SELECT r.id FROM report_rounds r"
        " WHERE r.org_id = reminders.item_id AND r.fiscal_year || '-' || r.kind"
        " = reminders.round_key) WHERE item_type = 'round'"
    )
    if op.get_bind().dialect.name == 'sqlite':
        # A column with constraints cannot be dropped in place: the table is rebuilt, which
        # SQLite allows only while no report points at a round (or with foreign keys off).
        with op.batch_alter_table('report_rounds', schema=None, recreate='always') as batch_op:
            batch_op.drop_constraint(op.f('ck_report_rounds_checked_with_checker'), type_='check')
            batch_op.drop_column('checked_by_id')
            batch_op.drop_column('checked_at')
        return
    op.drop_constraint(
        op.f('ck_report_rounds_checked_with_checker'), 'report_rounds', type_='check'
    )
    op.drop_constraint(
        op.f('fk_report_rounds_checked_by_id_users'), 'report_rounds', type_='foreignkey'
    )
    op.drop_column('report_rounds', 'checked_by_id')
    op.drop_column('report_rounds', 'checked_at')
