"""Organisation set-up: units, positions, people, signature chains, acting officials, numbering."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from workflow.permissions import require_admin

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
@login_required
def index():
    require_admin(current_user)
    return render_template("admin/index.html")
