"""The approved memo's PDF, rendered once after the final approval and never again.

At the approval the memo's printed content is fixed as plain data (a PendingPdf); rendering it
takes 0.1–1 s of CPU, so in production a separate, lower-priority process (`flask pdf freeze
--watch`) does it a moment later, and a download that comes first renders it from the same data.
Every later download returns exactly the stored bytes; the SHA-256 here is also written to the
decision log, and the short verification code printed in the PDF's footer leads to a public page
where anyone holding a copy can check it.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

import clock
from extensions import db
from models.audit import AppendOnlyViolation
from models.types import UTCDateTime


class FrozenPdf(db.Model):
    __tablename__ = "frozen_pdfs"
    __table_args__ = (
        sa.CheckConstraint("length(sha256) = 64", name="sha256_hex"),
        sa.CheckConstraint("size > 0", name="size_positive"),
    )

    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id"), primary_key=True)
    storage_key: Mapped[str] = mapped_column(sa.String(100), unique=True)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int]
    verify_code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # What the PDF printed that a paper check compares (pdf/verify.py): organisation,
    # number, date, subject and signatures as at approval, so a later rename or renumbering
    # shows as later, not as a mismatch. None for PDFs frozen before it was kept.
    printed: Mapped[dict | None] = mapped_column(sa.JSON)
    # The organisation's e-seal on the stored bytes (pdf/seal): who sealed, the
    # certificate's SHA-256, the PAdES level reached and the timestamp's time; None: unsealed.
    seal: Mapped[dict | None] = mapped_column(sa.JSON)


class PendingPdf(db.Model):
    """An approved memo whose PDF is not rendered yet: what it will print, fixed at approval."""

    __tablename__ = "pending_pdfs"

    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id"), primary_key=True)
    verify_code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    memo: Mapped[dict] = mapped_column(sa.JSON)  # pdf.data.memo_data(), as approved
    approved_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    attempts: Mapped[int] = mapped_column(default=0)  # renders that failed
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # after a failed render


class OrgSeal(db.Model):
    """The organisation's e-seal certificate: the certificate chain in clear (it is public), the
    private key encrypted with SEAL_SECRET_KEY (pdf/seal/keys.py). The PKCS#12 password
    is used once, at upload, and never stored."""

    __tablename__ = "org_seals"

    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), primary_key=True)
    certificates_pem: Mapped[str] = mapped_column(sa.Text)  # the seal's certificate first
    key_encrypted: Mapped[str] = mapped_column(sa.Text)  # Fernet token of the PKCS#8 key
    subject: Mapped[str] = mapped_column(sa.String(300))  # as the certificate names the holder
    issuer: Mapped[str] = mapped_column(sa.String(300))
    fingerprint: Mapped[str] = mapped_column(sa.String(64))  # SHA-256 of the certificate
    not_after: Mapped[datetime] = mapped_column(UTCDateTime)
    demo: Mapped[bool] = mapped_column(default=False)  # the demo's throwaway certificate
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))


@event.listens_for(Session, "before_flush")
def _refuse_frozen_edits(session: Session, flush_context, instances) -> None:
    for obj in session.deleted:
        if isinstance(obj, FrozenPdf):
            raise AppendOnlyViolation("a frozen PDF cannot be deleted")
    for obj in session.dirty:
        if isinstance(obj, FrozenPdf) and session.is_modified(obj):
            raise AppendOnlyViolation("a frozen PDF cannot be changed")
