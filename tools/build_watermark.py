"""Draw the draft watermark "ร่าง" of the PDF as outlines: templates/pdf/print/draft.svg.

Usage: python tools/build_watermark.py           write the file
       python tools/build_watermark.py --check   exit 1 if the file is not what the font gives

The watermark is decoration, so it is kept out of the PDF's text layer: printed as text it was
read into the memo's lines by `pdftotext -layout` and copy-paste, and, rotated, its tone mark
came out first ("่ราง"). Here HarfBuzz (the shaper WeasyPrint's Pango uses, loaded from the
system library Pango brings) shapes the word in the memo's bold font, and fontTools draws each
glyph where HarfBuzz placed it: the letters look as the font prints them, as shapes with no text.
"""

import sys
from pathlib import Path

from cffi import FFI
from fontTools.pens.boundsPen import BoundsPen
from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
FONT = ROOT / "static" / "fonts" / "THSarabunNew-Bold.ttf"
OUT = ROOT / "templates" / "pdf" / "print" / "draft.svg"
WORD = "ร่าง"
FILL = 'fill="#c80000" fill-opacity="0.13"'  # the draft marks' red, faint behind the text
MARGIN = 20  # font units around the ink

HB = """
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_font_t hb_font_t;
typedef struct hb_buffer_t hb_buffer_t;
typedef struct { uint32_t codepoint, mask, cluster, var1, var2; } hb_glyph_info_t;
typedef struct { int32_t x_advance, y_advance, x_offset, y_offset; uint32_t var; }
    hb_glyph_position_t;
hb_blob_t *hb_blob_create_from_file(const char *file_name);
hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index);
hb_font_t *hb_font_create(hb_face_t *face);
void hb_font_set_scale(hb_font_t *font, int x_scale, int y_scale);
hb_buffer_t *hb_buffer_create(void);
void hb_buffer_add_utf8(hb_buffer_t *buffer, const char *text, int text_length,
                        unsigned int item_offset, int item_length);
void hb_buffer_guess_segment_properties(hb_buffer_t *buffer);
void hb_shape(hb_font_t *font, hb_buffer_t *buffer, const void *features,
              unsigned int num_features);
hb_glyph_info_t *hb_buffer_get_glyph_infos(hb_buffer_t *buffer, unsigned int *length);
hb_glyph_position_t *hb_buffer_get_glyph_positions(hb_buffer_t *buffer, unsigned int *length);
void hb_buffer_destroy(hb_buffer_t *buffer);
void hb_font_destroy(hb_font_t *font);
void hb_face_destroy(hb_face_t *face);
void hb_blob_destroy(hb_blob_t *blob);
"""


def shape(font_path: Path, text: str, upem: int) -> list[tuple[int, int, int]]:
    """(glyph id, x, y) of each glyph of `text`, in font units, as HarfBuzz lays it out."""
    ffi = FFI()
    ffi.cdef(HB)
    hb = ffi.dlopen("libharfbuzz.so.0")
    blob = hb.hb_blob_create_from_file(str(font_path).encode())
    face = hb.hb_face_create(blob, 0)
    font = hb.hb_font_create(face)
    hb.hb_font_set_scale(font, upem, upem)
    buffer = hb.hb_buffer_create()
    data = text.encode()
    hb.hb_buffer_add_utf8(buffer, data, len(data), 0, len(data))
    hb.hb_buffer_guess_segment_properties(buffer)
    hb.hb_shape(font, buffer, ffi.NULL, 0)
    count = ffi.new("unsigned int *")
    infos = hb.hb_buffer_get_glyph_infos(buffer, count)
    positions = hb.hb_buffer_get_glyph_positions(buffer, count)
    placed, x = [], 0
    for i in range(count[0]):
        pos = positions[i]
        placed.append((infos[i].codepoint, x + pos.x_offset, pos.y_offset))
        x += pos.x_advance
    for destroy, thing in ((hb.hb_buffer_destroy, buffer), (hb.hb_font_destroy, font)):
        destroy(thing)
    hb.hb_face_destroy(face)
    hb.hb_blob_destroy(blob)
    return placed


def watermark_svg(font_path: Path = FONT, text: str = WORD) -> str:
    """The SVG of `text` as filled outlines, y pointing down, cropped to its ink."""
    font = TTFont(font_path)
    glyphs = font.getGlyphSet()
    upem = font["head"].unitsPerEm
    bounds, paths = BoundsPen(glyphs), []
    for gid, x, y in shape(font_path, text, upem):
        name = font.getGlyphName(gid)
        pen = SVGPathPen(glyphs)
        flip = (1, 0, 0, -1, x, -y)  # font units have y up; SVG has it down
        glyphs[name].draw(TransformPen(pen, flip))
        glyphs[name].draw(TransformPen(bounds, flip))
        paths.append(pen.getCommands())
    left, top, right, bottom = (round(v) for v in bounds.bounds)
    box = (left - MARGIN, top - MARGIN, right - left + 2 * MARGIN, bottom - top + 2 * MARGIN)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="{} {} {} {}" width="{}" height="{}">'
        '<path {} d="{}"/></svg>\n'.format(*box, box[2], box[3], FILL, " ".join(paths))
    )


def main(argv: list[str]) -> int:
    svg = watermark_svg()
    if argv[1:] == ["--check"]:
        if OUT.read_text() != svg:
            print(f"{OUT} is not what {FONT.name} draws; run tools/build_watermark.py")
            return 1
        return 0
    OUT.write_text(svg)
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
