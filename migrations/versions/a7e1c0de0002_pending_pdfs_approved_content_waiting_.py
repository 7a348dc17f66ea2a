"""pending pdfs: approved content waiting to be rendered

Revision ID: a7e1c0de0002
Revises: a7e1c0de0001
Create Date: 2026-11-21 06:05:32.759125

An approved memo's printed content, fixed at the approval, until its PDF is rendered
(pdf/freeze.py).

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7e1c0de0002'
down_revision = 'a7e1c0de0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pending_pdfs',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('verify_code', sa.String(length=16), nullable=False),
    sa.Column('memo', sa.JSON(), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('retry_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_pending_pdfs_approved_by_id_users')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_pending_pdfs_document_id_documents')),
    sa.PrimaryKeyConstraint('document_id', name=op.f('pk_pending_pdfs')),
    sa.UniqueConstraint('verify_code', name=op.f('uq_pending_pdfs_verify_code'))
    )


def downgrade():
    op.drop_table('pending_pdfs')
