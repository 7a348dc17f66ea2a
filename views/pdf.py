"""The official document: the memo's PDF and the public verification page."""

from io import BytesIO

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required

from documents import freeze, verify
from forms.pdf import CodeForm, VerifyFileForm
from models import FrozenPdf
from views.common import run_service

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
        outcome = run_service(verify.compare, code, data, form=form)
        if outcome is not None:
            result = {"identical": outcome[0], "sha256": outcome[1]}
    status = 400 if form.errors else 200
    return render_template("verify/show.html", info=info, form=form, result=result), status
