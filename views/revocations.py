"""Cancelling or superseding an approved memo: the page that drafts the later memo."""

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from extensions import db
from forms.circulation import RevocationForm
from models import Document, FrozenPdf, RevocationKind
from views.common import run_service
from workflow import revocations
from workflow.errors import NotAllowed
from workflow.permissions import get_document, require_view

bp = Blueprint("revocations", __name__, url_prefix="/documents")


@bp.route("/<int:doc_id>/revoke", methods=["GET", "POST"])
@login_required
def start(doc_id: int):
    doc = get_document(doc_id, current_user)
    require_view(current_user, doc)
    standing = revocations.standing(doc, current_user)
    if not standing.may_start:
        raise NotAllowed(_why_not(doc, standing))
    form = RevocationForm()
    if form.validate_on_submit():
        later = run_service(
            revocations.start,
            doc_id,
            current_user,
            form=form,
            kind=form.kind.data,
            reason=form.reason.data,
        )
        if later is not None:
            kind = RevocationKind(form.kind.data)
            flash(
                f"จัดทำร่างบันทึกขอ{kind.label}แล้ว ตรวจแก้ข้อความ แล้วกด “เสนอเรื่อง”"
                " บันทึกเดิมจะถูกทำเครื่องหมายเมื่อบันทึกนี้ได้รับอนุมัติ",
                "success",
            )
            return redirect(url_for("documents.show", doc_id=later.id))
    status = 400 if form.errors else 200
    return render_template("revocations/start.html", doc=doc, form=form), status


def _why_not(doc: Document, standing: revocations.Standing) -> str:
    if standing.done is not None:
        return f"บันทึกนี้ถูก{standing.done.kind.label}แล้ว"
    if standing.open is not None:
        return f"มีบันทึกขอ{standing.open.kind.label}บันทึกนี้อยู่ระหว่างดำเนินการแล้ว ดำเนินการได้ครั้งละหนึ่งฉบับ"
    if doc.state.value != "approved":
        return "ยกเลิกหรือแทนที่ได้เฉพาะบันทึกที่อนุมัติแล้วเท่านั้น"
    return "เฉพาะผู้จัดทำบันทึกฉบับนี้หรือผู้ดูแลระบบขององค์กรเท่านั้นที่ขอยกเลิกหรือแทนที่ได้"


@bp.app_template_global()
def revocation_standing(doc: Document) -> revocations.Standing:
    """For the memo page, the OIT board, the public page and /v: cancelled, superseded, or not."""
    user = current_user if current_user and current_user.is_authenticated else None
    return revocations.standing(doc, user)


@bp.app_template_global()
def revocation_notice(doc_id: int | None = None, code: str | None = None) -> dict | None:
    """For pages anyone may read (/p, /v): the facts of a cancellation, by memo id or the
    approved PDF's verification code."""
    if doc_id is None and code:
        frozen = db.session.scalars(sa.select(FrozenPdf).filter_by(verify_code=code)).first()
        doc_id = frozen.document_id if frozen else None
    return revocations.notice(doc_id) if doc_id is not None else None
