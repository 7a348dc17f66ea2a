"""Reading a catalogue from its file data, refusing anything malformed with the line and the reason.

The data is what `workflow.ita.store` parsed from YAML (mappings that know their lines) or the
stored copy (plain dicts, no lines). Every refusal is a CatalogueError with a Thai message.
"""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

import thai
from workflow.errors import ValidationFailed
from workflow.ita.catalogue import (
    Catalogue,
    Indicator,
    Level,
    Provisional,
    Publishes,
    Question,
    SubIndicator,
    Tool,
)

TOP_KEYS = {
    "fiscal_year",
    "title",
    "criteria_announced_on",
    "results_announced_on",
    "pass_line",
    "excellent_line",
    "rules",
    "tools",
    "indicators",
    "sub_indicators",
    "questions",
    "levels",
    "status",
    "provisional",
    "publishes",
    "previous_items",
}
DOCUMENTS = {"analysis", "annual_report"}  # what of the product an OIT item can publish
TOOL_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")
QUESTION_CODE = re.compile(r"^[A-Za-z]{1,3}[0-9]{1,3}$")
SUB_CODE = re.compile(r"^([0-9]{1,2})\.[0-9]{1,2}$")
KNOWN_RULES = {"tool_from_indicators": {"mean"}, "indicator_from_parts": {"mean"}}
RESERVED_CODES = {"ITA"}  # the overall score's key in forms and CSV files


class CatalogueError(ValidationFailed):
    """A malformed catalogue: `line` (1-based, None when unknown) and `reason`."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(f"บรรทัดที่ {line}: {reason}" if line else reason, field="file")
        self.line, self.reason = line, reason


class Part:
    """One mapping of the file, read with types; a refusal names the line of the key."""

    def __init__(self, value, what: str, line: int | None):
        if not isinstance(value, dict):
            raise CatalogueError(f"{what or 'ไฟล์'} ต้องเขียนเป็นชุด “หัวข้อ: ค่า”", line)
        self.data, self.what = value, what
        self.line = getattr(value, "line", None) or line

    def line_of(self, key: str) -> int | None:
        return getattr(self.data, "key_lines", {}).get(key, self.line)

    def check_keys(self, allowed: set[str], required: set[str]) -> None:
        for key in self.data:
            if key not in allowed:
                raise self.fail(key, f"ไม่รู้จักหัวข้อ “{key}”")
        for key in sorted(required):
            if key not in self.data:
                raise self.fail(None, f"ไม่มีหัวข้อ “{key}”")

    def fail(self, key: str | None, reason: str) -> CatalogueError:
        """A refusal at the key's line, saying where in the file (the top needs no saying)."""
        line = self.line_of(key) if key is not None else self.line
        return CatalogueError(f"{self.what}: {reason}" if self.what else reason, line)

    def text(self, key: str, limit: int = 300, required: bool = True) -> str:
        value = self.data.get(key)
        if value in (None, "") and not required:
            return ""
        if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
            raise self.fail(key, f"“{key}” ต้องเป็นข้อความที่ไม่ว่าง")
        value = " ".join(thai.to_arabic_digits(str(value)).split())
        if len(value) > limit:
            raise self.fail(key, f"“{key}” ยาวเกิน {limit:,} ตัวอักษร")
        return value

    def integer(self, key: str, low: int, high: int) -> int:
        value = self.data.get(key)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise self.fail(key, f"“{key}” ต้องเป็นจำนวนเต็มตั้งแต่ {low} ถึง {high}")
        return value

    def number(self, key: str, low: Decimal, high: Decimal, required: bool = True):
        value = self.data.get(key)
        if value is None and not required:
            return None
        try:
            if isinstance(value, bool) or value is None:
                raise InvalidOperation
            number = Decimal(thai.to_arabic_digits(str(value)).strip())
        except InvalidOperation:
            raise self.fail(key, f"“{key}” ต้องเป็นตัวเลข") from None
        if not number.is_finite() or not low <= number <= high:
            raise self.fail(key, f"“{key}” ต้องอยู่ระหว่าง {low} ถึง {high}")
        return number

    def flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(key, f"“{key}” ต้องเป็น true หรือ false")
        return value

    def day(self, key: str) -> date | None:
        value = self.data.get(key)
        if value is None or isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise self.fail(key, f"“{key}” ต้องเป็นวันที่แบบ ค.ศ. ปี-เดือน-วัน เช่น 2025-08-15") from None

    def parts(self, key: str, what: str, required: bool = True) -> list["Part"]:
        """The mappings listed under `key`."""
        value = self.data.get(key)
        if value is None and not required:
            return []
        if not isinstance(value, list) or (required and not value):
            raise self.fail(key, f"“{key}” ต้องเป็นรายการที่มีอย่างน้อยหนึ่งรายการ")
        return [
            Part(item, f"{what} รายการที่ {n}", self.line_of(key))
            for n, item in enumerate(value, start=1)
        ]

    def numbers(self, key: str) -> tuple[int, ...]:
        value = self.data.get(key)
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        ):
            raise self.fail(key, f"“{key}” ต้องเป็นรายการหมายเลขตัวชี้วัด เช่น [1, 2, 3]")
        if len(set(value)) != len(value):
            raise self.fail(key, f"“{key}” มีหมายเลขซ้ำ")
        return tuple(value)


