"""GET never writes: every page of the URL map, opened by each role, leaves every table as it was.

The rules are read from `app.url_map`, so a new page is covered the day it is added; a rule
with a parameter this file cannot fill fails the test until it is taught. Each path parameter
is filled from the demo organisation's real rows (its memo, in review, with an attachment; its
progress report; its plans, measures, people, units, posts, chain steps, acting order), so the
pages do their real work rather than answer 404.

Two checks: every table's rows (all columns, so an UPDATE shows too) are the same after the
walk as before, and no GET sent an INSERT, UPDATE or DELETE at all (even one rolled back later),
named with its URL.
"""

from itertools import product

import pytest
import sqlalchemy as sa
from support.client import login
from support.factories import PDF, user
from support.pages import StatementCounter

import clock
import thai
from extensions import db
from models import (
    ActingAssignment,
    ChainStep,
    Measure,
    MeasurePlan,
    Position,
    ReportRound,
    RoundKind,
    Unit,
)
from workflow import attachments, documents, reports

ROLES = {
    "drafter": "nattanipa",
    "section head": "thanyarat",  # acting for the vacant post
    "ปลัด": "chuttikan",
    "นายก": "nakarin",
    "admin": "admin",
    "anonymous": None,
}
# GETs that write on purpose, each with its reason. An approved memo's PDF downloaded before
# the freezer made it is rendered and stored by that GET (pdf/freeze.py `_freeze_late`, its
# content fixed at approval); this walk has no approved memo, so the list is empty.
WRITES_BY_DESIGN: dict[str, str] = {}
# Query strings that make a page do more than its bare address (searches, filters).
QUERIES = {
    "search.index": ["?q=มาตรการ", "?q=ITA&type=analysis"],
    "lists.documents": ["?q=ITA&state=in_review"],
    "lists.measures": ["?status=overdue", "?q=คุณธรรม"],
    "measures.year": ["?status=overdue"],
    "pdf.lookup": ["?code=ABCD-EFGH"],
}
# The path parameters `world` fills.
FILLED = {
    "doc_id", "attachment_id", "unit_id", "position_id", "user_id", "step_id", "assignment_id",
    "plan_id", "measure_id", "fiscal_year", "kind", "doc_type", "fmt", "code", "slug", "filename",
    "round_id",
}  # fmt: skip
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE", "CREATE", "DROP", "ALTER", "TRUNCATE")


def world(app, org_id: int, memo_id: int) -> dict[str, list]:
    """The demo with more to show: the memo sent on with an attachment, and the 6-month report
    of 2569 drafted; each path parameter's values, from these rows."""
    with app.app_context():
        drafter = user("nattanipa")
        attachment = attachments.add(memo_id, drafter, "ใบเสนอราคา.pdf", PDF)
        documents.submit(memo_id, drafter)
        report = reports.create_report(drafter, 2569, RoundKind.HALF)
        db.session.commit()

        def first(model) -> int:
            stmt = sa.select(model.id).where(model.org_id == org_id).order_by(model.id)
            return db.session.scalar(stmt)

        return {
            "doc_id": [memo_id, report.id],
            "attachment_id": [attachment.id],
            "unit_id": [first(Unit)],
            "position_id": [first(Position)],
            "user_id": [drafter.id],
            "step_id": [first(ChainStep)],
            "assignment_id": [first(ActingAssignment)],
            "plan_id": [first(MeasurePlan)],
            "measure_id": [first(Measure)],
            "round_id": [first(ReportRound)],  # the half round, saved by its report
            # the ITA results' year, the 2569 plan, and the current year's plan
            "fiscal_year": sorted({2568, 2569, thai.fiscal_year(clock.today())}),
            "kind": ["half", "q1"],
            "doc_type": ["general", "analysis"],
            "fmt": ["csv", "xlsx"],
            "code": ["O1"],  # an OIT item on the public page; a verification code elsewhere
            "slug": ["srisuk"],
            "filename": ["css/app.css"],
        }


def get_urls(app, values: dict[str, list]) -> list[tuple[str, str]]:
    """(endpoint, URL) of every GET rule, once for each combination of its parameters' values."""
    urls = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint in WRITES_BY_DESIGN:
            continue
        names = sorted(rule.arguments)
        for combination in product(*(values[name] for name in names)):
            path = rule.build(dict(zip(names, combination, strict=True)), append_unknown=False)[1]
            urls += [
                (rule.endpoint, path + query) for query in ["", *QUERIES.get(rule.endpoint, [])]
            ]
    return list(dict.fromkeys(urls))  # a rule with a default builds one URL for every value


def every_row(app) -> dict[str, list[tuple]]:
    with app.app_context():
        return {
            t.name: [tuple(r) for r in db.session.execute(t.select().order_by(*t.primary_key))]
            for t in db.metadata.sorted_tables
        }


def test_every_route_parameter_can_be_filled(app):
    """A GET rule with a parameter `world` does not fill would slip past the walk below."""
    unknown = {
        f"{rule.rule}: {name}"
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        for name in rule.arguments
        if name not in FILLED
    }
    assert not unknown, f"teach tests/test_get_never_writes.py to fill {sorted(unknown)}"


@pytest.mark.parametrize("role", ROLES)
def test_no_get_changes_a_row(app, srisuk, monkeypatch, role):
    # The PDF renderer is pure (plain data in, bytes out: pdf/render.py); a stand-in keeps the
    # walk quick. The draft PDF's GET still runs everything around it.
    monkeypatch.setattr("pdf.freeze.render_pdf", lambda data: PDF)
    values = world(app, srisuk.org_id, srisuk.memo_id)
    assert set(values) == FILLED
    urls = get_urls(app, values)
    client = app.test_client()
    if ROLES[role]:
        login(client, ROLES[role])
    before = every_row(app)
    written: dict[str, list[str]] = {}
    errors = []
    for endpoint, url in urls:
        with StatementCounter(app) as counter:
            response = client.get(url)
            response.get_data()
            response.close()
        if response.status_code >= 500:
            errors.append(f"{url} -> {response.status_code}")
        changes = [s for s in counter.statements if s.lstrip().upper().startswith(WRITES)]
        if changes:
            written[f"{url} ({endpoint})"] = changes
    assert len(urls) > 80
    assert not errors, errors
    assert not written, f"GETs that wrote as {role}: {written}"
    assert every_row(app) == before
