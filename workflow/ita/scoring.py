"""The arithmetic of ITA results, in Decimal, rounded half-up to two places at the end of each
figure, the way ป.ป.ช. publishes them:

- an indicator scored by two tools (6-8 in EIT parts 1 and 2) is the mean of both;
- an indicator of a tool marked `indicator_from_questions` (IIT) is the mean of its questions;
- a tool is the mean of its indicators; the overall is the weighted sum of the tools;
- the level is the first of the year's levels whose minimum and tool condition are met.

Whatever the user entered wins; a computed figure fills a gap, and where both exist and differ
by more than rounding can explain, a Discrepancy says so (seed 003 prints OIT 2567 as 89.71 where
its indicators give 89.17).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from workflow.ita.catalogue import CENT, Catalogue, Level

# Each published figure is rounded to 0.005 either way, so a figure computed from rounded parts
# may differ from the published one by up to 0.01 without anyone having made a mistake.
TOLERANCE = CENT


def round2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def mean(values: list[Decimal]) -> Decimal:
    return round2(sum(values, Decimal(0)) / len(values))


@dataclass
class Scores:
    """What was entered for one organisation and year; any part may be missing."""

    overall: Decimal | None = None
    tools: dict[str, Decimal] = field(default_factory=dict)
    indicators: dict[int, Decimal] = field(default_factory=dict)  # the indicator as a whole
    parts: dict[tuple[str, int], Decimal] = field(default_factory=dict)  # (tool, indicator)
    items: dict[str, Decimal] = field(default_factory=dict)  # questions and sub-indicators


@dataclass(frozen=True)
class Discrepancy:
    """An entered figure that its own parts do not give."""

    label: str  # "คะแนน OIT"
    entered: Decimal
    computed: Decimal
    basis: str  # "จากคะแนนตัวชี้วัด"

    @property
    def message(self) -> str:
        return (
            f"{self.label}: กรอกไว้ {self.entered:.2f} แต่คำนวณ{self.basis}ได้ {self.computed:.2f}"
            f" (ต่างกัน {abs(self.entered - self.computed):.2f}) กรุณาตรวจสอบกับประกาศผลอีกครั้ง"
        )


@dataclass
class Figures:
    """The figures a page or a memo shows: entered ones, with computed ones filling the gaps."""

    overall: Decimal | None
    level: Level | None
    tools: dict[str, Decimal]
    indicators: dict[int, Decimal]
    parts: dict[tuple[str, int], Decimal]
    items: dict[str, Decimal]
    computed: set[str]  # keys of figures the app computed: "ITA", "OIT", "6", "EIT1/6"
    discrepancies: list[Discrepancy]


def figures(catalogue: Catalogue, scores: Scores) -> Figures:
    found = Figures(None, None, {}, {}, dict(scores.parts), dict(scores.items), set(), [])
    for indicator in catalogue.indicators:
        _indicator(catalogue, scores, found, indicator.number)
    for tool in catalogue.tools:
        parts = [_within(catalogue, found, tool.code, n) for n in tool.indicators]
        computed = mean(parts) if None not in parts else None
        entered = scores.tools.get(tool.code)
        label = f"คะแนน {tool.short}"
        value = _settle(found, tool.code, entered, computed, label, "จากคะแนนตัวชี้วัด")
        if value is not None:
            found.tools[tool.code] = value
    computed = weighted_overall(catalogue, found.tools)
    basis = "จากคะแนนรายเครื่องมือตามน้ำหนักของปี"
    found.overall = _settle(found, "ITA", scores.overall, computed, "คะแนนรวม ITA", basis)
    found.level = level_of(catalogue, found.overall, found.tools)
    return found


def weighted_overall(catalogue: Catalogue, tools: dict[str, Decimal]) -> Decimal | None:
    """The overall score from every tool's score by the year's weights; None if one is missing."""
    if any(t.code not in tools for t in catalogue.tools):
        return None
    return round2(sum((t.weight * tools[t.code] for t in catalogue.tools), Decimal(0)))


def level_of(catalogue: Catalogue, overall: Decimal | None, tools: dict[str, Decimal]):
    """The year's level for a score; None when unknown (no score, or a tool condition that
    cannot be checked because a tool's score is missing)."""
    if overall is None:
        return None
    for level in catalogue.levels:
        if overall < level.min:
            continue
        if level.every_tool_min is None:
            return level
        scores = [tools.get(t.code) for t in catalogue.tools]
        if None in scores:
            return None
        if all(score >= level.every_tool_min for score in scores):
            return level
    return None


def change(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    return None if current is None or previous is None else current - previous


def _indicator(catalogue: Catalogue, scores: Scores, found: Figures, number: int) -> None:
    tools = catalogue.tools_of(number)
    if len(tools) > 1:
        parts = [scores.parts.get((t.code, number)) for t in tools]
        computed = mean(parts) if None not in parts else None
        basis = "จากคะแนนของแต่ละเครื่องมือ"
    else:
        questions = [scores.items.get(q.code) for q in catalogue.questions_of(number)]
        by_questions = tools[0].indicator_from_questions and questions and None not in questions
        computed = mean(questions) if by_questions else None
        basis = "จากคะแนนข้อคำถาม"
    entered, label = scores.indicators.get(number), f"คะแนนตัวชี้วัดที่ {number}"
    value = _settle(found, str(number), entered, computed, label, basis)
    if value is not None:
        found.indicators[number] = value


def _within(catalogue: Catalogue, found: Figures, tool: str, number: int) -> Decimal | None:
    """An indicator's score within one tool: its part score, or the indicator if unshared."""
    if catalogue.is_shared(number):
        return found.parts.get((tool, number))
    return found.indicators.get(number)


def _settle(found: Figures, key: str, entered, computed, label: str, basis: str):
    """The entered figure (noting a disagreement with the computed one) or else the computed."""
    if entered is not None and computed is not None and abs(entered - computed) > TOLERANCE:
        found.discrepancies.append(Discrepancy(label, entered, computed, basis))
    if entered is None and computed is not None:
        found.computed.add(key)
    return entered if entered is not None else computed
