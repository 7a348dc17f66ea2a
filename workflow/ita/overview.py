"""A year's analysis for the user's organisation, gathered from its results, the previous year's,
every earlier year's overall and the next year's measures: the data the results page shows and an
analysis memo freezes (shape: workflow/ita/analysis.py)."""

import sqlalchemy as sa

import clock
import thai
from extensions import db
from models import MeasurePlan, User
from workflow.errors import ValidationFailed
from workflow.ita import analysis
from workflow.ita.results import require_catalogue, results_of
from workflow.ita.store import available_years


def collect(user: User, fiscal_year: int, announcement: dict | None = None) -> dict:
    """The analysis of a year; ValidationFailed when the year has no results yet."""
    found = overview(user, fiscal_year, announcement)
    if found is None:
        raise ValidationFailed(
            f"ยังไม่ได้บันทึกผลการประเมิน ITA ปีงบประมาณ พ.ศ. {fiscal_year} กรุณาบันทึกผลคะแนนก่อน"
        )
    return found


def overview(user: User, fiscal_year: int, announcement: dict | None = None) -> dict | None:
    """The analysis of a year, or None when the year has no results yet."""
    require_catalogue(fiscal_year)
    results = {r.fiscal_year: r for r in results_of(user)}
    if fiscal_year not in results:
        return None
    current = analysis.year_of(results[fiscal_year], fiscal_year)
    previous = analysis.year_of(results.get(fiscal_year - 1), fiscal_year - 1)
    history = [analysis.year_of(r, y) for y, r in sorted(results.items()) if y <= fiscal_year]
    plan = db.session.scalars(
        sa.select(MeasurePlan).where(
            MeasurePlan.org_id == user.org_id, MeasurePlan.fiscal_year == fiscal_year + 1
        )
    ).one_or_none()
    empty = {"criteria_on": None, "results_on": None, "directive": ""}
    return analysis.build(
        user.organisation, current, previous, history, plan, announcement or empty
    )


def default_year(user: User) -> int | None:
    """The year a results page opens on: the latest with results, else the latest year whose
    results are out (ITA N is announced during fiscal year N), else the latest catalogue."""
    years = available_years()
    with_results = [r.fiscal_year for r in results_of(user) if r.fiscal_year in years]
    if with_results:
        return max(with_results)
    current = thai.fiscal_year(clock.today())
    announced = [y for y in years if y <= current]
    return max(announced or years or [None])
