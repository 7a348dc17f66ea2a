"""the organisation's e-seal on approved PDFs (issue 20)

Revision ID: i20a00000001
Revises: i18b00000001
Create Date: 2026-12-05 21:40:00

org_seals holds each organisation's seal certificate and its private key, encrypted with
SEAL_SECRET_KEY; frozen_pdfs.seal records who sealed a stored PDF and at which PAdES level.

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "i20a00000001"
down_revision = "i18b00000001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "org_seals",
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("certificates_pem", sa.Text(), nullable=False),
        sa.Column("key_encrypted", sa.Text(), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("issuer", sa.String(length=300), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("not_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_org_seals_org_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_org_seals_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("org_id", name=op.f("pk_org_seals")),
    )
    # Plain ADD COLUMN (no table rebuild), like i17's `printed`.
    op.add_column("frozen_pdfs", sa.Column("seal", sa.JSON(), nullable=True))


def downgrade():
    op.drop_column("frozen_pdfs", "seal")  # plain DROP COLUMN: the table's triggers stay
    op.drop_table("org_seals")
