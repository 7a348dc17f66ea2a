"""Words of Thai and English text, for the search index and for a query.

Thai has no spaces between words, so pythainlp's dictionary tokeniser (newmm) cuts the text. Its
cut depends on the context: "มาตรการปรับปรุง" comes out as มาตร|การปรับปรุง, so a search for
มาตรการ would miss it. The index therefore also keeps the dictionary words that begin where a
token begins (or inside a token, after a dictionary word it starts with); a query is cut by newmm
alone and each of its words must be found.
"""

import re
import unicodedata
from functools import lru_cache

from pythainlp.tokenize import word_dict_trie, word_tokenize

import thai

MAX_QUERY_WORDS = 12
MIN_FRAGMENT = 2  # characters of a query part searched for inside words
LONGEST_WORD = 30  # characters looked at for a dictionary word starting at a boundary
SHORTEST_EXTRA = 3  # shorter dictionary words found at a boundary are noise (มา, ใน)
_DOT_INSIDE = re.compile(r"(?<=[^\s.])\.(?=[^\s.])")


def index_words(text: str) -> list[str]:
    """Every word the index keeps for a text: newmm's tokens and the dictionary words at their
    boundaries, lowercased, with Arabic digits and without punctuation."""
    text = _normalise(text)
    found: list[str] = []
    position = 0
    for token in word_tokenize(text, engine="newmm", keep_whitespace=True):
        found.extend(_clean(token))
        if _is_thai(token):
            found.extend(_extras(text, position, token))
        position += len(token)
    return found


def warm_up() -> None:
    """Load the tokeniser's dictionary now (seconds, ~200 MiB) instead of in a first request."""
    index_words("มาตรการป้องกันการทุจริต")


def query_words(text: str) -> list[str]:
    """The words of a query, each once, in order (at most MAX_QUERY_WORDS)."""
    words: list[str] = []
    for token in word_tokenize(_normalise(text), engine="newmm", keep_whitespace=False):
        words.extend(w for w in _clean(token) if w not in words)
    return words[:MAX_QUERY_WORDS]


def fragment_text(text: str) -> str:
    """Text as fragments are matched in it: lowercased, Arabic digits, spaces collapsed."""
    return " ".join(_normalise(text).split())


def query_fragments(text: str) -> list[str]:
    """The parts of a query, split at spaces, each of which must occur inside the text (parts
    of one character would match nearly everything and are left to the word search)."""
    parts = [p for p in fragment_text(text).split() if len(p) >= MIN_FRAGMENT]
    return list(dict.fromkeys(parts))[:MAX_QUERY_WORDS]


def joined(words: list[str]) -> str:
    return " ".join(words)


def _normalise(text: str) -> str:
    return thai.to_arabic_digits(text or "").lower()


def _clean(token: str) -> list[str]:
    """A token without punctuation; a dotted abbreviation (ป.ป.ช., e.g.) loses its dots."""
    kept = "".join(ch if ch == "." or _is_word_char(ch) else " " for ch in token)
    return _DOT_INSIDE.sub("", kept).replace(".", " ").split()


def _extras(text: str, start: int, token: str) -> list[str]:
    """Dictionary words starting where the token starts, or after a dictionary word inside it."""
    trie = word_dict_trie()
    boundaries = {start}
    boundaries.update(start + len(p) for p in trie.prefixes(token) if len(p) < len(token))
    words = []
    for at in sorted(boundaries):
        for word in trie.prefixes(text[at : at + LONGEST_WORD]):
            if len(word) >= SHORTEST_EXTRA and word != token:
                words.append(word)
    return words


def _is_thai(token: str) -> bool:
    return any("\u0e01" <= ch <= "\u0e2e" for ch in token)


@lru_cache(maxsize=4096)
def _is_word_char(ch: str) -> bool:
    """Letters, digits and combining marks (Thai vowels and tone marks are marks)."""
    return unicodedata.category(ch)[0] in "LNM"
