"""Revocation data for the seal's certificate, embedded in the seal (PAdES B-LT).

A certificate that names where its status is published (a CRL distribution point, an OCSP
responder in its AIA) has that status fetched before sealing, within SEAL_REVOCATION_TIMEOUT
seconds, and the answers go into the PDF's document security store in the seal's own revision
(so the seal still covers the whole file). A CA that does not answer in time costs the
revocation data, never the seal; a CA that says the certificate is revoked stops the seal
(`Revoked`): a seal is the organisation's word that the file is its approved document, and a
revoked certificate is the CA's word that this key no longer speaks for it (perhaps because it
leaked), so the file is frozen unsealed instead and the log says why.
"""

import asyncio

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtensionOID
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import RevokedError
from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend
from pyhanko_certvalidator.fetchers.api import OwnedFetcherBackend

# No key usage is required here: the seal is made with or without the status, so fetching it
# must not impose a rule the seal without it does not (pyHanko's default asks non_repudiation).
KEY_USAGE: set[str] = set()


class Revoked(Exception):
    """The CA says the seal's certificate is revoked."""


class Unavailable(Exception):
    """The certificate's status could not be had (the CA did not answer, or not in time)."""


def published(chain: list[x509.Certificate]) -> bool:
    """Whether any certificate below the chain's top says where its status is published."""
    return any(_points(cert) for cert in chain[:-1] or chain)


def _points(cert: x509.Certificate) -> bool:
    try:
        if cert.extensions.get_extension_for_oid(ExtensionOID.CRL_DISTRIBUTION_POINTS).value:
            return True
    except x509.ExtensionNotFound:
        pass
    try:
        access = cert.extensions.get_extension_for_oid(ExtensionOID.AUTHORITY_INFORMATION_ACCESS)
    except x509.ExtensionNotFound:
        return False
    return any(d.access_method == AuthorityInformationAccessOID.OCSP for d in access.value)


def context(
    chain: list[asn1_x509.Certificate], timeout: float, tsa_roots: list = ()
) -> ValidationContext:
    """A context that trusts the top of the seal's own chain (and of the TSA's) and fetches
    statuses; the caller closes it (`aclose`) in the event loop that used it. The top is the
    self-issued certificate the PKCS#12 file carries (in any order), else its last one."""
    tops = [c for c in chain[1:] if c.self_signed != "no"] or [chain[-1]]
    return ValidationContext(
        trust_roots=[*tops, *tsa_roots],
        other_certs=chain,
        allow_fetching=True,
        revocation_mode="hard-fail",  # a published status that cannot be had is a failure
        fetcher_backend=OwnedFetcherBackend(AIOHttpFetcherBackend(per_request_timeout=timeout)),
    )


async def tsa_roots(timestamper) -> list[asn1_x509.Certificate]:
    """The top of the configured TSA's chain as its tokens carry it. pyHanko validates the TSA's
    certificate too before a B-LT seal, and the TSA (ETDA's, say) may chain to another root than
    the seal's certificate; the operator chose this TSA, so its own chain is taken as it is."""
    token = await timestamper.async_dummy_response("sha256")  # pyHanko keeps it: asked once
    certs = [choice.chosen for choice in token["content"]["certificates"] or []]
    subjects = {c.subject.dump() for c in certs}
    return [c for c in certs if c.issuer == c.subject or c.issuer.dump() not in subjects]


async def fetch(vc: ValidationContext, signer, timeout: float) -> None:
    """Fetch the signer's certificate status into `vc` (where the seal finds it), or raise
    Revoked or Unavailable; never waits much longer than `timeout`."""
    validator = CertificateValidator(
        signer.signing_cert, intermediate_certs=signer.cert_registry, validation_context=vc
    )
    try:
        await asyncio.wait_for(validator.async_validate_usage(KEY_USAGE), timeout)
    except RevokedError as error:
        raise Revoked(str(error)) from error
    except Exception as error:  # unreachable, too slow, unreadable: the status is not had
        raise Unavailable(f"{type(error).__name__}: {error}") from error
    if not (vc.ocsps or vc.crls):  # e.g. the file held no issuer to check the certificate by
        raise Unavailable("no CRL or OCSP response was had for the seal's certificate")
