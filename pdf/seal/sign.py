"""Sealing a rendered PDF with the organisation's certificate (PAdES, pyHanko).

The seal is an incremental update over the rendered file, so nothing may be appended to the
result: the freezer renders the memo with its annexes first, seals it, then stores and hashes
what this returns. With SEAL_TSA_URL set the seal carries an RFC 3161 timestamp (PAdES B-T);
the TSA gets SEAL_TSA_TIMEOUT seconds, and a TSA that fails or does not answer in time costs the
timestamp (B-B, logged), never the seal. When the certificate says where its status is
published, the status is fetched and embedded too (B-LT with a timestamp; pdf/seal/revocation.py
says what a CA that does not answer costs, and why a revoked certificate seals nothing). The
seal is visible: its field carries the stamp of pdf/seal/stamp.py in the last page's bottom
margin.
"""

import asyncio
import logging
import ssl
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import datetime
from functools import cache, partial
from io import BytesIO

import aiohttp
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from flask import current_app
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata import model as meta_model
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_signer import DSSContentSettings, SigDSSPlacementPreference
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

import clock
from extensions import db
from models import Organisation, OrgSeal
from pdf.seal import keys, revocation
from pdf.seal.stamp import Stamp, box, style

FIELD_NAME = "OrgSeal"  # the signature field the check looks for first
TLS_SHUTDOWN_SECONDS = 0.25
REVOKED = (
    "NOT SEALED: the CA says the seal certificate of organisation %s (%s, SHA-256 %s) is"
    " revoked, so the PDF is frozen unsealed; the admin must upload a valid certificate. %s"
)
log = logging.getLogger(__name__)


class ClientCertTimeStamper(HTTPTimeStamper):
    """pyHanko's HTTP timestamp client, presenting a TLS client certificate (ETDA's TSA
    authenticates its subscribers that way)."""

    def __init__(self, url: str, timeout: float, client_cert: str):
        super().__init__(url, timeout=timeout)
        self.client_cert = client_cert

    @asynccontextmanager
    async def _acquire_session(self):
        context = ssl.create_default_context()
        context.load_cert_chain(self.client_cert)
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=context)) as session:
            yield session
        # aiohttp shuts TLS connections down after the session closes; the caller's event loop
        # ends right after this, so give them a moment or they are collected unclosed
        # (aiohttp's "graceful shutdown" advice).
        await asyncio.sleep(TLS_SHUTDOWN_SECONDS)


def seal_pdf(
    pdf: bytes, org_id: int, reason: str, verify_code: str = ""
) -> tuple[bytes, dict | None]:
    """The PDF sealed with the organisation's certificate, its stamp showing `verify_code`, and
    what the seal is; the PDF as it was and None when the organisation has no certificate, or
    its CA says the certificate is revoked (logged as an error)."""
    row = db.session.get(OrgSeal, org_id)
    if row is None:
        return pdf, None
    seal = keys.seal_key(row)
    now = clock.now()
    stamp = Stamp.of(db.session.get(Organisation, org_id), now, verify_code, row.demo)
    sign = partial(_sign, pdf, _signer(seal), reason, stamp)
    facts = partial(_facts, row, now)
    timestamper = _timestamper()
    errors = {}
    if revocation.published(seal.chain):
        try:
            data = sign(timestamper, float(current_app.config["SEAL_REVOCATION_TIMEOUT"]))
            return data, facts("B-LT" if timestamper else "B-B", revocation_data=True)
        except revocation.Revoked as error:
            log.error(REVOKED, org_id, row.subject, row.fingerprint, error)
            return pdf, None
        except Exception as failure:  # the CA's (or the TSA's) problem: seal without the data
            errors["revocation_error"] = _why(failure)
            log.warning("revocation data not had, sealing without it: %s", _why(failure))
    if timestamper is not None:
        try:
            return sign(timestamper, None), facts("B-T", **errors)
        except Exception as failure:  # the TSA's problem, whatever it is: seal without it
            errors["timestamp_error"] = _why(failure)
            log.warning("TSA failed, sealing without a timestamp: %s", _why(failure))
    return sign(None, None), facts("B-B", **errors)


def _why(failure: Exception) -> str:
    return f"{type(failure).__name__}: {failure}"[:300]


