"""Who may see and change a plan or a measure. Everything is scoped to the user's organisation:
another organisation's plan or measure does not exist for them."""

import sqlalchemy as sa

from extensions import db
from models import Measure, MeasurePlan, User
from workflow.errors import NotAllowed, NotFound


def get_plan(plan_id: int, user: User, *, lock: bool = False) -> MeasurePlan:
    """A plan of the user's organisation (locked for update when asked)."""
    stmt = sa.select(MeasurePlan).where(MeasurePlan.id == plan_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    plan = db.session.scalars(stmt).one_or_none()
    if plan is None or plan.org_id != user.org_id:
        raise NotFound("ไม่พบแผนมาตรการนี้")
    return plan


def plan_of_year(user: User, fiscal_year: int) -> MeasurePlan | None:
    """The user's organisation's plan of a fiscal year, if there is one."""
    stmt = sa.select(MeasurePlan).where(
        MeasurePlan.org_id == user.org_id, MeasurePlan.fiscal_year == fiscal_year
    )
    return db.session.scalars(stmt).one_or_none()


def plans_of(user: User) -> list[MeasurePlan]:
    """Every plan of the user's organisation, newest year first."""
    stmt = (
        sa.select(MeasurePlan)
        .where(MeasurePlan.org_id == user.org_id)
        .order_by(MeasurePlan.fiscal_year.desc())
    )
    return list(db.session.scalars(stmt))


def get_measure(measure_id: int, user: User, *, lock: bool = False) -> Measure:
    """A measure of the user's organisation (locked for update when asked)."""
    stmt = sa.select(Measure).where(Measure.id == measure_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    measure = db.session.scalars(stmt).one_or_none()
    if measure is None or measure.org_id != user.org_id:
        raise NotFound("ไม่พบมาตรการนี้")
    return measure


def can_manage(user: User, plan: MeasurePlan) -> bool:
    """The plan's coordinator and the organisation's admins shape the plan."""
    if plan.org_id != user.org_id or not user.active:
        return False
    return user.is_admin or plan.coordinator_id == user.id


def can_report(user: User, measure: Measure) -> bool:
    """Responsible people, members of responsible units, the coordinator and admins report."""
    if measure.org_id != user.org_id or not user.active:
        return False
    if can_manage(user, measure.plan):
        return True
    if any(person.id == user.id for person in measure.people):
        return True
    return user.unit_id is not None and any(unit.id == user.unit_id for unit in measure.units)


def require_manage(user: User, plan: MeasurePlan) -> None:
    if plan.org_id != user.org_id:
        raise NotFound("ไม่พบแผนมาตรการนี้")
    if not can_manage(user, plan):
        who = plan.coordinator.display_name if plan.coordinator else "ผู้ประสานงานของแผน"
        raise NotAllowed(f"เฉพาะผู้ประสานงานของแผน ({who}) หรือผู้ดูแลระบบขององค์กรเท่านั้นที่ทำรายการนี้ได้")


def require_report(user: User, measure: Measure) -> None:
    if measure.org_id != user.org_id:
        raise NotFound("ไม่พบมาตรการนี้")
    if not can_report(user, measure):
        raise NotAllowed(
            "เฉพาะผู้รับผิดชอบมาตรการนี้ บุคลากรของหน่วยงานที่รับผิดชอบ ผู้ประสานงานของแผน"
            " หรือผู้ดูแลระบบเท่านั้นที่บันทึกการดำเนินการ หลักฐาน หรือสถานะได้"
        )


def can_remove(user: User, measure: Measure, owner_id: int) -> bool:
    """An entry or evidence is removed by whoever added it, the coordinator or an admin."""
    return can_report(user, measure) and (owner_id == user.id or can_manage(user, measure.plan))
