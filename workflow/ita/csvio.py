"""Results as a CSV file: the downloadable template (one row per figure of the year, with the
figures already entered) and reading it back, refusing a bad row with its line and the reason.

Columns: รหัส (the key, see workflow/ita/entry.py), รายการ (for the reader; ignored when read),
คะแนน. The YEAR row guards against loading one year's file into another year. Written as UTF-8
with a byte-order mark so that Excel opens the Thai text; read as UTF-8 or Windows-874.
"""

import csv
import io
from decimal import Decimal

import thai
from workflow.errors import ValidationFailed
from workflow.ita import entry
from workflow.ita.catalogue import Catalogue

HEADER = ("รหัส", "รายการ", "คะแนน")
YEAR_KEY = "YEAR"
KEY_NAMES, SCORE_NAMES = {"รหัส", "code", "key"}, {"คะแนน", "score"}
MAX_BYTES = 200_000


def template(catalogue: Catalogue, values: dict[str, Decimal]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerow([YEAR_KEY, "ปีงบประมาณ พ.ศ. (ห้ามแก้ไข)", catalogue.fiscal_year])
    for item in entry.entries(catalogue):
        value = values.get(item.key)
        writer.writerow([item.key, item.label, "" if value is None else f"{value:.2f}"])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def read(content: bytes, catalogue: Catalogue) -> dict[str, str]:
    """Keyed raw scores (checked by the caller like form input), or ValidationFailed."""
    if not content.strip():
        raise _error("ไฟล์ว่างเปล่า")
    if len(content) > MAX_BYTES:
        raise _error(f"ไฟล์ใหญ่เกิน {MAX_BYTES // 1000} KB")
    # Universal newlines: Excel on an old Mac ends lines with a lone CR, which csv refuses.
    try:
        rows = list(csv.reader(io.StringIO(_decode(content), newline=None)))
    except csv.Error as error:
        raise _error(f"อ่านไฟล์ CSV ไม่ได้ ({error})") from None
    key_col, score_col = _columns(rows[0])
    known = {e.key.lower(): e for e in entry.entries(catalogue)}
    values: dict[str, str] = {}
    for line, row in enumerate(rows[1:], start=2):
        key = _cell(row, key_col)
        if not key:
            continue
        score = _cell(row, score_col)
        if key.upper() == YEAR_KEY:
            _check_year(score, catalogue.fiscal_year, line)
            continue
        found = known.get(key.lower())
        if found is None:
            raise _error(f"ไม่มีรหัส “{key}” ในแคตตาล็อกปี {catalogue.fiscal_year}", line)
        if found.key in values:
            raise _error(f"รหัส “{found.key}” ซ้ำ", line)
        try:
            entry.parse_score(score)
        except ValueError as error:
            raise _error(f"{found.key}: {error}", line) from None
        values[found.key] = score
    return values


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp874", errors="replace")  # Thai Excel's "CSV" without UTF-8


def _columns(header: list[str]) -> tuple[int, int]:
    names = [thai.to_arabic_digits(h).strip().lower() for h in header]
    key = next((i for i, n in enumerate(names) if n in KEY_NAMES), None)
    score = next((i for i, n in enumerate(names) if n in SCORE_NAMES), None)
    if key is None or score is None:
        raise _error("แถวแรกต้องเป็นหัวตาราง มีคอลัมน์ “รหัส” และ “คะแนน” (ใช้แบบฟอร์มที่ดาวน์โหลดจากหน้านี้)", 1)
    return key, score


def _check_year(text: str, fiscal_year: int, line: int) -> None:
    if text != str(fiscal_year):
        raise _error(f"ไฟล์นี้เป็นของปีงบประมาณ {text or '(ไม่ระบุ)'} ไม่ใช่ปี {fiscal_year}", line)


def _cell(row: list[str], index: int) -> str:
    return thai.to_arabic_digits(row[index]).strip() if index < len(row) else ""


def _error(reason: str, line: int | None = None) -> ValidationFailed:
    return ValidationFailed(f"บรรทัดที่ {line}: {reason}" if line else reason, field="file")