def read_catalogue(data, source: str = "") -> Catalogue:
    """The catalogue in `data`, or CatalogueError naming the first problem found."""
    top = Part(data, "", 1)
    top.check_keys(TOP_KEYS, {"fiscal_year", "tools", "indicators", "levels"})
    _check_rules(top)
    indicators = _indicators(top)
    tools = _tools(top, {i.number for i in indicators})
    subs = _sub_indicators(top, {i.number for i in indicators})
    questions = _questions(top, {i.number for i in indicators}, subs, {t.code for t in tools})
    pass_line = top.number("pass_line", Decimal(0), Decimal(100), required=False) or Decimal(85)
    excellent = top.number("excellent_line", Decimal(0), Decimal(100), required=False)
    excellent = excellent or Decimal(95)
    if pass_line >= excellent:
        raise top.fail("excellent_line", "“excellent_line” ต้องสูงกว่า “pass_line”")
    fiscal_year = top.integer("fiscal_year", 2500, 2700)
    return Catalogue(
        fiscal_year=fiscal_year,
        title=top.text("title", required=False) or "",
        tools=tools,
        indicators=indicators,
        levels=_levels(top),
        sub_indicators=subs,
        questions=questions,
        pass_line=pass_line,
        excellent_line=excellent,
        criteria_announced_on=top.day("criteria_announced_on"),
        results_announced_on=top.day("results_announced_on"),
        source=source,
        provisional=_provisional(top),
        publishes=_publishes(top, fiscal_year, questions),
        previous_items=_previous_items(top, questions),
    )


def _provisional(top: Part) -> tuple[Provisional, ...]:
    """`status: provisional` and the list of unverified parts with their sources."""
    status = top.data.get("status", "official")
    if status not in ("official", "provisional"):
        raise top.fail("status", "“status” ต้องเป็น official หรือ provisional")
    parts = []
    for part in top.parts("provisional", "ส่วนที่ยังไม่ยืนยัน", required=False):
        part.check_keys({"part", "source"}, {"part", "source"})
        parts.append(Provisional(part.text("part"), part.text("source", 1000)))
    if status == "provisional" and not parts:
        raise top.fail("provisional", "แคตตาล็อกฉบับร่างต้องระบุส่วนที่ยังไม่ยืนยันและแหล่งที่มา")
    if status == "official" and parts:
        raise top.fail("status", "ไฟล์ที่มีส่วนที่ยังไม่ยืนยันต้องระบุ status: provisional")
    return tuple(parts)


def _publishes(top: Part, year: int, questions) -> tuple[Publishes, ...]:
    found: dict[str, Publishes] = {}
    for part in top.parts("publishes", "เอกสารที่เผยแพร่", required=False):
        part.check_keys({"document", "item", "from_year"}, {"document", "item", "from_year"})
        document, item = part.text("document", 20), part.text("item", 10)
        if document not in DOCUMENTS:
            raise part.fail("document", f"“document” ต้องเป็น {' หรือ '.join(sorted(DOCUMENTS))}")
        if document in found:
            raise part.fail("document", f"เอกสาร {document} ซ้ำ")
        if not QUESTION_CODE.match(item):
            raise part.fail("item", f"รหัสข้อ “{item}” ไม่ถูกต้อง")
        same_kind = {q.code for q in questions if q.code[0] == item[0]}
        if same_kind and item not in same_kind:
            raise part.fail("item", f"ไม่มีข้อ {item} ในหัวข้อ questions")
        found[document] = Publishes(document, item, part.integer("from_year", year - 2, year))
    return tuple(found.values())


