"""The OIT board of each assessment year, its Excel export, and publishing approved memos.

URL parameters: `fiscal_year` is a B.E. assessment year (a year without OIT items shows that
they are still to come); `code` an OIT item of that year; `oit_evidence_id` and `doc_id` rows of
the user's own organisation (others are 404).
"""

from io import BytesIO

import sqlalchemy as sa
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

from extensions import db
from forms.common import EmptyForm
from forms.oit import OitEvidenceForm, OwnerForm
from models import Unit, User
from views.common import run_service
from workflow.ita.store import get_catalogue
from workflow.oit import board as boards
from workflow.oit import export, items, publish

bp = Blueprint("oit", __name__, url_prefix="/oit")


@bp.route("/")
@login_required
def index():
    year = boards.default_year()
    if year is None:
        abort(404)
    return redirect(url_for(".year", fiscal_year=year))


@bp.route("/<int:fiscal_year>")
@login_required
def year(fiscal_year: int):
    return _page(fiscal_year)


@bp.route("/<int:fiscal_year>/<code>/owner", methods=["POST"])
@login_required
def owner(fiscal_year: int, code: str):
    form = _owner_form(code)
    if form.validate_on_submit():
        done = run_service(
            items.set_owner,
            current_user,
            fiscal_year,
            code,
            form.unit_id.data,
            form.owner_id.data,
            form.due_date.data,
            form=form,
        )
        if done is not None:
            flash(f"บันทึกผู้รับผิดชอบ {code} แล้ว", "success")
            return _back(fiscal_year, code)
    return _page(fiscal_year, {("owner", code): form}, status=400)


@bp.route("/<int:fiscal_year>/<code>/evidence", methods=["POST"])
@login_required
def add_evidence(fiscal_year: int, code: str):
    form = OitEvidenceForm(prefix=f"e{code}")
    if form.validate_on_submit():
        added = run_service(
            items.add_evidence,
            current_user,
            fiscal_year,
            code,
            form.url.data,
            form.title.data,
            form=form,
        )
        if added is not None:
            flash(f"เพิ่มหลักฐานของ {code} แล้ว", "success")
            return _back(fiscal_year, code)
    return _page(fiscal_year, {("evidence", code): form}, status=400)


@bp.route("/evidence/<int:oit_evidence_id>/delete", methods=["POST"])
@login_required
def remove_evidence(oit_evidence_id: int):
    if EmptyForm().validate_on_submit():
        item = run_service(items.remove_evidence, current_user, oit_evidence_id)
        if item is not None:
            flash(f"ลบหลักฐานของ {item.code} แล้ว", "success")
            return _back(item.fiscal_year, item.code)
    return redirect(url_for(".index"))


@bp.route("/<int:fiscal_year>/<code>/check", methods=["POST"])
@login_required
def check(fiscal_year: int, code: str):
    if EmptyForm().validate_on_submit():
        checked = request.form.get("checked") == "1"
        if run_service(items.set_checked, current_user, fiscal_year, code, checked):
            flash(f"บันทึกผลการตรวจ {code} แล้ว", "success")
    return _back(fiscal_year, code)


@bp.route("/<int:fiscal_year>/copy", methods=["POST"])
@login_required
def copy(fiscal_year: int):
    if EmptyForm().validate_on_submit():
        filled = run_service(items.copy_board, current_user, fiscal_year)
        if filled is not None:
            flash(f"คัดลอกข้อมูลจากปี {fiscal_year - 1} แล้ว {filled} รายการ", "success")
    return redirect(url_for(".year", fiscal_year=fiscal_year))


@bp.route("/<int:fiscal_year>/export.xlsx")
@login_required
def export_xlsx(fiscal_year: int):
    found = _board(fiscal_year)
    data = export.workbook(found, current_app.config["BASE_URL"].rstrip("/"))
    return send_file(
        BytesIO(data),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=f"oit-{fiscal_year}.xlsx",
        max_age=0,
    )


@bp.route("/documents/<int:doc_id>/publish", methods=["POST"])
@login_required
def publish_document(doc_id: int):
    if EmptyForm().validate_on_submit():
        done = run_service(publish.publish, doc_id, current_user)
        if done is not None:
            flash(f"เผยแพร่แล้วที่ {_public_url(done)}", "success")
    return redirect(url_for("documents.show", doc_id=doc_id))


@bp.route("/documents/<int:doc_id>/retract", methods=["POST"])
@login_required
def retract_document(doc_id: int):
    form = EmptyForm()
    if form.validate_on_submit() and run_service(publish.retract, doc_id, current_user):
        flash("ยกเลิกการเผยแพร่แล้ว ประวัติการเผยแพร่ยังเก็บไว้", "success")
    return redirect(url_for("documents.show", doc_id=doc_id))


@bp.app_template_global()
def oit_publishing(doc):
    """The memo page's publishing box: where it goes, whether it is live, who may act."""
    place = publish.place_of(doc)
    if place is None:
        return None
    live = publish.publication_of(doc)
    return {
        "place": place,
        "live": live,
        "url": _public_url(live) if live else None,
        "can": publish.can_publish(current_user, doc),
    }


def _public_url(publication) -> str:
    slug = publication.document.organisation.slug
    return url_for(
        "public.page",
        slug=slug,
        fiscal_year=publication.fiscal_year,
        code=publication.code,
        _external=True,
    )


def _board(fiscal_year: int) -> boards.Board:
    found = boards.board(current_user, fiscal_year)
    if found is None:
        abort(404)
    return found


def _owner_form(code: str, choices: tuple[list, list] | None = None) -> OwnerForm:
    units, people = choices or _owner_choices()
    return OwnerForm(prefix=f"o{code}").fill_choices(units, people)


def _owner_choices() -> tuple[list[Unit], list[User]]:
    """The organisation's units and active people, for the owner forms (read once per page)."""
    units = db.session.scalars(Unit.of_organisation(current_user.org_id))
    people = db.session.scalars(
        sa.select(User)
        .where(User.org_id == current_user.org_id, User.active)
        .order_by(User.full_name)
    )
    return list(units), list(people)


def _page(fiscal_year: int, bound: dict | None = None, status: int = 200):
    found = _board(fiscal_year)
    bound = bound or {}
    show_missing = request.args.get("show") == "missing"
    me = current_user._get_current_object()  # read per row below: one lookup, not hundreds
    choices = _owner_choices() if me.is_admin else None
    forms = {}
    for row in found.rows:
        owner_form = bound.get(("owner", row.code))
        if owner_form is None and me.is_admin:
            owner_form = _owner_form(row.code, choices)
            if row.kept:
                owner_form.unit_id.data = row.kept.owner_unit_id
                owner_form.owner_id.data = row.kept.owner_id
                owner_form.due_date.data = row.kept.due_date
        evidence_form = bound.get(("evidence", row.code)) or OitEvidenceForm(
            prefix=f"e{row.code}", formdata=None
        )
        forms[row.code] = {"owner": owner_form, "evidence": evidence_form}
    page = {
        "board": found,
        "rows": found.missing if show_missing else found.rows,
        "show_missing": show_missing,
        "forms": forms,
        "years": boards.board_years(),
        "button_form": EmptyForm(),
        "previous_catalogue": get_catalogue(fiscal_year - 1),
        "can_edit": lambda row: (
            me.is_admin or (row.kept is not None and row.kept.owner_id == me.id)
        ),
    }
    return render_template("oit/board.html", **page), status


def _back(fiscal_year: int, code: str):
    return redirect(url_for(".year", fiscal_year=fiscal_year, _anchor=f"item-{code}"))
