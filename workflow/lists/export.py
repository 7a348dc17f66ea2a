"""Rows out as CSV (UTF-8 with a BOM, so Excel opens Thai correctly) or as an Excel workbook
(openpyxl). A text cell that a spreadsheet would run as a formula is written as text; control
characters stored by an older version are left out, so one bad title never breaks a file.

Rows hold plain values: text, numbers, and `date`s. CSV writes a date as Thai text with a B.E.
year; Excel gets a real date cell shown in the Thai Buddhist calendar, so it sorts and filters
as a date. The sheet opens with its header row frozen, an autofilter, and columns as wide as
their content.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

import thai
from workflow.text import printable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's locale tag: calendar 07 (Thai Buddhist) with the Thai locale (041E): "5 ธันวาคม 2569".
THAI_DATE_FORMAT = "[$-107041E]d mmmm yyyy;@"
MIN_WIDTH, MAX_WIDTH = 6, 60
# What a sheet's name may not hold (openpyxl refuses it, Excel too) and its longest length.
SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/?*\[\]:]")
SHEET_TITLE_MAX = 31


def to_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    rows = [list(row) for row in rows]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title(title))
    for index, width in enumerate(column_widths(headers, rows), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    last = f"{get_column_letter(max(len(headers), 1))}{len(rows) + 1}"
    sheet.auto_filter.ref = f"A1:{last}"
    bold, top = Font(bold=True), Alignment(vertical="top", wrap_text=True)
    sheet.append([_cell(sheet, h, font=bold) for h in headers])
    for row in rows:
        sheet.append([_cell(sheet, value, alignment=top) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_title(title: str) -> str:
    """`title` as a sheet's name: what Excel forbids ("รายงาน 1/2569") becomes a hyphen, cut to
    31 characters, without the apostrophe Excel refuses at either end; never empty."""
    name = SHEET_TITLE_FORBIDDEN.sub("-", printable(title))
    name = name[:SHEET_TITLE_MAX].strip().strip("'").strip()
    return name or "ข้อมูล"


def column_widths(headers: Sequence[str], rows: Sequence[Sequence]) -> list[float]:
    """Each column as wide as its widest value (Thai marks above and below take no width)."""
    widths = []
    for index, header in enumerate(headers):
        values = [header, *(row[index] for row in rows if index < len(row))]
        widest = max(display_width(v) for v in values)
        widths.append(float(min(MAX_WIDTH, max(MIN_WIDTH, widest + 2))))
    return widths


def display_width(value) -> int:
    if isinstance(value, date):
        return 18
    text = "" if value is None else str(value)
    longest_line = max(text.split("\n"), key=len, default="")
    return sum(1 for ch in longest_line if not unicodedata.combining(ch))


def _csv_cell(value):
    if isinstance(value, datetime):
        return thai.format_datetime(value, thai_digits=False)
    if isinstance(value, date):
        return thai.format_date(value, thai_digits=False)
    if isinstance(value, str):
        value = printable(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(sheet, value, font: Font | None = None, alignment=None) -> WriteOnlyCell:
    if isinstance(value, str):
        value = printable(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    elif isinstance(value, date):
        cell.number_format = THAI_DATE_FORMAT
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    return cell
