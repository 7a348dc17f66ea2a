"""The organisation's seal certificate and private key.

The admin uploads a PKCS#12 (.p12/.pfx) file and its password. The password opens the file once,
here; what is kept is the certificate chain (public) and the private key as PKCS#8, encrypted
with Fernet under SEAL_SECRET_KEY, an environment variable kept out of the database and its
backups (the same scheme as the LINE tokens under NOTIFY_SECRET_KEY, with a key of its own: a
leaked seal key lets anyone forge the organisation's approved documents, a leaked LINE token
only sends messages, so the two are rotated and guarded apart).
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from flask import current_app

import clock
from extensions import db
from models import OrgSeal, User

MAX_PKCS12_BYTES = 64 * 1024  # a certificate chain and a key: a few KB
# cryptography refuses a CN or O longer than 64 (the X.520 upper bound); a Thai character takes
# three bytes in UTF-8, so "องค์การบริหารส่วนตำบล…" does not fit: the demo uses the short form.
NAME_LIMIT = 64


class NotConfigured(Exception):
    """SEAL_SECRET_KEY is missing or is not the key the stored seal was encrypted with."""


class BadCertificate(ValueError):
    """The uploaded file is not a usable seal certificate; `field` says which field to blame."""

    def __init__(self, message: str, field: str = "file"):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class SealKey:
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
    chain: list[x509.Certificate]  # the seal's certificate first, then its issuers

    @property
    def certificate(self) -> x509.Certificate:
        return self.chain[0]


def _fernet() -> Fernet:
    key = current_app.config.get("SEAL_SECRET_KEY") or ""
    try:
        return Fernet(key.encode())
    except (ValueError, TypeError) as error:
        raise NotConfigured("ยังไม่ได้ตั้งค่า SEAL_SECRET_KEY ของระบบ (ผู้ดูแลเซิร์ฟเวอร์)") from error


def load_pkcs12(data: bytes, password: str) -> SealKey:
    """Open the uploaded file; a wrong password or a file that is not PKCS#12 is a BadCertificate."""
    if not data:
        raise BadCertificate("กรุณาเลือกไฟล์ใบรับรอง (.p12 หรือ .pfx)")
    if len(data) > MAX_PKCS12_BYTES:
        raise BadCertificate("ไฟล์ใหญ่เกินกว่าไฟล์ใบรับรอง (ไม่เกิน 64 KB) กรุณาตรวจว่าเลือกไฟล์ถูก")
    if not data.startswith(b"\x30"):  # DER SEQUENCE: anything else is not PKCS#12
        raise BadCertificate("ไฟล์นี้ไม่ใช่ไฟล์ใบรับรองแบบ PKCS#12 (.p12 หรือ .pfx)")
    try:
        key, cert, others = pkcs12.load_key_and_certificates(data, password.encode() or None)
    except ValueError as error:
        raise BadCertificate(
            "เปิดไฟล์ใบรับรองไม่ได้: รหัสผ่านไม่ถูกต้อง หรือไฟล์ไม่ใช่ PKCS#12"
            " กรุณาเลือกไฟล์อีกครั้งแล้วกรอกรหัสผ่านที่ได้มาพร้อมไฟล์",
            field="password",
        ) from error
    if key is None or cert is None:
        raise BadCertificate("ไฟล์นี้ไม่มีกุญแจส่วนตัวหรือใบรับรองของตรา (ต้องส่งออกพร้อมกุญแจส่วนตัว)")
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise BadCertificate("รองรับเฉพาะกุญแจแบบ RSA หรือ ECDSA")
    if key.public_key().public_numbers() != cert.public_key().public_numbers():
        raise BadCertificate("กุญแจส่วนตัวในไฟล์ไม่ตรงกับใบรับรอง")
    if cert.not_valid_after_utc <= clock.now():
        raise BadCertificate("ใบรับรองนี้หมดอายุแล้ว กรุณาใช้ใบรับรองที่ยังไม่หมดอายุ")
    return SealKey(key, [cert, *others])


