"""What text the product takes in and writes out: no invisible controls.

Typed or pasted text loses C0 control characters (tab, newline and carriage return stay: long
text needs them), DEL and C1 controls, and the bidirectional overrides and isolates that make
text display in a different order from the one stored (U+202A–U+202E, U+2066–U+2069). A value
made only of blanks and zero-width characters becomes empty, so "required" refuses it. NUL is
not cleaned but refused (views/security.py): it is never typed, only sent on purpose.

Every request's form values pass through `clean_input` (views/security.py), so every text field
of every form gets the same rule; the exports pass what is already stored through `printable`.
"""

import re

NUL = "\x00"
_CONTROLS = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_INVISIBLE = re.compile(r"^[\s\u200b-\u200f\u2060\ufeff]*$")
# What an .xlsx (XML 1.0) cannot hold at all, NUL included: openpyxl refuses the whole file.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_input(value: str) -> str:
    """A typed value without invisible controls; blank if nothing visible is left."""
    value = _CONTROLS.sub("", value)
    return "" if _INVISIBLE.match(value) else value


def printable(value: str) -> str:
    """Stored text made safe for a spreadsheet or a file, whatever an older version let in."""
    return _NOT_IN_XML.sub("", _CONTROLS.sub("", value))
