"""Reading the seal of a PDF: the one check behind the /v page and `flask pdf verify`.

pyHanko validates the signature's cryptography and how much of the file it covers; whether the
certificate is the organisation's is a comparison of its SHA-256 with the one recorded when the
PDF was sealed (an offline check needs no trust list). A copy saved again by appending (an
e-saraban receipt stamp, a form filled in) keeps the sealed revision as its first bytes, so
`sealed_sha256` of such a copy equals the approved file's hash.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from cryptography import x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore, NoDSSFoundError
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from pdf.seal.keys import display_name, fingerprint
from pdf.seal.sign import FIELD_NAME

log = logging.getLogger(__name__)

# What each PAdES level adds, as the /v page and `flask pdf verify` say it.
LEVELS = {
    "B-B": "",
    "B-T": "พร้อมตราประทับเวลาจากผู้ให้บริการประทับเวลา",
    "B-LT": "พร้อมตราประทับเวลาและข้อมูลสถานะใบรับรอง (CRL/OCSP) ในไฟล์ ตรวจสอบได้ในระยะยาว",
}
STATUS_ONLY = "พร้อมข้อมูลสถานะใบรับรอง (CRL/OCSP) ในไฟล์"  # B-B with the status embedded


def describe(level: str, status_embedded: bool = False) -> str:
    """The level as a reader sees it: "PAdES B-T พร้อม…"."""
    more = STATUS_ONLY if level == "B-B" and status_embedded else LEVELS.get(level, "")
    return f"PAdES {level} {more}".strip()


@dataclass(frozen=True)
class SealReport:
    """What a PDF's seal says. `signed` False: no readable seal at all."""

    signed: bool
    intact: bool = False  # the sealed bytes are unchanged and the signature matches them
    whole_file: bool = False  # nothing was added after sealing
    signer: str = ""
    fingerprint: str = ""  # SHA-256 of the signer's certificate
    signed_at: datetime | None = None  # as the sealer's clock said
    timestamp_at: datetime | None = None  # from the TSA's token, when there is one
    timestamp_intact: bool = False
    sealed_sha256: str = ""  # SHA-256 of the bytes up to the end of the sealed revision
    level: str = ""  # PAdES: B-B, B-T (timestamped), B-LT (and the certificate status embedded)
    status_embedded: bool = False  # the file holds CRLs or OCSP responses (its DSS)

    @property
    def level_text(self) -> str:
        return describe(self.level, self.status_embedded) if self.level else ""

    problem: str = ""  # why the file could not be read as sealed, for the log


def inspect(data: bytes) -> SealReport:
    """The seal of `data` (the field the freezer writes, else the first signature)."""
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        found = reader.embedded_signatures
    except Exception as error:  # anyone's upload: a file pyHanko cannot read is "no seal"
        return SealReport(signed=False, problem=f"{type(error).__name__}: {error}")
    if not found:
        return SealReport(signed=False, problem="no signature")
    sig = next((s for s in found if s.field_name == FIELD_NAME), found[0])
    try:
        status = validate_pdf_signature(
            sig,
            signer_validation_context=ValidationContext(trust_roots=[], allow_fetching=False),
            ts_validation_context=ValidationContext(trust_roots=[], allow_fetching=False),
        )
    except Exception as error:  # a damaged signature: reported, never a failure of the page
        log.info("signature could not be validated: %s", error)
        return SealReport(signed=True, problem=f"{type(error).__name__}: {error}")
    return _report(data, sig, status)


def _report(data: bytes, sig, status) -> SealReport:
    cert = x509.load_der_x509_certificate(status.signing_cert.dump())
    _, _, start2, len2 = (int(x) for x in sig.byte_range)
    end = start2 + len2
    timestamp = status.timestamp_validity
    embedded = _status_embedded(sig.reader)
    return SealReport(
        signed=True,
        intact=bool(status.intact and status.valid),
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signer=display_name(cert.subject),
        fingerprint=fingerprint(cert),
        signed_at=status.signer_reported_dt,
        timestamp_at=timestamp.timestamp if timestamp else None,
        timestamp_intact=bool(timestamp and timestamp.intact and timestamp.valid),
        sealed_sha256=hashlib.sha256(data[:end]).hexdigest(),
        level=("B-LT" if embedded else "B-T") if timestamp else "B-B",
        status_embedded=embedded,
    )


def _status_embedded(reader) -> bool:
    """Whether the file's document security store holds any CRL or OCSP response."""
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        return False
    return bool(dss.crls or dss.ocsps)
