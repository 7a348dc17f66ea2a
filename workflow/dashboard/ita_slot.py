"""The latest ITA result on the home page; while the organisation has none, the page shows a
placeholder. Only the stored figures are read, as rows: the full analysis
(workflow.ita.overview) also loads the next plan's measures.
"""

from markupsafe import Markup

from models import User
from workflow.ita import charts
from workflow.ita.analysis import num, year_of_values
from workflow.ita.results import stored_values_by_year


def latest(user: User) -> dict | None:
    """{"year", "score", "level", "change", "chart"} of the latest year with an overall score."""
    years = [year_of_values(y, values) for y, values in stored_values_by_year(user.org_id).items()]
    scored = [y for y in years if y.figures is not None and y.figures.overall is not None]
    if not scored:
        return None
    last = scored[-1]
    before = next((y for y in scored if y.fiscal_year == last.fiscal_year - 1), None)
    history = [{"year": y.fiscal_year, "score": num(y.figures.overall)} for y in scored]
    levels = [
        {"name": lv.name, "min": num(lv.min), "every_tool_min": num(lv.every_tool_min)}
        for lv in last.catalogue.levels
    ]
    chart = charts.history_chart(history, levels, user.organisation.thai_digits)
    return {
        "year": last.fiscal_year,
        "score": num(last.figures.overall),
        "level": last.figures.level.name if last.figures.level else None,
        "change": num(last.figures.overall - before.figures.overall) if before else None,
        "chart": Markup(chart),  # noqa: S704 (the chart module escapes every text in the SVG)
    }
