"""Checks and clean-up of what users type into a measure; each refusal names its form field."""

import re
from datetime import date
from decimal import Decimal

import thai
from models import Organisation
from workflow.errors import ValidationFailed

INDICATORS = {
    1: "การปฏิบัติหน้าที่",
    2: "การใช้งบประมาณ",
    3: "การใช้อำนาจ",
    4: "การใช้ทรัพย์สินของราชการ",
    5: "การแก้ไขปัญหาการทุจริต",
    6: "คุณภาพการดำเนินงาน",
    7: "ประสิทธิภาพการสื่อสาร",
    8: "การปรับปรุงการทำงาน",
    9: "การเปิดเผยข้อมูล",
    10: "การป้องกันการทุจริต",
}
LIMITS = {"parent_title": 500, "title": 500, "analysis": 5_000, "steps": 5_000, "follow_up": 1_000}
MAX_BUDGET = Decimal("999999999999.99")  # Numeric(14, 2)
MAX_CODES = 40

_CODE = re.compile(r"^[A-Za-z]{1,3}[0-9]{1,3}$")
_CODE_SEPARATORS = re.compile(r"[,\s]+")
_STEP_MARKER = re.compile(r"^\s*(?:[0-9]{1,2}\s*[.)](?![0-9])|[-•*])\s*")


def required_text(value: str, field: str, message: str = "กรุณากรอกข้อมูลช่องนี้") -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(message, field=field)
    return value


def limited(value: str, field: str) -> str:
    value = thai.to_arabic_digits((value or "").strip())
    limit = LIMITS[field]
    if len(value) > limit:
        raise ValidationFailed(f"ยาวได้ไม่เกิน {limit:,} ตัวอักษร", field=field)
    return value


def parse_indicators(values: list[int]) -> list[int]:
    """ITA indicators 1-10, without repeats, in order."""
    if any(v not in INDICATORS for v in values):
        raise ValidationFailed("ตัวชี้วัดต้องเป็นหมายเลข 1 ถึง 10", field="indicators")
    return sorted(set(values))


def parse_codes(text: str) -> list[str]:
    """Question codes such as 'i10, e7 O20' (Thai digits accepted) as a list without repeats."""
    codes: list[str] = []
    for code in _CODE_SEPARATORS.split(thai.to_arabic_digits(text or "").strip()):
        if not code:
            continue
        if not _CODE.match(code):
            raise ValidationFailed(
                f"รหัสข้อคำถาม “{code}” ไม่ถูกต้อง ให้พิมพ์ตัวอักษรตามด้วยตัวเลข เช่น i10, e7, O20"
                " คั่นด้วยจุลภาคหรือเว้นวรรค",
                field="question_codes",
            )
        if code not in codes:
            codes.append(code)
    if len(codes) > MAX_CODES:
        raise ValidationFailed(f"ระบุรหัสข้อคำถามได้ไม่เกิน {MAX_CODES} รหัส", field="question_codes")
    return codes


def parse_steps(text: str) -> list[str]:
    """One step per line; blank lines and typed numbering ('1.', '-', '•') are dropped."""
    limited(text, "steps")
    lines = thai.to_arabic_digits(text or "").splitlines()
    return [_STEP_MARKER.sub("", line, count=1).strip() for line in lines if line.strip()]


def check_period(start: date | None, end: date | None) -> tuple[date | None, date | None]:
    """Both months, or neither (the plan gives no period: the measure runs its fiscal year)."""
    if start is None and end is None:
        return None, None
    if start is None:
        raise ValidationFailed("กรุณาเลือกเดือนเริ่มต้น หรือเว้นว่างทั้งสองช่อง", field="start_month")
    if end is None:
        raise ValidationFailed("กรุณาเลือกเดือนสิ้นสุด หรือเว้นว่างทั้งสองช่อง", field="end_month")
    start, end = start.replace(day=1), end.replace(day=1)
    if end < start:
        raise ValidationFailed("เดือนสิ้นสุดต้องไม่ก่อนเดือนเริ่มต้น", field="end_month")
    return start, end


def check_budget(budget: Decimal | None, no_budget: bool) -> Decimal | None:
    """The budget in baht, or None for ไม่ใช้งบประมาณ."""
    if no_budget:
        if budget is not None:
            raise ValidationFailed(
                "เลือก “ไม่ใช้งบประมาณ” แล้ว กรุณาลบจำนวนเงินออก หรือยกเลิกการเลือกนั้น",
                field="budget",
            )
        return None
    if budget is None:
        return None  # not stated: printed as the organisation's setting says
    if budget < 0:
        raise ValidationFailed("งบประมาณต้องไม่ติดลบ", field="budget")
    if budget > MAX_BUDGET:
        raise ValidationFailed("งบประมาณสูงเกินกว่าที่ระบบรองรับ", field="budget")
    if budget != budget.quantize(Decimal("0.01")):
        raise ValidationFailed("งบประมาณมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง (สตางค์)", field="budget")
    return budget.quantize(Decimal("0.01"))


NO_BUDGET = "ไม่ใช้งบประมาณ"


def no_budget_text(org: Organisation | None) -> str:
    """What a measure with no budget prints: "ไม่ใช้งบประมาณ" or nothing, as the organisation
    chooses (the one place pages, exports and reports take it from)."""
    return NO_BUDGET if org is None or org.print_no_budget else ""


def budget_text(budget: Decimal | None) -> str:
    """'12,500.50 บาท' or 'ไม่ใช้งบประมาณ' (Arabic digits; pages convert per setting)."""
    if budget is None:
        return "ไม่ใช้งบประมาณ"
    return f"{budget:,.2f} บาท"
