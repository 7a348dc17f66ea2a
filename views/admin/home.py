"""The admin home page: a link and a count for each part of the set-up."""

from flask import render_template
from flask_login import current_user, login_required

from views.admin.blueprint import bp
from workflow.admin import overview
from workflow.ita.store import missing_current_year


@bp.route("/")
@login_required
def index():
    return render_template(
        "admin/index.html",
        summary=overview.summary(current_user),
        missing_catalogue=missing_current_year(),
    )
