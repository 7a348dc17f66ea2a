"""Lists of memos and measures with filters, and their CSV and Excel exports.

filters    Filters, visible_documents (can_view as SQL), the measure conditions
documents  document_page, all_documents, the export's columns
measures   measure_page, all_measures, read_periods, the export's columns
export     to_csv (UTF-8 with BOM), to_xlsx (openpyxl)
"""

from workflow.lists.documents import Page, all_documents, document_page
from workflow.lists.filters import Filters, visible_documents
from workflow.lists.measures import MeasureRow, all_measures, measure_page, read_periods

__all__ = [
    "Filters",
    "MeasureRow",
    "Page",
    "all_documents",
    "all_measures",
    "document_page",
    "measure_page",
    "read_periods",
    "visible_documents",
]
