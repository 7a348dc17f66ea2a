"""The frozen table of a progress report: every measure of the plan as it stood at a round's end."""

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

import clock
import thai
from extensions import db
from models import (
    Evidence,
    Measure,
    MeasureEvent,
    MeasurePlan,
    MeasureStatus,
    Organisation,
    ProgressEntry,
    ReportRound,
)
from workflow.calendar import period_label
from workflow.ita.catalogue import Catalogue
from workflow.ita.store import available_years, get_catalogue
from workflow.measures.fields import INDICATORS, NO_BUDGET, no_budget_text
from workflow.measures.outline import outline, parent_line

# 2: the as-of rule below (entries dated in the round, status by effective date, evidence of
# those entries or dated in the round, entries recorded after the round marked as such).
SNAPSHOT_VERSION = 2
COUNT_ORDER = (
    MeasureStatus.DONE,
    MeasureStatus.IN_PROGRESS,
    MeasureStatus.NOT_STARTED,
    MeasureStatus.CANCELLED,
)


def build_snapshot(plan: MeasurePlan, report_round: ReportRound) -> dict:
    """Plain JSON data (dates as ISO strings), in a fixed order, since the signed hash covers it.

    The one "as of" rule of a report: each measure as it stood at the round's end by the dates
    things happened, whenever they were typed, so a report drafted months after the round prints
    what one drafted on its last day would have printed, given the same facts. Only dates the
    user gives or that happened (entry dates, effective dates, evidence added) decide; today
    never does.
    """
    start, end = report_round.period_start, report_round.period_end
    measures = sorted(plan.measures, key=lambda m: (m.position, m.id))
    statuses = statuses_as_of([m.id for m in measures], end)
    unstated = no_budget_text(db.session.get(Organisation, plan.org_id))
    catalogue = catalogue_for(plan.fiscal_year)
    numbers = outline(measures)
    rows = [
        {
            **measure_row(m, statuses.get(m.id, MeasureStatus.NOT_STARTED), start, end, unstated),
            **addressed(m, catalogue),
            "number": numbers[m.id],
            "parent": parent_line(m, numbers[m.id]),
        }
        for m in measures
    ]
    return {
        "version": SNAPSHOT_VERSION,
        "as_of": end.isoformat(),
        "round": round_data(report_round),
        "plan": {"id": plan.id, "title": plan.title, "fiscal_year": plan.fiscal_year},
        "counts": count_statuses(rows),
        "measures": rows,
    }


def count_statuses(rows: list[dict]) -> list[dict]:
    """The memo's (1) (2) (3) counts, from the very rows the table prints."""
    return [
        {"status": s.value, "label": s.label, "count": sum(r["status"] == s.value for r in rows)}
        for s in COUNT_ORDER
    ]


def round_data(report_round: ReportRound) -> dict:
    return {
        "id": report_round.id,
        "kind": report_round.kind.value,
        "label": thai.to_arabic_digits(report_round.kind.label),
        "fiscal_year": report_round.fiscal_year,
        "period_start": report_round.period_start.isoformat(),
        "period_end": report_round.period_end.isoformat(),
        "due_date": report_round.due_date.isoformat(),
    }


def statuses_as_of(measure_ids: list[int], as_of: date) -> dict[int, MeasureStatus]:
    """Each measure's status after its last status change that took effect on or before
    `as_of`, however late it was recorded. A measure with no such change had not started yet."""
    if not measure_ids:
        return {}
    stmt = (
        sa.select(MeasureEvent)
        .where(
            MeasureEvent.measure_id.in_(measure_ids),
            MeasureEvent.new_status.is_not(None),
            MeasureEvent.effective_date <= as_of,
        )
        .order_by(MeasureEvent.effective_date, MeasureEvent.created_at, MeasureEvent.id)
    )
    return {event.measure_id: event.new_status for event in db.session.scalars(stmt)}


