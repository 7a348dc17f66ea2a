"""Pages for the people of the organisation: their logins, posts, units and admin rights."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from forms.admin import PERSON_TITLES, NewPersonForm, PersonForm
from forms.common import EmptyForm
from views.admin.blueprint import bp, form_page, id_or_none, position_choices
from views.common import run_service, unit_choices
from workflow import login_throttle
from workflow.admin import people as service
from workflow.permissions import require_admin


@bp.route("/people")
@login_required
def people():
    everyone = service.list_people(current_user)
    locks = login_throttle.locked_until([person.username for person in everyone])
    return render_template("admin/people.html", people=everyone, locks=locks)


@bp.route("/people/new", methods=["GET", "POST"])
@login_required
def new_person():
    require_admin(current_user)
    form = _with_choices(NewPersonForm())
    if form.validate_on_submit():
        person = run_service(service.create_person, current_user, _data(form), form=form)
        if person is not None:
            flash(f"เพิ่ม {person.display_name} แล้ว เข้าสู่ระบบด้วยชื่อผู้ใช้ {person.username}", "success")
            return redirect(url_for(".people"))
    return form_page("admin/person_form.html", form, person=None, titles=PERSON_TITLES)


@bp.route("/people/<int:user_id>/edit", methods=["GET", "POST"])
@login_required
def edit_person(user_id: int):
    person = service.get_person(user_id, current_user)
    form = _with_choices(PersonForm(obj=person))
    if form.validate_on_submit() and run_service(
        service.update_person, user_id, current_user, _data(form), form=form
    ):
        flash(f"บันทึกข้อมูลของ {form.title.data}{form.full_name.data} แล้ว", "success")
        return redirect(url_for(".people"))
    return form_page("admin/person_form.html", form, person=person, titles=PERSON_TITLES)


@bp.route("/people/<int:user_id>/deactivate", methods=["POST"])
@login_required
def deactivate_person(user_id: int):
    if EmptyForm().validate_on_submit():
        person = run_service(service.set_active, user_id, current_user, False)
        if person is not None:
            flash(f"ปิดการใช้งานบัญชีของ {person.display_name} แล้ว", "success")
    return redirect(url_for(".people"))


@bp.route("/people/<int:user_id>/activate", methods=["POST"])
@login_required
def activate_person(user_id: int):
    if EmptyForm().validate_on_submit():
        person = run_service(service.set_active, user_id, current_user, True)
        if person is not None:
            flash(f"เปิดใช้งานบัญชีของ {person.display_name} แล้ว", "success")
    return redirect(url_for(".people"))


@bp.route("/people/<int:user_id>/unlock", methods=["POST"])
@login_required
def unlock_person(user_id: int):
    if EmptyForm().validate_on_submit():
        person = run_service(login_throttle.unlock, user_id, current_user)
        if person is not None:
            flash(f"ปลดล็อกการเข้าสู่ระบบของ {person.display_name} แล้ว เข้าสู่ระบบได้ทันที", "success")
    return redirect(url_for(".people"))


def _with_choices(form: PersonForm) -> PersonForm:
    form.position_id.choices = position_choices()
    form.unit_id.choices = unit_choices()
    return form


def _data(form: PersonForm) -> service.PersonData:
    return service.PersonData(
        title=form.title.data,
        full_name=form.full_name.data,
        username=form.username.data,
        email=form.email.data or "",
        position_id=id_or_none(form.position_id.data),
        unit_id=id_or_none(form.unit_id.data),
        is_admin=form.is_admin.data,
        active=form.active.data,
        password=form.password.data or "",
    )
