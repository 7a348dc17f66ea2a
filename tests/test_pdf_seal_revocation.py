"""The seal's certificate status embedded in the seal (PAdES B-LT): fetched from the CA's CRL and
OCSP service (a fake of both protocols on loopback), kept in the seal's own revision, read back
by pyHanko and poppler; a CA that is down or slow costs the data, never the seal; a revoked
certificate seals nothing."""

import asyncio
import io
import logging
import shutil
import subprocess
import time

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import PathValidationError
from support.client import login
from support.seal import PASSWORD, FakeCaStatus, FakeTsa, pki
from test_pdf_seal import approved_pdf, blank_pdf
from test_pdf_support import approve

import storage
from extensions import db
from models import FrozenPdf
from pdf.seal import keys
from pdf.seal.check import describe, inspect
from pdf.seal.sign import seal_pdf


@pytest.fixture
def ca():
    fake = FakeCaStatus().start()
    yield fake
    fake.stop()


@pytest.fixture
def tsa():
    fake = FakeTsa().start()
    yield fake
    fake.stop()


def use_seal_published_at(app, org_id: int, ca: FakeCaStatus):
    """The organisation's seal: a certificate whose status `ca` publishes."""
    cert = ca.seal_certificate()
    with app.app_context():
        keys.store(org_id, keys.load_pkcs12(ca.pkcs12(cert), PASSWORD), actor=None)
        db.session.commit()
    return cert


def embedded_status(data: bytes) -> tuple[int, int]:
    """How many CRLs and OCSP responses the file's document security store holds."""
    dss = DocumentSecurityStore.read_dss(PdfFileReader(io.BytesIO(data)))
    return len(dss.crls), len(dss.ocsps)


def test_with_a_tsa_and_a_published_status_the_seal_is_b_lt(app, client, srisuk, ca, tsa, tmp_path):
    app.config.update(SEAL_TSA_URL=tsa.url, SEAL_TSA_TIMEOUT=5, SEAL_REVOCATION_TIMEOUT=5)
    use_seal_published_at(app, srisuk.org_id, ca)
    frozen, data = approved_pdf(app, srisuk.memo_id)
    assert frozen.seal["level"] == "B-LT" and frozen.seal["revocation_data"] is True
    assert {"/ocsp"} <= set(ca.requests)
    crls, ocsps = embedded_status(data)
    assert crls + ocsps >= 1
    report = inspect(data)
    # in the seal's own revision: the seal still covers every byte, as the freezer hashed it
    assert report.intact and report.whole_file and report.level == "B-LT"
    b_lt = describe("B-LT")
    assert "ข้อมูลสถานะใบรับรอง (CRL/OCSP)" in b_lt
    shown = client.get(f"/v/{frozen.verify_code}").get_data(as_text=True)
    assert f"({b_lt})" in shown
    path = tmp_path / "memo.pdf"
    path.write_bytes(data)
    result = app.test_cli_runner().invoke(args=["pdf", "verify", str(path)])
    assert result.exit_code == 0 and f"ระดับ: {b_lt}" in result.output
    # a validator that trusts the test CA, may not fetch and requires the status finds it in
    # the file
    sig = PdfFileReader(io.BytesIO(data)).embedded_signatures[0]
    offline = DocumentSecurityStore.read_dss(sig.reader).as_validation_context(
        {"trust_roots": [_asn1(pki().ca)], "allow_fetching": False, "revocation_mode": "require"}
    )
    validator = CertificateValidator(sig.signer_cert, validation_context=offline)
    asyncio.run(validator.async_validate_usage(set()))  # raises when the status is missing
    without = ValidationContext(
        trust_roots=[_asn1(pki().ca)], crls=[], ocsps=[], revocation_mode="require"
    )
    with pytest.raises(PathValidationError):  # which is what the check above would do
        asyncio.run(
            CertificateValidator(sig.signer_cert, validation_context=without).async_validate_usage(
                set()
            )
        )


def _asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def test_a_tsa_under_another_root_than_the_seals_still_gives_b_lt(app, srisuk, ca):
    tsa = FakeTsa(other_root=True).start()
    try:
        app.config.update(SEAL_TSA_URL=tsa.url, SEAL_TSA_TIMEOUT=5, SEAL_REVOCATION_TIMEOUT=5)
        use_seal_published_at(app, srisuk.org_id, ca)
        frozen, data = approved_pdf(app, srisuk.memo_id)
    finally:
        tsa.stop()
    assert frozen.seal["level"] == "B-LT", frozen.seal
    report = inspect(data)
    assert report.level == "B-LT" and report.timestamp_intact and report.whole_file


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils (pdfsig) not installed")
def test_poppler_still_reads_the_b_lt_seal_as_valid(app, srisuk, ca, tmp_path):
    use_seal_published_at(app, srisuk.org_id, ca)
    _, data = approved_pdf(app, srisuk.memo_id)
    path = tmp_path / "sealed.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False).stdout
    assert "Signature is Valid." in out and "Total document signed" in out


