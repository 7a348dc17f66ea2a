"""The seal's visible stamp (issue 20): on the approved PDF's last page, under every line of its
text, saying who sealed the file, when, and its verification code; a demo certificate's stamp
says it is a test; printed, and its font embedded."""

import io
from datetime import date, datetime

import pytest
from pypdf import PageObject, PdfReader
from pypdf.generic import NameObject
from test_pdf_seal import approved_pdf, use_test_seal
from test_pdf_support import norm, user

from extensions import db
from models import DocType, Organisation
from pdf.data import Fmt
from pdf.page import MARGINS_CM
from pdf.seal import stamp as seal_stamp
from workflow import documents as service

ANNOT_PRINT, ANNOT_HIDDEN = 4, 2
CM = 72 / 2.54


@pytest.fixture
def sealed(app, srisuk):
    """Seed 000's memo approved and sealed with the test PKI's certificate (not the demo's)."""
    use_test_seal(app, srisuk.org_id)
    return approved_pdf(app, srisuk.memo_id)


def stamp_on(data: bytes) -> tuple[PdfReader, int, dict]:
    """The file, the page index and the widget of the signature field that shows a stamp."""
    reader = PdfReader(io.BytesIO(data))
    found = [
        (i, annot.get_object())
        for i, page in enumerate(reader.pages)
        for annot in page.get("/Annots", [])
        if annot.get_object().get("/FT") == "/Sig"
    ]
    assert len(found) == 1, found
    return reader, found[0][0], found[0][1]


def stamp_text(reader: PdfReader, widget) -> str:
    """What the stamp's appearance prints (normalised, see test_pdf_support.norm)."""
    appearance = widget["/AP"]["/N"].get_object()
    page = PageObject(pdf=reader)
    page[NameObject("/Resources")] = appearance["/Resources"]
    page[NameObject("/Contents")] = widget["/AP"]["/N"]
    return norm(page.extract_text())


def lowest_text(page) -> float:
    """How far above the page's bottom edge the lowest mark of its text comes (Thai vowels below
    the line reach about half the type size under the baseline)."""
    lowest = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            scale = abs(cm[3]) or 1
            baseline = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            lowest.append(baseline - 0.5 * size * scale)

    page.extract_text(visitor_text=visit)
    return min(lowest)


def leftmost_text(page) -> float:
    """Where the page's text starts on the left (its headings start at the margin)."""
    starts = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            starts.append(tm[4] * cm[0] + tm[5] * cm[2] + cm[4])

    page.extract_text(visitor_text=visit)
    return min(starts)


def assert_under_the_text_of_the_last_page(data: bytes) -> None:
    reader, index, widget = stamp_on(data)
    assert index == len(reader.pages) - 1
    page = reader.pages[index]
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    left, bottom, right, _ = (float(v) for v in page.mediabox)
    assert bottom < y1 < y2 < lowest_text(page), "the stamp covers no text"
    assert left + 80 < x1 < x2 < right - 50, "within the text column's width"
    flags = int(widget["/F"])
    assert flags & ANNOT_PRINT and not flags & ANNOT_HIDDEN  # printed with the page (PDF/A too)


def test_the_approved_pdf_carries_the_stamp_under_the_text_of_its_last_page(app, srisuk, sealed):
    frozen, data = sealed
    assert_under_the_text_of_the_last_page(data)  # seed 000's last page: its landscape annex
    reader, _, widget = stamp_on(data)
    printed = stamp_text(reader, widget)
    with app.app_context():
        organisation = db.session.get(Organisation, srisuk.org_id).name
    when = Fmt(True).moment(datetime.fromisoformat(frozen.seal["sealed_at"]))
    assert norm(f"ลงนามอิเล็กทรอนิกส์โดย {organisation}") in printed
    assert norm(when) in printed and "๒๕" in when  # Thai digits, Buddhist era
    assert norm(f"รหัสตรวจสอบ {frozen.verify_code}") in printed
    assert norm("ใบรับรองทดสอบ") not in printed  # the test PKI's certificate is no demo
    fonts = appearance_fonts(widget)
    assert fonts and all(fonts.values()), fonts


def appearance_fonts(widget) -> dict[str, bool]:
    """The fonts the stamp's appearance uses, and whether each is embedded."""
    from test_pdf_support import _collect_fonts

    found: dict[str, bool] = {}
    _collect_fonts(widget["/AP"]["/N"].get_object()["/Resources"], found)
    return found


def test_a_memo_without_annex_carries_it_under_the_footer_of_its_portrait_page(app, srisuk):
    with app.app_context():
        drafter = user("nattanipa")
        doc = service.create_draft(
            drafter,
            service.MemoContent(
                doc_type=DocType.GENERAL,
                issuing_unit="สำนักปลัด",
                doc_date=date(2026, 11, 2),
                subject="ขอเชิญประชุม",
                addressee=service.final_signer(drafter.org_id, DocType.GENERAL),
                sections=[("", "ขอเชิญประชุมคณะทำงานในวันจันทร์")],
            ),
        )
        db.session.commit()
        doc_id = doc.id
    _, data = approved_pdf(app, doc_id)
    last = PdfReader(io.BytesIO(data)).pages[-1]
    assert last.mediabox.width < last.mediabox.height
    assert_under_the_text_of_the_last_page(data)
    # the stamp spans the memo's text column: the left margin the text starts at (memo.css, from
    # pdf/page.py) to the right one
    _, _, widget = stamp_on(data)
    x1, _, x2, _ = (float(v) for v in widget["/Rect"])
    assert abs(x1 - leftmost_text(last)) < 1
    assert abs(x1 - MARGINS_CM["left"] * CM) < 1
    assert abs(float(last.mediabox.right) - x2 - MARGINS_CM["right"] * CM) < 1


def test_the_demo_certificates_stamp_says_it_is_a_test(app, srisuk):
    frozen, data = approved_pdf(app, srisuk.memo_id)
    assert frozen.seal["demo"] is True
    reader, _, widget = stamp_on(data)
    assert norm("ใบรับรองทดสอบ") in stamp_text(reader, widget)


def test_a_long_line_gets_smaller_type_never_a_second_line():
    width = 453  # a portrait page's text column, in points
    short = seal_stamp.type_size("ลงนามอิเล็กทรอนิกส์โดย อบต.ศรีสุข", width)
    assert short == seal_stamp.LARGEST_PT
    long_name = "องค์การบริหารส่วนตำบล" + "ศรีสุขใหญ่" * 12
    stamp = seal_stamp.Stamp(long_name, "๒๘ กุมภาพันธ์ ๒๕๖๙ เวลา ๐๘:๒๕ น.", "ABCDEFGHJK", True)
    smaller = seal_stamp.type_size(stamp.text, width)
    assert seal_stamp.SMALLEST_PT <= smaller < short
    # Thai vowel and tone marks take no width: they do not shrink the type
    marks = seal_stamp.type_size("ก" * 120, width)
    assert seal_stamp.SMALLEST_PT < marks < short
    assert seal_stamp.type_size("กั่" * 120, width) == marks
