"""Report rounds, holidays and progress reports (รายงานผลการดำเนินการ) of the user's organisation.

URL parameters: `fiscal_year` is a B.E. fiscal year (2569 runs 1 Oct 2025 - 30 Sep 2026);
`kind` is a round of that year (q1-q4, half, annual), saved or not; `round_id` (in addresses
from before December 2026), `holiday_id` and `doc_id` name rows of the user's own organisation
(others are 404).
"""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup, escape

import clock
import thai
from forms.common import EmptyForm
from forms.reports import HolidayForm, RoundForm, WorkThroughForm
from models import DocState, Document, RoundKind
from views.common import run_service
from workflow import reports, rounds
from workflow.permissions import can_view, require_admin

bp = Blueprint("reports", __name__, url_prefix="/reports")

YEARS_BACK, YEARS_AHEAD = 10, 2
# Rounds whose report the organisation must make; the page flags these when they are late.
REQUIRED_REPORTS = (RoundKind.HALF, RoundKind.ANNUAL)


@bp.route("/", defaults={"fiscal_year": None})
@bp.route("/<int:fiscal_year>")
@login_required
def index(fiscal_year: int | None):
    year = _year(fiscal_year)
    year_rounds = _rounds(year)
    found = reports.reports_of_rounds([r.id for r in year_rounds if r.id is not None])
    rows = [_report_row(r, found.get(r.id, [])) for r in year_rounds]
    return render_template(
        "reports/index.html",
        year=year,
        rows=rows,
        button_form=EmptyForm(),
        plan=reports.plan_of_year(current_user.org_id, year),
        **_years(year),
    )


@bp.route("/<int:fiscal_year>/rounds/<kind>/create", methods=["POST"])
@login_required
def create(fiscal_year: int, kind: str):
    year, round_kind = _year(fiscal_year), _kind(kind)
    if EmptyForm().validate_on_submit():
        try:
            doc = run_service(reports.create_report, current_user, year, round_kind)
        except reports.ReportExists as error:
            flash(_link_to(error.message, error.document.id), "danger")
            return redirect(url_for(".index", fiscal_year=year))
        if doc is not None:
            flash("จัดทำร่างรายงานแล้ว ตรวจสอบเนื้อหาและตาราง แล้วกด “เสนอเรื่อง”", "success")
            return redirect(url_for("documents.show", doc_id=doc.id))
    return redirect(url_for(".index", fiscal_year=year))


@bp.route("/documents/<int:doc_id>/refresh", methods=["POST"])
@login_required
def refresh(doc_id: int):
    if EmptyForm().validate_on_submit():
        done = run_service(reports.refresh_snapshot, doc_id, current_user)
        if done is not None:
            flash(
                "ปรับปรุงตารางจากข้อมูลมาตรการล่าสุดแล้ว"
                if done.changed
                else "ข้อมูลมาตรการไม่มีการเปลี่ยนแปลง ตารางคงเดิม",
                "success",
            )
    return redirect(url_for("documents.show", doc_id=doc_id))


# -- rounds ----------------------------------------------------------------------------------


@bp.route("/rounds", defaults={"fiscal_year": None})
@bp.route("/<int:fiscal_year>/rounds")
@login_required
def rounds_page(fiscal_year: int | None):
    year = _year(fiscal_year)
    return render_template(
        "reports/rounds.html",
        year=year,
        rounds=_rounds(year),
        button_form=EmptyForm(),
        due_limit=rounds.due_limit(year),
        **_years(year),
    )


@bp.route("/<int:fiscal_year>/rounds/<kind>/edit", methods=["GET", "POST"])
@login_required
def edit_round(fiscal_year: int, kind: str):
    year, round_kind = _year(fiscal_year), _kind(kind)
    require_admin(current_user)
    report_round = rounds.rounds_of_year(current_user.org_id, year)[round_kind]
    form = RoundForm(obj=report_round, fiscal_year=year)
    if form.validate_on_submit() and run_service(
        rounds.update_round,
        current_user,
        year,
        round_kind,
        form=form,
        period_start=form.period_start.data,
        period_end=form.period_end.data,
        due_date=form.due_date.data,
    ):
        flash(f"บันทึก{round_kind.label}แล้ว", "success")
        return redirect(url_for(".rounds_page", fiscal_year=year))
    status = 400 if form.errors else 200
    return render_template(
        "reports/round_form.html",
        form=form,
        round=report_round,
        year_bounds=thai.fiscal_year_bounds(year),
        due_limit=rounds.due_limit(year),
    ), status


