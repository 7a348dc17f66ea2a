"""The organisation's e-seal certificate: upload (PKCS#12 and its password), status, removal."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from forms.admin import SealForm
from forms.common import EmptyForm
from pdf.seal.keys import MAX_PKCS12_BYTES
from views.admin.blueprint import bp
from views.common import run_service
from workflow.admin import seal as service


@bp.route("/seal", methods=["GET", "POST"])
@login_required
def seal():
    status = service.seal_status(current_user)
    form = SealForm()
    saved = form.validate_on_submit() and run_service(
        service.install_seal,
        current_user,
        form.file.data.read(MAX_PKCS12_BYTES + 1),
        form.password.data or "",
        form=form,
    )
    if saved:
        flash("บันทึกใบรับรองตราอิเล็กทรอนิกส์แล้ว เอกสารที่อนุมัติต่อจากนี้จะประทับตรานี้", "success")
        return redirect(url_for(".seal"))
    tsa = bool(current_app.config.get("SEAL_TSA_URL"))
    page = render_template("admin/seal.html", form=form, status=status, tsa=tsa, remove=EmptyForm())
    return page, 400 if form.errors else 200


@bp.route("/seal/remove", methods=["POST"])
@login_required
def remove_seal():
    if EmptyForm().validate_on_submit() and run_service(
        lambda actor: service.remove_seal(actor) or True, current_user
    ):
        flash("ลบใบรับรองตราอิเล็กทรอนิกส์แล้ว เอกสารที่อนุมัติต่อจากนี้จะไม่ประทับตรา", "success")
    return redirect(url_for(".seal"))
