"""Measures of the fiscal-year plan (stub: being built)."""

from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("measures", __name__, url_prefix="/measures")


@bp.route("/")
@login_required
def index():
    return render_template("measures/index.html")
