"""The data an analysis memo is drafted from and frozen with (AnalysisSnapshot.data).

Plain JSON, scores as two-decimal strings, Arabic digits, in a fixed order, since the signatures'
content hash covers it: the year's figures against the previous year's per tool, indicator and
question; what falls under the pass and excellent lines; per indicator its strongest and weakest
question (or sub-indicator) with the texts of จุดเด่น and จุดที่ควรพัฒนา (editable in the draft);
the overall score over the years; and the improvement plan from the next year's measures.
"""

from dataclasses import dataclass
from decimal import Decimal

from models import ItaResult, MeasurePlan, Organisation
from workflow.calendar import period_label
from workflow.ita import entry, wording
from workflow.ita.catalogue import Catalogue, Question
from workflow.ita.scoring import Figures, change, figures
from workflow.ita.store import get_catalogue
from workflow.reports.snapshot import budget_label

VERSION = 1


@dataclass
class Year:
    """One year of an organisation: its catalogue (if any) and figures (if any)."""

    fiscal_year: int
    catalogue: Catalogue | None
    figures: Figures | None


def year_of(result: ItaResult | None, fiscal_year: int) -> Year:
    return year_of_values(fiscal_year, None if result is None else entry.stored_values(result))


def year_of_values(fiscal_year: int, values: dict[str, Decimal] | None) -> Year:
    """The year from its stored figures by key (None: no result that year)."""
    catalogue = get_catalogue(fiscal_year)
    if catalogue is None or values is None:
        return Year(fiscal_year, catalogue, None)
    return Year(fiscal_year, catalogue, figures(catalogue, entry.to_scores(catalogue, values)))


