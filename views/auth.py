"""Log in and out, with the throttle of workflow/login_throttle.py in front of the password."""

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from extensions import db
from forms.auth import ChangePasswordForm, LoginForm
from forms.common import EmptyForm
from models import User
from views.common import run_service
from workflow import account, login_throttle

bp = Blueprint("auth", __name__)

WRONG = "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    username, ip = form.username.data, request.remote_addr or ""
    refused, attempt = login_throttle.admit(username, ip)
    db.session.commit()  # counted before the password is checked, so a burst cannot outrun it
    if refused is not None:
        return _refused(form, refused)
    user = db.session.scalar(
        sa.select(User).where(sa.func.lower(User.username) == username.lower())
    )
    if user is not None:
        db.session.expunge(user)  # keeps what was loaded while no transaction is open:
    db.session.commit()  # on SQLite a POST's transaction holds the write lock; not while hashing
    if not login_throttle.check_password_evenly(user, form.password.data):
        refused = login_throttle.refusal(username, ip)
        if refused is not None:
            return _refused(form, refused)
        form.password.errors.append(WRONG)
        return render_template("auth/login.html", form=form)
    if not user.active:
        login_throttle.forget(attempt)
        db.session.commit()
        form.username.errors.append("บัญชีนี้ถูกปิดการใช้งาน กรุณาติดต่อผู้ดูแลระบบขององค์กร")
        return render_template("auth/login.html", form=form)
    login_throttle.clear(username)
    db.session.commit()
    login_user(user, remember=form.remember.data)
    return redirect(_safe_next(request.args.get("next")))


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    if EmptyForm().validate_on_submit():
        run_service(account.end_all_sessions, current_user._get_current_object())
        logout_user()
        flash("ออกจากระบบแล้ว ทุกเครื่องที่เข้าสู่ระบบด้วยชื่อนี้ต้องเข้าสู่ระบบใหม่", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        done = run_service(
            account.change_own_password, user, form.current.data, form.new.data, form=form
        )
        if done is not None:
            login_user(done)  # this browser carries on under the new session version
            flash("เปลี่ยนรหัสผ่านแล้ว เครื่องอื่นที่เข้าสู่ระบบไว้ต้องเข้าสู่ระบบใหม่ด้วยรหัสผ่านใหม่", "success")
            return redirect(url_for("dashboard.index"))
    return render_template("auth/password.html", form=form)


def _refused(form: LoginForm, refused: login_throttle.Refusal):
    """429 Too Many Requests, the reason beside its field, and when to try again."""
    getattr(form, refused.field).errors.append(refused.message)
    html = render_template("auth/login.html", form=form)
    return html, 429, {"Retry-After": str(refused.retry_after)}


def _safe_next(target: str | None) -> str:
    """Only same-site paths: a crafted ?next= must not send the user elsewhere."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("dashboard.index")