def measure_row(
    measure: Measure, status: MeasureStatus, start: date, end: date, unstated: str = NO_BUDGET
) -> dict:
    """One row of the table: what the measure is, who does it, and what was done in the round."""
    entries = [e for e in measure.entries if start <= e.entry_date <= end]
    if entries and status is MeasureStatus.NOT_STARTED:
        status = MeasureStatus.IN_PROGRESS  # work dated in the round: it had started
    included = {e.id for e in entries}
    return {
        "id": measure.id,
        "position": measure.position,
        "indicators": list(measure.indicators),
        "codes": list(measure.question_codes),
        "title": measure.title,
        "steps": list(measure.steps),
        "units": [u.name for u in measure.units],
        "people": [p.display_name for p in measure.people],
        "follow_up": measure.follow_up,
        "rhythm": measure.rhythm.value if measure.rhythm else "",
        "rhythm_label": thai.to_arabic_digits(measure.rhythm.label) if measure.rhythm else "",
        "period_label": period_label(measure.start_month, measure.end_month, thai_digits=False),
        "budget": None if measure.budget is None else f"{measure.budget:.2f}",
        "budget_label": budget_label(measure.budget, unstated),
        "status": status.value,
        "status_label": thai.to_arabic_digits(status.label),
        "entries": [entry_data(e, end) for e in entries],
        "evidence": [
            {"title": ev.title, "url": ev.url}
            for ev in measure.evidence
            if evidence_in_round(ev, included, start, end)
        ],
    }


def catalogue_for(plan_year: int) -> Catalogue | None:
    """The ITA catalogue the plan's measures answer: last year's results (the 2569 measures
    answer ITA 2568), else the nearest earlier year with one."""
    years = [y for y in available_years() if y < plan_year]
    return get_catalogue(max(years)) if years else None


def addressed(measure: Measure, catalogue: Catalogue | None) -> dict:
    """What the measure answers, as seed 004 groups its table: the tool (IIT, EIT, OIT), the
    indicator with its name, and each question code with its text (from the catalogue)."""
    items = [catalogue.item(code) if catalogue else None for code in measure.question_codes]
    numbers = [i.indicator for i in items if i is not None] or list(measure.indicators)
    number = numbers[0] if numbers else None
    tool = ""
    if catalogue and number is not None and (tools := catalogue.tools_of(number)):
        tool = tools[0].group or tools[0].code
    indicator = catalogue.indicator(number) if catalogue and number is not None else None
    name = indicator.name if indicator else INDICATORS.get(number, "")
    return {
        "tool": tool,
        "indicator": number,
        "indicator_name": name,
        "questions": [
            {"code": code, "text": getattr(item, "text", "") or getattr(item, "name", "")}
            for code, item in zip(measure.question_codes, items, strict=True)
        ],
    }


def entry_data(entry: ProgressEntry, end: date) -> dict:
    """An entry, marked when it was recorded after the round's end (normal practice, shown)."""
    recorded = clock.local(entry.created_at).date()
    return {
        "date": entry.entry_date.isoformat(),
        "text": entry.text,
        "by": entry.author.display_name,
        "recorded": recorded.isoformat(),
        "recorded_late": recorded > end,
    }


def evidence_in_round(evidence: Evidence, entry_ids: set[int], start: date, end: date) -> bool:
    """Evidence of an entry of the round, or evidence on its own added within the round."""
    if evidence.progress_entry_id is not None:  # the entry's date decides, not the upload's
        return evidence.progress_entry_id in entry_ids
    return start <= clock.local(evidence.added_at).date() <= end


def budget_label(budget: Decimal | None, unstated: str = NO_BUDGET) -> str:
    """'50,000 บาท', '1,234.50 บาท' or, with none, 'ไม่ใช้งบประมาณ' or blank as the
    organisation prints it (Arabic digits; templates convert)."""
    if budget is None:
        return unstated
    if budget == budget.to_integral_value():
        return f"{int(budget):,} บาท"
    return f"{budget:,.2f} บาท"
