"""A measures plan for the demo organisation, built straight from the models.

Times are given in Bangkok (the organisation's clock) and stored in UTC, so a test can put a
status change or an evidence link just before or after a round's end. Each builder opens its
own short app context and commits.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal

import sqlalchemy as sa

import clock
from extensions import db
from models import (
    Evidence,
    Measure,
    MeasureEvent,
    MeasurePlan,
    MeasureStatus,
    ProgressEntry,
    Rhythm,
    Unit,
    User,
)

PLAN_TITLE = "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. 2569"
ETHICS = "ประกาศมาตรฐานจรรยาบรรณพนักงาน"
BUDGET = "รายงานการใช้จ่ายงบประมาณรายไตรมาส"
COMPLAINTS = "เปิดช่องทางร้องเรียนการทุจริตเพิ่มเติม"


@dataclass(frozen=True)
class Plan:
    plan_id: int
    ethics_id: int  # done on 10 Jan 2026, with an entry and evidence before 31 March
    budget_id: int  # in progress by 31 March; done on 5 April, after the round
    complaints_id: int  # no status change: not started


def bangkok(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A Bangkok wall-clock moment as the UTC datetime the database stores."""
    return datetime.combine(day, time(hour, minute), clock.BANGKOK).astimezone(UTC)


def person(username: str) -> User:
    return db.session.scalars(sa.select(User).where(User.username == username)).one()


def unit(org_id: int, name: str) -> Unit:
    return db.session.scalars(sa.select(Unit).where(Unit.org_id == org_id, Unit.name == name)).one()


def make_plan(app, org_id: int, fiscal_year: int = 2569) -> Plan:
    """Three measures in the shape of seed 004's rows, with a history around the 6-month round.

    The demo may already have a plan for the year: it is emptied and refilled, so that the tests
    depend on these rows only.
    """
    with app.app_context():
        drafter = person("nattanipa")
        plan = _empty_plan(org_id, fiscal_year, drafter)
        ethics = _measure(plan, 1, ETHICS, [1], ["i1", "i2"], unit(org_id, "สำนักปลัด"), drafter)
        ethics.steps = ["ประกาศมาตรฐานจรรยาบรรณพนักงาน", "เจ้าหน้าที่ทุกคนปฏิบัติงานตามมาตรฐาน"]
        budget = _measure(plan, 2, BUDGET, [2], ["i6"], unit(org_id, "กองคลัง"), drafter)
        budget.budget = Decimal("50000")
        complaints = _measure(
            plan,
            3,
            COMPLAINTS,
            [10],
            ["O25"],
            unit(org_id, "สำนักปลัด"),
            drafter,
            rhythm=Rhythm.SEMIANNUAL,
        )
        db.session.flush()
        _status(ethics, drafter, MeasureStatus.IN_PROGRESS, bangkok(date(2025, 11, 1)))
        _status(ethics, drafter, MeasureStatus.DONE, bangkok(date(2026, 1, 10)))
        _entry(ethics, drafter, date(2026, 1, 10), "สำนักปลัดประกาศมาตรฐานจรรยาบรรณพนักงานแล้ว")
        _evidence(
            ethics,
            drafter,
            "ประกาศมาตรฐานจรรยาบรรณ",
            "https://srisuk.go.th/ethics",
            bangkok(date(2026, 1, 11)),
        )
        _status(budget, drafter, MeasureStatus.IN_PROGRESS, bangkok(date(2026, 2, 1)))
        _entry(budget, drafter, date(2026, 2, 15), "รายงานการใช้จ่ายไตรมาสที่ 1 ต่อผู้บริหาร")
        _status(budget, drafter, MeasureStatus.DONE, bangkok(date(2026, 4, 5)))
        _entry(budget, drafter, date(2026, 4, 5), "รายงานการใช้จ่ายไตรมาสที่ 2 ต่อผู้บริหาร")
        _evidence(
            budget,
            drafter,
            "รายงานไตรมาส 2",
            "https://srisuk.go.th/budget-q2",
            bangkok(date(2026, 4, 6)),
        )
        db.session.commit()
        return Plan(plan.id, ethics.id, budget.id, complaints.id)


