"""notification outbox, preferences, digests and LINE

Revision ID: i15a00000001
Revises: i14a00000001
Create Date: 2026-12-04 23:27:56.661699

When a memo moves, who hears of it on which channel: the events and their deliveries (the
outbox, written with the decision), each person's choice per channel, the daily digests
claimed once a day, and each organisation's LINE channel (token encrypted), linked accounts
and monthly meter.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i15a00000001'
down_revision = 'i14a00000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('line_channels',
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('token_encrypted', sa.Text(), nullable=False),
    sa.Column('secret_encrypted', sa.Text(), nullable=False),
    sa.Column('monthly_quota', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_line_channels_org_id_organisations')),
    sa.PrimaryKeyConstraint('org_id', name=op.f('pk_line_channels'))
    )
    op.create_table('line_meters',
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('pushed', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_line_meters_org_id_organisations')),
    sa.PrimaryKeyConstraint('org_id', 'month', name=op.f('pk_line_meters'))
    )
    op.create_table('line_links',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('line_user_id', sa.String(length=64), nullable=True),
    sa.Column('code', sa.String(length=12), nullable=True),
    sa.Column('code_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_line_links_org_id_organisations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_line_links_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_line_links')),
    sa.UniqueConstraint('code', name=op.f('uq_line_links_code'))
    )
    with op.batch_alter_table('line_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_line_links_org_id'), ['org_id'], unique=False)

    op.create_table('notify_digests',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notify_digests_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', 'day', name=op.f('pk_notify_digests'))
    )
    op.create_table('notify_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('mode', sa.String(length=10), nullable=False),
    sa.CheckConstraint("channel IN ('app', 'email', 'line')", name=op.f('ck_notify_preferences_known_channel')),
    sa.CheckConstraint("mode IN ('instant', 'digest', 'off')", name=op.f('ck_notify_preferences_known_mode')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notify_preferences_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', 'channel', name=op.f('pk_notify_preferences'))
    )
    op.create_table('notify_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('actor_name', sa.String(length=300), nullable=False),
    sa.Column('number', sa.String(length=100), nullable=False),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('decision', sa.String(length=300), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('step_title', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_notify_events_document_id_documents')),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_notify_events_org_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notify_events'))
    )
    with op.batch_alter_table('notify_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notify_events_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notify_events_org_id'), ['org_id'], unique=False)

    op.create_table('notify_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('retry_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claim_token', sa.String(length=40), nullable=True),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(status = 'sent') = (sent_at IS NOT NULL)", name=op.f('ck_notify_deliveries_sent_iff_sent_at')),
    sa.CheckConstraint("channel IN ('email', 'line')", name=op.f('ck_notify_deliveries_known_channel')),
    sa.CheckConstraint("status IN ('pending', 'digest', 'sent', 'failed', 'fallback')", name=op.f('ck_notify_deliveries_known_status')),
    sa.ForeignKeyConstraint(['event_id'], ['notify_events.id'], name=op.f('fk_notify_deliveries_event_id_notify_events')),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_notify_deliveries_org_id_organisations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notify_deliveries_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notify_deliveries')),
    sa.UniqueConstraint('event_id', 'user_id', 'channel', name=op.f('uq_notify_deliveries_event_id_user_id_channel'))
    )
    with op.batch_alter_table('notify_deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_notify_deliveries_due', ['status', 'retry_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notify_deliveries_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('notify_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notify_deliveries_user_id'))
        batch_op.drop_index('ix_notify_deliveries_due')

    op.drop_table('notify_deliveries')
    with op.batch_alter_table('notify_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notify_events_org_id'))
        batch_op.drop_index(batch_op.f('ix_notify_events_document_id'))

    op.drop_table('notify_events')
    op.drop_table('notify_preferences')
    op.drop_table('notify_digests')
    with op.batch_alter_table('line_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_line_links_org_id'))

    op.drop_table('line_links')
    op.drop_table('line_meters')
    op.drop_table('line_channels')
