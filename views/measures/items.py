"""A measure: add, edit, delete, reorder, and its page."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forms.common import EmptyForm
from forms.measures import MeasureForm, MoveForm
from views.common import run_service
from views.measures import pages
from views.measures.blueprint import bp
from workflow import measures as service
from workflow.measures import followup
from workflow.measures.access import require_manage
from workflow.measures.schedule import runs_past_plan_year


@bp.route("/plans/<int:plan_id>/measures/new", methods=["GET", "POST"])
@login_required
def new(plan_id: int):
    plan = service.get_plan(plan_id, current_user)
    require_manage(current_user, plan)
    form = MeasureForm()
    if request.method == "GET":
        pages.fill_defaults(form, plan, current_user)
    pages.fill_measure_choices(form, plan, None)
    if form.validate_on_submit():
        measure = run_service(
            service.create_measure, plan_id, current_user, pages.measure_input(form), form=form
        )
        if measure is not None:
            flash("เพิ่มมาตรการแล้ว", "success")
            _warn_past_plan_year(measure)
            return redirect(url_for(".show", measure_id=measure.id))
    return _form_page(form, plan=plan, measure=None)


@bp.route("/<int:measure_id>/edit", methods=["GET", "POST"])
@login_required
def edit(measure_id: int):
    measure = service.get_measure(measure_id, current_user)
    require_manage(current_user, measure.plan)
    form = MeasureForm()
    if request.method == "GET":
        pages.fill_from(form, measure)
    pages.fill_measure_choices(form, measure.plan, measure)
    if form.validate_on_submit() and run_service(
        service.update_measure, measure_id, current_user, pages.measure_input(form), form=form
    ):
        flash("บันทึกการแก้ไขแล้ว", "success")
        _warn_past_plan_year(measure)
        return redirect(url_for(".show", measure_id=measure_id))
    return _form_page(form, plan=measure.plan, measure=measure)


@bp.route("/<int:measure_id>")
@login_required
def show(measure_id: int):
    measure = service.get_measure(measure_id, current_user)
    return render_template("measures/show.html", **pages.measure_page(measure))


@bp.route("/<int:measure_id>/follow-up-due", methods=["POST"])
@login_required
def adopt_follow_up_date(measure_id: int):
    measure = service.get_measure(measure_id, current_user)
    require_manage(current_user, measure.plan)
    if EmptyForm().validate_on_submit() and run_service(
        followup.adopt_follow_up_date, measure_id, current_user
    ):
        flash("ตั้งกำหนดรายงานแล้ว ระบบจะแจ้งเตือนผู้รับผิดชอบเหมือนรอบรายงาน", "success")
    return redirect(url_for(".show", measure_id=measure_id))


@bp.route("/<int:measure_id>/delete", methods=["POST"])
@login_required
def delete(measure_id: int):
    measure = service.get_measure(measure_id, current_user)
    require_manage(current_user, measure.plan)
    fiscal_year = measure.plan.fiscal_year
    if EmptyForm().validate_on_submit() and run_service(
        service.delete_measure, measure_id, current_user
    ):
        flash("ลบมาตรการแล้ว", "success")
        return redirect(url_for(".year", fiscal_year=fiscal_year))
    return redirect(url_for(".show", measure_id=measure_id))


@bp.route("/<int:measure_id>/move", methods=["POST"])
@login_required
def move(measure_id: int):
    measure = service.get_measure(measure_id, current_user)
    require_manage(current_user, measure.plan)
    form = MoveForm()
    if form.validate_on_submit():
        run_service(service.move_measure, measure_id, current_user, form.direction.data)
    return redirect(
        url_for(".year", fiscal_year=measure.plan.fiscal_year, _anchor=f"m{measure_id}")
    )


def _warn_past_plan_year(measure) -> None:
    if runs_past_plan_year(measure):
        flash("บันทึกแล้ว แต่ระยะเวลาของมาตรการเลยปีงบประมาณของแผน กรุณาตรวจสอบว่าตั้งใจเช่นนั้น", "warning")


def _form_page(form: MeasureForm, **context):
    """The measure form; after a POST it means nothing was saved, hence 400."""
    status = 400 if request.method == "POST" else 200
    return render_template("measures/form.html", form=form, **context), status
