"""The organisation's e-seal on the approved PDF (PAdES with pyHanko): sealed after everything is
rendered, hashed as sealed, timestamped when a TSA answers in time, never lost to a TSA outage,
and read back by pyHanko, poppler's pdfsig, the /v page and `flask pdf verify`."""

import hashlib
import io
import shutil
import subprocess
import time

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfReader, PdfWriter
from support.seal import PASSWORD, SEAL_NAME, FakeTsa, pki, tls_files
from test_pdf_freeze import log_of
from test_pdf_support import approve, fonts

import storage
from extensions import db
from models import FrozenPdf, OrgSeal
from pdf import verify
from pdf.seal import keys
from pdf.seal.check import inspect
from pdf.seal.sign import seal_pdf


def use_test_seal(app, org_id: int) -> OrgSeal:
    """Replace the demo's throwaway seal with the test PKI's RSA certificate, as an admin would."""
    with app.app_context():
        row = keys.store(org_id, keys.load_pkcs12(pki().pkcs12(), PASSWORD), actor=None)
        db.session.commit()
        db.session.refresh(row)
        db.session.expunge(row)
        return row


def approved_pdf(app, memo_id: int) -> tuple[FrozenPdf, bytes]:
    with app.app_context():
        approve(memo_id)
        frozen = db.session.get(FrozenPdf, memo_id)
        db.session.expunge(frozen)
        return frozen, storage.path_of(frozen.storage_key).read_bytes()


@pytest.fixture
def sealed(app, srisuk):
    row = use_test_seal(app, srisuk.org_id)
    frozen, data = approved_pdf(app, srisuk.memo_id)
    return row, frozen, data


def test_the_approved_pdf_is_sealed_whole_and_the_log_holds_the_sealed_hash(app, srisuk, sealed):
    row, frozen, data = sealed
    assert frozen.seal["fingerprint"] == row.fingerprint and frozen.seal["level"] == "B-B"
    assert frozen.seal["subject"].startswith(SEAL_NAME)
    report = inspect(data)
    assert report.signed and report.intact and report.whole_file
    assert report.fingerprint == keys.fingerprint(pki().seal)
    assert report.sealed_sha256 == hashlib.sha256(data).hexdigest() == frozen.sha256
    with app.app_context():
        comment = log_of(srisuk.memo_id)[-1].comment
    assert frozen.sha256 in comment and "PAdES B-B" in comment
    with app.app_context():  # the log's check reads the hash at the end of the FREEZE row
        audit = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert audit.exit_code == 0 and "พบปัญหา" not in audit.output, audit.output
    # nothing follows the seal: the signature covers every byte of the stored file
    (field,) = PdfFileReader(io.BytesIO(data)).embedded_signatures
    assert field.byte_range[2] + field.byte_range[3] == len(data)


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils (pdfsig) not installed")
def test_poppler_reads_the_seal_as_valid_and_a_changed_byte_as_invalid(sealed, tmp_path):
    _, _, data = sealed
    path = tmp_path / "sealed.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False).stdout
    assert "Signature is Valid." in out and SEAL_NAME in out
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(_one_byte_changed(data))
    out = subprocess.run(["pdfsig", str(changed)], capture_output=True, text=True, check=False)
    assert "Signature is Valid." not in out.stdout


def _one_byte_changed(data: bytes) -> bytes:
    """A byte inside the first signed range, in the memo's own content."""
    at = len(data) // 3
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def test_one_changed_byte_breaks_the_seal_and_the_page_says_so(client, sealed):
    _, frozen, data = sealed
    changed = _one_byte_changed(data)
    assert not inspect(changed).intact
    page = upload(client, frozen.verify_code, changed)
    assert "ไม่ตรงกัน:" in page and verify.VERDICTS["broken"][1] in page


