"""Create, edit, delete and reorder the measures of a plan (the plan's coordinator and admins)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from extensions import db
from models import Measure, MeasurePlan, Rhythm, Unit, User
from workflow.calendar import period_label
from workflow.errors import ValidationFailed
from workflow.measures import fields, history
from workflow.measures.access import get_measure, get_plan, require_manage


@dataclass
class MeasureInput:
    """What the measure form holds; free text is cleaned and checked by the services."""

    title: str
    start_month: date | None
    end_month: date | None
    rhythm: Rhythm | str | None
    indicators: list[int] = field(default_factory=list)
    question_codes: str = ""
    analysis: str = ""
    steps: str = ""
    budget: Decimal | None = None
    no_budget: bool = False
    unit_ids: list[int] = field(default_factory=list)
    person_ids: list[int] = field(default_factory=list)
    follow_up: str = ""
    parent_title: str = ""


# Labels of the edited fields, in the order of the form, for the history's summary.
FIELD_LABELS = {
    "parent_title": "หัวข้อหลัก",
    "indicators": "ตัวชี้วัด",
    "question_codes": "รหัสข้อคำถาม",
    "title": "ชื่อมาตรการ",
    "analysis": "ผลการวิเคราะห์",
    "steps": "วิธีการดำเนินการ",
    "period": "ระยะเวลา",
    "budget": "งบประมาณ",
    "units": "หน่วยงานที่รับผิดชอบ",
    "people": "ผู้รับผิดชอบ",
    "follow_up": "การกำกับติดตาม",
    "rhythm": "ความถี่การรายงาน",
}


def create_measure(plan_id: int, actor: User, data: MeasureInput) -> Measure:
    """Add a measure at the end of the plan."""
    plan = get_plan(plan_id, actor, lock=True)
    require_manage(actor, plan)
    measure = Measure(org_id=plan.org_id, plan_id=plan.id, position=_next_position(plan))
    _apply(measure, _clean(data, plan.org_id))
    db.session.add(measure)
    db.session.flush()
    history.record(measure, actor, history.CREATED)
    db.session.flush()
    return measure


def update_measure(measure_id: int, actor: User, data: MeasureInput) -> Measure:
    """Change a measure's details; the history says which parts changed."""
    measure = get_measure(measure_id, actor, lock=True)
    require_manage(actor, measure.plan)
    before = describe(measure)
    _apply(measure, _clean(data, measure.org_id))
    changes = summarise_changes(before, describe(measure))
    if changes:
        history.record(measure, actor, history.EDITED, changes)
    db.session.flush()
    return measure


def delete_measure(measure_id: int, actor: User) -> MeasurePlan:
    """Remove a measure that has no recorded work yet; returns its plan."""
    measure = get_measure(measure_id, actor, lock=True)
    plan = measure.plan
    require_manage(actor, plan)
    if measure.entries or measure.evidence:
        raise ValidationFailed(
            "มาตรการนี้มีการบันทึกการดำเนินการหรือหลักฐานแล้ว จึงลบไม่ได้"
            " หากไม่ดำเนินการต่อ ให้เปลี่ยนสถานะเป็น “ยกเลิก” พร้อมระบุเหตุผลแทน"
        )
    db.session.delete(measure)
    db.session.flush()
    return plan


def move_measure(measure_id: int, actor: User, direction: str) -> Measure:
    """Swap the measure with its neighbour above ('up') or below ('down') in the plan."""
    if direction not in ("up", "down"):
        raise ValidationFailed("ไม่รู้จักทิศทางการย้าย")
    measure = get_measure(measure_id, actor)
    plan = get_plan(measure.plan_id, actor, lock=True)  # one reorder of a plan at a time
    require_manage(actor, plan)
    ordered = _ordered(plan)
    index = ordered.index(measure)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
        for position, item in enumerate(ordered, start=1):
            item.position = position
    db.session.flush()
    return measure


