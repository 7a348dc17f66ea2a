"""Circulation (แจ้งเวียน): send an approved memo round, acknowledge it, see and export who has."""

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from wtforms import SelectChoice

import clock
from forms.circulation import CirculationForm
from forms.common import EmptyForm
from models import Document
from views.common import run_service
from workflow import circulation
from workflow.errors import NotAllowed, NotFound
from workflow.lists.export import CSV_TYPE, XLSX_TYPE, to_csv, to_xlsx
from workflow.permissions import get_document, require_view

bp = Blueprint("circulation", __name__)

HEADERS = [
    "ชื่อ-สกุล",
    "ตำแหน่ง",
    "หน่วยงาน",
    "วันที่แจ้งเวียน",
    "ผู้แจ้งเวียน",
    "สถานะ",
    "วันที่รับทราบ",
    "เวลารับทราบ",
]


@bp.route("/documents/<int:doc_id>/circulate", methods=["GET", "POST"])
@login_required
def send(doc_id: int):
    doc = get_document(doc_id, current_user)
    require_view(current_user, doc)
    if not circulation.may_send(current_user, doc):
        raise NotAllowed("เฉพาะผู้จัดทำ ผู้ลงนามในสายการลงนาม หรือผู้ดูแลระบบเท่านั้นที่แจ้งเวียนได้")
    circulation.check_sendable(doc)
    form = CirculationForm()
    units, people = circulation.choices(current_user.org_id)
    form.unit_ids.choices = [SelectChoice(u.id, u.name) for u in units]
    form.person_ids.choices = [
        SelectChoice(p.id, p.display_name + (f" ({p.position.title})" if p.position else ""))
        for p in people
        if p.id != current_user.id
    ]
    if form.validate_on_submit():
        added = run_service(
            circulation.send,
            doc_id,
            current_user,
            form=form,
            user_ids=form.person_ids.data or [],
            unit_ids=form.unit_ids.data or [],
        )
        if added is not None:
            if added:
                flash(f"แจ้งเวียนแล้ว {len(added)} คน ระบบแจ้งเตือนผู้รับแต่ละคนแล้ว", "success")
            else:
                flash("ทุกคนที่เลือกได้รับแจ้งเวียนเรื่องนี้แล้ว จึงไม่ได้ส่งซ้ำ", "info")
            return redirect(url_for("documents.show", doc_id=doc_id, _anchor="circulation"))
    status = 400 if form.errors else 200
    return render_template("circulation/send.html", doc=doc, form=form), status


@bp.route("/documents/<int:doc_id>/acknowledge", methods=["POST"])
@login_required
def acknowledge(doc_id: int):
    if EmptyForm().validate_on_submit() and run_service(
        circulation.acknowledge, doc_id, current_user
    ):
        flash("บันทึกการรับทราบแล้ว", "success")
    return redirect(url_for("documents.show", doc_id=doc_id))


@bp.route("/documents/<int:doc_id>/circulation.<fmt>")
@login_required
def export(doc_id: int, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise NotFound("ไม่พบรูปแบบไฟล์นี้")
    doc = get_document(doc_id, current_user)
    lines = circulation.recipients(doc, current_user)
    rows = [_row(line) for line in lines]
    if fmt == "csv":
        body, mimetype = to_csv(HEADERS, rows), CSV_TYPE
    else:
        # a sheet's title cannot hold the "/" of a memo's number
        body, mimetype = to_xlsx("การรับทราบ", HEADERS, rows), XLSX_TYPE
    name = f"circulation-{doc.id}-{clock.today().isoformat()}.{fmt}"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.route("/circulated")
@login_required
def inbox():
    return render_template("circulation/inbox.html", rows=circulation.inbox(current_user))


@bp.app_template_global()
def circulation_box(doc: Document) -> dict:
    """What the memo page's circulation section shows to the current user."""
    lines = circulation.recipients(doc, current_user)
    return {
        "lines": lines,
        "acknowledged": sum(1 for line in lines if line.acknowledged_at),
        "own": circulation.own_row(doc, current_user),
        "may_send": doc.state.value == "approved" and circulation.may_send(current_user, doc),
    }


def _row(line: circulation.Line) -> list:
    ack = clock.local(line.acknowledged_at) if line.acknowledged_at else None
    return [
        line.name,
        line.position,
        line.unit,
        clock.local(line.sent_at).date(),
        line.sent_by,
        "รับทราบแล้ว" if ack else "ยังไม่รับทราบ",
        ack.date() if ack else None,
        ack.strftime("%H:%M น.") if ack else "",
    ]
