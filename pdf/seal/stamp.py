"""The seal's visible stamp: one framed line in the last page's bottom margin, under the footer.

It says who sealed the file, when (the organisation's digits, B.E.) and the verification code;
a demo certificate's stamp says so. pyHanko lays out stamp text in an OpenType font only through
HarfBuzz's Python binding (uharfbuzz, pyHanko's [opentype] extra), which is not installed here,
and Thai without shaping puts vowels and tone marks in the wrong place. So the renderer lays the
line out (WeasyPrint: Pango and HarfBuzz with TH Sarabun New, as the memo itself) as a one-page
PDF of the stamp's size, and pyHanko draws that page as the signature field's appearance.
"""

import math
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from io import BytesIO

from fontTools.ttLib import TTFont
from pyhanko.pdf_utils import content, layout
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.rw_common import find_inherited_value_in_tree
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.stamp import StaticStampStyle

from models import Organisation
from pdf.data import Fmt
from pdf.page import MARGINS_CM
from pdf.render import ASSETS, render_stamp

CM = 72 / 2.54
# The page's margins (pdf/page.py, as memo.css has them): the text column runs from the left
# margin to the right one, the bottom margin is 2 cm, and the footer's line sits at its top (its
# lowest marks ~1.2 cm above the edge). The stamp takes the column's width under the footer,
# clear of the edge a printer cannot reach. In whole points: pyHanko sizes the appearance in
# whole points, and a page of another size would be scaled to fit it.
LEFT, RIGHT = round(MARGINS_CM["left"] * CM), round(MARGINS_CM["right"] * CM)
BOTTOM, HEIGHT = 11, 19  # 0.39 cm above the edge, 0.67 cm tall
# The stamp's type is at most 11 pt, smaller when the line would not fit (a long organisation
# name), never under 7 pt; stamp.css pads the line by 4 pt on each side.
LARGEST_PT, SMALLEST_PT, PADDING = 11.0, 7.0, 4
DEMO = "ใบรับรองทดสอบ ไม่มีผลทางกฎหมาย"


@dataclass(frozen=True)
class Stamp:
    """What the stamp says; `page` lays it out for a page of a given width."""

    signer: str
    when: str
    code: str
    demo: bool

    @classmethod
    def of(cls, org: Organisation, when: datetime, code: str, demo: bool) -> "Stamp":
        return cls(org.name, Fmt(org.thai_digits).moment(when), code, demo)

    @property
    def text(self) -> str:
        """The line as the stamp prints it (stamp.html), for sizing and tests."""
        parts = [f"ลงนามอิเล็กทรอนิกส์โดย {self.signer}", self.when]
        if self.code:
            parts.append(f"รหัสตรวจสอบ {self.code}")
        if self.demo:
            parts.append(DEMO)
        return " · ".join(parts)

    def page(self, width: int) -> bytes:
        """The stamp as a PDF page `width` points wide."""
        return render_stamp(
            {
                "signer": self.signer,
                "when": self.when,
                "code": self.code,
                "demo": DEMO if self.demo else "",
                "width": width,
                "height": HEIGHT,
                "font_size": type_size(self.text, width),
            }
        )


def type_size(text: str, width: float) -> float:
    """The largest size up to LARGEST_PT at which `text` fits `width` points on one line."""
    advances, em = _bold_advances()
    units = sum(advances.get(ord(c), em) for c in text)  # Thai marks advance by 0 in this font
    size = (width - 2 * PADDING) * em / max(units, 1)
    return max(SMALLEST_PT, min(LARGEST_PT, math.floor(size * 10) / 10))


@cache
def _bold_advances() -> tuple[dict[int, int], int]:
    """Each character's advance in TH Sarabun New Bold (wider than the regular weight, so a
    line measured in it fits in either) and the font's units per em."""
    with TTFont(ASSETS["fonts/THSarabunNew-Bold.ttf"][0]) as font:
        metrics = font["hmtx"].metrics
        advances = {code: metrics[glyph][0] for code, glyph in font.getBestCmap().items()}
        return advances, font["head"].unitsPerEm


def box(writer: BasePdfFileWriter) -> tuple[int, int, int, int]:
    """Where the stamp goes on the file's last page: the text column's width, under the footer."""
    page_ref, _ = writer.find_page_for_modification(-1)
    media_box = find_inherited_value_in_tree(page_ref.get_object(), "/MediaBox", "/Parent")
    x1, y1, x2, _ = (round(float(v)) for v in media_box)
    return (x1 + LEFT, y1 + BOTTOM, x2 - RIGHT, y1 + BOTTOM + HEIGHT)


def style(page: bytes) -> StaticStampStyle:
    """pyHanko's appearance for the field: the stamp's page as it is, no border of its own."""
    return StaticStampStyle(
        background=_ImportedPage(page),
        border_width=0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0),
        ),
    )


class _ImportedPage(content.PdfContent):
    """A PDF's first page from bytes as a form XObject (pyHanko's ImportedPdfPage reads a file)."""

    def __init__(self, pdf: bytes):
        super().__init__()
        self.pdf = pdf

    def render(self) -> bytes:
        xobject = self._ensure_writer.import_page_as_xobject(PdfFileReader(BytesIO(self.pdf)))
        self.resources.xobject["/Stamp"] = xobject
        x1, y1, x2, y2 = xobject.get_object()["/BBox"]
        self.box = layout.BoxConstraints(width=abs(x2 - x1), height=abs(y2 - y1))
        return b"/Stamp Do"