def describe(measure: Measure) -> dict[str, str]:
    """A measure's editable content as short texts, to compare before and after an edit."""
    return {
        "parent_title": measure.parent_title or "",
        "indicators": ", ".join(str(i) for i in measure.indicators or []),
        "question_codes": ", ".join(measure.question_codes or []),
        "title": measure.title or "",
        "analysis": measure.analysis or "",
        "steps": "\n".join(measure.steps or []),
        "period": period_label(measure.start_month, measure.end_month, False),
        "budget": fields.budget_text(measure.budget),
        "units": ", ".join(u.name for u in sorted(measure.units, key=Unit.sort_key)),
        "people": ", ".join(p.display_name for p in sorted(measure.people, key=lambda p: p.id)),
        "follow_up": measure.follow_up or "",
        "rhythm": measure.rhythm.label if measure.rhythm else "",
    }


def summarise_changes(before: dict[str, str], after: dict[str, str]) -> str:
    """'แก้ไข ชื่อมาตรการ; งบประมาณ: ไม่ใช้งบประมาณ → 12,500.00 บาท' (values for short fields)."""
    parts = []
    for name, label in FIELD_LABELS.items():
        if before[name] == after[name]:
            continue
        if name in ("period", "budget", "units", "rhythm", "indicators"):
            parts.append(f"{label}: {before[name] or '-'} → {after[name] or '-'}")
        else:
            parts.append(label)
    return "; ".join(parts)


def _clean(data: MeasureInput, org_id: int) -> dict:
    """Every field checked in the form's order; the first problem is refused beside its field."""
    cleaned = {
        "parent_title": fields.limited(data.parent_title or "", "parent_title") or None,
        "indicators": fields.parse_indicators(data.indicators),
        "question_codes": fields.parse_codes(data.question_codes),
        "title": fields.limited(fields.required_text(data.title, "title"), "title"),
        "analysis": fields.limited(data.analysis, "analysis"),
        "steps": fields.parse_steps(data.steps),
    }
    cleaned["start_month"], cleaned["end_month"] = fields.check_period(
        data.start_month, data.end_month
    )
    cleaned["budget"] = fields.check_budget(data.budget, data.no_budget)
    cleaned["units"] = _units(data.unit_ids, org_id)
    cleaned["people"] = _people(data.person_ids, org_id)
    cleaned["follow_up"] = fields.limited(data.follow_up, "follow_up")
    cleaned["rhythm"] = _rhythm(data.rhythm)
    return cleaned


def _apply(measure: Measure, cleaned: dict) -> None:
    for name, value in cleaned.items():
        setattr(measure, name, value)


def _units(unit_ids: list[int], org_id: int) -> list[Unit]:
    if not unit_ids:
        raise ValidationFailed("กรุณาเลือกหน่วยงานที่รับผิดชอบอย่างน้อย 1 หน่วยงาน", field="unit_ids")
    stmt = Unit.of_organisation(org_id).where(Unit.id.in_(set(unit_ids)))
    units = list(db.session.scalars(stmt))  # in order, as the measure's units load
    if len(units) != len(set(unit_ids)):
        raise ValidationFailed("หน่วยงานที่เลือกไม่อยู่ในองค์กรนี้", field="unit_ids")
    return units


def _people(person_ids: list[int], org_id: int) -> list[User]:
    if not person_ids:
        return []
    stmt = sa.select(User).where(User.id.in_(set(person_ids)), User.org_id == org_id)
    people = list(db.session.scalars(stmt))
    if len(people) != len(set(person_ids)):
        raise ValidationFailed("ผู้รับผิดชอบที่เลือกไม่อยู่ในองค์กรนี้", field="person_ids")
    return people


def _rhythm(value) -> Rhythm | None:
    if not value:
        return None  # the plan sets no reporting rhythm for it
    try:
        return Rhythm(value)
    except ValueError:
        raise ValidationFailed("กรุณาเลือกความถี่การรายงาน", field="rhythm") from None


def _ordered(plan: MeasurePlan) -> list[Measure]:
    stmt = (
        sa.select(Measure).where(Measure.plan_id == plan.id).order_by(Measure.position, Measure.id)
    )
    return list(db.session.scalars(stmt))


def _next_position(plan: MeasurePlan) -> int:
    stmt = sa.select(sa.func.max(Measure.position)).where(Measure.plan_id == plan.id)
    return (db.session.scalar(stmt) or 0) + 1
