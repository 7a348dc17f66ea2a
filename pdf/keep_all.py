"""CSS `word-break: keep-all` for Thai in WeasyPrint: a line ends inside Thai text only where the
text itself marks a break (a zero-width space or a space), never where libthai guesses one.

WeasyPrint 70 accepts only `normal` and `break-all`. This accepts `keep-all` too and, for text
styled with it, gives Pango a "no breaks" attribute (`pango_attr_allow_breaks_new`, Pango 1.44)
over every run of Thai letters (of a layout that wraps: a line set again to be drawn ends
nowhere, and needs none). `pdf/words.py` puts the zero-width spaces between words;
the memo's stylesheet sets `keep-all` on the text that went through it (`.tw`). Text styled
otherwise lays out as WeasyPrint always does.

It replaces one box per Thai word (`white-space: nowrap` spans), which WeasyPrint laid out and
styled one by one: the same line breaks, faster (docs/benchmarks.md, "PDF rendering").

Installed once, on import of `pdf.render`; `install` refuses loudly if WeasyPrint's
internals it relies on have changed, rather than printing words split.
"""

import re

from weasyprint.css.tokens import get_single_keyword
from weasyprint.css.validation import properties as css_properties
from weasyprint.text import line_break
from weasyprint.text.ffi import ffi, pango

# Thai letters, vowels and marks (U+0E01-U+0E4E, not the digits) in UTF-8, the encoding Pango's
# attribute offsets count in: found in the bytes, a run's offsets need no counting.
THAI_RUN = re.compile(b"(?:\xe0\xb8[\x81-\xbf]|\xe0\xb9[\x80-\x8e]){2,}")
UNWRAPPED = -1  # a Pango layout's width when it wraps no line

_installed = False


def install() -> None:
    global _installed
    if _installed:
        return
    layout = line_break.Layout
    if not (
        "word-break" in css_properties.PROPERTIES
        and callable(getattr(layout, "setup", None))
        and callable(getattr(layout, "set_text", None))
    ):
        raise RuntimeError("WeasyPrint changed: pdf/keep_all.py must be revised")
    ffi.cdef(
        """
        PangoAttribute * pango_attr_allow_breaks_new (gboolean allow_breaks);
        PangoAttrList * pango_attr_list_copy (PangoAttrList *list);
        int pango_layout_get_width (PangoLayout *layout);
        """
    )
    _accept_keep_all()
    setup, set_text = layout.setup, layout.set_text

    def setup_keeping_attributes(self, style):
        setup(self, style)
        # the attributes setup() made (font features): each text starts again from them
        found = pango.pango_layout_get_attributes(self.layout)
        self.setup_attributes = (
            None
            if found == ffi.NULL
            else ffi.gc(pango.pango_attr_list_copy(found), pango.pango_attr_list_unref)
        )

    def set_text_keeping_words(self, text, justify=False):
        if self.style["word_break"] != "keep-all":
            return set_text(self, text, justify)
        # a layout is reused for other text: no attribute of the text before may stay
        pango.pango_layout_set_attributes(self.layout, _copy(self.setup_attributes))
        set_text(self, text, justify)
        # a layout without a width (a line already split, set again to be drawn) ends no line
        if pango.pango_layout_get_width(self.layout) != UNWRAPPED:
            _keep_thai_runs(self)

    layout.setup = setup_keeping_attributes
    layout.set_text = set_text_keeping_words
    _installed = True


def _accept_keep_all() -> None:
    validate = css_properties.PROPERTIES["word-break"]

    def word_break(tokens):
        if get_single_keyword(tokens) == "keep-all":
            return "keep-all"
        return validate(tokens)

    word_break.__dict__.update(validate.__dict__)
    css_properties.PROPERTIES["word-break"] = word_break


def _copy(attributes):
    if attributes is None:
        return ffi.NULL
    return ffi.gc(pango.pango_attr_list_copy(attributes), pango.pango_attr_list_unref)


def _keep_thai_runs(layout) -> None:
    runs = list(THAI_RUN.finditer(layout.text.encode()))
    if not runs:
        return
    attributes = pango.pango_layout_get_attributes(layout.layout)
    if attributes == ffi.NULL:
        attributes = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    no_breaks, insert = pango.pango_attr_allow_breaks_new, pango.pango_attr_list_insert
    for run in runs:
        attribute = no_breaks(False)
        attribute.start_index, attribute.end_index = run.span()
        insert(attributes, attribute)
    pango.pango_layout_set_attributes(layout.layout, attributes)
