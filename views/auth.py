"""Log in and out."""

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from extensions import db
from forms.auth import LoginForm
from forms.common import EmptyForm
from models import User

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(
            sa.select(User).where(sa.func.lower(User.username) == form.username.data.lower())
        )
        if user is None or not user.check_password(form.password.data):
            form.password.errors.append("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง")
        elif not user.active:
            form.username.errors.append("บัญชีนี้ถูกปิดการใช้งาน กรุณาติดต่อผู้ดูแลระบบขององค์กร")
        else:
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    if EmptyForm().validate_on_submit():
        logout_user()
        flash("ออกจากระบบแล้ว", "info")
    return redirect(url_for("auth.login"))


def _safe_next(target: str | None) -> str:
    """Only same-site paths: a crafted ?next= must not send the user elsewhere."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("main.index")
