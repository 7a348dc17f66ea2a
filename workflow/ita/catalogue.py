"""The ITA catalogue of one fiscal year, as plain immutable objects.

Tools (IIT, EIT parts, OIT) with their weights and indicators; indicators 1-10; sub-indicators;
questions and items (i1, e7, O12) with their Thai text; the rating levels. Built and checked by
`workflow.ita.checks` from a file or from the stored copy; never edited in place.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Tool:
    code: str  # IIT, EIT1, EIT2, OIT
    name: str
    short: str  # how tables label it: "EIT ส่วนที่ 1"
    weight: Decimal
    indicators: tuple[int, ...]
    group: str = ""  # "EIT" for the two parts of EIT
    group_name: str = ""  # what the parts together are called
    indicator_from_questions: bool = False  # each indicator is the mean of its questions


@dataclass(frozen=True)
class Indicator:
    number: int
    name: str
    suggestion: str = ""


@dataclass(frozen=True)
class SubIndicator:
    code: str  # "9.1"
    indicator: int
    name: str
    suggestion: str = ""


@dataclass(frozen=True)
class Question:
    code: str  # i1, e9, O28
    indicator: int
    text: str
    sub_indicator: str = ""
    suggestion: str = ""
    provisional: str = ""  # where an unverified text comes from; "" when verified


@dataclass(frozen=True)
class Publishes:
    """The OIT item a document of the product is published at, and which year's document:
    e.g. the annual report of fiscal year 2568 is item O26 of the 2569 assessment."""

    document: str  # analysis, annual_report
    item: str
    from_year: int


@dataclass(frozen=True)
class Provisional:
    """A part of the file not yet checked against the official manual, and where it came from."""

    part: str
    source: str


@dataclass(frozen=True)
class Level:
    name: str
    min: Decimal
    every_tool_min: Decimal | None = None  # the condition on every tool's score, if any


@dataclass(frozen=True)
class Catalogue:
    fiscal_year: int
    title: str
    tools: tuple[Tool, ...]
    indicators: tuple[Indicator, ...]
    levels: tuple[Level, ...]
    sub_indicators: tuple[SubIndicator, ...] = ()
    questions: tuple[Question, ...] = ()
    pass_line: Decimal = Decimal(85)
    excellent_line: Decimal = Decimal(95)
    criteria_announced_on: date | None = None
    results_announced_on: date | None = None
    source: str = field(default="", compare=False)  # where it was read from, for the pages
    provisional: tuple[Provisional, ...] = ()  # unverified parts: shown as ฉบับร่าง
    publishes: tuple[Publishes, ...] = ()
    # OIT item -> the items of the previous year it continues (merged items list several);
    # None when the file gives no mapping (then OIT items are not compared across years).
    previous_items: dict[str, tuple[str, ...]] | None = field(default=None, compare=False)

    @property
    def is_provisional(self) -> bool:
        return bool(self.provisional) or any(q.provisional for q in self.questions)

    def oit_items(self) -> list[Question]:
        """The questions of the public-disclosure tool (O1, O2, ...), in catalogue order."""
        oit = self.tool("OIT")
        return [q for q in self.questions if oit and q.indicator in oit.indicators]

    def publishes_item(self, document: str) -> Publishes | None:
        return next((p for p in self.publishes if p.document == document), None)

    def previous_codes(self, code: str) -> tuple[str, ...]:
        """The previous year's codes an item continues. OIT items renumber and merge every year,
        so they go only through the file's mapping; the others keep their code."""
        if any(q.code == code for q in self.oit_items()):
            return (self.previous_items or {}).get(code, ())
        return (self.previous_items or {}).get(code, (code,))

    def tool(self, code: str) -> Tool | None:
        return next((t for t in self.tools if t.code == code), None)

    def indicator(self, number: int) -> Indicator | None:
        return next((i for i in self.indicators if i.number == number), None)

    def tools_of(self, number: int) -> list[Tool]:
        """The tools that score an indicator: one, or both EIT parts."""
        return [t for t in self.tools if number in t.indicators]

    def is_shared(self, number: int) -> bool:
        return len(self.tools_of(number)) > 1

    def questions_of(self, number: int) -> list[Question]:
        return [q for q in self.questions if q.indicator == number]

    def subs_of(self, number: int) -> list[SubIndicator]:
        return [s for s in self.sub_indicators if s.indicator == number]

    def item(self, code: str) -> Question | SubIndicator | None:
        """A question or a sub-indicator by its code."""
        found = next((q for q in self.questions if q.code == code), None)
        return found or next((s for s in self.sub_indicators if s.code == code), None)

    def suggestion_for(self, code: str) -> str:
        """The default improvement for an item: its own, else its sub-indicator's or indicator's."""
        item = self.item(code)
        if item is None:
            return ""
        sub = self.item(item.sub_indicator) if isinstance(item, Question) else None
        indicator = self.indicator(item.indicator)
        for text in (item.suggestion, sub.suggestion if sub else "", indicator.suggestion):
            if text:
                return text
        return ""

    def level_max(self, level: Level) -> Decimal:
        """The top of a level's range as printed (seed 003: ผ่านดี 85.00 - 100.00, ต้องปรับปรุง
        70.00 - 84.99): just under the next higher minimum of a level without a condition."""
        higher = [lv.min for lv in self.levels if lv.min > level.min and lv.every_tool_min is None]
        return min(higher) - CENT if higher else HUNDRED
