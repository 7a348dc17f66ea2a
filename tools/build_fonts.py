"""Build the PDF fonts in static/fonts/ from TH Sarabun New 1.35 (SIPA), reproducibly.

Usage: python tools/build_fonts.py SOURCE_DIR   (SOURCE_DIR holds THSarabunNew-{Regular,Bold}.ttf,
e.g. odoo/addons/l10n_th_base_utils/static/fonts/thai/THSarabunNew/ of the PyPI wheel
odoo-addon-l10n-th-base-utils 19.0.2.0.0; see static/fonts/README.md).

The one change to the font: the text a PDF reader copies. HarfBuzz shapes SARA AM (ำ) as NIKHAHIT
+ SARA AA (ํ + า) and merges them, with any tone mark between, into one cluster. WeasyPrint maps each
glyph to the text of the first cluster it met it in, so with one glyph for า every า of a document
could copy as ำ (WeasyPrint #2841) and a tone mark first met before ำ could copy as nothing. This
adds a distinct glyph for each glyph of such a cluster, so that each glyph only ever appears in one
kind of cluster and maps to the same text every time:

    ํ + า          -> uni0E4D.am + uni0E32.am        copies as "" + "ำ"
    ํ + ่ + า      -> uni0E4D.am + uni0E48.am + uni0E32.am48   copies as "" + "" + "่ำ"

The new glyphs are outline copies, so nothing printed changes. The substitution is one chaining
lookup appended after the font's own (so its variants, e.g. a tone mark moved left beside ป, are
already chosen), in the Thai script's feature.

The second change is where a PDF reader finds each mark. The font draws its vowel and tone marks
with no advance, to the left of their origin, so a mark's origin is where the next letter starts.
Poppler (pdftotext, and the readers built on it) orders the letters of a line by their origins and
takes two at the same place for text printed twice: "ที่อ" came out as "ทีอ่". Here each mark's
outline moves right by a few units and a positioning rule moves the mark left by as many, so the
ink stays where it was while the origin moves inside the letter it sits on: an upper or lower
vowel 20 units (of 1000) before the next letter, a tone mark (or ์ ํ ๎) after the vowel 10 units
before it. Each origin is then strictly after the one before, and the gaps (at most 0.02 em) stay
below the 0.03 em poppler reads as a space.
"""

import copy
import sys
from datetime import date
from pathlib import Path

from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import otTables as ot

TONES = ("uni0E48", "uni0E49", "uni0E4A", "uni0E4B")
# Where each mark's origin is moved, in font units before the next letter (see above).
VOWEL_MARKS = ("uni0E31", "uni0E34", "uni0E35", "uni0E36", "uni0E37", "uni0E38", "uni0E39")
VOWEL_MARKS += ("uni0E3A", "uni0E47")
LATER_MARKS = ("uni0E48", "uni0E49", "uni0E4A", "uni0E4B", "uni0E4C", "uni0E4D", "uni0E4E")
MARK_SHIFT = {**dict.fromkeys(VOWEL_MARKS, 20), **dict.fromkeys(LATER_MARKS, 10)}
OUT = Path(__file__).resolve().parent.parent / "static" / "fonts"
NOTICE = (
    "Modified {day} by ita-workflow (tools/build_fonts.py): distinct glyphs for SARA AM's parts and "
    "mark origins inside the letter they sit on, so that text copied from a PDF is right; the "
    "printed shapes and their places are unchanged."
)


def _copy_glyph(font: TTFont, name: str, new_name: str) -> None:
    glyf, hmtx = font["glyf"], font["hmtx"]
    glyf.glyphs[new_name] = copy.deepcopy(glyf[name])
    hmtx.metrics[new_name] = hmtx.metrics[name]
    order = font.getGlyphOrder()
    order.append(new_name)
    font.setGlyphOrder(order)
    glyf.glyphOrder = order


def _single(mapping: dict[str, str]) -> ot.Lookup:
    sub = ot.SingleSubst()
    sub.mapping = dict(mapping)
    return _lookup(1, [sub])


def _lookup(kind: int, subtables) -> ot.Lookup:
    lookup = ot.Lookup()
    lookup.LookupType = kind
    lookup.LookupFlag = 0
    lookup.SubTable = list(subtables)
    lookup.SubTableCount = len(subtables)
    return lookup


def _coverage(glyphs) -> ot.Coverage:
    coverage = ot.Coverage()
    coverage.glyphs = list(glyphs)
    return coverage


def _chain(backtrack, inputs, lookahead, actions) -> ot.ChainContextSubst:
    """A format-3 chaining rule; backtrack is given in text order (it is stored reversed)."""
    rule = ot.ChainContextSubst()
    rule.Format = 3
    rule.BacktrackCoverage = [_coverage(g) for g in reversed(backtrack)]
    rule.BacktrackGlyphCount = len(backtrack)
    rule.InputCoverage = [_coverage(g) for g in inputs]
    rule.InputGlyphCount = len(inputs)
    rule.LookAheadCoverage = [_coverage(g) for g in lookahead]
    rule.LookAheadGlyphCount = len(lookahead)
    records = []
    for index, lookup_index in actions:
        record = ot.SubstLookupRecord()
        record.SequenceIndex = index
        record.LookupListIndex = lookup_index
        records.append(record)
    rule.SubstLookupRecord = records
    rule.SubstCount = len(records)
    return rule