def _previous_items(top: Part, questions) -> dict[str, tuple[str, ...]] | None:
    """{item: (previous year's items)}: an item absent from the mapping is new this year."""
    if "previous_items" not in top.data:
        return None
    mapping = Part(top.data["previous_items"], "previous_items", top.line_of("previous_items"))
    codes = {q.code for q in questions}
    found = {}
    for code, value in mapping.data.items():
        if str(code) not in codes:
            raise mapping.fail(code, f"ไม่มีข้อ {code} ในหัวข้อ questions")
        value = [value] if isinstance(value, str) else value
        if not isinstance(value, list) or not all(
            isinstance(v, str) and QUESTION_CODE.match(v) for v in value
        ):
            raise mapping.fail(code, f"ข้อ {code} ต้องระบุรหัสข้อของปีก่อน เช่น [O21, O22]")
        found[str(code)] = tuple(value)
    return found


def _check_rules(top: Part) -> None:
    if "rules" not in top.data:
        return
    rules = Part(top.data["rules"], "rules", top.line_of("rules"))
    rules.check_keys(set(KNOWN_RULES), set())
    for key, allowed in KNOWN_RULES.items():
        if key in rules.data and rules.data[key] not in allowed:
            raise rules.fail(key, f"“{key}” รองรับเฉพาะ {', '.join(sorted(allowed))}")


def _indicators(top: Part) -> tuple[Indicator, ...]:
    found: dict[int, Indicator] = {}
    for part in top.parts("indicators", "ตัวชี้วัด"):
        part.check_keys({"number", "name", "suggestion"}, {"number", "name"})
        number = part.integer("number", 1, 99)
        if number in found:
            raise part.fail("number", f"ตัวชี้วัดที่ {number} ซ้ำ")
        found[number] = Indicator(number, part.text("name"), _suggestion(part))
    return tuple(found.values())


def _tools(top: Part, indicators: set[int]) -> tuple[Tool, ...]:
    tools: dict[str, Tool] = {}
    keys = {
        "code",
        "name",
        "short",
        "weight",
        "indicators",
        "group",
        "group_name",
        "indicator_from_questions",
    }
    for part in top.parts("tools", "เครื่องมือ"):
        part.check_keys(keys, {"code", "name", "weight", "indicators"})
        code = part.text("code", 10)
        if not TOOL_CODE.match(code) or code in RESERVED_CODES:
            raise part.fail(
                "code", f"รหัสเครื่องมือ “{code}” ต้องเป็นอักษรภาษาอังกฤษตัวใหญ่/ตัวเลข 2-10 ตัว และไม่ใช่ ITA"
            )
        if code in tools:
            raise part.fail("code", f"รหัสเครื่องมือ {code} ซ้ำ")
        numbers = part.numbers("indicators")
        if unknown := [n for n in numbers if n not in indicators]:
            raise part.fail("indicators", f"ไม่มีตัวชี้วัดที่ {unknown[0]} ในหัวข้อ indicators")
        tools[code] = Tool(
            code=code,
            name=part.text("name"),
            short=part.text("short", 50, required=False) or code,
            weight=part.number("weight", Decimal("0.0001"), Decimal(1)),
            indicators=numbers,
            group=part.text("group", 10, required=False),
            group_name=part.text("group_name", required=False),
            indicator_from_questions=part.flag("indicator_from_questions"),
        )
    total = sum(t.weight for t in tools.values())
    if total != 1:
        raise top.fail("tools", f"น้ำหนักของเครื่องมือรวมกันได้ {total} ต้องรวมกันได้ 1 พอดี")
    if unscored := sorted(indicators - {n for t in tools.values() for n in t.indicators}):
        raise top.fail("tools", f"ตัวชี้วัดที่ {unscored[0]} ไม่อยู่ในเครื่องมือใดเลย")
    return tuple(tools.values())


