"""Where a printed Thai line may break: between words only, never inside one.

Thai is written without spaces, so a renderer must guess where words end. WeasyPrint leaves the
guess to Pango's libthai, whose dictionary splits compounds of official Thai ("หน่วย / งาน",
"ข้อเสนอ / แนะ", "ปี / งบประมาณ") and breaks lines there. The memo decides itself: pythainlp's
dictionary segmentation (newmm) cuts the text, and a few official terms the segmenter splits are
joined again; a zero-width space between two Thai words marks where a line may end, and the
element the text goes in is styled `word-break: keep-all` (class `tw` in the print templates: on
the paragraph or cell line itself, a span only where the element holds other text too; a span
around every text was one more box each to style and lay out),
which `pdf/keep_all.py` makes mean "no line ends inside a run of Thai letters". Zero-width spaces draw nothing and copy as nothing,
so the PDF's text is still what was typed.
"""

import re
from functools import lru_cache

from markupsafe import Markup, escape
from pythainlp.tokenize import word_dict_trie, word_tokenize
from weasyprint.text.line_break import get_log_attrs

import thai

ZWSP = "\u200b"
LONGEST_WORD = 24  # a longer run the dictionary does not know may still break where libthai says

# Words of official memos that pythainlp's dictionary splits or does not know. A line never ends
# inside one of them.
OFFICIAL_TERMS = (
    "หน่วยงาน",
    "ข้อเสนอแนะ",
    "ลงวันที่",
    "งบประมาณ",
    "ปีงบประมาณ",
    "คุ้มค่า",
    "รักษาราชการแทน",
    "ปฏิบัติราชการแทน",
    "มาตรการ",
    "ตัวชี้วัด",
    "ผู้รับผิดชอบ",
    "การติดตามผล",
    "การกำกับติดตาม",
    "ผลการดำเนินงาน",
    "ดำเนินงาน",
    "ดำเนินการ",
    "ความโปร่งใส",
    "คุณธรรม",
    "ส่วนราชการ",
    "สำนักปลัด",
    "องค์การบริหารส่วนตำบล",
    "องค์การบริหารส่วนจังหวัด",
    "เทศบาลตำบล",
    "เทศบาลเมือง",
    "เทศบาลนคร",
    "ผู้บริหาร",
    "ผู้ใช้บริการ",
    "ผู้มีส่วนได้ส่วนเสีย",
    "ส่วนได้ส่วนเสีย",
    "เปิดเผยข้อมูล",
    "สาธารณะ",
    "ทุจริต",
    "ประพฤติมิชอบ",
    "ผลประโยชน์ทับซ้อน",
    "จัดซื้อจัดจ้าง",
    "ทรัพย์สิน",
    "ราชการ",
    "แบบวัดการรับรู้",
    "ประจำปีงบประมาณ",
)


def _dictionary():
    """pythainlp's own dictionary, the one the search index already holds in memory (a second
    trie with the official terms added would cost another ~200 MiB and slow every render
    through the garbage collector, which would walk its millions of nodes)."""
    return word_dict_trie()


def segments(text: str) -> list[str]:
    """The text cut into words (spaces kept as their own tokens). Official terms the
    segmenter splits are joined again; a dictionary entry longer than a box (a name like
    สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ) is cut again into the longest dictionary
    words it starts with, so that a line may end between those."""
    if not text:
        return []
    found: list[str] = []
    for token in _joined(word_tokenize(text, engine="newmm", keep_whitespace=True)):
        found.extend(_shorter(token) if len(token) > LONGEST_WORD else [token])
    return found


def _joined(tokens: list[str]) -> list[str]:
    """Tokens with each run of up to four that spells an official term made one."""
    joined: list[str] = []
    i = 0
    while i < len(tokens):
        for size in (4, 3, 2):
            if "".join(tokens[i : i + size]) in TERMS:
                joined.append("".join(tokens[i : i + size]))
                i += size
                break
        else:
            joined.append(tokens[i])
            i += 1
    return _regrouped(joined)


def _regrouped(tokens: list[str]) -> list[str]:
    """ "มาตร|การปรับปรุง" -> "มาตรการ|ปรับปรุง": a term cut across two tokens is made whole when
    what is left of the second is a dictionary word."""
    trie = _dictionary()
    out = list(tokens)
    for i in range(len(out) - 1):
        head, tail = out[i], out[i + 1]
        for cut in range(1, len(tail)):
            if head + tail[:cut] in TERMS and tail[cut:] in trie:
                out[i], out[i + 1] = head + tail[:cut], tail[cut:]
                break
    return out


