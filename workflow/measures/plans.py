"""The fiscal-year plan: create it, hand it to another coordinator, start it from last year's."""

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from extensions import db
from models import Measure, MeasurePlan, MeasureStatus, User
from workflow.calendar import add_months
from workflow.errors import NotAllowed, ValidationFailed
from workflow.measures import history
from workflow.measures.access import get_plan, plan_of_year, require_manage

PLAN_TITLE = "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {year}"
FIRST_YEAR, LAST_YEAR = 2560, 2700


def create_plan(actor: User, fiscal_year: int) -> MeasurePlan:
    """Start the plan of a fiscal year that has none; its creator becomes its coordinator."""
    if not actor.active:
        raise NotAllowed("บัญชีนี้ถูกระงับการใช้งาน")
    if not FIRST_YEAR <= fiscal_year <= LAST_YEAR:
        raise ValidationFailed(f"ปีงบประมาณต้องอยู่ระหว่าง พ.ศ. {FIRST_YEAR} ถึง {LAST_YEAR}")
    taken = ValidationFailed(f"มีแผนมาตรการของปีงบประมาณ พ.ศ. {fiscal_year} อยู่แล้ว")
    if plan_of_year(actor, fiscal_year) is not None:
        raise taken
    plan = MeasurePlan(
        org_id=actor.org_id,
        fiscal_year=fiscal_year,
        title=PLAN_TITLE.format(year=fiscal_year),
        coordinator_id=actor.id,
    )
    db.session.add(plan)
    try:
        db.session.flush()
    except IntegrityError:  # someone created it a moment ago; the caller rolls back
        raise taken from None
    return plan


def change_coordinator(plan_id: int, actor: User, coordinator_id: int | None) -> MeasurePlan:
    """Hand the plan to another active person of the organisation."""
    plan = get_plan(plan_id, actor, lock=True)
    require_manage(actor, plan)
    person = db.session.get(User, coordinator_id) if coordinator_id else None
    if person is None or person.org_id != plan.org_id or not person.active:
        raise ValidationFailed("กรุณาเลือกผู้ประสานงานจากบุคลากรขององค์กร", field="coordinator_id")
    plan.coordinator_id = person.id
    db.session.flush()
    return plan


def copy_plan(source_plan_id: int, target_plan_id: int, actor: User) -> list[Measure]:
    """Start an empty plan from another year's measures: same content, periods shifted by the
    difference in years, status reset, without progress entries or evidence."""
    target = get_plan(target_plan_id, actor, lock=True)
    require_manage(actor, target)
    source = get_plan(source_plan_id, actor)
    _check_copy(source, target)
    months = 12 * (target.fiscal_year - source.fiscal_year)
    note = f"คัดลอกจากแผนปีงบประมาณ พ.ศ. {source.fiscal_year}"
    copies = [_copy(m, target, months) for m in _measures(source)]
    db.session.add_all(copies)
    db.session.flush()
    for measure in copies:
        history.record(measure, actor, history.CREATED, note)
    db.session.flush()
    return copies


def _check_copy(source: MeasurePlan, target: MeasurePlan) -> None:
    if source.id == target.id:
        raise ValidationFailed("กรุณาเลือกแผนของปีอื่น", field="source_plan_id")
    count = len(_measures(target))
    if count:
        raise ValidationFailed(
            f"แผนปีงบประมาณ พ.ศ. {target.fiscal_year} มีมาตรการอยู่แล้ว {count} รายการ"
            " จึงคัดลอกมาเพิ่มไม่ได้ (การคัดลอกใช้เริ่มแผนที่ยังว่างเท่านั้น)",
            field="source_plan_id",
        )
    if not _measures(source):
        raise ValidationFailed(
            f"แผนปีงบประมาณ พ.ศ. {source.fiscal_year} ยังไม่มีมาตรการให้คัดลอก",
            field="source_plan_id",
        )


def _copy(measure: Measure, target: MeasurePlan, months: int) -> Measure:
    return Measure(
        org_id=target.org_id,
        plan_id=target.id,
        position=measure.position,
        indicators=list(measure.indicators),
        question_codes=list(measure.question_codes),
        title=measure.title,
        parent_title=measure.parent_title,
        analysis=measure.analysis,
        steps=list(measure.steps),
        start_month=add_months(measure.start_month, months) if measure.start_month else None,
        end_month=add_months(measure.end_month, months) if measure.end_month else None,
        budget=measure.budget,
        follow_up=measure.follow_up,
        rhythm=measure.rhythm,
        status=MeasureStatus.NOT_STARTED,
        cancel_reason=None,
        units=list(measure.units),
        people=[p for p in measure.people if p.active],
    )


def _measures(plan: MeasurePlan) -> list[Measure]:
    stmt = (
        sa.select(Measure).where(Measure.plan_id == plan.id).order_by(Measure.position, Measure.id)
    )
    return list(db.session.scalars(stmt))