def num(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def build(
    org: Organisation,
    current: Year,
    previous: Year,
    history: list[Year],
    plan: MeasurePlan | None,
    announcement: dict,
) -> dict:
    """Everything the memo, its annexes and its charts show."""
    cat, now, before = current.catalogue, current.figures, previous.figures
    return {
        "version": VERSION,
        "fiscal_year": current.fiscal_year,
        "previous_year": previous.fiscal_year,
        "org_name": org.name,
        "title": cat.title,
        "catalogue_provisional": cat.is_provisional,  # printed as ฉบับร่าง
        "lines": {"pass": num(cat.pass_line), "excellent": num(cat.excellent_line)},
        "announcement": announcement,
        "overall": _overall(now, before),
        "levels": [
            {
                "name": lv.name,
                "min": num(lv.min),
                "max": num(cat.level_max(lv)),
                "every_tool_min": num(lv.every_tool_min),
            }
            for lv in cat.levels
        ],
        "tools": [_tool(cat, t, now, before) for t in cat.tools],
        "indicators": [_indicator(cat, i.number, now, before) for i in cat.indicators],
        "items": _items(cat, now, before, previous.catalogue),
        "below": _below(cat, now),
        "history": _history(history),
        "plan": _plan(plan),
        "discrepancies": [d.message for d in now.discrepancies],
    }


def _overall(now: Figures, before: Figures | None) -> dict:
    previous = before.overall if before else None
    return {
        "score": num(now.overall),
        "level": now.level.name if now.level else None,
        "previous": num(previous),
        "previous_level": before.level.name if before and before.level else None,
        "change": num(change(now.overall, previous)),
    }


def _tool(cat: Catalogue, tool, now: Figures, before: Figures | None) -> dict:
    score, previous = now.tools.get(tool.code), before.tools.get(tool.code) if before else None
    return {
        "code": tool.code,
        "short": tool.short,
        "name": tool.name,
        "group": tool.group,
        "group_name": tool.group_name,
        "weight": str(tool.weight),
        "score": num(score),
        "previous": num(previous),
        "change": num(change(score, previous)),
        "computed": tool.code in now.computed,
        "indicators": [
            {
                "number": n,
                "name": cat.indicator(n).name,
                "score": num(
                    now.parts.get((tool.code, n)) if cat.is_shared(n) else now.indicators.get(n)
                ),
            }
            for n in tool.indicators
        ],
    }


def _indicator(cat: Catalogue, number: int, now: Figures, before: Figures | None) -> dict:
    score = now.indicators.get(number)
    previous = before.indicators.get(number) if before else None
    basis, strongest, weakest = _extremes(cat, number, now.items)
    row = {
        "number": number,
        "name": cat.indicator(number).name,
        "tools": [t.short for t in cat.tools_of(number)],
        "score": num(score),
        "previous": num(previous),
        "change": num(change(score, previous)),
        "band": wording.band(score, cat),
        "basis": basis,
        "strongest": strongest,
        "weakest": weakest,
    }
    row["strength"] = wording.strength(row, cat)
    row["weakness"] = wording.weakness(row, cat)
    return row


def _extremes(cat: Catalogue, number: int, items: dict[str, Decimal]):
    """Per indicator, the best and the weakest scored questions, else sub-indicators; ties are
    all listed. When every scored item is equal (one item, often) they are the strength at or
    above the pass line and the weakness below it, never both."""
    for basis, candidates in (
        ("question", cat.questions_of(number)),
        ("sub_indicator", cat.subs_of(number)),
    ):
        scored = [(item, items[item.code]) for item in candidates if item.code in items]
        if scored:
            top, low = max(s for _, s in scored), min(s for _, s in scored)
            if low == top and top < cat.pass_line:  # one score (or all equal) and a low one
                return basis, [], _ranked(cat, scored, low)
            weakest = _ranked(cat, scored, low) if low < top else []
            return basis, _ranked(cat, scored, top), weakest
    return "", [], []


def _ranked(cat: Catalogue, scored: list, score: Decimal) -> list[dict]:
    return [
        {
            "code": item.code,
            "text": _text(item),
            "score": num(s),
            "suggestion": cat.suggestion_for(item.code),
        }
        for item, s in scored
        if s == score
    ]


def _text(item) -> str:
    """A question's text or a sub-indicator's name."""
    return item.text if isinstance(item, Question) else item.name


def _items(cat: Catalogue, now: Figures, before: Figures | None, before_cat) -> list[dict]:
    """Every question and sub-indicator with a score this year or last, in catalogue order; last
    year's score is that of the items it continues (`Catalogue.previous_codes`), averaged when
    several were merged into one."""
    rows = []
    for item in [*cat.questions, *cat.sub_indicators]:
        score = now.items.get(item.code)
        codes = cat.previous_codes(item.code)
        olds = [s for c in codes if before and (s := before.items.get(c)) is not None]
        previous = (sum(olds) / len(olds)).quantize(Decimal("0.01")) if olds else None
        if score is None and previous is None:
            continue
        text = _text(item)
        rows.append(
            {
                "code": item.code,
                "indicator": item.indicator,
                "text": text,
                "previous_text": _previous_text(item.code, text, codes, before_cat),
                "score": num(score),
                "previous": num(previous),
                "change": num(change(score, previous)),
            }
        )
    return sorted(rows, key=lambda r: r["indicator"])


def _previous_text(code: str, text: str, codes: tuple[str, ...], before_cat) -> str:
    """Last year's wording when it differs, with last year's codes when they differ."""
    olds = [old for c in codes if before_cat and (old := before_cat.item(c)) is not None]
    if [o.code for o in olds] == [code]:
        return _text(olds[0]) if _text(olds[0]) != text else ""
    return "; ".join(f"({o.code}) {_text(o)}" for o in olds)


def _below(cat: Catalogue, now: Figures) -> dict:
    """Tools, indicators and items under the pass line, and those between it and excellent."""
    scored = [(f"{t.short}", now.tools.get(t.code)) for t in cat.tools]
    scored += [
        (f"ตัวชี้วัดที่ {i.number} {i.name}", now.indicators.get(i.number)) for i in cat.indicators
    ]
    scored += [(f"{q.code} {q.text}", now.items.get(q.code)) for q in cat.questions]
    scored += [(f"{s.code} {s.name}", now.items.get(s.code)) for s in cat.sub_indicators]
    scored = [(label, score) for label, score in scored if score is not None]
    return {
        "pass": [{"label": lb, "score": num(s)} for lb, s in scored if s < cat.pass_line],
        "excellent": [
            {"label": lb, "score": num(s)}
            for lb, s in scored
            if cat.pass_line <= s < cat.excellent_line
        ],
    }


def _history(years: list[Year]) -> list[dict]:
    return [
        {
            "year": y.fiscal_year,
            "score": num(y.figures.overall),
            "level": y.figures.level.name if y.figures.level else None,
        }
        for y in years
        if y.figures is not None and y.figures.overall is not None
    ]


def _plan(plan: MeasurePlan | None) -> dict | None:
    if plan is None:
        return None
    return {
        "fiscal_year": plan.fiscal_year,
        "title": plan.title,
        "rows": [
            {
                "indicators": list(m.indicators),
                "codes": list(m.question_codes),
                "title": m.title,
                "cancelled": m.cancel_reason if m.cancel_reason else None,
                "analysis": m.analysis,
                "steps": list(m.steps),
                "period": period_label(m.start_month, m.end_month, thai_digits=False),
                "budget": budget_label(m.budget),
                "units": [u.name for u in m.units],
                "people": [p.display_name for p in m.people],
                "follow_up": m.follow_up or "",
            }
            for m in sorted(plan.measures, key=lambda m: (m.position, m.id))
        ],
    }
