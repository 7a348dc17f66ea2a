"""The organisation's e-seal certificate, set by its admin: upload a PKCS#12 file and its
password (the key is kept encrypted, the password not at all), see what is installed, remove it.
Approved PDFs are sealed by the freezer with whatever is installed when it renders them."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from extensions import db
from models import Document, FrozenPdf, OrgSeal, User
from pdf.seal import keys
from workflow.admin.common import own_organisation
from workflow.errors import ValidationFailed


@dataclass
class SealStatus:
    installed: bool
    subject: str = ""
    issuer: str = ""
    fingerprint: str = ""
    not_after: datetime | None = None
    updated_at: datetime | None = None
    demo: bool = False
    # Approved PDFs frozen unsealed since this certificate was installed: the freezer seals with
    # an installed certificate unless its CA says it is revoked (pdf/seal/sign.py).
    unsealed: int = 0
    unsealed_since: datetime | None = None


def seal_status(actor: User) -> SealStatus:
    own_organisation(actor)
    row = db.session.get(OrgSeal, actor.org_id)
    if row is None:
        return SealStatus(installed=False)
    unsealed, since = _unsealed_since(actor.org_id, row.updated_at)
    return SealStatus(
        installed=True,
        subject=row.subject,
        issuer=row.issuer,
        fingerprint=row.fingerprint,
        not_after=row.not_after,
        updated_at=row.updated_at,
        demo=row.demo,
        unsealed=unsealed,
        unsealed_since=since,
    )


def _unsealed_since(org_id: int, installed_at: datetime) -> tuple[int, datetime | None]:
    """How many of the organisation's approved PDFs were frozen without a seal since
    `installed_at`, and the first one's time. An unsealed PDF's `seal` is JSON null."""
    stmt = (
        sa.select(sa.func.count(), sa.func.min(FrozenPdf.created_at))
        .join(Document, Document.id == FrozenPdf.document_id)
        .where(
            Document.org_id == org_id,
            FrozenPdf.created_at >= installed_at,
            sa.or_(FrozenPdf.seal.is_(None), sa.cast(FrozenPdf.seal, sa.Text) == "null"),
        )
    )
    count, first = db.session.execute(stmt).one()
    return count, first


def install_seal(actor: User, data: bytes, password: str) -> OrgSeal:
    """Open the PKCS#12 file with its password and keep the seal (replacing any before it)."""
    own_organisation(actor, lock=True)
    try:
        seal = keys.load_pkcs12(data, password or "")
        return keys.store(actor.org_id, seal, actor)
    except keys.BadCertificate as error:
        raise ValidationFailed(str(error), field=error.field) from error
    except keys.NotConfigured as error:
        raise ValidationFailed(str(error), field="file") from error


def remove_seal(actor: User) -> None:
    own_organisation(actor, lock=True)
    row = db.session.get(OrgSeal, actor.org_id)
    if row is not None:
        db.session.delete(row)
        db.session.flush()
