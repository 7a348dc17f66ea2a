"""Reporting on a measure: one update (what was done, evidence, status) and removing entries
and evidence."""

from flask import redirect, render_template, url_for
from flask_login import current_user, login_required

from forms.common import EmptyForm
from forms.measures import ProgressForm
from models import Measure
from views.common import flash_in, run_service
from views.measures import pages
from views.measures.blueprint import bp
from workflow import measures as service
from workflow.measures.access import require_report


@bp.route("/<int:measure_id>/progress", methods=["POST"])
@login_required
def progress(measure_id: int):
    """The measure's one update form: what was done, evidence, status, any of them."""
    measure = _reportable(measure_id)
    form = ProgressForm().keep_status_of(measure.status)
    if form.validate_on_submit() and run_service(
        service.record_progress, measure_id, current_user, pages.progress_input(form), form=form
    ):
        anchor = flash_in("entries", pages.PROGRESS_SAVED)
        return redirect(url_for(".show", measure_id=measure_id, _anchor=anchor))
    page = pages.measure_page(measure, progress_form=form)
    return render_template("measures/show.html", **page), 400


@bp.route("/<int:measure_id>/entries/<int:entry_id>/delete", methods=["POST"])
@login_required
def delete_entry(measure_id: int, entry_id: int):
    _reportable(measure_id)
    if EmptyForm().validate_on_submit() and run_service(
        service.delete_entry, measure_id, entry_id, current_user
    ):
        flash_in("entries", "ลบรายการการดำเนินการแล้ว")
    return redirect(url_for(".show", measure_id=measure_id, _anchor="entries"))


@bp.route("/<int:measure_id>/evidence/<int:evidence_id>/delete", methods=["POST"])
@login_required
def delete_evidence(measure_id: int, evidence_id: int):
    _reportable(measure_id)
    if EmptyForm().validate_on_submit() and run_service(
        service.remove_evidence, measure_id, evidence_id, current_user
    ):
        flash_in("evidence", "ลบหลักฐานแล้ว")
    return redirect(url_for(".show", measure_id=measure_id, _anchor="evidence"))


def _reportable(measure_id: int) -> Measure:
    measure = service.get_measure(measure_id, current_user)
    require_report(current_user, measure)
    return measure
