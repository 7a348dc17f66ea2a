"""closed memos: the state 'closed' and the log action 'close'

Revision ID: i18b00000001
Revises: i17a00000001
Create Date: 2026-12-05 21:40:00

A drafter may end a returned memo they will not send again (ยุติเรื่อง); the memo keeps its
number and its log, and the log row of the closing carries the reason.

Only two CHECK constraints widen. PostgreSQL replaces them. SQLite cannot alter a constraint,
and rebuilding `documents` or `decision_log` (parents of many rows) fails while foreign keys
are enforced; so the constraint text is edited in the schema, the procedure SQLite documents
for loosening a CHECK (sqlite.org/lang_altertable.html, section 7). Every row that satisfied
the old list satisfies the wider one, and the log's append-only triggers stay in place.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i18b00000001'
down_revision = 'i17a00000001'
branch_labels = None
depends_on = None

OLD_STATES = ('draft', 'in_review', 'returned', 'approved', 'rejected', 'withdrawn')
NEW_STATES = (*OLD_STATES, 'closed')
OLD_ACTIONS = (
    'submit', 'resubmit', 'forward', 'approve', 'return', 'reject', 'withdraw', 'reopen',
    'renumber', 'freeze', 'publish', 'retract',
)
NEW_ACTIONS = (*OLD_ACTIONS, 'close')
# table, constraint, column
STATE_CHECK = ('documents', 'ck_documents_doc_state', 'state')
ACTION_CHECK = ('decision_log', 'ck_decision_log_log_action', 'action')


def _listed(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _set_check(check: tuple[str, str, str], old: tuple, new: tuple) -> None:
    table, name, column = check
    bind = op.get_bind()
    if bind.dialect.name != 'sqlite':
        # op.f: the name is final (the naming convention would prefix it a second time)
        op.drop_constraint(op.f(name), table, type_='check')
        op.create_check_constraint(op.f(name), table, _listed(column, new))
        return
    before, after = f"CHECK ({_listed(column, old)})", f"CHECK ({_listed(column, new)})"
    sql = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).scalar_one()
    if sql.count(before) != 1:
        raise RuntimeError(f"{table}: expected exactly one {before!r} in its schema")
    version = bind.exec_driver_sql('PRAGMA schema_version').scalar_one()
    bind.exec_driver_sql('PRAGMA writable_schema = ON')
    bind.exec_driver_sql(
        "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
        (sql.replace(before, after), table),
    )
    bind.exec_driver_sql(f'PRAGMA schema_version = {int(version) + 1}')
    bind.exec_driver_sql('PRAGMA writable_schema = OFF')


def _refuse_if_used(check: tuple[str, str, str], value: str) -> None:
    table, _, column = check
    used = op.get_bind().execute(
        sa.text(f"SELECT 1 FROM {table} WHERE {column} = :value LIMIT 1"), {"value": value}
    ).first()
    if used:
        raise RuntimeError(
            f"{table} has rows with {column} = {value!r} (closed memos); the append-only log"
            " keeps them, so this database cannot be downgraded past i18b00000001"
        )


def upgrade():
    _set_check(STATE_CHECK, OLD_STATES, NEW_STATES)
    _set_check(ACTION_CHECK, OLD_ACTIONS, NEW_ACTIONS)


def downgrade():
    _refuse_if_used(STATE_CHECK, 'closed')
    _refuse_if_used(ACTION_CHECK, 'close')
    _set_check(ACTION_CHECK, NEW_ACTIONS, OLD_ACTIONS)
    _set_check(STATE_CHECK, NEW_STATES, OLD_STATES)
