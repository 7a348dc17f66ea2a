"""In-app notifications: the bell's unread count, the list, and marking read."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

import clock
from extensions import db
from forms.common import EmptyForm
from forms.notifications import PreferencesForm
from models import LineChannel, LineLink
from notifications import service
from notifications.outbox import line, preferences
from views.common import run_service

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.route("/")
@login_required
def index():
    items = service.latest(current_user)
    return render_template("notifications/index.html", items=items, form=EmptyForm())


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    """Per channel: at once, in the 07:30 digest, or not at all."""
    form = PreferencesForm(data=preferences.of(current_user))
    saved = form.validate_on_submit() and run_service(
        preferences.save, current_user, form.chosen(), form=form
    )
    if saved:
        flash("บันทึกการตั้งค่าการแจ้งเตือนแล้ว", "success")
        return redirect(url_for(".settings"))
    status = 400 if form.errors else 200
    return render_template("notifications/settings.html", form=form, **_line_context()), status


def _line_context() -> dict:
    """Whether the organisation has LINE, and the person's link or pending code."""
    channel = db.session.get(LineChannel, current_user.org_id)
    link = db.session.get(LineLink, current_user.id)
    code_valid = bool(
        link and link.code and link.code_expires_at and link.code_expires_at > clock.now()
    )
    return {
        "line_ready": channel is not None,
        "line_link": link if link and link.line_user_id else None,
        "line_code": link if code_valid else None,
        "line_form": EmptyForm(),
    }


@bp.route("/line/code", methods=["POST"])
@login_required
def line_code():
    """A one-time code to send the organisation's LINE bot."""
    _require_post_form()
    if db.session.get(LineChannel, current_user.org_id) is None:
        flash("องค์กรยังไม่ได้ตั้งค่า LINE กรุณาแจ้งผู้ดูแลระบบ", "warning")
    else:
        line.new_code(current_user)
        db.session.commit()
    return redirect(url_for(".settings"))


@bp.route("/line/unlink", methods=["POST"])
@login_required
def line_unlink():
    _require_post_form()
    line.unlink(current_user)
    db.session.commit()
    flash("ยกเลิกการเชื่อมบัญชี LINE แล้ว", "success")
    return redirect(url_for(".settings"))


@bp.route("/<int:notification_id>/open", methods=["POST"])
@login_required
def open_item(notification_id: int):
    """Mark read, then go to what it is about."""
    _require_post_form()
    notification = service.mark_read(current_user, notification_id)
    db.session.commit()
    return redirect(service.safe_target(notification.url) or url_for(".index"))


@bp.route("/<int:notification_id>/read", methods=["POST"])
@login_required
def mark_read(notification_id: int):
    _require_post_form()
    service.mark_read(current_user, notification_id)
    db.session.commit()
    return redirect(url_for(".index"))


@bp.route("/read-all", methods=["POST"])
@login_required
def mark_all_read():
    _require_post_form()
    changed = service.mark_all_read(current_user)
    db.session.commit()
    if changed:
        flash("ทำเครื่องหมายว่าอ่านแล้วทั้งหมด", "success")
    return redirect(url_for(".index"))


def _require_post_form() -> None:
    # CSRFProtect already refuses a POST without a valid token; this keeps the pattern explicit.
    if not EmptyForm().validate_on_submit():
        abort(400)
