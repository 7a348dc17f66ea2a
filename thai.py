"""Thai text helpers: digits, Buddhist-Era dates, fiscal years, baht in words.

Dates are stored in the Christian Era and shown in the Buddhist Era (B.E. = C.E. + 543). The
fiscal year N (B.E.) runs from 1 October of N-1 to 30 September of N.
"""

import re
from datetime import date, datetime

from pythainlp.util import bahttext as _bahttext

BE_OFFSET = 543
THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)
_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")

MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
MONTHS_ABBR = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)


# What keeps its Arabic digits inside Thai-digit text: addresses, e-mail, "SHA-256"-style names,
# hashes (hex with a letter, 12+ characters) and verification codes (capitals with a digit, 6+).
# Question codes such as "O25" are short and take Thai digits, as the printed seeds show (O๒๕).
_KEEP_ARABIC = re.compile(
    r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.-]+"
    r"|\b[A-Za-z]+-\d+\b"
    r"|\b(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{12,}\b"
    r"|\b(?=[A-Z0-9]*[A-Z])(?=[A-Z0-9]*[0-9])[A-Z0-9]{6,}\b"
)
_LATIN = re.compile(r"[A-Za-z]")


def to_thai_digits(text: str) -> str:
    """Arabic digits to Thai, except inside URLs, e-mail addresses, hashes and codes."""
    text = str(text)
    if not _LATIN.search(text):
        return text.translate(_TO_THAI)
    parts, last = [], 0
    for kept in _KEEP_ARABIC.finditer(text):
        parts += [text[last : kept.start()].translate(_TO_THAI), kept.group()]
        last = kept.end()
    parts.append(text[last:].translate(_TO_THAI))
    return "".join(parts)


def to_arabic_digits(text: str) -> str:
    return str(text).translate(_TO_ARABIC)


_GROUPED = re.compile(r"[-+]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")


def number_text(text: str) -> str:
    """A typed number (Thai or Arabic digits, thousands commas, spaces) as plain Arabic digits.
    Commas must separate thousands: "1,2,3" is a typing slip, not 123, and raises ValueError."""
    plain = "".join(to_arabic_digits(text).split())
    if "," in plain and not _GROUPED.fullmatch(plain):
        raise ValueError("ใส่เครื่องหมายจุลภาค (,) คั่นทุกสามหลัก เช่น 12,500 หรือไม่ใส่เลย")
    return plain.replace(",", "")


def digits(text, thai: bool = True) -> str:
    """Render text with Thai or Arabic digits, per the organisation's setting."""
    return to_thai_digits(text) if thai else to_arabic_digits(text)


def be_year(year_ce: int) -> int:
    return year_ce + BE_OFFSET


def format_date(value: date | None, thai_digits: bool = True, short: bool = False) -> str:
    """'27 ตุลาคม 2568' (or '27 ต.ค. 68' when short), in Thai digits by default."""
    if value is None:
        return ""
    year = be_year(value.year)
    if short:
        text = f"{value.day} {MONTHS_ABBR[value.month - 1]} {year % 100:02d}"
    else:
        text = f"{value.day} {MONTHS[value.month - 1]} {year}"
    return digits(text, thai_digits)


def format_datetime(value: datetime | None, thai_digits: bool = True) -> str:
    """'27 ตุลาคม 2568 เวลา 14:05 น.'; the caller passes local (Bangkok) time."""
    if value is None:
        return ""
    day = format_date(value, thai_digits=False)
    return digits(f"{day} เวลา {value.hour:02d}:{value.minute:02d} น.", thai_digits)


def format_input_date(value: date | None) -> str:
    """The form of a date in an input box: '27/10/2568' (B.E., Arabic digits)."""
    if value is None:
        return ""
    return f"{value.day}/{value.month}/{be_year(value.year)}"


_NUMERIC_DATE = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_WORDED_DATE = re.compile(r"^(\d{1,2})\s+(\S+)\s+(?:พ\.ศ\.\s*)?(\d{4})$")


def parse_date(text: str) -> date:
    """Parse a date as Thai users type it; raise ValueError with a Thai message.

    Accepts '27/10/2568', '๒๗/๑๐/๒๕๖๘', '27 ตุลาคม 2568', '27 ต.ค. 2568' and ISO '2025-10-27'.
    A year above 2400 is B.E.; a C.E. year is accepted as typed.
    """
    cleaned = " ".join(to_arabic_digits(text or "").split())
    if not cleaned:
        raise ValueError("กรุณาระบุวันที่")
    if m := _ISO_DATE.match(cleaned):
        year, month, day = (int(g) for g in m.groups())
    elif m := _NUMERIC_DATE.match(cleaned):
        day, month, year = (int(g) for g in m.groups())
    elif m := _WORDED_DATE.match(cleaned):
        day, month, year = int(m[1]), _month_number(m[2]), int(m[3])
    else:
        raise ValueError("รูปแบบวันที่ไม่ถูกต้อง ให้พิมพ์เป็น วัน/เดือน/ปี พ.ศ. เช่น 27/10/2568")
    if year > 2400:
        year -= BE_OFFSET
    if not 1900 <= year <= 2200:
        raise ValueError("ปีไม่ถูกต้อง ให้ใช้ปีพุทธศักราช เช่น 2568")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError("ไม่มีวันที่นี้ในปฏิทิน") from None


def _month_number(name: str) -> int:
    for table in (MONTHS, MONTHS_ABBR):
        if name in table:
            return table.index(name) + 1
    raise ValueError("ไม่รู้จักชื่อเดือนนี้ ให้ใช้ชื่อเดือนภาษาไทย เช่น ตุลาคม หรือ ต.ค.")


def fiscal_year(value: date) -> int:
    """The B.E. fiscal year a date falls in: 1 Oct 2025 is in fiscal year 2569."""
    return be_year(value.year + (1 if value.month >= 10 else 0))


def fiscal_year_bounds(fiscal_year_be: int) -> tuple[date, date]:
    """First and last day of a B.E. fiscal year."""
    year_ce = fiscal_year_be - BE_OFFSET
    return date(year_ce - 1, 10, 1), date(year_ce, 9, 30)


def fiscal_quarter(value: date) -> int:
    """Quarter 1-4 of the fiscal year: Q1 is October-December."""
    return (value.month - 10) % 12 // 3 + 1


def bahttext(amount: float) -> str:
    """Baht in words, as on a cheque: 'หนึ่งพันห้าร้อยบาทถ้วน'."""
    return _bahttext(amount)
