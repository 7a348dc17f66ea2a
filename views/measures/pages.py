"""What the measures pages show, and how their forms are filled and read."""

from collections.abc import Iterable

import sqlalchemy as sa
from flask import request
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

import clock
import thai
from extensions import db
from forms.common import EmptyForm
from forms.measures import (
    CoordinatorForm,
    CopyForm,
    MeasureForm,
    ProgressForm,
    month_choices,
)
from models import Measure, MeasurePlan, MeasureStatus, Rhythm, Unit, User
from views.common import to_int
from workflow import measures as service
from workflow.calendar import add_months
from workflow.measures.followup import answered, named_date
from workflow.measures.history import EVENT_LABELS, events_of
from workflow.measures.outline import outline, parent_line
from workflow.measures.schedule import (
    OVERDUE,
    period_reports,
    periods_of,
    row_of,
    runs_past_plan_year,
    update_periods,
)


def year_page(fiscal_year: int, **forms) -> dict:
    """The plan table of a year with its filters, or the offer to start the plan."""
    plan = service.plan_of_year(current_user, fiscal_year)
    unit_id = to_int(request.args.get("unit"))
    status = request.args.get("status") or ""
    rows = service.plan_rows(plan, unit_id, status) if plan else []
    manage = plan is not None and service.can_manage(current_user, plan)
    return {
        "fiscal_year": fiscal_year,
        "plan": plan,
        "rows": rows,
        "total_budget": sum(r.measure.budget or 0 for r in rows),
        "unit_id": unit_id,
        "status": status,
        "units": current_user.organisation.units,
        "statuses": [(s.value, s.label) for s in MeasureStatus] + [(OVERDUE, "เกินกำหนด")],
        "years": year_choices(fiscal_year),
        "numbers": outline(plan.measures) if plan else {},
        "other_plans": sorted(
            (p.fiscal_year for p in service.plans_of(current_user) if p.fiscal_year != fiscal_year),
            reverse=True,
        ),
        "can_manage": manage,
        "button_form": EmptyForm(),
        **(plan_forms(plan, forms) if manage else {}),
    }


def measure_page(measure: Measure, **forms) -> dict:
    """Everything a measure's page shows; `forms` replaces a blank form with a submitted one."""
    report = service.can_report(current_user, measure)
    periods = update_periods(measure.org_id, measure.plan.fiscal_year)
    today = clock.today()
    owed = periods_of(measure, periods)
    return {
        "measure": measure,
        "plan": measure.plan,
        "events": events_of(measure),
        "event_labels": EVENT_LABELS,
        "overdue": row_of(measure, owed, today).overdue,
        "next_update": service.next_update(measure, owed),
        "period_reports": period_reports(measure, owed, today),
        "past_plan_year": runs_past_plan_year(measure),
        "named_date": named_date(measure.follow_up),
        "follow_up_answered": answered(measure),
        "number": (number := outline(measure.plan.measures)[measure.id]),
        "parent_line": parent_line(measure, number),
        "can_manage": service.can_manage(current_user, measure.plan),
        "can_report": report,
        "can_remove": lambda owner_id: service.can_remove(current_user, measure, owner_id),
        "button_form": EmptyForm(),
        **(report_forms(measure, forms) if report else {}),
    }


def plan_forms(plan: MeasurePlan, forms: dict) -> dict:
    coordinator = forms.get("coordinator_form") or CoordinatorForm(
        formdata=None, coordinator_id=plan.coordinator_id
    )
    coordinator.coordinator_id.choices = people_choices(keep=[plan.coordinator])
    copy = forms.get("copy_form")
    choices = copy_choices(plan)
    if copy is None and choices and not plan.measures:
        previous = service.plan_of_year(current_user, plan.fiscal_year - 1)
        copy = CopyForm(formdata=None, source_plan_id=previous.id if previous else None)
    if copy is not None:
        copy.source_plan_id.choices = choices
    return {"coordinator_form": coordinator, "copy_form": copy}


def report_forms(measure: Measure, forms: dict) -> dict:
    return {"progress_form": forms.get("progress_form") or blank_progress_form(measure)}


def blank_progress_form(measure: Measure, prefix: str = "") -> ProgressForm:
    """Dated today, on the measure's current status (a note alone never changes it)."""
    form = ProgressForm(formdata=None, prefix=prefix, entry_date=clock.today())
    return form.keep_status_of(measure.status)