def extended_copy(data: bytes) -> bytes:
    """The file with an incremental update appended, as an e-saraban receipt stamp adds one."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    info = {generic.NameObject("/Keywords"): generic.TextStringObject("รับที่ 123/2569")}
    writer.set_info(generic.DictionaryObject(info))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_copy_extended_after_sealing_is_reported_as_such(client, sealed):
    _, frozen, data = sealed
    extended = extended_copy(data)
    report = inspect(extended)
    assert report.intact and not report.whole_file and report.sealed_sha256 == frozen.sha256
    page = upload(client, frozen.verify_code, extended)
    assert "เป็นฉบับอนุมัติที่มีการเพิ่มเติมภายหลัง:" in page
    assert verify.VERDICTS["extended"][1] in page


def test_a_copy_saved_again_whole_no_longer_carries_a_valid_seal(client, sealed):
    _, frozen, data = sealed
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))  # "save as" in another program
    out = io.BytesIO()
    writer.write(out)
    page = upload(client, frozen.verify_code, out.getvalue())
    assert "ไม่ตรงกัน:" in page
    assert any(verify.VERDICTS[k][1] in page for k in ("broken", "unsealed"))


def test_the_identical_file_shows_who_sealed_it(client, sealed):
    _, frozen, data = sealed
    page = upload(client, frozen.verify_code, data)
    assert "ตรงกัน:" in page and "ผู้ประทับตรา: " + SEAL_NAME in page
    assert "ครอบคลุม: ทั้งไฟล์" in page and "ตราประทับเวลา (TSA): ไม่มี" in page
    shown = client.get(f"/v/{frozen.verify_code}").get_data(as_text=True)
    assert "ประทับตราอิเล็กทรอนิกส์ของ <strong>" + SEAL_NAME in shown


def test_another_document_sealed_by_the_same_organisation_is_not_this_one(
    app, client, srisuk, sealed
):
    _, frozen, _ = sealed
    with app.app_context():
        other, _ = seal_pdf(blank_pdf(), srisuk.org_id, "another memo")
    page = upload(client, frozen.verify_code, other)
    assert verify.VERDICTS["other_document"][1] in page


def blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(client, code: str, data: bytes) -> str:
    client.fetch_csrf(f"/v/{code}")
    response = client.post_form(f"/v/{code}", {"file": (io.BytesIO(data), "memo.pdf")})
    assert response.status_code == 200
    return response.get_data(as_text=True)


# -- the time-stamping authority ---------------------------------------------------------------


@pytest.fixture
def tsa():
    fake = FakeTsa().start()
    yield fake
    fake.stop()


def test_with_a_tsa_the_seal_carries_its_timestamp(app, srisuk, tsa):
    app.config.update(SEAL_TSA_URL=tsa.url, SEAL_TSA_TIMEOUT=5)
    use_test_seal(app, srisuk.org_id)
    frozen, data = approved_pdf(app, srisuk.memo_id)
    assert frozen.seal["level"] == "B-T" and tsa.requests  # one more the first time: its size
    report = inspect(data)
    assert report.intact and report.timestamp_at is not None and report.timestamp_intact


def test_a_tsa_that_does_not_answer_in_time_costs_the_timestamp_not_the_seal(app, srisuk, tsa):
    tsa.delay = 30  # far beyond the 1 s given: a loaded machine's sealing time cannot blur it
    app.config.update(SEAL_TSA_URL=tsa.url, SEAL_TSA_TIMEOUT=1)
    use_test_seal(app, srisuk.org_id)
    with app.app_context():
        started = time.monotonic()
        data, facts = seal_pdf(blank_pdf(), srisuk.org_id, "test")
        assert time.monotonic() - started < 15, "the wait for the TSA is bounded"
    assert facts["level"] == "B-B" and "timestamp_error" in facts
    report = inspect(data)
    assert report.intact and report.whole_file and report.timestamp_at is None
    frozen, _ = approved_pdf(app, srisuk.memo_id)  # and the freezer goes on the same way
    assert frozen.seal["level"] == "B-B"


def test_a_tsa_that_is_down_costs_the_timestamp_not_the_seal(app, srisuk, tsa):
    url = tsa.url
    tsa.stop()  # nothing listens there any more
    app.config.update(SEAL_TSA_URL=url, SEAL_TSA_TIMEOUT=2)
    use_test_seal(app, srisuk.org_id)
    frozen, data = approved_pdf(app, srisuk.memo_id)
    assert frozen.seal["level"] == "B-B" and inspect(data).intact
    tsa.start()  # for the fixture's stop


def test_a_tsa_that_asks_for_a_client_certificate_gets_the_configured_one(
    app, srisuk, tmp_path, monkeypatch
):
    files = tls_files(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(files["ca"]))  # trust the test CA for the server
    tsa = FakeTsa(tls=files).start()
    try:
        use_test_seal(app, srisuk.org_id)
        app.config.update(SEAL_TSA_URL=tsa.url, SEAL_TSA_TIMEOUT=5)
        with app.app_context():
            _, without = seal_pdf(blank_pdf(), srisuk.org_id, "no client certificate")
            app.config["SEAL_TSA_CLIENT_CERT"] = str(files["client"])
            data, facts = seal_pdf(blank_pdf(), srisuk.org_id, "with it")
    finally:
        tsa.stop()
    assert without["level"] == "B-B" and "timestamp_error" in without  # refused by the TSA
    assert facts["level"] == "B-T" and inspect(data).timestamp_intact


# -- without a certificate, and offline ---------------------------------------------------------


def test_without_a_certificate_the_pdf_is_frozen_unsealed_as_before(app, srisuk):
    with app.app_context():
        db.session.delete(db.session.get(OrgSeal, srisuk.org_id))
        db.session.commit()
    frozen, data = approved_pdf(app, srisuk.memo_id)
    assert frozen.seal is None and not inspect(data).signed
    assert hashlib.sha256(data).hexdigest() == frozen.sha256


def test_the_demo_seals_with_its_throwaway_certificate_marked_as_demo(app, client, srisuk):
    frozen, data = approved_pdf(app, srisuk.memo_id)
    assert frozen.seal["demo"] is True and "ตราทดลอง" in frozen.seal["subject"]
    assert "DEMO ONLY" in frozen.seal["subject"]
    assert inspect(data).intact
    page = client.get(f"/v/{frozen.verify_code}").get_data(as_text=True)
    assert "ใบรับรองทดลองสำหรับสาธิตระบบ ไม่มีผลทางกฎหมาย" in page


def test_flask_pdf_verify_checks_a_file_offline(app, sealed, tmp_path):
    _, frozen, data = sealed
    runner = app.test_cli_runner()
    path = tmp_path / "memo.pdf"
    path.write_bytes(data)
    result = runner.invoke(args=["pdf", "verify", str(path)])
    assert result.exit_code == 0, result.output
    assert frozen.verify_code in result.output and verify.VERDICTS["identical"][1] in result.output
    assert "ตราอิเล็กทรอนิกส์: ถูกต้อง ผู้ประทับตรา " + SEAL_NAME in result.output

    path.write_bytes(extended_copy(data))
    result = runner.invoke(args=["pdf", "verify", str(path)])
    assert result.exit_code == 0 and verify.VERDICTS["extended"][1] in result.output
    assert "มีข้อมูลเพิ่มต่อท้ายหลังประทับตรา" in result.output

    path.write_bytes(_one_byte_changed(data))
    result = runner.invoke(args=["pdf", "verify", str(path)])
    assert result.exit_code == 1 and "ตราอิเล็กทรอนิกส์: ไม่ถูกต้อง" in result.output


# -- PDF/A-3b ----------------------------------------------------------------------------------


def test_the_sealed_pdf_declares_pdf_a_3b_with_its_metadata_and_embedded_fonts(sealed):
    """The declaration, the metadata, the output intent, fonts embedded, and the info dictionary
    agreeing with the XMP after the seal. (A validator's view: tests/test_pdf_a_preflight.py,
    PDFBox Preflight, which knows PDF/A-1b only; veraPDF installs from none of PyPI, Debian or
    npm.)"""
    _, _, data = sealed
    reader = PdfReader(io.BytesIO(data))
    xmp = reader.xmp_metadata
    raw = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in raw and 'pdfaid:conformance="B"' in raw
    assert xmp.dc_title["x-default"].startswith("บันทึกข้อความ สร ๘๓๒๐๑/๑๑๘๐")
    assert xmp.dc_creator == ["องค์การบริหารส่วนตำบลศรีสุข"]
    assert xmp.dc_description["x-default"].startswith("รายงานผลการวิเคราะห์ผลการประเมินคุณธรรม")
    assert reader.trailer["/Root"]["/Lang"] == "th"
    (intent,) = reader.trailer["/Root"]["/OutputIntents"]
    assert intent.get_object()["/S"] == "/GTS_PDFA1"
    assert reader.metadata["/Producer"] == xmp.pdf_producer
    assert reader.metadata["/Author"] == "องค์การบริหารส่วนตำบลศรีสุข"
    embedded = fonts(data)
    assert embedded and all(embedded.values()), embedded


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7\n%%EOF", b"not a pdf at all", b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ntrailer"],
)
def test_a_file_that_is_no_readable_pdf_is_reported_unsealed_never_an_error(client, sealed, data):
    _, frozen, _ = sealed
    assert not inspect(data).signed
    assert verify.VERDICTS["unsealed"][1] in upload(client, frozen.verify_code, data)
