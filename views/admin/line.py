"""The organisation's LINE channel: token and secret (write-only), quota and this month's meter."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from forms.common import EmptyForm
from forms.notifications import LineChannelForm
from views.admin.blueprint import bp
from views.common import run_service
from workflow.admin import line as service


@bp.route("/line", methods=["GET", "POST"])
@login_required
def line():
    status = service.line_status(current_user)
    form = LineChannelForm(data={"quota": status.quota})
    saved = form.validate_on_submit() and run_service(
        service.save_line_channel,
        current_user,
        form.token.data,
        form.secret.data,
        form.quota.data,
        form=form,
    )
    if saved:
        flash("บันทึกการตั้งค่า LINE แล้ว (โทเคนถูกเข้ารหัสเก็บไว้ และจะไม่แสดงอีก)", "success")
        return redirect(url_for(".line"))
    webhook = url_for("line.webhook", org_id=current_user.org_id, _external=True)
    return (
        render_template(
            "admin/line.html", form=form, status=status, webhook=webhook, remove=EmptyForm()
        ),
        400 if form.errors else 200,
    )


@bp.route("/line/remove", methods=["POST"])
@login_required
def remove_line():
    if EmptyForm().validate_on_submit() and run_service(
        lambda actor: service.remove_line_channel(actor) or True, current_user
    ):
        flash("ลบการตั้งค่า LINE แล้ว ระบบจะแจ้งทางอีเมลแทน", "success")
    return redirect(url_for(".line"))
