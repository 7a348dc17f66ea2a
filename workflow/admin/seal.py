"""The organisation's e-seal certificate, set by its admin: upload a PKCS#12 file and its
password (the key is kept encrypted, the password not at all), see what is installed, remove it.
Approved PDFs are sealed by the freezer with whatever is installed when it renders them."""

from dataclasses import dataclass
from datetime import datetime

from extensions import db
from models import OrgSeal, User
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


def seal_status(actor: User) -> SealStatus:
    own_organisation(actor)
    row = db.session.get(OrgSeal, actor.org_id)
    if row is None:
        return SealStatus(installed=False)
    return SealStatus(
        installed=True,
        subject=row.subject,
        issuer=row.issuer,
        fingerprint=row.fingerprint,
        not_after=row.not_after,
        updated_at=row.updated_at,
        demo=row.demo,
    )


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