def store(org_id: int, seal: SealKey, actor: User | None, demo: bool = False) -> OrgSeal:
    """Keep the organisation's seal: the chain in clear, the key encrypted (replaces any)."""
    key_der = seal.key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    row = db.session.get(OrgSeal, org_id) or OrgSeal(org_id=org_id)
    row.key_encrypted = _fernet().encrypt(key_der).decode()
    row.certificates_pem = "".join(
        c.public_bytes(serialization.Encoding.PEM).decode() for c in seal.chain
    )
    row.subject = display_name(seal.certificate.subject)[:300]
    row.issuer = display_name(seal.certificate.issuer)[:300]
    row.fingerprint = fingerprint(seal.certificate)
    row.not_after = seal.certificate.not_valid_after_utc
    row.demo = demo
    row.updated_at = clock.now()
    row.updated_by_id = actor.id if actor else None
    db.session.add(row)
    db.session.flush()
    return row


def seal_key(row: OrgSeal) -> SealKey:
    """The stored seal, its key decrypted (only the freezer needs it)."""
    try:
        key_der = _fernet().decrypt(row.key_encrypted.encode())
    except InvalidToken as error:
        raise NotConfigured("ถอดรหัสกุญแจของตราไม่ได้: SEAL_SECRET_KEY ถูกเปลี่ยน") from error
    # Checked when uploaded, and Fernet's MAC proves these are the bytes stored then, so the
    # RSA consistency check (~35 ms of CPU) is not run again on every seal.
    key = serialization.load_der_private_key(
        key_der, password=None, unsafe_skip_rsa_key_validation=True
    )
    return SealKey(key, certificates(row))


def certificates(row: OrgSeal) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(row.certificates_pem.encode())


def fingerprint(cert: x509.Certificate) -> str:
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def display_name(name: x509.Name) -> str:
    """The holder as a person reads it: the common name, and the organisation when different."""
    parts = []
    for oid in (NameOID.COMMON_NAME, NameOID.ORGANIZATION_NAME):
        for attribute in name.get_attributes_for_oid(oid):
            if attribute.value not in parts:
                parts.append(str(attribute.value))
    return " · ".join(parts) or name.rfc4514_string()


# -- the demo's throwaway certificate ---------------------------------------------------------

DEMO_MARK = "DEMO ONLY - not a real seal"


def demo_seal(short_name: str, years: int = 3) -> SealKey:
    """A self-issued CA and a seal certificate for the demo organisation, marked as demo in
    both names. `short_name` is the organisation's short form (e.g. "อบต.ศรีสุข"): the full
    Thai name does not fit X.520's 64-character bound as cryptography counts it (UTF-8 bytes)."""
    now = datetime.now(UTC) - timedelta(minutes=5)
    # ECDSA P-256: made in a millisecond (the demo is rebuilt often, in every test of it) and
    # read by pyHanko, poppler and Acrobat alike; a real seal certificate may be RSA or ECDSA.
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("CA ทดลอง ita-workflow", DEMO_MARK)
    ca = _certificate(ca_name, ca_name, ca_key.public_key(), ca_key, now, years, ca=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(f"{short_name} (ตราทดลอง)", DEMO_MARK)
    cert = _certificate(name, ca_name, key.public_key(), ca_key, now, years, ca=False)
    return SealKey(key, [cert, ca])


def _name(common: str, organisation: str) -> x509.Name:
    for value in (common, organisation):
        if len(value.encode()) > NAME_LIMIT:
            raise ValueError(f"{value!r} is longer than {NAME_LIMIT} bytes: use a short form")
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "TH"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _certificate(subject, issuer, public_key, signing_key, start, years, ca: bool):
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    if ca:
        usage = dict(key_cert_sign=True, crl_sign=True, digital_signature=False)
    else:
        usage = dict(key_cert_sign=False, crl_sign=False, digital_signature=True)
    builder = builder.add_extension(
        x509.KeyUsage(
            content_commitment=not ca,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            encipher_only=False,
            decipher_only=False,
            **usage,
        ),
        critical=True,
    )
    return builder.sign(signing_key, hashes.SHA256())