def people_choices(keep: Iterable[User | None] = ()) -> list[SelectChoice]:
    """Active people of the organisation, and anyone already chosen even if no longer active."""
    stmt = sa.select(User).where(User.org_id == current_user.org_id, User.active.is_(True))
    people = {u.id: u for u in db.session.scalars(stmt)}
    people.update({u.id: u for u in keep if u is not None})
    ordered = sorted(people.values(), key=lambda u: u.full_name)
    return [SelectChoice(u.id, _person_label(u)) for u in ordered]


def _person_label(user: User) -> str:
    position = f" ({user.position.title})" if user.position else ""
    return f"{user.display_name}{position}"


def copy_choices(plan: MeasurePlan) -> list[SelectChoice]:
    others = [p for p in service.plans_of(current_user) if p.id != plan.id]
    digits = current_user.organisation.thai_digits
    return [
        SelectChoice(p.id, f"ปีงบประมาณ พ.ศ. {thai.digits(p.fiscal_year, digits)}") for p in others
    ]


def year_choices(fiscal_year: int) -> list[int]:
    current = thai.fiscal_year(clock.today())
    years = {p.fiscal_year for p in service.plans_of(current_user)}
    return sorted(years | {current, current + 1, fiscal_year}, reverse=True)


def fill_defaults(form: MeasureForm, plan: MeasurePlan, user: User) -> None:
    """A new measure runs the whole fiscal year and reports every quarter, from the user's unit."""
    start, _ = thai.fiscal_year_bounds(plan.fiscal_year)
    form.start_month.data = start
    form.end_month.data = add_months(start, 11)
    form.rhythm.data = Rhythm.QUARTERLY.value
    form.unit_ids.data = [user.unit_id] if user.unit_id else []


def fill_from(form: MeasureForm, measure: Measure) -> None:
    form.indicators.data = list(measure.indicators)
    form.question_codes.data = ", ".join(measure.question_codes)
    form.title.data = measure.title
    form.analysis.data = measure.analysis
    form.steps.data = "\n".join(measure.steps)
    form.start_month.data, form.end_month.data = measure.start_month, measure.end_month
    form.budget.data, form.no_budget.data = measure.budget, measure.budget is None
    form.unit_ids.data = [u.id for u in measure.units]
    form.person_ids.data = [p.id for p in measure.people]
    form.follow_up.data = measure.follow_up
    form.parent_title.data = measure.parent_title or ""
    form.rhythm.data = measure.rhythm.value if measure.rhythm else ""


def fill_measure_choices(form: MeasureForm, plan: MeasurePlan, measure: Measure | None) -> None:
    keep = (measure.start_month, measure.end_month) if measure else ()
    form.start_month.choices = month_choices(plan.fiscal_year, *keep)
    form.end_month.choices = form.start_month.choices
    stmt = Unit.of_organisation(current_user.org_id)
    form.unit_ids.choices = [SelectChoice(u.id, u.name) for u in db.session.scalars(stmt)]
    form.person_ids.choices = people_choices(keep=measure.people if measure else ())


def measure_input(form: MeasureForm) -> service.MeasureInput:
    return service.MeasureInput(
        title=form.title.data or "",
        start_month=form.start_month.data,
        end_month=form.end_month.data,
        rhythm=form.rhythm.data,
        indicators=form.indicators.data or [],
        question_codes=form.question_codes.data or "",
        analysis=form.analysis.data or "",
        steps=form.steps.data or "",
        budget=form.budget.data,
        no_budget=form.no_budget.data,
        unit_ids=form.unit_ids.data or [],
        person_ids=form.person_ids.data or [],
        follow_up=form.follow_up.data or "",
        parent_title=form.parent_title.data or "",
    )


PROGRESS_SAVED = "บันทึกความคืบหน้าแล้ว"


def progress_input(form: ProgressForm) -> service.ProgressInput:
    return service.ProgressInput(
        entry_date=form.entry_date.data,
        text=form.text.data or "",
        url=form.url.data or "",
        title=form.title.data or "",
        status=form.status.data or "",
        cancel_reason=form.cancel_reason.data or "",
    )
