"""Helpers shared by the admin tests (no tests here; the name keeps it with the admin tests).

`other_org` builds a second organisation with one record of every kind, so tests can check
that an admin of อบต.ศรีสุข cannot reach them; `snapshot` reads every table, so a refused
request can be shown to have changed nothing.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from support.client import login

import clock
import thai
from extensions import db
from models import (
    ActingAssignment,
    ActingKind,
    ChainStep,
    DocType,
    Organisation,
    OrgKind,
    Position,
    Unit,
    User,
)
from workflow import documents

OTHER_ORG = "เทศบาลตำบลหนองบัว"


@dataclass
class OtherOrg:
    """Ids of a second organisation's records, named as the admin URLs name them."""

    org_id: int
    unit_id: int
    position_id: int
    user_id: int
    step_id: int
    assignment_id: int
    doc_id: int

    def url_ids(self) -> dict:
        return {
            "unit_id": self.unit_id,
            "position_id": self.position_id,
            "user_id": self.user_id,
            "step_id": self.step_id,
            "assignment_id": self.assignment_id,
            "doc_id": self.doc_id,
        }


def other_org(app) -> OtherOrg:
    """A municipality with a unit, two posts, two people, a one-step chain and a submitted memo."""
    with app.app_context():
        org = Organisation(name=OTHER_ORG, kind=OrgKind.MUNICIPALITY, doc_prefix="ลบ 52001")
        unit = Unit(organisation=org, name="สำนักปลัดเทศบาล")
        clerk_post = Position(organisation=org, title="นักจัดการงานทั่วไป")
        mayor_post = Position(organisation=org, title="นายกเทศมนตรีตำบลหนองบัว")
        clerk = _person(org, "nongbua_clerk", clerk_post, unit, is_admin=True)
        mayor = _person(org, "nongbua_mayor", mayor_post, unit)
        db.session.add_all([org, unit, clerk_post, mayor_post, clerk, mayor])
        db.session.flush()
        step = ChainStep(
            org_id=org.id,
            doc_type=DocType.GENERAL,
            step_no=1,
            position_id=mayor_post.id,
            heading="ความเห็นนายกเทศมนตรี",
            forward_decisions=["อนุมัติ"],
        )
        assignment = ActingAssignment(
            org_id=org.id,
            user_id=clerk.id,
            position_id=mayor_post.id,
            kind=ActingKind.DELEGATED,
            start_date=clock.today(),
            order_ref="คำสั่งเทศบาล ที่ 1/2569",
        )
        db.session.add_all([step, assignment])
        doc = documents.create_draft(clerk, memo_content(DocType.GENERAL, "บันทึกของหนองบัว"))
        documents.submit(doc.id, clerk)
        db.session.commit()
        return OtherOrg(
            org_id=org.id,
            unit_id=unit.id,
            position_id=clerk_post.id,
            user_id=clerk.id,
            step_id=step.id,
            assignment_id=assignment.id,
            doc_id=doc.id,
        )


def _person(org, username: str, position, unit, is_admin: bool = False) -> User:
    user = User(
        organisation=org,
        username=username,
        title="นาย",
        full_name=f"ทดสอบ {username}",
        position=position,
        unit=unit,
        is_admin=is_admin,
    )
    user.set_password("nongbua-2569")
    return user


def memo_content(doc_type: DocType, subject: str) -> documents.MemoContent:
    return documents.MemoContent(
        doc_type=doc_type,
        issuing_unit="สำนักปลัด",
        doc_date=clock.today(),
        subject=subject,
        addressee="นายก",
        sections=[("ข้อเท็จจริง", "ทดสอบ")],
    )


def snapshot(app) -> dict[str, list[tuple]]:
    """Every row of every table, so a test can show that a refused request changed nothing."""
    with app.app_context():
        rows = {}
        for table in db.metadata.sorted_tables:
            order = list(table.primary_key.columns)
            rows[table.name] = [
                tuple(r) for r in db.session.execute(table.select().order_by(*order))
            ]
        return rows


def one(app, model, **where):
    """The id of the one row of `model` matching the filters."""
    with app.app_context():
        return db.session.scalars(sa.select(model.id).filter_by(**where)).one()


def load(app, model, record_id: int):
    """A detached copy of one row, fresh from the database."""
    with app.app_context():
        record = db.session.get(model, record_id)
        if record is not None:
            db.session.expunge(record)
        return record


def as_admin(client):
    return login(client, "admin")


def switch(client, username: str, password: str | None = None):
    """Log out whoever is logged in and log in as `username`."""
    client.post_form("/logout")
    client.csrf = None
    return login(client, username, password)


def field_error(html: str, field_id: str) -> str:
    """The error message shown beside a field, '' when there is none."""
    found = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">([^<]*)</p>', html)
    return found.group(1) if found else ""


def input_value(html: str, field_id: str) -> str | None:
    """The value an <input> shows again after a refused form."""
    tag = re.search(rf'<input[^>]*id="{re.escape(field_id)}"[^>]*>', html)
    if not tag:
        return None
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


def textarea_value(html: str, field_id: str) -> str | None:
    """What a <textarea> shows (the widget starts it with a newline the browser drops)."""
    found = re.search(
        rf'<textarea[^>]*id="{re.escape(field_id)}"[^>]*>\r?\n?(.*?)</textarea>', html, re.S
    )
    return found.group(1).replace("\r\n", "\n") if found else None


def is_checked(html: str, field_id: str) -> bool:
    """Whether a checkbox or radio button shows as ticked."""
    tag = re.search(rf'<input[^>]*id="{re.escape(field_id)}"[^>]*>', html)
    return bool(tag) and re.search(r"\schecked[\s>]", tag.group(0)) is not None


def selected_value(html: str, field_id: str) -> str | None:
    """The value of the option a <select> shows as chosen."""
    select = re.search(rf'<select[^>]*id="{re.escape(field_id)}"[^>]*>(.*?)</select>', html, re.S)
    chosen = select and re.search(r'<option selected value="([^"]*)"', select.group(1))
    return chosen.group(1) if chosen else None


def be(day: date, thai_digits: bool = False) -> str:
    """A date as a user types it: '27/10/2568', optionally with Thai digits."""
    typed = thai.format_input_date(day)
    return thai.to_thai_digits(typed) if thai_digits else typed


def days_from_today(n: int) -> date:
    return clock.today() + timedelta(days=n)