def _shorter(token: str) -> list[str]:
    parts, trie = [], _dictionary()
    while len(token) > LONGEST_WORD:
        prefixes = [p for p in trie.prefixes(token) if len(p) < len(token)]
        if not prefixes:
            break
        head = max(prefixes, key=len)
        parts.append(head)
        token = token[len(head) :]
    return [*parts, token] if token else parts


TERMS = frozenset(OFFICIAL_TERMS)


def _is_thai_word(token: str) -> bool:
    return any("\u0e01" <= ch <= "\u0e4e" for ch in token)


URL = re.compile(r"https?://[^\s<>\"']+")
_DIGIT = "[0-9๐-๙]"
_MONTH = "|".join(thai.MONTHS)
# Printed whole, as on paper: a date ("๓๑ มกราคม ๒๕๖๘"), a year ("พ.ศ. ๒๕๖๘").
WHOLE = re.compile(
    rf"(?P<url>{URL.pattern})"
    rf"|(?P<date>{_DIGIT}{{1,2}} (?:{_MONTH}) (?:พ\.ศ\. ?)?{_DIGIT}{{4}})"
    rf"|(?P<year>พ\.ศ\. ?{_DIGIT}{{4}})"
)
URL_BREAK = re.compile(r"(?<=[?&])|(?<=/)(?!/)")  # after ? and &, after a / not followed by /


def breakable(text) -> Markup:
    """Escaped HTML of `text` in which lines end only between words, a URL only after / ? &
    (and it is a link). The element holding it (or a span around it) carries class `tw`."""
    return Markup(_breakable("" if text is None else str(text)))  # noqa: S704 (escaped)


# A memo prints again at every step of its chain, and a chain's terms, names and units recur from
# memo to memo: segmenting a text is most of its cost (about a twentieth of a long memo's render),
# so a warm process remembers the last few thousand. A string's HTML depends on nothing else.
BREAKABLE_CACHE = 4096


@lru_cache(maxsize=BREAKABLE_CACHE)
def _breakable(text: str) -> str:
    parts: list[str] = []
    at = 0
    for match in WHOLE.finditer(text):
        parts.append(_words(text[at : match.start()]))
        found = match.group(0)
        parts.append(
            _url(found) if match.lastgroup == "url" else f'<span class="nw">{escape(found)}</span>'
        )
        at = match.end()
    parts.append(_words(text[at:]))
    return "".join(parts)  # each part escaped


def _url(url: str) -> str:
    """A link whose text may break only after / ? & (each piece between is unbreakable: Pango
    would otherwise also break after "://" or at a hyphen)."""
    head, _, rest = url.partition("://")
    pieces = [p for p in URL_BREAK.split(rest) if p]
    if pieces:
        pieces[0] = f"{head}://{pieces[0]}"
    shown = ZWSP.join(f'<span class="w">{escape(p)}</span>' for p in pieces)
    return f'<a class="url" href="{escape(url)}">{shown}</a>'


def _words(text: str) -> str:
    """The text with a zero-width space between two Thai words. A run longer than any word the
    dictionary knows also gets one wherever Pango (libthai) would break it."""
    if not any("\u0e01" <= ch <= "\u0e4e" for ch in text):
        return str(escape(text))
    out: list[str] = []
    previous_thai = False
    for token in segments(text):
        thai = _is_thai_word(token) and not token.isspace()
        if thai and previous_thai:
            out.append(ZWSP)
        if thai and len(token) > LONGEST_WORD:
            token = _libthai_breaks(token)
        out.append(token)
        previous_thai = thai
    return str(escape("".join(out)))


def _libthai_breaks(token: str) -> str:
    breaks = _line_breaks(token)
    return "".join(ZWSP + ch if i and breaks[i] else ch for i, ch in enumerate(token))


def _line_breaks(text: str) -> list[bool]:
    """Where Pango would allow a line to break, per character (WeasyPrint's own helper)."""
    attrs = get_log_attrs(text, "th")
    return [bool(attrs[i].is_line_break) for i in range(len(text))]


def warm_up() -> None:
    """Build the dictionary now rather than in the first render."""
    segments("หน่วยงาน")
