"""Public pages, no login: an organisation's published memos at /p/<slug>/<year>/<item> (a
short accessible page) and /p/<slug>/<year>/<item>/pdf (the frozen PDF). Nothing else of an
organisation is served here; a draft, a retracted or an unpublished memo is 404."""

from datetime import date, datetime
from io import BytesIO

from flask import Blueprint, render_template, send_file

import clock
import thai
from pdf import freeze
from workflow.oit import publish

bp = Blueprint("public", __name__, url_prefix="/p")


@bp.route("/<slug>/<int:fiscal_year>/<code>")
def page(slug: str, fiscal_year: int, code: str):
    found = publish.public(slug, fiscal_year, code)
    response = render_template("public/page.html", p=found)
    return response, 200, {"Cache-Control": "no-cache"}  # a retraction shows at once


@bp.route("/<slug>/<int:fiscal_year>/<code>/pdf")
def pdf(slug: str, fiscal_year: int, code: str):
    found = publish.public(slug, fiscal_year, code)
    response = send_file(
        BytesIO(freeze.stored_bytes(found.frozen)),
        mimetype="application/pdf",
        download_name=f"{found.organisation.slug}-{fiscal_year}-{code}.pdf",
        etag=found.frozen.sha256,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.app_template_filter("thaidigits")
def thaidigits(value, thai_digits: bool) -> str:
    """Digits by the published organisation's own setting (no one is logged in here)."""
    return thai.digits(str(value), thai_digits)


@bp.app_template_filter("publicdate")
def publicdate(value: date | datetime | None, thai_digits: bool) -> str:
    if value is None:
        return "-"
    day = clock.local(value).date() if isinstance(value, datetime) else value
    return thai.format_date(day, thai_digits)
