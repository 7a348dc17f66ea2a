"""Pages for the signature chains: one ordered list of steps per document type."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from forms.admin import ChainStepForm
from forms.common import EmptyForm
from models import ChainStep
from views.admin.blueprint import bp, form_page, id_or_none, position_choices
from views.common import run_service
from workflow.admin import chains as service
from workflow.permissions import require_admin


@bp.route("/chains")
@login_required
def chains():
    chain_map = service.chains(current_user)
    steps = [s for chain in chain_map.values() for s in chain]
    return render_template(
        "admin/chains.html", chains=chain_map, signers=service.signers_today(current_user, steps)
    )


@bp.route("/chains/<doc_type>/steps/new", methods=["GET", "POST"])
@login_required
def new_step(doc_type: str):
    require_admin(current_user)
    kind = service.doc_type_of(doc_type)
    form = _with_choices(ChainStepForm())
    if form.validate_on_submit():
        step = run_service(service.add_step, current_user, doc_type, _data(form), form=form)
        if step is not None:
            flash(f"เพิ่มขั้นที่ {step.step_no} ใน “{kind.label}” แล้ว", "success")
            return redirect(_chain_url(step))
    return form_page("admin/step_form.html", form, step=None, doc_type=kind)


@bp.route("/chains/steps/<int:step_id>/edit", methods=["GET", "POST"])
@login_required
def edit_step(step_id: int):
    step = service.get_step(step_id, current_user)
    form = _with_choices(ChainStepForm(obj=step))
    if form.validate_on_submit() and run_service(
        service.update_step, step_id, current_user, _data(form), form=form
    ):
        flash("บันทึกการแก้ไขขั้นตอนแล้ว เอกสารที่เสนอไปแล้วยังใช้สายการลงนามเดิม", "success")
        return redirect(_chain_url(step))
    return form_page("admin/step_form.html", form, step=step, doc_type=step.doc_type)


@bp.route("/chains/steps/<int:step_id>/delete", methods=["POST"])
@login_required
def delete_step(step_id: int):
    back = _chain_url(service.get_step(step_id, current_user))  # the step is gone afterwards
    if EmptyForm().validate_on_submit() and run_service(service.delete_step, step_id, current_user):
        flash("ลบขั้นตอนแล้ว ขั้นที่เหลือเลื่อนลำดับขึ้นมาแทน", "success")
    return redirect(back)


@bp.route("/chains/steps/<int:step_id>/up", methods=["POST"])
@login_required
def move_step_up(step_id: int):
    return _move(step_id, -1)


@bp.route("/chains/steps/<int:step_id>/down", methods=["POST"])
@login_required
def move_step_down(step_id: int):
    return _move(step_id, 1)


@bp.route("/chains/<doc_type>/defaults", methods=["POST"])
@login_required
def apply_defaults(doc_type: str):
    if EmptyForm().validate_on_submit():
        steps = run_service(service.apply_default_chain, current_user, doc_type)
        if steps is not None:
            flash(f"ใช้สายการลงนามมาตรฐาน {len(steps)} ขั้นแล้ว", "success")
    return redirect(url_for(".chains", _anchor=doc_type))


@bp.route("/chains/<doc_type>/copy", methods=["POST"])
@login_required
def copy_chain(doc_type: str):
    if EmptyForm().validate_on_submit():
        targets = run_service(service.copy_chain, current_user, doc_type)
        if targets is not None:
            names = " และ ".join(f"“{t.label}”" for t in targets)
            flash(f"คัดลอกสายการลงนามไปยัง {names} แล้ว", "success")
    return redirect(url_for(".chains", _anchor=doc_type))


def _move(step_id: int, offset: int):
    step = service.get_step(step_id, current_user)
    if EmptyForm().validate_on_submit():
        run_service(service.move_step, step_id, current_user, offset)
    return redirect(_chain_url(step))


def _chain_url(step: ChainStep) -> str:
    return url_for(".chains", _anchor=step.doc_type.value)


def _with_choices(form: ChainStepForm) -> ChainStepForm:
    form.position_id.choices = position_choices("— เลือกตำแหน่ง —")
    return form


def _data(form: ChainStepForm) -> service.StepData:
    return service.StepData(
        position_id=id_or_none(form.position_id.data),
        heading=form.heading.data,
        forward_decisions=form.forward_decisions.data or [],
        reject_decisions=form.reject_decisions.data or [],
        phrases=form.phrases.data or [],
    )
