"""The OIT board of a year as an Excel workbook: one row per item and evidence link."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

import clock
import thai
from workflow.oit.board import Board

HEADINGS = (
    "ข้อ",
    "รายการ",
    "สถานะ",
    "หน่วยงานที่รับผิดชอบ",
    "ผู้รับผิดชอบ",
    "กำหนดนำขึ้นเว็บไซต์",
    "ชื่อหลักฐาน",
    "URL",
    "ผลตรวจลิงก์ล่าสุด",
    "ลิงก์เสียตั้งแต่",
)
WIDTHS = (6, 60, 12, 24, 24, 16, 40, 60, 18, 18)


def workbook(board: Board, base_url: str) -> bytes:
    """The .xlsx bytes: dates in B.E. with Arabic digits, so the file sorts and filters."""
    book = Workbook()
    sheet = book.active
    sheet.title = f"OIT {board.fiscal_year}"
    sheet.append(HEADINGS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGHIJ", WIDTHS, strict=True):
        sheet.column_dimensions[column].width = width
    for row in board.rows:
        for link in _links(row, base_url) or [("", "", "", "")]:
            sheet.append([*_item_cells(row), *link])
    for cells in sheet.iter_rows(min_row=2):
        cells[1].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "C2"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _item_cells(row) -> list[str]:
    kept = row.kept
    return [
        row.code,
        row.text,
        row.status_label,
        kept.owner_unit.name if kept and kept.owner_unit else "",
        kept.owner.display_name if kept and kept.owner else "",
        thai.format_date(kept.due_date, False) if kept and kept.due_date else "",
    ]


def _links(row, base_url: str) -> list[tuple[str, str, str, str]]:
    links = []
    if row.produced and row.produced.publication:
        p = row.produced.publication
        url = f"{base_url}/p/{p.document.organisation.slug}/{p.fiscal_year}/{p.code}"
        links.append((row.produced.document.subject, url, "เผยแพร่โดยระบบ", ""))
    for e in row.evidence:
        checked = _when(e.last_checked_at)
        status = f"{e.last_status or e.last_error or '-'} ({checked})" if checked else "ยังไม่ตรวจ"
        links.append((e.title, e.url, status, _when(e.broken_since)))
    return links


def _when(moment) -> str:
    return thai.format_date(clock.local(moment).date(), False) if moment else ""
