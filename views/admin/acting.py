"""Pages for the register of acting officials (รักษาราชการแทน / ปฏิบัติราชการแทน)."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

import clock
from forms.admin import ActingForm, EndActingForm
from forms.common import EmptyForm
from models import ActingKind
from views.admin.blueprint import bp, form_page, id_or_none, people_choices, position_choices
from views.common import run_service
from workflow.admin import acting as service
from workflow.permissions import require_admin


@bp.route("/acting")
@login_required
def acting():
    assignments = service.register(current_user)
    return render_template(
        "admin/acting.html",
        assignments=assignments,
        in_force=service.in_force_today(assignments),
        today=clock.today(),
        history=service.history(current_user),
        describe=service.describe_facts,
    )


@bp.route("/acting/new", methods=["GET", "POST"])
@login_required
def new_assignment():
    require_admin(current_user)
    form = _with_choices(ActingForm())
    if form.validate_on_submit():
        done = run_service(service.create_assignment, current_user, _data(form), form=form)
        if done is not None:
            flash("เพิ่มรายการในทะเบียนผู้รักษาราชการแทนแล้ว", "success")
            return redirect(url_for(".acting"))
    return form_page("admin/acting_form.html", form, assignment=None)


@bp.route("/acting/<int:assignment_id>/edit", methods=["GET", "POST"])
@login_required
def edit_assignment(assignment_id: int):
    assignment = service.get_assignment(assignment_id, current_user)
    form = _with_choices(ActingForm(obj=assignment))
    if request.method == "GET":
        form.kind.data = assignment.kind.value
    if form.validate_on_submit() and run_service(
        service.update_assignment, assignment_id, current_user, _data(form), form=form
    ):
        flash("บันทึกการแก้ไขรายการแล้ว", "success")
        return redirect(url_for(".acting"))
    return form_page("admin/acting_form.html", form, assignment=assignment)


@bp.route("/acting/<int:assignment_id>/end", methods=["GET", "POST"])
@login_required
def end_assignment(assignment_id: int):
    assignment = service.get_assignment(assignment_id, current_user)
    form = EndActingForm(data={"end_date": clock.today()})
    if form.validate_on_submit() and run_service(
        service.end_assignment, assignment_id, current_user, form.end_date.data, form=form
    ):
        flash("บันทึกวันสิ้นสุดแล้ว", "success")
        return redirect(url_for(".acting"))
    return form_page("admin/acting_end.html", form, assignment=assignment)


@bp.route("/acting/<int:assignment_id>/delete", methods=["POST"])
@login_required
def delete_assignment(assignment_id: int):
    if EmptyForm().validate_on_submit() and run_service(
        service.delete_assignment, assignment_id, current_user
    ):
        flash("ลบรายการออกจากทะเบียนแล้ว", "success")
    return redirect(url_for(".acting"))


def _with_choices(form: ActingForm) -> ActingForm:
    form.user_id.choices = people_choices()
    form.position_id.choices = position_choices("— เลือกตำแหน่ง —")
    return form


def _data(form: ActingForm) -> service.ActingData:
    return service.ActingData(
        user_id=id_or_none(form.user_id.data),
        position_id=id_or_none(form.position_id.data),
        kind=ActingKind(form.kind.data),
        start_date=form.start_date.data,
        end_date=form.end_date.data,
        order_ref=form.order_ref.data or "",
    )
