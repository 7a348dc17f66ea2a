"""Reporting on a measure: progress entries with evidence, evidence alone, status."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from forms.common import EmptyForm
from forms.measures import EvidenceForm, ProgressForm, StatusForm
from models import Measure
from views.common import run_service
from views.measures import pages
from views.measures.blueprint import bp
from workflow import measures as service
from workflow.measures.access import require_report


@bp.route("/<int:measure_id>/progress", methods=["POST"])
@login_required
def progress(measure_id: int):
    measure = _reportable(measure_id)
    form = ProgressForm()
    if form.validate_on_submit() and run_service(
        service.record_progress, measure_id, current_user, pages.progress_input(form), form=form
    ):
        flash("บันทึกการดำเนินการแล้ว", "success")
        return redirect(url_for(".show", measure_id=measure_id, _anchor="entries"))
    return _redisplay(measure, progress_form=form)


@bp.route("/<int:measure_id>/evidence", methods=["POST"])
@login_required
def evidence(measure_id: int):
    measure = _reportable(measure_id)
    form = EvidenceForm()
    if form.validate_on_submit() and run_service(
        service.add_evidence, measure_id, current_user, form.url.data, form.title.data, form=form
    ):
        flash("เพิ่มหลักฐานแล้ว", "success")
        return redirect(url_for(".show", measure_id=measure_id, _anchor="evidence"))
    return _redisplay(measure, evidence_form=form)


@bp.route("/<int:measure_id>/status", methods=["POST"])
@login_required
def status(measure_id: int):
    measure = _reportable(measure_id)
    form = StatusForm()
    if form.validate_on_submit() and run_service(
        service.change_status,
        measure_id,
        current_user,
        form.status.data,
        form.cancel_reason.data or "",
        form.effective_date.data,
        form=form,
    ):
        flash("เปลี่ยนสถานะแล้ว", "success")
        return redirect(url_for(".show", measure_id=measure_id))
    return _redisplay(measure, status_form=form)


@bp.route("/<int:measure_id>/entries/<int:entry_id>/delete", methods=["POST"])
@login_required
def delete_entry(measure_id: int, entry_id: int):
    _reportable(measure_id)
    if EmptyForm().validate_on_submit() and run_service(
        service.delete_entry, measure_id, entry_id, current_user
    ):
        flash("ลบรายการการดำเนินการแล้ว", "success")
    return redirect(url_for(".show", measure_id=measure_id, _anchor="entries"))


@bp.route("/<int:measure_id>/evidence/<int:evidence_id>/delete", methods=["POST"])
@login_required
def delete_evidence(measure_id: int, evidence_id: int):
    _reportable(measure_id)
    if EmptyForm().validate_on_submit() and run_service(
        service.remove_evidence, measure_id, evidence_id, current_user
    ):
        flash("ลบหลักฐานแล้ว", "success")
    return redirect(url_for(".show", measure_id=measure_id, _anchor="evidence"))


def _reportable(measure_id: int) -> Measure:
    measure = service.get_measure(measure_id, current_user)
    require_report(current_user, measure)
    return measure


def _redisplay(measure: Measure, **forms):
    """The measure page again with the submitted form, its errors and what was typed."""
    page = pages.measure_page(measure, **forms)
    return render_template("measures/show.html", **page), 400
