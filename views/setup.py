"""The guided first run of a new organisation (admins): the set-up checklist with each step's
state and page, the demo organisation as the example, and the target working days."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forms.setup import TargetForm
from views.common import run_service
from workflow.dashboard import setup as service
from workflow.permissions import require_admin

bp = Blueprint("setup", __name__, url_prefix="/setup")


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    require_admin(current_user)
    org = current_user.organisation
    form = TargetForm(days=org.target_working_days)
    if form.validate_on_submit() and run_service(
        service.set_target_days, current_user, form.days.data, form=form
    ):
        flash("บันทึกจำนวนวันทำการเป้าหมายแล้ว", "success")
        return redirect(url_for(".index"))
    steps = service.checklist(current_user)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "setup/index.html", steps=steps, complete=service.is_complete(steps), form=form
    ), status
