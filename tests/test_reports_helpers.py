"""Helpers shared by the reports and rounds tests (no tests here; the name keeps it with them)."""

import re
from datetime import date

import sqlalchemy as sa
from support.client import login
from support.pages import body

import clock
from extensions import db
from models import (
    ChainStep,
    DocType,
    Holiday,
    MeasurePlan,
    Organisation,
    OrgKind,
    Position,
    ReportRound,
    ReportSnapshot,
    RoundKind,
    User,
)
from workflow import reports
from workflow.rounds import saved_round

# A day in April 2026: fiscal year 2569, after the 6-month round, before its report is due.
APRIL = date(2026, 4, 20)


def at(monkeypatch, day: date) -> None:
    """Move the organisation's calendar to `day`."""
    monkeypatch.setattr(clock, "today", lambda: day)


def switch(client, username: str):
    """Log out whoever is logged in and log in as `username`."""
    client.post_form("/logout")
    client.csrf = None
    return login(client, username)


def field_error(html: str, field_id: str) -> str:
    """The error shown beside a field; '' when there is none."""
    found = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">([^<]*)</p>', html)
    return found.group(1) if found else ""


def input_value(html: str, field_id: str) -> str | None:
    """What an <input> shows, e.g. the user's own text after a refused form."""
    tag = re.search(rf'<input[^>]*id="{re.escape(field_id)}"[^>]*>', html)
    if not tag:
        return None
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


def table_html(html: str) -> str:
    """The progress report's table section of a document page."""
    found = re.search(r'<section class="card report-table".*?</section>', html, re.S)
    assert found, "no report table on the page"
    return found.group(0)


def rows_of(app) -> dict[str, list[tuple]]:
    """Every row of every table, to show that a refused request changed nothing."""
    with app.app_context():
        return {
            t.name: [
                tuple(r) for r in db.session.execute(t.select().order_by(*t.primary_key.columns))
            ]
            for t in db.metadata.sorted_tables
        }


def scalar(app, stmt: sa.Select):
    with app.app_context():
        return db.session.scalar(stmt)


def user(username: str) -> User:
    """A person by username, in the current app context."""
    return db.session.scalars(sa.select(User).where(User.username == username)).one()


def round_of(app, org_id: int, kind: RoundKind, year: int = 2569) -> int:
    """The id of a round's row, saved with the default dates if needed (as a report does)."""
    with app.app_context():
        found = saved_round(org_id, year, kind)
        db.session.commit()
        return found.id


def create_report(client, round_id: int) -> int:
    """Press “จัดทำรายงาน” for a round; the new report's id."""
    with client.application.app_context():
        found = db.session.get(ReportRound, round_id)
        url = f"/reports/{found.fiscal_year}/rounds/{found.kind.value}/create"
    response = client.post_form(url)
    assert response.status_code == 302, body(response)
    found = re.search(r"/documents/(\d+)$", response.headers["Location"])
    assert found, response.headers["Location"]
    return int(found.group(1))


def snapshot_data(app, doc_id: int) -> dict:
    with app.app_context():
        return db.session.get(ReportSnapshot, doc_id).data


OTHER_NAME = "เทศบาลตำบลหนองบัวรายงาน"
OTHER_SUBJECT_MARK = "หนองบัวรายงาน"


def other_org_with_report(app) -> dict:
    """A second organisation with a plan, a holiday and a draft progress report; its ids by the
    names the report URLs use."""
    with app.app_context():
        org = Organisation(name=OTHER_NAME, kind=OrgKind.MUNICIPALITY, doc_prefix="นบ 1")
        mayor = Position(organisation=org, title="นายกเทศมนตรีตำบลหนองบัวรายงาน")
        clerk = User(
            organisation=org,
            username="nb_report_clerk",
            title="นาย",
            full_name="ผู้จัดทำ หนองบัวรายงาน",
            is_admin=True,
            password_hash="-",
        )
        db.session.add_all([org, mayor, clerk])
        db.session.flush()
        db.session.add(
            ChainStep(
                org_id=org.id,
                doc_type=DocType.PROGRESS_REPORT,
                step_no=1,
                position=mayor,
                heading="ความเห็นนายกเทศมนตรี",
                forward_decisions=["ทราบ"],
            )
        )
        db.session.add(MeasurePlan(org_id=org.id, fiscal_year=2569, title=OTHER_SUBJECT_MARK))
        holiday = Holiday(org_id=org.id, day=date(2026, 4, 14), name="สงกรานต์หนองบัวรายงาน")
        db.session.add(holiday)
        db.session.flush()
        doc = reports.create_report(clerk, 2569, RoundKind.HALF)
        report_round = doc.report_snapshot.round
        db.session.commit()
        return {
            "org_id": org.id,
            "round_id": report_round.id,
            "holiday_id": holiday.id,
            "doc_id": doc.id,
            "fiscal_year": 2569,
        }