@bp.route("/<int:fiscal_year>/rounds/confirm", methods=["POST"])
@login_required
def confirm_rounds(fiscal_year: int):
    year = _year(fiscal_year)
    if EmptyForm().validate_on_submit() and run_service(rounds.confirm_rounds, current_user, year):
        flash(f"ยืนยันรอบการรายงานของปีงบประมาณ {thai.digits(year)} แล้ว", "success")
    return redirect(url_for(".rounds_page", fiscal_year=year))


@bp.route("/<int:fiscal_year>/rounds/reset", methods=["POST"])
@login_required
def reset_rounds(fiscal_year: int):
    year = _year(fiscal_year)
    if EmptyForm().validate_on_submit() and run_service(rounds.reset_rounds, current_user, year):
        flash(f"ตั้งรอบการรายงานของปีงบประมาณ {thai.digits(year)} กลับเป็นค่าเริ่มต้นแล้ว", "success")
    return redirect(url_for(".rounds_page", fiscal_year=year))


# Until December 2026 a round's pages were /reports/rounds/<row id>/edit and .../create; the
# edit page could be bookmarked and a page open across the upgrade still posts to the old
# address. They land on the round's page of today (never on a bare 404).
OLD_ROUND_POSTED = "หน้าที่เปิดไว้เป็นรูปแบบเดิม ระบบยังไม่ได้บันทึกสิ่งใด กรุณาทำรายการอีกครั้ง"
OLD_ROUND_GONE = "ลิงก์นี้เป็นรูปแบบเดิมและไม่พบรอบการรายงานนั้นในหน่วยงานของคุณ กรุณาเลือกรอบจาก"


@bp.route("/rounds/<int:round_id>/edit", methods=["GET", "POST"])
@login_required
def old_round_edit(round_id: int):
    return _old_round_link(round_id, ".edit_round")


@bp.route("/rounds/<int:round_id>/create", methods=["POST"])
@login_required
def old_round_create(round_id: int):
    return _old_round_link(round_id, ".index")


def _old_round_link(round_id: int, endpoint: str):
    """A GET goes on to the round's page (302, not 301: a browser would keep a 301 for the
    next person, whose organisation's row ids differ); a POST is not replayed: it lands on the
    page with a flash saying nothing was saved."""
    found = rounds.year_and_kind_of_row(current_user.org_id, round_id)
    if found is None:  # not a round of this organisation: a 404 that says where to go
        link = Markup('<a href="{}">หน้ารอบการรายงาน</a>').format(url_for(".rounds_page"))
        abort(404, description=Markup("{} {}").format(OLD_ROUND_GONE, link))
    year, kind = found
    args = {"kind": kind.value} if endpoint == ".edit_round" else {}
    target = url_for(endpoint, fiscal_year=year, **args)
    if request.method == "GET":
        return redirect(target)
    flash(OLD_ROUND_POSTED, "warning")
    return redirect(target, 303)


# -- holidays --------------------------------------------------------------------------------


@bp.route("/holidays", defaults={"fiscal_year": None}, methods=["GET", "POST"])
@bp.route("/<int:fiscal_year>/holidays", methods=["GET", "POST"])
@login_required
def holidays(fiscal_year: int | None):
    year = _year(fiscal_year)
    form = HolidayForm()
    if form.is_submitted():
        require_admin(current_user)
    if form.validate_on_submit():
        added = run_service(
            rounds.add_holiday, current_user, form.day.data, form.name.data, form=form
        )
        if added is not None:
            flash(f"เพิ่มวันหยุด “{added.name}” แล้ว", "success")
            return redirect(url_for(".holidays", fiscal_year=thai.fiscal_year(added.day)))
    return render_template(
        "reports/holidays.html",
        year=year,
        form=form,
        button_form=EmptyForm(),
        holidays=rounds.holidays_of_year(current_user.org_id, year),
        **_years(year),
    ), 400 if form.errors else 200


