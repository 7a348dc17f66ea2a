"""Builders and page readers shared by the measures tests (this module holds no tests).

Each builder that takes `app` opens its own short app context and commits, so a test can use
the client afterwards without sharing a context with it.
"""

import html as html_lib
import re
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

import demo
from extensions import db
from models import (
    Evidence,
    Measure,
    MeasureEvent,
    MeasurePlan,
    Organisation,
    OrgKind,
    ProgressEntry,
    Rhythm,
    Unit,
    User,
)
from workflow import measures

ASSET_MEASURE = 0  # seed 000's first measure: กองคลัง only, done, with two entries and evidence
DISCLOSURE_MEASURE = 1  # กองคลัง only, in progress, monthly
BUDGET_MEASURE = 3  # สำนักปลัด and กองคลัง, not started
SEED_YEAR = 2569


def field_error(page: str, field_id: str) -> str | None:
    """The error shown beside a form field, as the `field` and `checkboxes` macros render it."""
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">([^<]*)</p>', page)
    return html_lib.unescape(match.group(1)) if match else None


def text_of(response) -> str:
    return html_lib.unescape(response.get_data(as_text=True))


def plain(page: str) -> str:
    """What a reader sees: tags dropped, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def user_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(User.id).where(User.username == username))


def plan_id(app, fiscal_year: int = SEED_YEAR, org_id: int | None = None) -> int | None:
    with app.app_context():
        stmt = sa.select(MeasurePlan.id).where(MeasurePlan.fiscal_year == fiscal_year)
        if org_id is not None:
            stmt = stmt.where(MeasurePlan.org_id == org_id)
        return db.session.scalars(stmt).first()


def measure_ids(app, fiscal_year: int = SEED_YEAR) -> list[int]:
    """The measures of the demo's plan of a year, in the plan's order."""
    with app.app_context():
        stmt = (
            sa.select(Measure.id)
            .join(MeasurePlan)
            .where(MeasurePlan.fiscal_year == fiscal_year)
            .where(MeasurePlan.org_id == _srisuk_id())
            .order_by(Measure.position, Measure.id)
        )
        return list(db.session.scalars(stmt))


def measure(app, measure_id: int) -> Measure:
    """A detached copy of a measure with its units, people, entries and evidence loaded."""
    with app.app_context():
        item = db.session.get(Measure, measure_id)
        _ = (item.units, item.people, item.entries, item.evidence, item.plan)
        db.session.expunge_all()
        return item


def counts(app, measure_id: int) -> tuple[int, int, int]:
    """(entries, evidence, history rows) of a measure."""
    with app.app_context():
        return tuple(
            db.session.scalar(
                sa.select(sa.func.count()).select_from(model).where(model.measure_id == measure_id)
            )
            for model in (ProgressEntry, Evidence, MeasureEvent)
        )


def events(app, measure_id: int) -> list[MeasureEvent]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(MeasureEvent)
            .where(MeasureEvent.measure_id == measure_id)
            .order_by(MeasureEvent.id)
        ).all()
        db.session.expunge_all()
        return list(rows)


def make_person(app, username: str, unit_name: str | None, full_name: str = "สมชาย ใจดี") -> int:
    """A person of อบต.ศรีสุข in a unit (None: no unit), with the demo password."""
    with app.app_context():
        unit = (
            db.session.scalar(sa.select(Unit).where(Unit.name == unit_name)) if unit_name else None
        )
        person = User(
            org_id=_srisuk_id(),
            username=username,
            title="นาย",
            full_name=full_name,
            unit_id=unit.id if unit else None,
        )
        person.set_password(demo.PASSWORD)
        db.session.add(person)
        db.session.commit()
        return person.id


@dataclass
class OtherOrg:
    """Another organisation with a plan, a measure, an entry and evidence: never visible here."""

    org_id: int
    plan_id: int
    measure_id: int
    entry_id: int
    evidence_id: int


def other_organisation(app) -> OtherOrg:
    with app.app_context():
        org = Organisation(name="เทศบาลตำบลทดสอบ", kind=OrgKind.MUNICIPALITY)
        unit = Unit(organisation=org, name="สำนักปลัด")
        boss = User(
            organisation=org,
            username="other_admin",
            title="นาย",
            full_name="ผู้ดูแล อื่น",
            unit=unit,
            is_admin=True,
        )
        boss.set_password(demo.PASSWORD)
        db.session.add_all([org, unit, boss])
        db.session.flush()
        plan = measures.create_plan(boss, SEED_YEAR)
        item = measures.create_measure(
            plan.id,
            boss,
            measures.MeasureInput(
                title="มาตรการของเทศบาลอื่น",
                start_month=date(2025, 10, 1),
                end_month=date(2026, 9, 1),
                rhythm=Rhythm.QUARTERLY,
                no_budget=True,
                unit_ids=[unit.id],
            ),
        )
        measures.record_progress(
            item.id,
            boss,
            measures.ProgressInput(
                entry_date=date(2025, 11, 1),
                text="ดำเนินการแล้ว",
                url="https://other.example.go.th/ita",
                title="หลักฐานอื่น",
            ),
        )
        entry_id = db.session.scalar(
            sa.select(ProgressEntry.id).where(ProgressEntry.measure_id == item.id)
        )
        evidence_id = db.session.scalar(
            sa.select(Evidence.id).where(Evidence.measure_id == item.id)
        )
        db.session.commit()
        return OtherOrg(org.id, plan.id, item.id, entry_id, evidence_id)


def measure_form(units: list[int], **changes) -> dict:
    """A complete, valid measure form as the browser posts it."""
    data = {
        "indicators": ["4"],
        "question_codes": "i10, i11",
        "title": "มาตรการทดสอบการยืมพัสดุ",
        "analysis": "ได้รับคะแนน 76.31 คะแนน",
        "steps": "1. จัดทำคู่มือ\n2. ประชาสัมพันธ์",
        "start_month": "2025-10-01",
        "end_month": "2026-09-01",
        "budget": "",
        "no_budget": "y",
        "unit_ids": [str(u) for u in units],
        "person_ids": [],
        "follow_up": "รายงานผู้บริหารทุกไตรมาส",
        "rhythm": "quarterly",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def unit_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(Unit.id).where(Unit.name == name))


def _srisuk_id() -> int:
    return db.session.scalar(sa.select(Organisation.id).where(Organisation.name == demo.ORG_NAME))
