"""The plan of a fiscal year: its table, starting it, its coordinator, copying last year's."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

import clock
import thai
from forms.common import EmptyForm
from forms.measures import CoordinatorForm, CopyForm
from models import MeasurePlan
from views.common import run_service, to_int
from views.measures import pages
from views.measures.blueprint import bp
from workflow import measures as service
from workflow.measures.access import require_manage


@bp.route("/")
@login_required
def index():
    year = to_int(request.args.get("year")) or thai.fiscal_year(clock.today())
    return redirect(url_for(".year", fiscal_year=year))


@bp.route("/years/<int:fiscal_year>")
@login_required
def year(fiscal_year: int):
    return render_template("measures/year.html", **pages.year_page(fiscal_year))


@bp.route("/years/<int:fiscal_year>/plan", methods=["POST"])
@login_required
def create_plan(fiscal_year: int):
    if EmptyForm().validate_on_submit() and run_service(
        service.create_plan, current_user, fiscal_year
    ):
        flash("สร้างแผนมาตรการแล้ว คุณเป็นผู้ประสานงานของแผนนี้", "success")
    return redirect(url_for(".year", fiscal_year=fiscal_year))


@bp.route("/plans/<int:plan_id>/coordinator", methods=["POST"])
@login_required
def coordinator(plan_id: int):
    plan = _managed_plan(plan_id)
    form = CoordinatorForm()
    form.coordinator_id.choices = pages.people_choices(keep=[plan.coordinator])
    if form.validate_on_submit() and run_service(
        service.change_coordinator, plan_id, current_user, form.coordinator_id.data, form=form
    ):
        flash("เปลี่ยนผู้ประสานงานของแผนแล้ว", "success")
        return redirect(url_for(".year", fiscal_year=plan.fiscal_year))
    page = pages.year_page(plan.fiscal_year, coordinator_form=form)
    return render_template("measures/year.html", **page), 400


@bp.route("/plans/<int:plan_id>/copy", methods=["POST"])
@login_required
def copy(plan_id: int):
    plan = _managed_plan(plan_id)
    form = CopyForm()
    form.source_plan_id.choices = pages.copy_choices(plan)
    if form.validate_on_submit():
        copies = run_service(
            service.copy_plan, form.source_plan_id.data, plan_id, current_user, form=form
        )
        if copies is not None:
            flash(f"คัดลอกมาแล้ว {len(copies)} มาตรการ กรุณาทบทวนให้เหมาะกับปีนี้", "success")
            return redirect(url_for(".year", fiscal_year=plan.fiscal_year))
    page = pages.year_page(plan.fiscal_year, copy_form=form)
    return render_template("measures/year.html", **page), 400


def _managed_plan(plan_id: int) -> MeasurePlan:
    plan = service.get_plan(plan_id, current_user)
    require_manage(current_user, plan)
    return plan
