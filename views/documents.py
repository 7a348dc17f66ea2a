"""Memo pages: write, submit, wait, decide, return, withdraw; the memo with its timeline."""

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.datastructures import ImmutableMultiDict

import clock
import storage
from extensions import db
from forms.common import EmptyForm
from forms.documents import AttachmentForm, CloseForm, DecisionForm, MemoForm, ReturnForm
from models import (
    DEFAULT_CLOSING,
    DEFAULT_SECTIONS,
    Action,
    DecisionLog,
    DocState,
    DocType,
    Document,
    Unit,
)
from views.common import run_service, to_int, unit_choices
from views.errors import render_error
from workflow import attachments, audit, closing
from workflow import documents as service
from workflow.dashboard.waiting import pending_lines
from workflow.errors import NotAllowed, ValidationFailed
from workflow.permissions import (
    get_document,
    require_editable,
    require_view,
    signing_authority,
)
from workflow.signatures import signatures

bp = Blueprint("documents", __name__, url_prefix="/documents")


@bp.route("/pending")
@login_required
def pending():
    lines = pending_lines(current_user)
    return render_template("documents/pending.html", lines=lines)


@bp.route("/mine")
@login_required
def mine():
    stmt = (
        sa.select(Document)
        .where(Document.org_id == current_user.org_id, Document.drafter_id == current_user.id)
        .order_by(Document.updated_at.desc())
    )
    docs = db.session.scalars(stmt).all()
    groups = {state: [d for d in docs if d.state == state] for state in DocState}
    return render_template(
        "documents/mine.html", groups=groups, return_reasons=_return_reasons(groups)
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = MemoForm()
    _fill_choices(form)
    # A progress report is made from its round's page, which attaches its table.
    form.doc_type.choices = [c for c in form.doc_type.choices if c.value != DocType.PROGRESS_REPORT]
    if request.method == "GET":
        _fill_defaults(form, request.args.get("type", DocType.GENERAL))
    if form.validate_on_submit():
        doc = run_service(service.create_draft, current_user, _content(form), form=form)
        if doc is not None:
            flash("บันทึกร่างแล้ว", "success")
            return redirect(url_for(".show", doc_id=doc.id))
    return render_template("documents/edit.html", form=form, doc=None)


@bp.route("/<int:doc_id>/edit", methods=["GET", "POST"])
@login_required
def edit(doc_id: int):
    doc = get_document(doc_id, current_user)
    require_editable(current_user, doc)
    form = MemoForm(obj=doc) if request.method == "GET" else MemoForm()
    _fill_choices(form)
    if service.has_annex(doc):  # its attached table belongs to this type; the type stays
        form.doc_type.choices = [c for c in form.doc_type.choices if c.value == doc.doc_type]
    if request.method == "GET":
        form.doc_type.data = doc.doc_type.value
        form.unit_id.data = doc.unit_id or 0
        _set_sections(form, [(s.heading, s.body) for s in doc.sections])
    if form.validate_on_submit() and run_service(
        service.update_draft, doc_id, current_user, _content(form), form=form
    ):
        flash("บันทึกการแก้ไขแล้ว", "success")
        return redirect(url_for(".show", doc_id=doc_id))
    return render_template("documents/edit.html", form=form, doc=doc)


@bp.route("/<int:doc_id>")
@login_required
def show(doc_id: int):
    doc = get_document(doc_id, current_user)
    require_view(current_user, doc)
    return render_template("documents/show.html", **_page(doc))


@bp.route("/<int:doc_id>/submit", methods=["POST"])
@login_required
def submit(doc_id: int):
    if EmptyForm().validate_on_submit():
        doc = run_service(service.submit, doc_id, current_user)
        if doc is not None:
            flash(f"เสนอเรื่องแล้ว เลขที่ {doc.number} รอ{doc.step().position_title}พิจารณา", "success")
    return redirect(url_for(".show", doc_id=doc_id))


@bp.route("/<int:doc_id>/withdraw", methods=["POST"])
@login_required
def withdraw(doc_id: int):
    if EmptyForm().validate_on_submit() and run_service(service.withdraw, doc_id, current_user):
        flash("ถอนเรื่องแล้ว", "success")
    return redirect(url_for(".show", doc_id=doc_id))


@bp.route("/<int:doc_id>/reopen", methods=["POST"])
@login_required
def reopen(doc_id: int):
    if EmptyForm().validate_on_submit() and run_service(service.reopen, doc_id, current_user):
        flash("นำเอกสารกลับมาเป็นร่างแล้ว แก้ไขและเสนอใหม่ได้", "success")
    return redirect(url_for(".show", doc_id=doc_id))


@bp.route("/<int:doc_id>/discard", methods=["POST"])
@login_required
def discard(doc_id: int):
    if EmptyForm().validate_on_submit():
        subject = run_service(closing.discard, doc_id, current_user)
        if subject is not None:
            flash(f"ลบร่าง “{subject}” แล้ว", "success")
            return redirect(url_for(".mine"))
    return redirect(url_for(".show", doc_id=doc_id))


@bp.route("/<int:doc_id>/close", methods=["POST"])
@login_required
def close(doc_id: int):
    doc = get_document(doc_id, current_user)
    form = CloseForm()
    if form.validate_on_submit():
        done = run_service(closing.close, doc_id, current_user, form=form, reason=form.reason.data)
        if done is not None:
            flash(f"ยุติเรื่องเลขที่ {done.number} แล้ว เหตุผลบันทึกไว้ในลำดับการดำเนินการ", "success")
            return redirect(url_for(".show", doc_id=doc_id))
    return _redisplay(doc, close_form=form)


@bp.route("/<int:doc_id>/decide", methods=["POST"])
@login_required
def decide(doc_id: int):
    doc = get_document(doc_id, current_user)
    form = DecisionForm()
    step = _step_on_page(doc, to_int(form.revision.data), to_int(form.step_no.data))
    form.offer(step)
    if form.validate_on_submit():
        done = run_service(
            service.decide,
            doc_id,
            current_user,
            form=form,
            decision=form.decision.data,
            comment=form.comment.data,
            expected_revision=to_int(form.revision.data),
            expected_step=to_int(form.step_no.data),
        )
        if done is not None:
            flash(f"บันทึกความเห็น “{form.decision.data}” แล้ว", "success")
            return redirect(url_for(".pending"))
    return _redisplay(doc, decision_form=form)


@bp.route("/<int:doc_id>/return", methods=["POST"])
@login_required
def return_for_revision(doc_id: int):
    doc = get_document(doc_id, current_user)
    form = ReturnForm()
    if form.validate_on_submit():
        done = run_service(
            service.return_for_revision,
            doc_id,
            current_user,
            form=form,
            reason=form.reason.data,
            resume_here=form.resume_here.data,
            expected_revision=to_int(form.revision.data),
            expected_step=to_int(form.step_no.data),
        )
        if done is not None:
            flash("ส่งคืนผู้จัดทำเพื่อแก้ไขแล้ว", "success")
            return redirect(url_for(".pending"))
    return _redisplay(doc, return_form=form)


@bp.route("/<int:doc_id>/attachments", methods=["POST"])
@login_required
def upload(doc_id: int):
    form = AttachmentForm()
    if form.validate_on_submit():
        upload = form.file.data
        done = run_service(
            attachments.add, doc_id, current_user, upload.filename or "", upload.read(), form=form
        )
        if done is not None:
            flash(
                Markup('แนบไฟล์ <span class="verbatim">{}</span> แล้ว').format(done.filename),
                "success",
            )
            return redirect(url_for(".show", doc_id=doc_id))
    doc = get_document(doc_id, current_user)
    return _redisplay(doc, attachment_form=form)


@bp.errorhandler(413)
def upload_too_large(error):
    """A file far over the limit is refused before it is read (MAX_CONTENT_LENGTH): show the memo
    again with the error beside the file field, not a bare 413 page that loses the context."""
    doc_id = (request.view_args or {}).get("doc_id")
    if request.endpoint != "documents.upload" or not current_user.is_authenticated:
        return render_error(413)
    # The body stays unread: the page's other forms see an empty submission, not the 413 again.
    request.__dict__.update(form=ImmutableMultiDict(), files=ImmutableMultiDict())
    form = AttachmentForm(formdata=None)
    form.file.errors = [attachments.too_large_message()]
    page, _ = _redisplay(get_document(doc_id, current_user), attachment_form=form)
    return page, 413


@bp.route("/<int:doc_id>/attachments/<int:attachment_id>/delete", methods=["POST"])
@login_required
def delete_attachment(doc_id: int, attachment_id: int):
    if EmptyForm().validate_on_submit() and run_service(
        attachments.remove, doc_id, attachment_id, current_user
    ):
        flash("ลบไฟล์แนบแล้ว", "success")
    return redirect(url_for(".show", doc_id=doc_id))


@bp.route("/<int:doc_id>/attachments/<int:attachment_id>")
@login_required
def download(doc_id: int, attachment_id: int):
    attachment = attachments.for_download(doc_id, attachment_id, current_user)
    inline = attachments.opens_inline(attachment)
    response = send_file(
        storage.path_of(attachment.storage_key),
        mimetype=attachment.content_type,
        as_attachment=not inline,
        download_name=attachment.filename,
    )
    if inline:  # a PDF or an image opens in the browser, in a sandbox
        response.headers["Content-Security-Policy"] = attachments.INLINE_POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# -- helpers -----------------------------------------------------------------


def _redisplay(doc: Document, **forms):
    """Show the memo again with the submitted form and its errors, keeping what was typed."""
    require_view(current_user, doc)
    return render_template("documents/show.html", **_page(doc, **forms)), 400


def _page(doc: Document, **forms) -> dict:
    """Everything the memo page shows; `forms` replaces a blank form with a submitted one."""
    log = audit.timeline(doc)
    acting, can_decide = _authority(doc)
    step = doc.step() if doc.current_step else None
    decision_form, return_form = _decision_forms(doc, step) if can_decide else (None, None)
    own = doc.drafter_id == current_user.id
    own_editable = own and doc.is_editable
    can_close = own and closing.can_close(doc)
    return {
        "doc": doc,
        "log": log,
        "signatures": signatures(doc, log),
        "return_reason": _last_of(log, Action.RETURN) if doc.state == DocState.RETURNED else None,
        "close_row": _last_of(log, Action.CLOSE) if doc.state == DocState.CLOSED else None,
        "can_discard": own and closing.can_discard(doc),
        "close_form": forms.get("close_form", CloseForm(formdata=None) if can_close else None),
        "step": step,
        "acting": acting,
        "can_decide": can_decide,
        "can_withdraw": service.may_withdraw(doc, current_user),
        "button_form": EmptyForm(),
        "decision_form": forms.get("decision_form", decision_form),
        "return_form": forms.get("return_form", return_form),
        "attachment_form": forms.get("attachment_form", AttachmentForm() if own_editable else None),
        "too_large_message": attachments.too_large_message(),
    }


def _authority(doc: Document):
    try:
        return signing_authority(current_user, doc), True
    except NotAllowed:
        return None, False


def _decision_forms(doc: Document, step) -> tuple[DecisionForm, ReturnForm]:
    hidden = {"revision": doc.revision, "step_no": step.step_no}
    decision_form = DecisionForm(formdata=None, **hidden)
    decision_form.offer(step)
    return decision_form, ReturnForm(formdata=None, **hidden)


def _step_on_page(doc: Document, revision: int | None, step_no: int | None):
    """The step the user's page showed, which may have moved on since; else the current one.

    Its decisions validate the form, so a late decision reaches the service and is told who
    decided first, instead of failing as an unknown choice.
    """
    shown = [s for s in doc.steps if (s.revision, s.step_no) == (revision, step_no)]
    return shown[0] if shown else doc.step()


def _last_of(log: list[DecisionLog], action: Action) -> DecisionLog | None:
    return next((r for r in reversed(log) if r.action == action), None)


def _return_reasons(groups: dict) -> dict[int, DecisionLog]:
    returned = [d.id for d in groups[DocState.RETURNED]]
    if not returned:
        return {}
    stmt = (
        sa.select(DecisionLog)
        .where(DecisionLog.document_id.in_(returned), DecisionLog.action == Action.RETURN)
        .order_by(DecisionLog.id)
    )
    return {row.document_id: row for row in db.session.scalars(stmt)}


def _fill_choices(form: MemoForm) -> None:
    form.unit_id.choices = unit_choices()


def _fill_defaults(form: MemoForm, doc_type: str) -> None:
    if doc_type not in DocType.__members__.values():
        doc_type = DocType.GENERAL  # writing from scratch: a general memo unless asked otherwise
    form.doc_type.data = doc_type
    unit = current_user.unit
    form.unit_id.data = unit.id if unit else 0
    form.issuing_unit.data = unit.memo_heading() if unit else current_user.organisation.name
    form.doc_date.data = clock.today()
    try:
        form.addressee.data = service.final_signer(current_user.org_id, DocType(doc_type))
    except ValidationFailed:  # no chain yet: the drafter types the addressee
        form.addressee.data = ""
    form.closing.data = DEFAULT_CLOSING
    _set_sections(form, [(h, "") for h in DEFAULT_SECTIONS])


def _set_sections(form: MemoForm, sections: list[tuple[str, str]]) -> None:
    while form.sections.entries:
        form.sections.pop_entry()
    for heading, body in [*sections, ("", "")]:
        form.sections.append_entry({"heading": heading, "body": body})


def _content(form: MemoForm) -> service.MemoContent:
    return service.MemoContent(
        doc_type=DocType(form.doc_type.data),
        issuing_unit=form.issuing_unit.data,
        doc_date=form.doc_date.data,
        subject=form.subject.data,
        addressee=form.addressee.data,
        sections=[(s.heading.data or "", s.body.data or "") for s in form.sections],
        closing=form.closing.data or "",
        unit_id=_valid_unit(form.unit_id.data),
    )


def _valid_unit(unit_id: int | None) -> int | None:
    if not unit_id:
        return None
    unit = db.session.get(Unit, unit_id)
    return unit.id if unit and unit.org_id == current_user.org_id else None
