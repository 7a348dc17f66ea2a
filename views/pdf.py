"""The official document: the memo's PDF, the public verification page, and the images printed on
memos (the organisation's Garuda emblem, each person's signature)."""

from io import BytesIO

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required

from forms.common import EmptyForm
from forms.pdf import CodeForm, ImageForm, VerifyFileForm
from models import FrozenPdf
from pdf import freeze, images, verify
from views.common import run_service
from workflow import rate_limit
from workflow.permissions import require_admin

bp = Blueprint("pdf", __name__)


@bp.route("/documents/<int:doc_id>/pdf")
@login_required
def download(doc_id: int):
    pdf = run_service(freeze.document_pdf, doc_id, current_user)
    if pdf is None:
        return redirect(url_for("documents.show", doc_id=doc_id))
    response = send_file(
        BytesIO(pdf.data),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=pdf.filename,
        etag=pdf.frozen.sha256 if pdf.frozen else False,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-cache" if pdf.frozen else "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.app_template_global()
def frozen_pdf(doc_id: int) -> FrozenPdf | None:
    """The approved PDF of a memo, for the memo page's PDF box."""
    return freeze.frozen_of(doc_id)


# -- public verification (no login) ----------------------------------------------------------


VERIFY_BUSY = (
    "มีการตรวจสอบรหัสจากเครื่องหรือเครือข่ายนี้ถี่เกินไป กรุณารอสักครู่แล้วลองใหม่ (ตรวจได้ไม่เกิน {limit} ครั้งต่อนาที)"
)


@bp.before_request
def throttle_verification():
    """The public code check answers each address a limited number of times a minute."""
    if request.endpoint not in ("pdf.lookup", "pdf.check") or not (
        request.args or request.view_args
    ):
        return None
    window = current_app.extensions.get("verify_window")
    limit = current_app.config["VERIFY_MAX_PER_MINUTE"]
    if window is None or window.limit != limit:
        window = current_app.extensions["verify_window"] = rate_limit.Window(limit, 60)
    wait = window.hit(request.remote_addr or "")
    if wait is None:
        return None
    message = VERIFY_BUSY.format(limit=limit)
    html = render_template("errors/error.html", status=429, message=message)
    return html, 429, {"Retry-After": str(wait)}


@bp.route("/v")
def lookup():
    form = CodeForm(request.args)
    if request.args and form.validate():
        return redirect(url_for(".check", code=verify.normalise_code(form.code.data)))
    return render_template("verify/index.html", form=form)


@bp.route("/v/<code>", methods=["GET", "POST"])
def check(code: str):
    info = verify.verification(code)
    form = VerifyFileForm()
    result = None
    if form.validate_on_submit():
        limit = current_app.config["MAX_ATTACHMENT_BYTES"]
        data = form.file.data.read(limit + 1)
        result = run_service(verify.compare, code, data, form=form)
    status = 400 if form.errors else 200
    return render_template("verify/show.html", info=info, form=form, result=result), status


# -- images printed on memos -----------------------------------------------------------------


@bp.route("/pdf/signature", methods=["GET", "POST"])
@login_required
def signature():
    form = ImageForm()
    if form.validate_on_submit() and run_service(
        images.set_signature, current_user, form.file.data.read(), form=form
    ):
        flash("บันทึกภาพลายมือชื่อแล้ว", "success")
        return redirect(url_for(".signature"))
    return _image_page("signature", form, current_user.signature_key)


@bp.route("/pdf/signature/remove", methods=["POST"])
@login_required
def remove_signature():
    if EmptyForm().validate_on_submit() and run_service(images.remove_signature, current_user):
        flash("ลบภาพลายมือชื่อแล้ว เอกสารจะพิมพ์ชื่อแทนลายมือชื่อ", "success")
    return redirect(url_for(".signature"))


@bp.route("/pdf/signature/image")
@login_required
def signature_image():
    return _image_response(current_user.signature_key)


@bp.route("/pdf/garuda", methods=["GET", "POST"])
@login_required
def garuda():
    require_admin(current_user)
    form = ImageForm()
    if form.validate_on_submit() and run_service(
        images.set_garuda, current_user, form.file.data.read(), form=form
    ):
        flash("บันทึกภาพตราครุฑแล้ว", "success")
        return redirect(url_for(".garuda"))
    return _image_page("garuda", form, current_user.organisation.garuda_key)


@bp.route("/pdf/garuda/remove", methods=["POST"])
@login_required
def remove_garuda():
    if EmptyForm().validate_on_submit() and run_service(images.remove_garuda, current_user):
        flash("ลบภาพตราครุฑแล้ว", "success")
    return redirect(url_for(".garuda"))


@bp.route("/pdf/garuda/image")
@login_required
def garuda_image():
    return _image_response(current_user.organisation.garuda_key)


def _image_page(kind: str, form: ImageForm, key: str | None):
    status = 400 if form.errors else 200
    has_image = images.stored_image(key) is not None
    page = render_template(
        "pdf/images.html", kind=kind, form=form, has_image=has_image, button_form=EmptyForm()
    )
    return page, status


def _image_response(key: str | None):
    stored = images.stored_image(key)
    if stored is None:
        abort(404)
    data, media_type = stored
    response = send_file(BytesIO(data), mimetype=media_type, max_age=0)
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
