"""Pages for the organisation's settings, its units and its positions."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from forms.admin import OrganisationForm, PositionForm, UnitForm
from forms.common import EmptyForm
from models import OrgKind
from views.admin.blueprint import bp, form_page
from views.common import run_service
from workflow.admin import org as service
from workflow.admin import positions as position_service
from workflow.permissions import require_admin


@bp.route("/organisation", methods=["GET", "POST"])
@login_required
def organisation():
    form = OrganisationForm(obj=service.organisation(current_user))
    if form.validate_on_submit() and run_service(
        service.update_organisation, current_user, _settings(form), form=form
    ):
        flash("บันทึกการตั้งค่าองค์กรแล้ว", "success")
        return redirect(url_for(".organisation"))
    return form_page("admin/organisation.html", form)


def _settings(form: OrganisationForm) -> service.OrgSettings:
    return service.OrgSettings(
        name=form.name.data,
        kind=OrgKind(form.kind.data),
        district=form.district.data or "",
        province=form.province.data or "",
        phone=form.phone.data or "",
        doc_prefix=form.doc_prefix.data or "",
        thai_digits=form.thai_digits.data,
        print_no_budget=form.print_no_budget.data,
        allow_self_acting=form.allow_self_acting.data,
        forbid_drafter_signing=form.forbid_drafter_signing.data,
    )


# -- units -------------------------------------------------------------------


@bp.route("/units")
@login_required
def units():
    return render_template("admin/units.html", rows=service.list_units(current_user))


@bp.route("/units/new", methods=["GET", "POST"])
@login_required
def new_unit():
    require_admin(current_user)
    form = UnitForm()
    if form.validate_on_submit():
        unit = run_service(
            service.create_unit, current_user, form.name.data, form.phone.data or "", form=form
        )
        if unit is not None:
            flash(f"เพิ่มหน่วยงาน “{unit.name}” แล้ว", "success")
            return redirect(url_for(".units"))
    return form_page("admin/unit_form.html", form, unit=None)


@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
@login_required
def edit_unit(unit_id: int):
    unit = service.get_unit(unit_id, current_user)
    form = UnitForm(obj=unit)
    if form.validate_on_submit() and run_service(
        service.update_unit,
        unit_id,
        current_user,
        form.name.data,
        form.phone.data or "",
        form=form,
    ):
        flash("บันทึกการแก้ไขหน่วยงานแล้ว", "success")
        return redirect(url_for(".units"))
    return form_page("admin/unit_form.html", form, unit=unit)


@bp.route("/units/<int:unit_id>/up", methods=["POST"])
@login_required
def move_unit_up(unit_id: int):
    return _move_unit(unit_id, -1)


@bp.route("/units/<int:unit_id>/down", methods=["POST"])
@login_required
def move_unit_down(unit_id: int):
    return _move_unit(unit_id, 1)


def _move_unit(unit_id: int, offset: int):
    if EmptyForm().validate_on_submit():
        run_service(service.move_unit, unit_id, current_user, offset)
    return redirect(url_for(".units", _anchor=f"unit-{unit_id}"))


@bp.route("/units/<int:unit_id>/delete", methods=["POST"])
@login_required
def delete_unit(unit_id: int):
    if EmptyForm().validate_on_submit():
        name = run_service(service.delete_unit, unit_id, current_user)
        if name is not None:
            flash(f"ลบหน่วยงาน “{name}” แล้ว", "success")
    return redirect(url_for(".units"))


# -- positions ---------------------------------------------------------------


@bp.route("/positions")
@login_required
def positions():
    rows = position_service.list_positions(current_user)
    return render_template("admin/positions.html", rows=rows)


@bp.route("/positions/new", methods=["GET", "POST"])
@login_required
def new_position():
    require_admin(current_user)
    form = PositionForm()
    if form.validate_on_submit():
        position = run_service(
            position_service.create_position, current_user, form.title.data, form=form
        )
        if position is not None:
            flash(f"เพิ่มตำแหน่ง “{position.title}” แล้ว", "success")
            return redirect(url_for(".positions"))
    return form_page("admin/position_form.html", form, position=None)


@bp.route("/positions/<int:position_id>/edit", methods=["GET", "POST"])
@login_required
def edit_position(position_id: int):
    position = position_service.get_position(position_id, current_user)
    form = PositionForm(obj=position)
    if form.validate_on_submit() and run_service(
        position_service.update_position, position_id, current_user, form.title.data, form=form
    ):
        flash("บันทึกการแก้ไขตำแหน่งแล้ว", "success")
        return redirect(url_for(".positions"))
    return form_page("admin/position_form.html", form, position=position)


@bp.route("/positions/<int:position_id>/delete", methods=["POST"])
@login_required
def delete_position(position_id: int):
    if EmptyForm().validate_on_submit():
        title = run_service(position_service.delete_position, position_id, current_user)
        if title is not None:
            flash(f"ลบตำแหน่ง “{title}” แล้ว", "success")
    return redirect(url_for(".positions"))
