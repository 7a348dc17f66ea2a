"""The sealed PDF checked by a PDF/A validator: Apache PDFBox's Preflight, from Debian's
libpdfbox2-java (tools/system-deps.sh --test), run offline.

Preflight validates PDF/A-1b only; the approved PDF is PDF/A-3b, which lifts some of PDF/A-1's
restrictions. Its findings under those lifted rules are expected; any other finding fails the
test. (veraPDF, which knows PDF/A-3, is on none of PyPI, Debian or npm, and the pip package that
wraps it downloads it from a Maven repository this machine cannot reach.)"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from support.seal import FakeCaStatus
from test_pdf_seal import approved_pdf, blank_pdf, use_test_seal
from test_pdf_seal_revocation import use_seal_published_at

JARS = Path("/usr/share/java")
CLASSPATH = [
    "preflight.jar",
    "pdfbox2.jar",
    "fontbox2.jar",
    "xmpbox.jar",
    "commons-logging.jar",
    "javax.activation.jar",  # Java 11+ no longer ships these two
    "jaxb-api.jar",
]
MISSING = [name for name in CLASSPATH if not (JARS / name).exists()]
pytestmark = pytest.mark.skipif(
    bool(MISSING) or shutil.which("java") is None,
    reason="PDFBox Preflight not installed (tools/system-deps.sh --test: libpdfbox2-java,"
    f" libjaxb-api-java, libactivation-java and a Java runtime); missing: {MISSING or 'java'}",
)

# Preflight's rule numbers for PDF/A-1 restrictions that PDF/A-2 and -3 lift (ISO 19005-2/-3):
LIFTED_IN_PDF_A_3 = {
    "1.4": "cross-reference streams (PDF 1.5)",
    "1.2.7": "a compressed XMP metadata stream",
    "2.2.1": "transparency groups",
    "3.1.11": "a CIDSet in a subset CID font (optional since PDF/A-2)",
}


def preflight(path: Path) -> set[str]:
    """The rule numbers Preflight reports a file breaking."""
    classpath = ":".join(str(JARS / name) for name in CLASSPATH)
    run = subprocess.run(
        ["java", "-cp", classpath, "org.apache.pdfbox.preflight.Validator_A1b", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Exception" not in run.stderr, run.stderr
    return set(re.findall(r"^(\d+(?:\.\d+)*) : ", run.stdout, re.MULTILINE))


def assert_pdf_a_3b_as_far_as_preflight_sees(data: bytes, folder: Path) -> None:
    path = folder / "sealed.pdf"
    path.write_bytes(data)
    broken = preflight(path)
    assert broken <= LIFTED_IN_PDF_A_3.keys(), broken - LIFTED_IN_PDF_A_3.keys()


def test_the_sealed_pdf_breaks_no_rule_that_pdf_a_3b_keeps(app, srisuk, tmp_path):
    use_test_seal(app, srisuk.org_id)
    _, data = approved_pdf(app, srisuk.memo_id)
    assert_pdf_a_3b_as_far_as_preflight_sees(data, tmp_path)


def test_so_does_one_carrying_its_certificate_status(app, srisuk, tmp_path):
    """B-LT: the document security store's CRL/OCSP streams keep the file PDF/A."""
    ca = FakeCaStatus().start()
    try:
        use_seal_published_at(app, srisuk.org_id, ca)
        frozen, data = approved_pdf(app, srisuk.memo_id)
    finally:
        ca.stop()
    assert frozen.seal["revocation_data"] is True
    assert_pdf_a_3b_as_far_as_preflight_sees(data, tmp_path)


def test_a_pdf_that_is_no_pdf_a_is_told_apart(tmp_path):
    """The check above can fail: a plain PDF (no XMP, no output intent) breaks kept rules."""
    path = tmp_path / "plain.pdf"
    path.write_bytes(blank_pdf())
    assert preflight(path) - LIFTED_IN_PDF_A_3.keys()