def test_without_a_tsa_the_status_is_embedded_and_the_level_stays_b_b(app, srisuk, ca):
    use_seal_published_at(app, srisuk.org_id, ca)
    frozen, data = approved_pdf(app, srisuk.memo_id)
    assert frozen.seal["level"] == "B-B" and frozen.seal["revocation_data"] is True
    assert sum(embedded_status(data)) >= 1 and inspect(data).level == "B-B"


def test_a_ca_that_is_down_costs_the_status_not_the_seal(app, client, srisuk, ca, tsa):
    app.config.update(SEAL_TSA_URL=tsa.url, SEAL_TSA_TIMEOUT=5, SEAL_REVOCATION_TIMEOUT=2)
    use_seal_published_at(app, srisuk.org_id, ca)
    ca.stop()  # nothing listens there any more
    try:
        frozen, data = approved_pdf(app, srisuk.memo_id)
    finally:
        ca.start()  # for the fixture's stop
    assert frozen.seal["level"] == "B-T" and "revocation_error" in frozen.seal
    report = inspect(data)
    assert report.intact and report.whole_file and report.level == "B-T"
    shown = client.get(f"/v/{frozen.verify_code}").get_data(as_text=True)
    assert f"({describe('B-T')})" in shown and "B-LT" not in shown


def test_a_ca_slower_than_the_sealer_waits_costs_the_status_within_the_bound(app, srisuk, ca):
    ca.delay = 30  # far beyond the 1 s given: a loaded machine's sealing time cannot blur it
    app.config.update(SEAL_REVOCATION_TIMEOUT=1)
    use_seal_published_at(app, srisuk.org_id, ca)
    with app.app_context():
        started = time.monotonic()
        data, facts = seal_pdf(blank_pdf(), srisuk.org_id, "test")
        assert time.monotonic() - started < 15, "the wait for the CA is bounded"
    assert facts["level"] == "B-B" and "revocation_error" in facts
    assert inspect(data).intact


def test_a_revoked_certificate_seals_nothing_and_the_log_says_why(app, client, srisuk, ca, caplog):
    """A seal says the organisation vouches for the file; a revoked certificate is the CA saying
    this key no longer speaks for it (perhaps it leaked). So the approval goes on and its PDF is
    frozen unsealed, never sealed with a key the CA has disowned."""
    cert = use_seal_published_at(app, srisuk.org_id, ca)
    ca.revoked.add(cert.serial_number)
    with caplog.at_level(logging.ERROR, logger="pdf.seal.sign"), app.app_context():
        approve(srisuk.memo_id)
        frozen = db.session.get(FrozenPdf, srisuk.memo_id)
        assert frozen.seal is None
        code, data = frozen.verify_code, storage.path_of(frozen.storage_key).read_bytes()
    assert "NOT SEALED" in caplog.text and "revoked" in caplog.text
    assert not inspect(data).signed
    shown = client.get(f"/v/{code}").get_data(as_text=True)
    assert "ไม่มีตราอิเล็กทรอนิกส์" in shown and "ใบรับรองถูกเพิกถอน" in shown
    login(client, "admin")  # the organisation's admin is told on the seal page, not in a log
    page = client.get("/admin/seal").get_data(as_text=True)
    warning = page[page.index('id="seal-refused"') :].split("</p>")[0]
    assert "ถูกเพิกถอน" in warning and "จำนวน ๑ ฉบับ" in warning


def test_the_seal_page_is_quiet_while_the_certificate_seals(app, client, srisuk, ca):
    use_seal_published_at(app, srisuk.org_id, ca)
    approved_pdf(app, srisuk.memo_id)
    login(client, "admin")
    assert 'id="seal-refused"' not in client.get("/admin/seal").get_data(as_text=True)


def test_a_certificate_file_without_its_issuer_claims_no_status(app, srisuk, ca):
    """Without the issuing CA in the PKCS#12 file no status can be checked, so none is claimed."""
    cert = ca.seal_certificate()
    alone = pkcs12.serialize_key_and_certificates(
        b"seal", pki().seal_key, cert, None, BestAvailableEncryption(PASSWORD.encode())
    )
    with app.app_context():
        keys.store(srisuk.org_id, keys.load_pkcs12(alone, PASSWORD), actor=None)
        db.session.commit()
        data, facts = seal_pdf(blank_pdf(), srisuk.org_id, "test")
    assert facts["level"] == "B-B" and "revocation_error" in facts
    assert "revocation_data" not in facts and inspect(data).intact
