"""Analysis snapshots in the app's own shape for the national dataset.

An analysis memo freezes workflow/ita/analysis.py's data; the PDF at approval and the signatures'
content hash read it. SQL cannot build that shape, so the generator asks the app for one template
per analysed year, built from fixed figures (every entry of the year's catalogue, scored around
80 against 75 the year before) and the app's own build(); each memo gets its year's template with
its organisation's name. The figures are the same for every organisation: the benchmarks
measure rendering and signing, not the analysis.
"""

from decimal import Decimal
from types import SimpleNamespace

from workflow.ita import analysis, entry
from workflow.ita.scoring import figures

EMPTY_ANNOUNCEMENT = {"criteria_on": None, "results_on": None, "directive": ""}


def templates(app, fiscal_years: list[int]) -> dict[str, dict]:
    """{analysed fiscal year (as text): snapshot data} for the ITA years the memos analyse."""
    found = {}
    with app.app_context():
        for year in fiscal_years:
            current = _year(year, Decimal("80.00"))
            if current.figures is None:  # no catalogue for the year: the app could not draft it
                continue
            previous = _year(year - 1, Decimal("75.00"))
            history = [y for y in (previous, current) if y.figures is not None]
            org = SimpleNamespace(name="")  # each memo's own name goes in by SQL
            found[str(year)] = analysis.build(
                org, current, previous, history, None, EMPTY_ANNOUNCEMENT
            )
    return found


def _year(fiscal_year: int, base: Decimal) -> analysis.Year:
    catalogue = analysis.get_catalogue(fiscal_year)
    if catalogue is None:
        return analysis.Year(fiscal_year, None, None)
    # The leaves only (questions and parts, then any indicator still without a score): the app
    # computes the rest, so the memo carries no "entered … but computed …" warnings.
    found = entry.entries(catalogue)
    values = {
        e.key: base + Decimal(n % 7) - Decimal(3)
        for n, e in enumerate(found)
        if e.kind in ("item", "part")
    }
    computed = figures(catalogue, entry.to_scores(catalogue, values))
    for e in found:
        if e.kind == "indicator" and e.indicator not in computed.indicators:
            values[e.key] = base
    scores = entry.to_scores(catalogue, values)
    return analysis.Year(fiscal_year, catalogue, figures(catalogue, scores))
