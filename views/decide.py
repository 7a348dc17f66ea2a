"""The decision page for phones: the memo, the earlier comments, the step's phrases and its
decisions as big buttons; a chosen decision is shown once more to confirm, and only that
confirmation (a POST with its CSRF token) signs. Opening any of these links changes nothing,
so a link preview or a mail scanner cannot decide."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forms.decide import CONFIRMED, RETURN, DecideForm
from models import Document, DocumentStep
from views.common import run_service, to_int
from workflow import audit
from workflow import documents as service
from workflow.errors import NotAllowed
from workflow.permissions import get_document, require_view, signing_authority

bp = Blueprint("decide", __name__, url_prefix="/decide")


@bp.route("/<int:doc_id>")
@login_required
def page(doc_id: int):
    doc = _viewable(doc_id)
    acting, step = _turn(doc)
    form = DecideForm(formdata=None, revision=doc.revision, step_no=doc.current_step)
    return render_template("decide/page.html", **_context(doc, step, acting, form))


@bp.route("/<int:doc_id>/confirm", methods=["GET", "POST"])
@login_required
def confirm(doc_id: int):
    """GET and an unconfirmed POST show the confirmation; a confirmed POST signs."""
    doc = _viewable(doc_id)
    acting, step = _turn(doc)
    if step is None:
        flash("เอกสารนี้ไม่ได้รอการพิจารณาของคุณแล้ว", "warning")
        return redirect(url_for(".page", doc_id=doc_id))
    posted = request.method == "POST"
    form = DecideForm() if posted else DecideForm(formdata=request.args, meta={"csrf": False})
    valid = form.validate_on_submit() if posted else form.validate()
    if not form.returning and form.decision.data not in step.decisions:
        flash("กรุณาเลือกความเห็นจากปุ่มของขั้นนี้", "danger")
        return redirect(url_for(".page", doc_id=doc_id))
    if valid and posted and form.confirmed.data == CONFIRMED:
        done = _sign(doc_id, form)
        if done is not None:
            flash(_signed_message(form), "success")
            return redirect(url_for("dashboard.index"))
    status = 400 if posted and form.confirmed.data == CONFIRMED else 200
    return render_template("decide/confirm.html", **_context(doc, step, acting, form)), status


def _sign(doc_id: int, form: DecideForm) -> Document | None:
    expected = {
        "expected_revision": to_int(form.revision.data),
        "expected_step": to_int(form.step_no.data),
    }
    if form.returning:
        return run_service(
            service.return_for_revision, doc_id, current_user, form=form,
            reason=form.comment.data or "", resume_here=form.resume_here.data, **expected,
        )  # fmt: skip
    return run_service(
        service.decide, doc_id, current_user, form=form,
        decision=form.decision.data, comment=form.comment.data or "", **expected,
    )  # fmt: skip


def _signed_message(form: DecideForm) -> str:
    if form.returning:
        return "ส่งคืนผู้จัดทำเพื่อแก้ไขแล้ว"
    return f"บันทึกความเห็น “{form.decision.data}” แล้ว"


def _viewable(doc_id: int) -> Document:
    doc = get_document(doc_id, current_user)
    require_view(current_user, doc)
    return doc


def _turn(doc: Document):
    """(acting assignment or None, current step) when it is the user's turn; else (None, None)."""
    try:
        acting = signing_authority(current_user, doc)
    except NotAllowed:
        return None, None
    return acting, doc.step()


def _context(doc: Document, step: DocumentStep | None, acting, form: DecideForm) -> dict:
    log = audit.timeline(doc)
    if step is not None:
        form.require_reason(rejecting=form.decision.data in step.reject_decisions)
    return {
        "doc": doc,
        "step": step,
        "acting": acting,
        "form": form,
        "comments": [r for r in log if r.comment or r.decision],
        "return_action": RETURN,
        "confirmed": CONFIRMED,
    }