def _sub_indicators(top: Part, indicators: set[int]) -> tuple[SubIndicator, ...]:
    found: dict[str, SubIndicator] = {}
    for part in top.parts("sub_indicators", "ตัวชี้วัดย่อย", required=False):
        part.check_keys({"code", "indicator", "name", "suggestion"}, {"code", "indicator", "name"})
        if not isinstance(part.data.get("code"), str):
            raise part.fail("code", 'รหัสตัวชี้วัดย่อยต้องอยู่ในเครื่องหมายคำพูด เช่น "9.1"')
        code, number = part.text("code", 10), part.integer("indicator", 1, 99)
        match = SUB_CODE.match(code)
        if not match or int(match[1]) != number:
            raise part.fail("code", f"รหัสตัวชี้วัดย่อย “{code}” ต้องขึ้นต้นด้วยหมายเลขตัวชี้วัด เช่น {number}.1")
        if number not in indicators:
            raise part.fail("indicator", f"ไม่มีตัวชี้วัดที่ {number} ในหัวข้อ indicators")
        if code in found:
            raise part.fail("code", f"รหัสตัวชี้วัดย่อย {code} ซ้ำ")
        found[code] = SubIndicator(code, number, part.text("name"), _suggestion(part))
    return tuple(found.values())


def _questions(top: Part, indicators: set[int], subs, tool_codes: set[str]) -> tuple[Question, ...]:
    found: dict[str, Question] = {}
    taken = {c.lower() for c in tool_codes | RESERVED_CODES}
    keys = {"code", "indicator", "text", "sub_indicator", "suggestion", "provisional"}
    for part in top.parts("questions", "ข้อคำถาม", required=False):
        part.check_keys(keys, {"code", "indicator", "text"})
        code, number = part.text("code", 10), part.integer("indicator", 1, 99)
        if not QUESTION_CODE.match(code):
            raise part.fail(
                "code", f"รหัสข้อคำถาม “{code}” ต้องเป็นอักษรภาษาอังกฤษ 1-3 ตัวตามด้วยตัวเลข เช่น i1 หรือ O28"
            )
        if code.lower() in taken or code.lower() in {c.lower() for c in found}:
            raise part.fail("code", f"รหัสข้อคำถาม {code} ซ้ำกับรหัสที่มีอยู่แล้ว")
        if number not in indicators:
            raise part.fail("indicator", f"ไม่มีตัวชี้วัดที่ {number} ในหัวข้อ indicators")
        sub = part.text("sub_indicator", 10, required=False)
        if sub and not any(s.code == sub and s.indicator == number for s in subs):
            raise part.fail("sub_indicator", f"ไม่มีตัวชี้วัดย่อย {sub} ของตัวชี้วัดที่ {number}")
        provisional = part.text("provisional", 1000, required=False)
        found[code] = Question(
            code, number, part.text("text", 1000), sub, _suggestion(part), provisional
        )
    return tuple(found.values())


def _levels(top: Part) -> tuple[Level, ...]:
    levels: list[Level] = []
    for part in top.parts("levels", "ระดับผลการประเมิน"):
        part.check_keys({"name", "min", "every_tool_min"}, {"name", "min"})
        name = part.text("name", 50)
        level = Level(
            name=name,
            min=part.number("min", Decimal(0), Decimal(100)),
            every_tool_min=part.number("every_tool_min", Decimal(0), Decimal(100), required=False),
        )
        if any(lv.name == name for lv in levels):
            raise part.fail("name", f"ระดับ “{name}” ซ้ำ")
        if levels and level.min > levels[-1].min:
            raise part.fail("min", "ให้เรียงระดับจากคะแนนสูงไปต่ำ")
        if levels and level.min == levels[-1].min and levels[-1].every_tool_min is None:
            raise part.fail(
                "min", f"ระดับ “{name}” ไม่มีทางได้ เพราะระดับก่อนหน้ามีคะแนนขั้นต่ำเท่ากันและไม่มีเงื่อนไข"
            )
        levels.append(level)
    if levels[-1].min != 0:
        raise top.fail("levels", "ระดับสุดท้ายต้องมีคะแนนขั้นต่ำ (min) เป็น 0 เพื่อให้ทุกคะแนนมีระดับ")
    return tuple(levels)


def _suggestion(part: Part) -> str:
    return part.text("suggestion", 2000, required=False)
