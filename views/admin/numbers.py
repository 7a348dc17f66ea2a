"""Pages for document numbers (ที่): the running number per fiscal year and the register."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from forms.admin import NextNumberForm, RenumberForm
from views.admin.blueprint import bp, form_page
from views.common import run_service
from workflow.admin import numbers as service


@bp.route("/numbers")
@login_required
def numbers():
    return render_template("admin/numbers.html", years=service.years(current_user))


@bp.route("/numbers/<int:fiscal_year>")
@login_required
def register(fiscal_year: int):
    return _register_page(fiscal_year, NextNumberForm(formdata=None))


@bp.route("/numbers/<int:fiscal_year>/next", methods=["POST"])
@login_required
def set_next_number(fiscal_year: int):
    service.year_row(current_user, fiscal_year)
    form = NextNumberForm()
    if form.validate_on_submit():
        seq = run_service(
            service.set_next_number, current_user, fiscal_year, form.next_seq.data, form=form
        )
        if seq is not None:
            flash(f"เอกสารฉบับต่อไปของปีงบประมาณ {fiscal_year} จะได้เลขที่ {seq}", "success")
            return redirect(url_for(".register", fiscal_year=fiscal_year))
    return _register_page(fiscal_year, form)


@bp.route("/documents/<int:doc_id>/number", methods=["GET", "POST"])
@login_required
def renumber(doc_id: int):
    doc = service.numbered_document(doc_id, current_user)
    form = RenumberForm(data={"number_seq": doc.number_seq})
    if form.validate_on_submit():
        done = run_service(
            service.renumber_document, doc_id, current_user, form.number_seq.data, form=form
        )
        if done is not None:
            flash(f"แก้ไขเลขที่เป็น {done.number} แล้ว และบันทึกไว้ในประวัติของเอกสาร", "success")
            return redirect(url_for(".register", fiscal_year=done.fiscal_year))
    return form_page("admin/renumber.html", form, doc=doc)


def _register_page(fiscal_year: int, form: NextNumberForm):
    year = service.year_row(current_user, fiscal_year)
    docs = service.numbered_documents(current_user, fiscal_year)
    return form_page("admin/register.html", form, year=year, docs=docs)
