"""ITA results of the user's organisation, the catalogue of each year, and the analysis memo.

URL parameters: `fiscal_year` is the B.E. year of an ITA (a year without a catalogue is 404);
`result_id` and `doc_id` name rows of the user's own organisation (others are 404).
"""

from io import BytesIO

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from forms.common import EmptyForm
from forms.ita import AnalysisMemoForm, ImportForm, form_values, scores_form, texts_form
from views.common import run_service
from workflow.errors import NotFound
from workflow.ita import annexes, csvio, entry, memo, overview, results
from workflow.ita.store import available_years, get_catalogue
from workflow.permissions import can_view, get_document, require_editable

bp = Blueprint("ita", __name__, url_prefix="/ita")


@bp.route("/")
@login_required
def index():
    year = overview.default_year(current_user)
    if year is None:
        return redirect(url_for(".catalogues"))
    return redirect(url_for(".year", fiscal_year=year))


@bp.route("/<int:fiscal_year>")
@login_required
def year(fiscal_year: int):
    return render_template("ita/year.html", **_year_page(fiscal_year))


@bp.route("/<int:fiscal_year>/edit", methods=["GET", "POST"])
@login_required
def edit(fiscal_year: int):
    catalogue = results.require_catalogue(fiscal_year)
    results.require_enter(current_user)
    result = results.result_of_year(current_user, fiscal_year)
    form = scores_form(catalogue)
    if request.method == "GET":
        for key, value in entry.stored_values(result).items():
            if (field := _field(form, catalogue, key)) is not None:
                field.data = f"{value:.2f}"
        form.announced_on.data = result.announced_on if result else None
    if form.validate_on_submit():
        saved = run_service(
            results.save_scores,
            current_user,
            fiscal_year,
            form_values(form, catalogue),
            form.announced_on.data,
            form=form,
        )
        if saved is not None:
            flash(f"บันทึกผลการประเมิน ITA ปี {fiscal_year} แล้ว", "success")
            return redirect(url_for(".year", fiscal_year=fiscal_year))
    page = {"form": form, "catalogue": catalogue, "groups": _groups(catalogue), "result": result}
    return render_template("ita/edit.html", **page), 400 if form.is_submitted() else 200


@bp.route("/<int:fiscal_year>/import", methods=["POST"])
@login_required
def import_csv(fiscal_year: int):
    results.require_catalogue(fiscal_year)
    form = ImportForm()
    if form.validate_on_submit():
        content = form.file.data.read()
        if run_service(results.import_csv, current_user, fiscal_year, content, form=form):
            flash(f"นำเข้าผลการประเมินปี {fiscal_year} จากไฟล์แล้ว", "success")
            return redirect(url_for(".year", fiscal_year=fiscal_year))
    page = _year_page(fiscal_year, import_form=form)
    return render_template("ita/year.html", **page), 400


@bp.route("/<int:fiscal_year>/template.csv")
@login_required
def template(fiscal_year: int):
    catalogue = results.require_catalogue(fiscal_year)
    values = entry.stored_values(results.result_of_year(current_user, fiscal_year))
    return send_file(
        BytesIO(csvio.template(catalogue, values)),
        mimetype="text/csv",
        as_attachment=True,
        download_name=f"ita-{fiscal_year}.csv",
        max_age=0,
    )


@bp.route("/<int:fiscal_year>/memo", methods=["GET", "POST"])
@login_required
def draft_memo(fiscal_year: int):
    results.require_catalogue(fiscal_year)
    form = AnalysisMemoForm()
    if request.method == "GET":
        defaults = memo.default_announcement(current_user, fiscal_year)
        form.criteria_on.data, form.results_on.data = defaults.criteria_on, defaults.results_on
    if form.validate_on_submit():
        announcement = memo.Announcement(
            form.criteria_on.data, form.results_on.data, form.directive.data or ""
        )
        doc = run_service(memo.draft_analysis, current_user, fiscal_year, announcement, form=form)
        if doc is not None:
            flash("จัดทำร่างบันทึกวิเคราะห์ผลแล้ว ตรวจสอบและแก้ไขเนื้อหา แล้วกด “เสนอเรื่อง”", "success")
            return redirect(url_for("documents.show", doc_id=doc.id))
    data = overview.overview(current_user, fiscal_year)
    page = {
        "form": form,
        "fiscal_year": fiscal_year,
        "data": data,
        "open_memos": memo.open_analyses(current_user, fiscal_year),
    }
    return render_template("ita/memo_form.html", **page), 400 if form.is_submitted() else 200


@bp.route("/results/<int:result_id>/delete", methods=["POST"])
@login_required
def delete(result_id: int):
    result = results.get_result(result_id, current_user)
    if EmptyForm().validate_on_submit() and run_service(
        results.delete_result, result_id, current_user
    ):
        flash(f"ลบผลการประเมินปี {result.fiscal_year} แล้ว", "success")
    return redirect(url_for(".year", fiscal_year=result.fiscal_year))


