"""Lists of memos and measures with filters, and their CSV and Excel exports (the rows the
filters give, only what the user may see)."""

import sqlalchemy as sa
from flask import Blueprint, Response, render_template, request
from flask_login import current_user, login_required

import clock
import thai
from extensions import db
from forms.lists import FilterForm
from models import Document, MeasurePlan, Unit
from workflow.lists import all_documents, all_measures, document_page, measure_page
from workflow.lists import documents as document_columns
from workflow.lists import measures as measure_columns
from workflow.lists.export import CSV_TYPE, XLSX_TYPE, to_csv, to_xlsx

bp = Blueprint("lists", __name__, url_prefix="/lists")

EXPORTS = ("csv", "xlsx")


@bp.route("/documents")
@login_required
def documents():
    """The page, or with ?export=csv|xlsx the file of every row the filters give."""
    form = filter_form(documents=True, measures=False)
    filters = form.filters("document")
    if (fmt := _export_format()) is not None:
        rows = [document_columns.export_row(d) for d in all_documents(current_user, filters)]
        return _download(fmt, "documents", "เอกสาร", document_columns.HEADERS, rows)
    found = document_page(current_user, filters, _page())
    return render_template("lists/documents.html", form=form, page=found, query=_query())


@bp.route("/measures")
@login_required
def measures():
    """The page, or with ?export=csv|xlsx the file of every row the filters give."""
    form = filter_form(documents=False, measures=True)
    filters = form.filters("measure")
    if (fmt := _export_format()) is not None:
        rows = [measure_columns.export_row(r) for r in all_measures(current_user, filters)]
        return _download(fmt, "measures", "มาตรการ", measure_columns.HEADERS, rows)
    found = measure_page(current_user, filters, _page())
    return render_template("lists/measures.html", form=form, page=found, query=_query())


def filter_form(*, documents: bool, measures: bool, form_class=FilterForm) -> FilterForm:
    """The filter form read from the query string, with the organisation's choices."""
    form = form_class(formdata=request.args)
    units = db.session.scalars(Unit.of_organisation(current_user.org_id)).all()
    form.fill(units, _years(), current_user.organisation.thai_digits,
              documents=documents, measures=measures)  # fmt: skip
    return form


def _years() -> list[int]:
    """Fiscal years with memos or plans, and the current one, newest first."""
    org_id = current_user.org_id
    plans = sa.select(MeasurePlan.fiscal_year).where(MeasurePlan.org_id == org_id)
    docs = sa.select(Document.fiscal_year).where(
        Document.org_id == org_id, Document.fiscal_year.is_not(None)
    )
    years = set(db.session.scalars(sa.union(plans, docs)))
    years.add(thai.fiscal_year(clock.today()))
    return sorted(years, reverse=True)


def _export_format() -> str | None:
    fmt = request.args.get("export")
    return fmt if fmt in EXPORTS else None


def _page() -> int:
    return request.args.get("page", 1, type=int) or 1


def _query() -> dict:
    """The filters as query-string values, for the export links and the pages."""
    return {k: v for k, v in request.args.items() if k not in ("page", "export") and v}


def _download(fmt: str, name: str, title: str, headers: list[str], rows: list[list]) -> Response:
    stamp = clock.today().isoformat()
    if fmt == "csv":
        body, mimetype = to_csv(headers, rows), CSV_TYPE
    else:
        body, mimetype = to_xlsx(title, headers, rows), XLSX_TYPE
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{fmt}"'
    return response
