"""The home page (what waits for me, what is late) and "my work" (what is mine to do)."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from forms.measures import ProgressForm
from notifications import service as notifications
from views.common import run_service
from views.measures.pages import PROGRESS_SAVED, blank_progress_form, progress_input
from workflow import measures
from workflow.dashboard import setup
from workflow.dashboard.home import home
from workflow.dashboard.waiting import mine_in_review
from workflow.dashboard.work import my_drafts, my_measures, returned_to_me
from workflow.measures.access import require_report

bp = Blueprint("dashboard", __name__)

NOTIFICATIONS_SHOWN = 5


@bp.route("/")
@login_required
def index():
    steps = setup.checklist(current_user) if current_user.is_admin else []
    return render_template(
        "dashboard/index.html",
        home=home(current_user),
        setup_steps=steps if steps and not setup.is_complete(steps) else [],
    )


@bp.route("/my")
@login_required
def work():
    return render_template("dashboard/work.html", **_work_page())


@bp.route("/my/measures/<int:measure_id>/progress", methods=["POST"])
@login_required
def progress(measure_id: int):
    """The one-form update of a measure from "my work": what was done, evidence, status."""
    measure = measures.get_measure(measure_id, current_user)
    require_report(current_user, measure)
    form = ProgressForm(prefix=_prefix(measure_id)).keep_status_of(measure.status)
    if form.validate_on_submit() and run_service(
        measures.record_progress, measure_id, current_user, progress_input(form), form=form
    ):
        flash(PROGRESS_SAVED, "success")
        return redirect(url_for(".work", _anchor=f"measure-{measure_id}"))
    return render_template("dashboard/work.html", **_work_page({measure_id: form})), 400


def _work_page(submitted: dict | None = None) -> dict:
    submitted = submitted or {}
    rows = my_measures(current_user)
    forms = {
        row.measure.id: submitted.get(row.measure.id)
        or blank_progress_form(row.measure, _prefix(row.measure.id))
        for row in rows
        if measures.can_report(current_user, row.measure)
    }
    return {
        "drafts": my_drafts(current_user),
        "returned": returned_to_me(current_user),
        "in_review": mine_in_review(current_user),
        "rows": rows,
        "forms": forms,
        "notifications": notifications.latest(current_user, NOTIFICATIONS_SHOWN),
    }


def _prefix(measure_id: int) -> str:
    return f"m{measure_id}"