@bp.route("/documents/<int:doc_id>/analysis", methods=["GET", "POST"])
@login_required
def texts(doc_id: int):
    doc = get_document(doc_id, current_user)
    if doc.analysis_snapshot is None:
        raise NotFound("ไม่พบบันทึกวิเคราะห์ผลการประเมินนี้")
    require_editable(current_user, doc)
    rows = doc.analysis_snapshot.data["indicators"]
    form = texts_form(rows)
    if request.method == "GET":
        for row in rows:
            form[f"strength_{row['number']}"].data = row["strength"]
            form[f"weakness_{row['number']}"].data = row["weakness"]
    if form.validate_on_submit():
        edited = {
            r["number"]: (
                form[f"strength_{r['number']}"].data or "",
                form[f"weakness_{r['number']}"].data or "",
            )
            for r in rows
        }
        if run_service(memo.update_texts, doc_id, current_user, edited, form=form):
            flash("บันทึกผลการวิเคราะห์รายตัวชี้วัดแล้ว", "success")
            return redirect(url_for("documents.show", doc_id=doc_id))
    page = {"form": form, "doc": doc, "rows": rows}
    return render_template("ita/texts.html", **page), 400 if form.is_submitted() else 200


@bp.route("/documents/<int:doc_id>/refresh", methods=["POST"])
@login_required
def refresh(doc_id: int):
    if EmptyForm().validate_on_submit():
        changed = run_service(memo.refresh, doc_id, current_user)
        if changed is not None:
            flash(
                "ปรับปรุงตัวเลขและแผนมาตรการจากข้อมูลล่าสุดแล้ว"
                if changed
                else "ข้อมูลไม่มีการเปลี่ยนแปลง เอกสารแนบคงเดิม",
                "success",
            )
    return redirect(url_for("documents.show", doc_id=doc_id))


@bp.route("/catalogue")
@login_required
def catalogues():
    return render_template("ita/catalogues.html", years=available_years())


@bp.route("/catalogue/<int:fiscal_year>")
@login_required
def catalogue(fiscal_year: int):
    found = results.require_catalogue(fiscal_year)
    return render_template("ita/catalogue.html", catalogue=found, years=available_years())


@bp.app_template_global()
def ita_charts(data: dict) -> list[Markup]:
    """The charts of an analysis (a snapshot's or a page's data) as inline SVG."""
    digits = current_user.organisation.thai_digits
    return [Markup(svg) for svg in annexes.charts_of(data, digits)]  # noqa: S704 (escaped SVG)


@bp.app_template_global()
def ita_catalogue(fiscal_year: int):
    return get_catalogue(fiscal_year)


@bp.app_template_global()
def ita_draft_line(data: dict) -> str:
    return annexes.draft_line(data)


@bp.app_template_filter("signed")
def signed(change: str | None) -> str:
    return annexes.signed(change)


def _year_page(fiscal_year: int, import_form: ImportForm | None = None) -> dict:
    catalogue = results.require_catalogue(fiscal_year)
    result = results.result_of_year(current_user, fiscal_year)
    memos = [d for d in memo.analysis_memos(current_user, fiscal_year) if can_view(current_user, d)]
    return {
        "fiscal_year": fiscal_year,
        "catalogue": catalogue,
        "result": result,
        "data": overview.overview(current_user, fiscal_year),
        "years": available_years(),
        "import_form": import_form or ImportForm(),
        "button_form": EmptyForm(),
        "can_enter": results.can_enter(current_user),
        "memos": memos,
    }


def _groups(catalogue) -> list[dict]:
    """The form's fields by section: the overall, the tools and every indicator score on one
    open section (what the results announcement lists), then the items of each indicator."""
    items = entry.entries(catalogue)
    head = [e for e in items if e.kind in ("overall", "tool", "indicator", "part")]
    sections = [
        {"title": "คะแนนรวม คะแนนรายเครื่องมือ และคะแนนรายตัวชี้วัด", "entries": head, "open": True}
    ]
    for indicator in catalogue.indicators:
        n = indicator.number
        own = [e for e in items if e.indicator == n and e.kind == "item"]
        if not own:
            continue
        tools = ", ".join(t.short for t in catalogue.tools_of(n))
        sections.append(
            {
                "title": f"ข้อคำถามของตัวชี้วัดที่ {n} {indicator.name} ({tools})",
                "entries": own,
                "open": False,
            }
        )
    return sections


def _field(form, catalogue, key: str):
    found = next((e for e in entry.entries(catalogue) if e.key == key), None)
    return form[found.field_name] if found else None
