"""The memo's page, in centimetres: one definition for memo.css (rendered with it: the @page
margins) and for what is placed by them in code (the seal's stamp, pdf/seal/stamp.py; an annex
row's measure, pdf/render.py). ระเบียบงานสารบรรณ: left 3 cm, right 2 cm."""

from types import MappingProxyType

A4_CM = (21.0, 29.7)  # width, height; an annex page turns it landscape
MARGINS_CM = MappingProxyType({"top": 2.5, "right": 2.0, "bottom": 2.0, "left": 3.0})
FIRST_TOP_CM = 1.5  # the first page has no page number above its heading

# The text column's width on an annex page (A4 landscape).
ANNEX_WIDTH_CM = A4_CM[1] - MARGINS_CM["left"] - MARGINS_CM["right"]


def css_margin() -> str:
    """The @page margin shorthand: top right bottom left."""
    return " ".join(f"{MARGINS_CM[side]:g}cm" for side in ("top", "right", "bottom", "left"))
