"""The one way a PDF is made: plain data in, PDF bytes out.

The template gets plain data only (no ORM objects, no request), autoescaped, so a memo body with
HTML or CSS in it prints as text. WeasyPrint fetches nothing but what `LockedFetcher` serves: the
app's own fonts and print assets under the `asset:` scheme, and the organisation's stored images
under `storage:`, only for the keys the data lists. Any other URL stops the rendering, so a missing
font can never fall back silently to another one.
"""

import gc
import re
import threading
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from tinyhtml5 import inputstream
from weasyprint import CSS, HTML
from weasyprint import html as weasy_html
from weasyprint.css.counters import CounterStyle
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

import storage
from pdf import keep_all, page, words

keep_all.install()  # `word-break: keep-all` for Thai, which the memo's text is styled with


class _PatternsByCharacters(dict):
    """tinyhtml5's cache of `chars_until` patterns (2.1.0 stores each under the compiled
    pattern, not the characters it looks up, so it never hits: 2,900 patterns built per parse
    of the analysis memo, 40 % of the parse). Filled on lookup, with the same patterns."""

    def __missing__(self, key):
        characters, opposite = key
        ranges = "".join(f"\\x{ord(character):02x}" for character in characters)
        pattern = re.compile(f"[{ranges}]+" if opposite else f"[^{ranges}]+")
        self[key] = pattern
        return pattern


if type(getattr(inputstream, "characters_until_regex", None)) is dict:
    inputstream.characters_until_regex = _PatternsByCharacters()

APP_ROOT = Path(__file__).resolve().parent.parent
PRINT_TEMPLATES = APP_ROOT / "templates" / "pdf" / "print"

# name after "asset:" -> (file, media type). Nothing else under the app root is reachable.
ASSETS = {
    "fonts/THSarabunNew-Regular.ttf": (
        APP_ROOT / "static/fonts/THSarabunNew-Regular.ttf",
        "font/ttf",
    ),
    "fonts/THSarabunNew-Bold.ttf": (APP_ROOT / "static/fonts/THSarabunNew-Bold.ttf", "font/ttf"),
    "print/dots.svg": (PRINT_TEMPLATES / "dots.svg", "image/svg+xml"),
    "print/draft.svg": (PRINT_TEMPLATES / "draft.svg", "image/svg+xml"),
    "css/charts.css": (APP_ROOT / "static/css/charts.css", "text/css"),
}
IMAGE_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
PLAIN_TYPES = (str, int, float, bool, type(None))


class RefusedURL(ValueError):
    """The renderer asked for something it may not have."""


class RenderFailed(RuntimeError):
    """A resource the memo needs could not be fetched, so no PDF was made (never a fallback)."""


class LockedFetcher(URLFetcher):
    """Serves the app's assets and the listed stored images; refuses everything else."""

    def __init__(self, image_keys: list[str]):
        super().__init__(allowed_protocols=("asset", "storage"), fail_on_errors=True)
        self.image_keys = frozenset(image_keys)

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        scheme, _, name = url.partition(":")
        if scheme == "asset" and name in ASSETS:
            path, media_type = ASSETS[name]
            return _response(url, path.read_bytes(), media_type)
        if scheme == "storage" and name in self.image_keys:
            data = storage.path_of(name).read_bytes()
            return _response(url, data, image_type(data))
        raise RefusedURL(f"the PDF renderer may not fetch {url!r}")


def image_type(data: bytes) -> str:
    """The media type of a PNG or JPEG, told by its first bytes; anything else is refused."""
    for magic, media_type in IMAGE_TYPES.items():
        if data.startswith(magic):
            return media_type
    raise RefusedURL("a stored image is neither PNG nor JPEG")


def _response(url: str, body: bytes, media_type: str) -> URLFetcherResponse:
    return URLFetcherResponse(url, body, {"Content-Type": media_type})


@cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(PRINT_TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["words"] = words.breakable  # lines end between words only (pdf/words.py)
    env.tests["taller_than_a_page"] = taller_than_a_page
    return env


# An annex page (A4 landscape, memo.css): page.ANNEX_WIDTH_CM (24.7 cm) of text width and room
# for about 22 lines of 14 pt under the repeated heading row; TH Sarabun prints about 6.5
# characters per cm at 14 pt.
ANNEX_LINES, CHARS_PER_CM = 22, 6.5


def taller_than_a_page(row: list, columns: list[dict]) -> bool:
    """Whether an annex row would not fit on one page (estimated from its text). Such a row may
    split; every other row is kept whole (WeasyPrint, asked to keep a row that cannot fit whole,
    also stops repeating the heading row on the pages it fills)."""
    tallest = 0
    for cell, column in zip(row, columns, strict=False):
        width_cm = page.ANNEX_WIDTH_CM * float(str(column["width"]).rstrip("%")) / 100 - 0.3
        per_line = max(int(width_cm * CHARS_PER_CM), 1)
        lines = sum(
            -(-len(str(line.get("name", "") if isinstance(line, dict) else line)) // per_line) or 1
            for line in cell
        )
        tallest = max(tallest, lines)
    return tallest > ANNEX_LINES


def require_plain(value, where: str = "memo") -> None:
    """Refuse anything but dicts, lists and scalars: ORM objects never reach a template."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{where} has a key that is not a string: {key!r}")
            require_plain(item, f"{where}.{key}")
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            require_plain(item, f"{where}[{i}]")
    elif not isinstance(value, PLAIN_TYPES):
        raise TypeError(f"{where} is a {type(value).__name__}, not plain data")


def render_html(data: dict) -> str:
    require_plain(data)
    return _environment().get_template("memo.html").render(memo=data)


def warm_up() -> None:
    """Load Pango, fontconfig and the memo's fonts now, not in the first approval (gunicorn
    calls this in each worker before it takes requests)."""
    words.warm_up()
    font_config, sheets = _stylesheets(False)
    MemoHTML(string="<p>บันทึกข้อความ</p>", url_fetcher=LockedFetcher([])).write_pdf(
        stylesheets=sheets, font_config=font_config
    )
    # Everything loaded so far lives as long as the process (the Thai dictionary alone is ~900,000
    # objects): out of the collector's sight, a render's full collections no longer walk it.
    gc.freeze()


_parsed = threading.local()


def _stylesheets(thai_digits: bool) -> tuple[FontConfiguration, list[CSS]]:
    """charts.css and memo.css parsed, with the fonts they load, once per thread (Pango's font
    configuration is not shared between threads) and per digit style: parsing them took about
    20 ms of every render. Keyed by the asset files too, so a changed one is read again."""

    def parse(fetcher: LockedFetcher) -> list[str]:
        memo_css = (
            _environment()
            .get_template("memo.css")
            .render(
                memo={"thai_digits": thai_digits},
                page={"margin": page.css_margin(), "first_top": f"{page.FIRST_TOP_CM:g}"},
            )
        )
        return [fetcher.fetch("asset:css/charts.css").read().decode(), memo_css]

    return _parsed_once(("memo", thai_digits), parse)


def _parsed_once(kind: tuple, sources) -> tuple[FontConfiguration, list[CSS]]:
    key = (*kind, tuple(sorted((name, str(path)) for name, (path, _) in ASSETS.items())))
    cache = _parsed.__dict__.setdefault("sheets", {})
    if key not in cache:
        fetcher = LockedFetcher([])
        font_config = FontConfiguration()
        sheets = [
            CSS(string=text, url_fetcher=fetcher, font_config=font_config)
            for text in sources(fetcher)
        ]
        cache[key] = (font_config, sheets)
    return cache[key]


# WeasyPrint's user-agent rules that style a pseudo-element of every element: they made it compute
# six extra styles (::marker, ::footnote-*, ::note-*) for each of a memo's ~1,400 elements, about
# a tenth of a render. A memo's list items are <li> (the only `display: list-item` of the
# user-agent sheet and ours) and it has no footnotes or notes (`float: footnote`, `note`).
UA_EVERY_ELEMENT = ("::marker {", "::footnote-call {", "::footnote-marker {", "::note-")
UA_MARKER_FOR_LIST_ITEMS = "li::marker {"


class MemoHTML(HTML):
    """The memo's HTML, styled by WeasyPrint's user-agent sheet without its rules for every
    element's pseudo-elements (the ::marker rule kept for <li>): the same printed result."""

    def _ua_stylesheets(self, forms=False):
        return [_memo_ua_stylesheet()]


@cache
def _memo_ua_stylesheet() -> CSS:
    kept = []
    for line in weasy_html.UA.splitlines():
        if line.startswith(UA_EVERY_ELEMENT[0]):
            line = line.replace(UA_EVERY_ELEMENT[0], UA_MARKER_FOR_LIST_ITEMS, 1)
        elif line.startswith(UA_EVERY_ELEMENT[1:]):
            continue
        kept.append(line)
    dropped = len(weasy_html.UA.splitlines()) - len(kept)
    if dropped != 5 or sum(UA_MARKER_FOR_LIST_ITEMS in line for line in kept) != 1:
        raise RuntimeError("WeasyPrint's user-agent stylesheet changed: revise pdf/render.py")
    # its @counter-style rules are WeasyPrint's own, already known: parse them into a copy
    return CSS(string="\n".join(kept), counter_style=CounterStyle())


# PDF/A-3b: archival (fonts embedded, colours defined, XMP metadata with title, subject, author
# and language), the profile ETDA's recommendation for signed documents (ขมธอ. 11-2560) names.
PDF_VARIANT = "pdf/a-3b"


def render_pdf(data: dict) -> bytes:
    """The memo described by `data` (see pdf.data.memo_data) as PDF/A-3b bytes."""
    fetcher = LockedFetcher(list(data.get("image_keys", [])))
    html = MemoHTML(string=render_html(data), base_url=None, url_fetcher=fetcher)
    try:
        font_config, sheets = _stylesheets(bool(data.get("thai_digits")))
        return html.write_pdf(stylesheets=sheets, font_config=font_config, pdf_variant=PDF_VARIANT)
    except FatalURLFetchingError as error:  # a BaseException: make it an ordinary failure
        raise RenderFailed(str(error)) from error.__cause__


def render_stamp(data: dict) -> bytes:
    """The seal's visible stamp (pdf/seal/stamp.py) as a one-page PDF of its own size, laid out
    by the same engine and font as the memo, so its Thai shapes as the memo's does."""
    require_plain(data, "stamp")
    html = _environment().get_template("stamp.html").render(stamp=data)
    font_config, sheets = _parsed_once(
        ("stamp",), lambda _: [_environment().get_template("stamp.css").render()]
    )
    document = HTML(string=html, base_url=None, url_fetcher=LockedFetcher([]))
    try:
        return document.write_pdf(
            stylesheets=sheets, font_config=font_config, pdf_variant=PDF_VARIANT
        )
    except FatalURLFetchingError as error:
        raise RenderFailed(str(error)) from error.__cause__