def _facts(row: OrgSeal, now: datetime, level: str, **more) -> dict:
    """What the freezer keeps of the seal (FrozenPdf.seal): the level reached, and why not a
    higher one (`timestamp_error`, `revocation_error`) when an outage cost it."""
    return {
        "subject": row.subject,
        "fingerprint": row.fingerprint,
        "level": level,
        "demo": row.demo,
        "sealed_at": now.isoformat(),
        **more,
    }


class ChainSigner(signers.SimpleSigner):
    """pyHanko's signer, remembering the chain in order (the top is what B-LT trusts)."""

    def __init__(self, chain: list[asn1_x509.Certificate], **kwargs):
        super().__init__(signing_cert=chain[0], **kwargs)
        self.chain = chain


def _signer(seal: keys.SealKey) -> ChainSigner:
    der = [c.public_bytes(serialization.Encoding.DER) for c in seal.chain]
    key_der = seal.key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    chain = [asn1_x509.Certificate.load(d) for d in der]
    return ChainSigner(
        chain,
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs(chain),
    )


def _timestamper() -> HTTPTimeStamper | None:
    config = current_app.config
    url = config.get("SEAL_TSA_URL") or ""
    if not url:
        return None
    return _timestamper_for(
        url, float(config["SEAL_TSA_TIMEOUT"]), config.get("SEAL_TSA_CLIENT_CERT")
    )


@cache
def _timestamper_for(url: str, timeout: float, client_cert: str | None) -> HTTPTimeStamper:
    """One client per process: pyHanko sizes the signature with a sample token from the TSA
    and keeps it, so only a process's first seal asks the TSA twice."""
    if client_cert:
        return ClientCertTimeStamper(url, timeout, client_cert)
    return HTTPTimeStamper(url, timeout=timeout)


def _sign(pdf: bytes, signer, reason: str, stamp: Stamp, timestamper, revocation_timeout):
    """Seal `pdf`; with a `revocation_timeout`, with the signer's certificate status embedded in
    the signature's own revision (or revocation.Revoked / Unavailable)."""
    return _run_to_end(
        lambda: _sign_async(pdf, signer, reason, stamp, timestamper, revocation_timeout)
    ).getvalue()


async def _sign_async(pdf, signer, reason, stamp, timestamper, revocation_timeout) -> BytesIO:
    vc = None
    if revocation_timeout is not None:  # the context's HTTP session lives in this event loop
        roots = await revocation.tsa_roots(timestamper) if timestamper else []
        vc = revocation.context(signer.chain, revocation_timeout, roots)
    try:
        if vc is not None:
            await revocation.fetch(vc, signer, revocation_timeout)
        meta = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=reason,
            validation_context=vc,
            embed_validation_info=vc is not None,
            signer_key_usage=revocation.KEY_USAGE,
            # in the seal's revision, so the seal still covers the whole file
            dss_settings=DSSContentSettings(
                placement=SigDSSPlacementPreference.TOGETHER_WITH_SIGNATURE, include_vri=False
            ),
        )
        writer = IncrementalPdfFileWriter(BytesIO(pdf))
        _keep_archival_metadata(writer)
        where = box(writer)
        pdf_signer = signers.PdfSigner(
            meta,
            signer=signer,
            timestamper=timestamper,
            stamp_style=style(stamp.page(where[2] - where[0])),
            new_field_spec=fields.SigFieldSpec(FIELD_NAME, on_page=-1, box=where),
        )
        return await pdf_signer.async_sign_pdf(writer)
    finally:
        if vc is not None:
            await vc.aclose()


def _run_to_end(coroutine):
    """pyHanko signs in asyncio. A thread that already runs an event loop (a caller driving
    asyncio or Playwright's sync API) cannot start another, so the seal then runs in a thread
    of its own; otherwise in this one."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(coroutine())).result()


def _keep_archival_metadata(writer: IncrementalPdfFileWriter) -> None:
    """Keep the sealed file PDF/A: pyHanko rewrites the XMP's producer as "pyHanko x.y" but
    appends it to the info dictionary's ("WeasyPrint …; pyHanko x.y"), and PDF/A wants the two
    equal; so the info dictionary's producer is set to pyHanko's in the same revision. (The
    language is the catalogue's /Lang, "th", which the seal leaves alone; an XMP dc:language
    added through pyHanko's xmp_extra came out twice, so there is none.)"""
    info = writer.prev.trailer_view.get("/Info")
    fresh = generic.DictionaryObject(dict(info.get_object().items()) if info else {})
    fresh[generic.NameObject("/Producer")] = generic.TextStringObject(meta_model.VENDOR)
    writer.set_info(fresh)
