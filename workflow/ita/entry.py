"""The figures a year's results have, each under one key used by the form, the CSV file and the
services alike:

    ITA       the overall score            IIT, EIT1, OIT   a tool
    1 … 10    an indicator as a whole      EIT1/6           indicator 6 within EIT part 1
    i1, O28   a question or item           9.3              a sub-indicator
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import thai
from models import ItaIndicatorScore, ItaItemScore, ItaResult, ItaToolScore
from workflow.ita.catalogue import HUNDRED, Catalogue
from workflow.ita.scoring import Scores

OVERALL = "ITA"
_SCORE = re.compile(r"^[0-9]{1,3}(\.[0-9]{1,2})?$")


@dataclass(frozen=True)
class Entry:
    key: str
    kind: str  # overall, tool, indicator, part, item
    label: str
    indicator: int | None = None
    tool: str = ""

    @property
    def field_name(self) -> str:
        return "s_" + self.key.replace("/", "_").replace(".", "_")


def entries(catalogue: Catalogue) -> list[Entry]:
    """Every figure the year can have, in the order of the form and the CSV template."""
    found = [Entry(OVERALL, "overall", "คะแนนรวม ITA")]
    found += [Entry(t.code, "tool", f"{t.name} ({t.short})", tool=t.code) for t in catalogue.tools]
    for indicator in catalogue.indicators:
        n = indicator.number
        found.append(Entry(str(n), "indicator", f"ตัวชี้วัดที่ {n} {indicator.name}", n))
        if catalogue.is_shared(n):
            found += [
                Entry(
                    f"{t.code}/{n}", "part", f"ตัวชี้วัดที่ {n} {indicator.name} ({t.short})", n, t.code
                )
                for t in catalogue.tools_of(n)
            ]
        found += [
            Entry(s.code, "item", f"ตัวชี้วัดย่อย {s.code} {s.name}", n) for s in catalogue.subs_of(n)
        ]
        found += [Entry(q.code, "item", f"{q.code} {q.text}", n) for q in catalogue.questions_of(n)]
    return found


def parse_score(text) -> Decimal | None:
    """'93.57', '๙๓.๕๗' or '100' as a Decimal; blank is None; ValueError with a Thai message."""
    if isinstance(text, Decimal):
        value = text
    else:
        cleaned = thai.to_arabic_digits(str(text or "")).strip()
        if not cleaned:
            return None
        if "," in cleaned:
            raise ValueError("ใช้จุดเป็นทศนิยม เช่น 93.57")
        if not _SCORE.match(cleaned):
            raise ValueError("กรอกเป็นตัวเลข ทศนิยมไม่เกิน 2 ตำแหน่ง เช่น 93.57")
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise ValueError("กรอกเป็นตัวเลข เช่น 93.57") from None
    if not Decimal(0) <= value <= HUNDRED:
        raise ValueError("คะแนนต้องอยู่ระหว่าง 0 ถึง 100")
    return value.quantize(Decimal("0.01"))


def to_scores(catalogue: Catalogue, values: dict[str, Decimal | None]) -> Scores:
    """Scores from keyed values (unknown keys are the caller's to refuse first)."""
    kinds = {e.key: e for e in entries(catalogue)}
    scores = Scores()
    for key, value in values.items():
        entry = kinds.get(key)
        if value is None or entry is None:
            continue
        if entry.kind == "overall":
            scores.overall = value
        elif entry.kind == "tool":
            scores.tools[key] = value
        elif entry.kind == "indicator":
            scores.indicators[entry.indicator] = value
        elif entry.kind == "part":
            scores.parts[(entry.tool, entry.indicator)] = value
        else:
            scores.items[key] = value
    return scores


def stored_values(result: ItaResult | None) -> dict[str, Decimal]:
    """A stored result's figures by key."""
    if result is None:
        return {}
    values = {OVERALL: result.overall} if result.overall is not None else {}
    values |= {s.tool_code: s.score for s in result.tool_scores}
    values |= {_indicator_key(s): s.score for s in result.indicator_scores}
    values |= {s.code: s.score for s in result.item_scores}
    return values


def store_values(result: ItaResult, catalogue: Catalogue, values: dict[str, Decimal]) -> None:
    """Make the result's rows say exactly `values` (keys already checked against the year)."""
    kinds = {e.key: e for e in entries(catalogue)}
    result.overall = values.get(OVERALL)
    _sync(
        result.tool_scores,
        {k: v for k, v in values.items() if kinds[k].kind == "tool"},
        lambda row: row.tool_code,
        lambda key: ItaToolScore(tool_code=key),
    )
    indicator_values = {k: v for k, v in values.items() if kinds[k].kind in ("indicator", "part")}
    _sync(
        result.indicator_scores,
        indicator_values,
        _indicator_key,
        lambda key: ItaIndicatorScore(indicator_no=kinds[key].indicator, tool_code=kinds[key].tool),
    )
    _sync(
        result.item_scores,
        {k: v for k, v in values.items() if kinds[k].kind == "item"},
        lambda row: row.code,
        lambda key: ItaItemScore(code=key),
    )


def _sync(rows: list, wanted: dict[str, Decimal], key_of, make) -> None:
    """Update rows in place, drop the ones no longer wanted, add the new ones."""
    for row in list(rows):
        key = key_of(row)
        if key in wanted:
            row.score = wanted.pop(key)
        else:
            rows.remove(row)
    for key, value in wanted.items():
        row = make(key)
        row.score = value
        rows.append(row)


def _indicator_key(row: ItaIndicatorScore) -> str:
    return indicator_key(row.tool_code, row.indicator_no)


def indicator_key(tool_code: str, indicator_no: int) -> str:
    """ "7" for an indicator as a whole, "EIT1/7" for its part within a tool."""
    return f"{tool_code}/{indicator_no}" if tool_code else str(indicator_no)