def empty_plan(app, org_id: int, fiscal_year: int = 2569) -> int:
    """The year's plan with no measures at all."""
    with app.app_context():
        plan = _empty_plan(org_id, fiscal_year, person("nattanipa"))
        db.session.commit()
        return plan.id


def no_plan(app, org_id: int, fiscal_year: int = 2569) -> None:
    """Take away the year's plan (the demo's, if it made one)."""
    with app.app_context():
        plan = _empty_plan(org_id, fiscal_year, person("nattanipa"))
        db.session.delete(plan)
        db.session.commit()


def _empty_plan(org_id: int, fiscal_year: int, coordinator: User) -> MeasurePlan:
    stmt = sa.select(MeasurePlan).where(
        MeasurePlan.org_id == org_id, MeasurePlan.fiscal_year == fiscal_year
    )
    plan = db.session.scalars(stmt).one_or_none()
    if plan is None:
        plan = MeasurePlan(org_id=org_id, fiscal_year=fiscal_year, title=PLAN_TITLE)
        db.session.add(plan)
    for measure in list(plan.measures):
        db.session.delete(measure)  # entries and evidence go with it; events by ON DELETE CASCADE
    plan.title, plan.coordinator_id = PLAN_TITLE, coordinator.id
    db.session.flush()
    return plan


def add_entry(
    app,
    measure_id: int,
    day: date,
    text: str,
    username: str = "nattanipa",
    recorded: datetime | None = None,
) -> int:
    with app.app_context():
        entry = _entry(db.session.get(Measure, measure_id), person(username), day, text, recorded)
        db.session.commit()
        return entry.id


def set_status(
    app, measure_id: int, status: MeasureStatus, when: datetime, username: str = "nattanipa"
) -> None:
    with app.app_context():
        _status(db.session.get(Measure, measure_id), person(username), status, when)
        db.session.commit()


def _measure(
    plan, position, title, indicators, codes, owner_unit, owner, rhythm=Rhythm.QUARTERLY
) -> Measure:
    measure = Measure(
        org_id=plan.org_id,
        plan_id=plan.id,
        position=position,
        indicators=indicators,
        question_codes=codes,
        title=title,
        steps=[],
        start_month=date(2025, 10, 1),
        end_month=date(2026, 9, 1),
        follow_up="รายงานผู้บริหารทุกไตรมาส",
        rhythm=rhythm,
        units=[owner_unit],
        people=[owner],
    )
    db.session.add(measure)
    return measure


def _status(measure: Measure, actor: User, status: MeasureStatus, when: datetime) -> None:
    db.session.add(
        MeasureEvent(
            measure_id=measure.id,
            kind="status",
            old_status=measure.status,
            new_status=status,
            actor_id=actor.id,
            actor_name=actor.display_name,
            created_at=when,
            effective_date=clock.local(when).date(),
        )
    )
    measure.status = status
    measure.cancel_reason = "ยกเลิกตามมติผู้บริหาร" if status == MeasureStatus.CANCELLED else None


def _entry(
    measure: Measure, actor: User, day: date, text: str, recorded: datetime | None = None
) -> ProgressEntry:
    """An entry recorded on the day it happened, unless `recorded` says it was typed later."""
    entry = ProgressEntry(
        measure_id=measure.id,
        entry_date=day,
        text=text,
        author_id=actor.id,
        created_at=recorded or bangkok(day, 16),
    )
    db.session.add(entry)
    return entry


def _evidence(measure: Measure, actor: User, title: str, url: str, when: datetime) -> None:
    db.session.add(
        Evidence(measure_id=measure.id, url=url, title=title, added_by_id=actor.id, added_at=when)
    )