def build(source: Path, style: str) -> TTFont:
    font = TTFont(source / f"THSarabunNew-{style}.ttf")
    for table in ("hdmx", "LTSH", "VDMX"):  # per-glyph device metrics, optional: not extended
        if table in font:
            del font[table]
    order = font.getGlyphOrder()
    nikhahit = sorted(g for g in order if g.split(".")[0] == "uni0E4D")
    tone_variants = {t: sorted(g for g in order if g.split(".")[0] == t) for t in TONES}

    for name in nikhahit:
        _copy_glyph(font, name, f"{name}.am")
    _copy_glyph(font, "uni0E32", "uni0E32.am")
    for tone, variants in tone_variants.items():
        _copy_glyph(font, "uni0E32", f"uni0E32.am{tone[-2:]}")
        for name in variants:
            _copy_glyph(font, name, f"{name}.am")

    gsub = font["GSUB"].table
    lookups = gsub.LookupList.Lookup
    first = len(lookups)
    all_tones = [g for variants in tone_variants.values() for g in variants]
    singles = (
        [
            _single({n: f"{n}.am" for n in nikhahit}),  # first + 0
            _single({"uni0E32": "uni0E32.am"}),  # first + 1
            _single({g: f"{g}.am" for g in all_tones}),  # first + 2
        ]
        + [_single({"uni0E32": f"uni0E32.am{t[-2:]}"}) for t in TONES]
    )  # first + 3 ..
    rules = [
        # ํ + tone + า  (HarfBuzz puts NIKHAHIT before the tone marks)
        _chain(
            [],
            [nikhahit, variants, ["uni0E32"]],
            [],
            [(0, first + 0), (1, first + 2), (2, first + 3 + i)],
        )
        for i, variants in enumerate(tone_variants.values())
    ] + [_chain([], [nikhahit, ["uni0E32"]], [], [(0, first + 0), (1, first + 1)])]
    lookups.extend(singles)
    lookups.append(_lookup(6, rules))
    gsub.LookupList.LookupCount = len(lookups)
    chain_index = len(lookups) - 1

    features = gsub.FeatureList.FeatureRecord
    for script in gsub.ScriptList.ScriptRecord:
        if script.ScriptTag == "thai":
            for feature_index in script.Script.DefaultLangSys.FeatureIndex:
                features[feature_index].Feature.LookupListIndex.append(chain_index)
                features[feature_index].Feature.LookupCount += 1

    _origins_inside(font)
    font["name"].setName(NOTICE.format(day=date.today().isoformat()), 10, 3, 1, 0x409)
    return font


def _origins_inside(font: TTFont) -> None:
    """Every mark glyph (its variants and the copies above included) drawn `MARK_SHIFT` units
    further right, and placed as many units left by a single-adjustment lookup in the kerning
    feature (the font's only positioning feature; HarfBuzz applies the Latin script's features
    to Thai in a font that has no Thai script in GPOS)."""
    glyf, hmtx = font["glyf"], font["hmtx"]
    shifts = {
        name: MARK_SHIFT[name.split(".")[0]]
        for name in font.getGlyphOrder()
        if name.split(".")[0] in MARK_SHIFT
    }
    for name, shift in shifts.items():
        glyph = glyf[name]
        if glyph.isComposite():
            for component in glyph.components:
                component.x += shift
        elif glyph.numberOfContours:
            glyph.coordinates.translate((shift, 0))
        glyph.recalcBounds(glyf)
        advance, _ = hmtx[name]
        hmtx[name] = (advance, getattr(glyph, "xMin", 0))

    subtables = []
    for shift in sorted(set(shifts.values())):
        sub = ot.SinglePos()
        sub.Format = 1
        sub.Coverage = _coverage([n for n in font.getGlyphOrder() if shifts.get(n) == shift])
        sub.ValueFormat = 0x0001  # XPlacement
        sub.Value = ot.ValueRecord()
        sub.Value.XPlacement = -shift
        subtables.append(sub)
    gpos = font["GPOS"].table
    lookups = gpos.LookupList.Lookup
    lookups.append(_lookup(1, subtables))
    gpos.LookupList.LookupCount = len(lookups)
    for record in gpos.FeatureList.FeatureRecord:
        if record.FeatureTag == "kern":
            record.Feature.LookupListIndex.append(len(lookups) - 1)
            record.Feature.LookupCount += 1


def main(argv: list[str]) -> None:
    source = Path(argv[1])
    for style in ("Regular", "Bold"):
        build(source, style).save(OUT / f"THSarabunNew-{style}.ttf")


if __name__ == "__main__":
    main(sys.argv)
