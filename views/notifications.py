"""In-app notifications (stub: being built)."""

from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.route("/")
@login_required
def index():
    return render_template("notifications/index.html")


@bp.app_context_processor
def unread_badge():
    return {"unread_count": 0}
