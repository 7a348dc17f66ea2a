"""The words of a query marked in a title and in a short excerpt of the text; everything else
escaped. Digits are shown the organisation's way; matching ignores the kind of digit and case."""

import re

from markupsafe import Markup, escape

import thai

EXCERPT_CHARS = 220
MAX_STARTS = 200  # match positions tried as the start of the excerpt


def highlight(text: str, words: list[str], thai_digits: bool = False) -> Markup:
    """The text, escaped, with each occurrence of a query word in <mark>."""
    text = text or ""
    shown = thai.digits(text, thai_digits)
    folded = _fold(text)
    pattern = _pattern(words)
    if pattern is None or len(folded) != len(text):  # a character changed length when folded
        return escape(shown)
    parts, last = [], 0
    for found in pattern.finditer(folded):
        parts.append(escape(shown[last : found.start()]))
        parts.append(Markup("<mark>%s</mark>") % shown[found.start() : found.end()])
        last = found.end()
    parts.append(escape(shown[last:]))
    return Markup("").join(parts)


def excerpt(text: str, words: list[str], thai_digits: bool = False) -> Markup:
    """The window of the text holding the most of the query's words, highlighted."""
    text = " ".join((text or "").split())
    start = _best_start(_fold(text), words)
    window = text[start : start + EXCERPT_CHARS]
    before = "…" if start > 0 else ""
    after = "…" if start + EXCERPT_CHARS < len(text) else ""
    return Markup("").join([before, highlight(window, words, thai_digits), after])


def _best_start(folded: str, words: list[str]) -> int:
    pattern = _pattern(words)
    if pattern is None:
        return 0
    found = [(m.start(), m.group(0)) for m in pattern.finditer(folded)][:MAX_STARTS]
    best, best_count = 0, 0
    for at, _ in found:
        count = len({word for start, word in found if at <= start < at + EXCERPT_CHARS})
        if count > best_count:
            best, best_count = at, count
    return max(0, best - EXCERPT_CHARS // 4) if best_count else 0


def _fold(text: str) -> str:
    return thai.to_arabic_digits(text).lower()


def _pattern(words: list[str]) -> re.Pattern | None:
    words = sorted({w for w in words if w}, key=len, reverse=True)  # longest first
    return re.compile("|".join(re.escape(w) for w in words)) if words else None
