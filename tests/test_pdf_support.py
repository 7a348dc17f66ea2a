"""Helpers of the PDF tests (imported by test_pdf_* and test_verify_*), and the tests of the helpers.

Text taken out of a WeasyPrint PDF is not the text that went in: Thai vowel and tone marks come
out moved or lost, and า / ำ swap (WeasyPrint issue #2841: "สำนักงาน" extracts as "สำนักงำน").
`norm` drops the marks, folds ำ into า and removes white space, on both sides of a comparison.
"""

import io
import re

import sqlalchemy as sa
from PIL import Image
from pypdf import PdfReader

from extensions import db
from models import Unit, User
from workflow import documents as service

# Thai marks above and below the line (mai han-akat, sara i..phinthu, maitaikhu..yamakkan).
MANGLED = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]|\\s")

CHAIN = [  # the demo chain of seed 000, with the comments the tests sign
    ("thanyarat", "เห็นควรเสนอเพื่อโปรดพิจารณา", "ได้ตรวจสอบแล้ว"),
    ("chuttikan", "เห็นควรอนุมัติ", "เห็นควรอนุมัติตามเสนอ"),
    ("nakarin", "อนุมัติ", "อนุมัติตามเสนอ"),
]


def norm(text: str) -> str:
    return MANGLED.sub("", text.replace("\u0e33", "\u0e32"))


def page_texts(pdf: bytes) -> list[str]:
    """The normalised text of each page."""
    return [norm(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def pdf_text(pdf: bytes) -> str:
    return "".join(page_texts(pdf))


def raw_text(pdf: bytes) -> str:
    """Text as extracted, for what comes out cleanly (Latin letters, digits, punctuation)."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def fonts(pdf: bytes) -> dict[str, bool]:
    """Every font the pages use, by base name without the subset tag, and whether it is embedded."""
    found: dict[str, bool] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        _collect_fonts(page["/Resources"], found)
    return found


def _collect_fonts(resources, found: dict[str, bool]) -> None:
    resources = resources.get_object()
    for font in resources.get("/Font", {}).values():
        font = font.get_object()
        name = str(font["/BaseFont"]).split("+")[-1]
        found[name] = _embedded(font)
    for xobject in resources.get("/XObject", {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
            _collect_fonts(xobject["/Resources"], found)


def _embedded(font) -> bool:
    descendants = font.get("/DescendantFonts")
    target = descendants[0].get_object() if descendants else font
    descriptor = target.get("/FontDescriptor")
    if descriptor is None:
        return False
    return any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def image_count(pdf: bytes) -> int:
    """Distinct images in the PDF (pages may share one resource dictionary)."""
    found = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"].get_object().get("/XObject", {}).values():
            if ref.get_object().get("/Subtype") == "/Image":
                found.add(ref.idnum)
    return len(found)


def png(width: int = 60, height: int = 30, color: str = "navy") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


def user(username: str) -> User:
    return db.session.scalars(sa.select(User).where(User.username == username)).one()


def approve(memo_id: int) -> None:
    """Submit the seed memo and sign it up the demo chain, through the services."""
    service.submit(memo_id, user("nattanipa"))
    db.session.commit()
    for username, decision, comment in CHAIN:
        service.decide(memo_id, user(username), decision=decision, comment=comment)
        db.session.commit()


def move_unit(name: str, offset: int) -> None:
    """The demo's admin moves a unit up (-1) or down (+1) the organisation's order."""
    from workflow.admin import org as admin_org

    unit = db.session.scalars(sa.select(Unit).where(Unit.name == name)).one()
    admin_org.move_unit(unit.id, user("admin"), offset)
    db.session.commit()


def test_norm_allows_for_the_known_thai_extraction_faults():
    assert norm("สำนักงาน") == norm("สำนักงำน") == norm("สานักงาน")
    assert norm("ความเห็น หัวหน้า\nสำนักปลัด") == norm("ควำมเหน็หวัหนำ้สำนักปลดั")


def test_norm_keeps_digits_and_latin_text():
    assert norm("เลขที่ สร ๘๓๒๐๑/๑๑๘๐ (ITA)").endswith("สร๘๓๒๐๑/๑๑๘๐(ITA)")