@bp.route("/holidays/<int:holiday_id>/delete", methods=["POST"])
@login_required
def delete_holiday(holiday_id: int):
    if EmptyForm().validate_on_submit():
        removed = run_service(rounds.delete_holiday, holiday_id, current_user)
        if removed is not None and removed.works:
            flash(f"นับ “{removed.name}” เป็นวันหยุดอีกครั้งแล้ว", "success")
        elif removed is not None:
            flash(f"ลบวันหยุด “{removed.name}” แล้ว", "success")
            return redirect(url_for(".holidays", fiscal_year=thai.fiscal_year(removed.day)))
    return redirect(url_for(".holidays"))


@bp.route("/holidays/work", methods=["POST"])
@login_required
def work_through():
    """The organisation works on a national holiday: it stops counting as a day off."""
    form = WorkThroughForm()
    if not form.validate_on_submit():
        flash("ไม่พบวันที่ที่ระบุ", "danger")
        return redirect(url_for(".holidays"))
    marked = run_service(rounds.work_through, current_user, form.day.date, form=form)
    if marked is None:
        for message in form.day.errors:
            flash(message, "danger")
        return redirect(url_for(".holidays"))
    flash(f"นับวันที่ {thai.format_date(marked.day)} เป็นวันทำงานแล้ว", "success")
    return redirect(url_for(".holidays", fiscal_year=thai.fiscal_year(marked.day)))


@bp.app_template_filter("isodate")
def isodate(value: str | None) -> date | None:
    """A date the snapshot stores as an ISO string, back as a date for the `thaidate` filter."""
    return date.fromisoformat(value) if value else None


# -- helpers ---------------------------------------------------------------------------------


def _year(fiscal_year: int | None) -> int:
    """The fiscal year asked for (default: the current one); far-off years are not pages."""
    current = thai.fiscal_year(clock.today())
    if fiscal_year is None:
        return current
    if not current - YEARS_BACK <= fiscal_year <= current + YEARS_AHEAD:
        abort(404)
    return fiscal_year


def _years(year: int) -> dict:
    current = thai.fiscal_year(clock.today())
    return {
        "previous_year": year - 1 if year - 1 >= current - YEARS_BACK else None,
        "next_year": year + 1 if year + 1 <= current + YEARS_AHEAD else None,
    }


def _kind(kind: str) -> RoundKind:
    try:
        return RoundKind(kind)
    except ValueError:
        abort(404)


def _rounds(year: int) -> list[rounds.Round]:
    return rounds.in_display_order(rounds.rounds_of_year(current_user.org_id, year))


def _report_row(report_round: rounds.Round, found: list[Document]) -> dict:
    """A round on the reports page: its report (if any, linked when the user may open it), the
    others the user may open (withdrawn, rejected, cancelled or superseded, or a report drafted
    to supersede it), and the time left."""
    current = reports.current_report(found)
    waiting = current is None or current.state != DocState.APPROVED
    today, due = clock.today(), report_round.due_date
    late = waiting and today > due and report_round.kind in REQUIRED_REPORTS
    return {
        "round": report_round,
        "report": current,
        "can_open": current is not None and can_view(current_user, current),
        "closed": [d for d in found if d is not current and can_view(current_user, d)],
        "overdue_days": (today - due).days if late else 0,
        "working_days_left": (
            rounds.working_days(current_user.org_id, today, due)
            if waiting and today <= due
            else None
        ),
    }


def _link_to(message: str, doc_id: int) -> Markup:
    url = url_for("documents.show", doc_id=doc_id)
    return Markup('{} <a href="{}">เปิดรายงานฉบับเดิม</a>').format(escape(message), url)
