"""Every page of the home page, lists, search, decision and first-run areas: opens for the
organisation's people, and another organisation's memo or measure does not exist there."""

from datetime import date

import pytest
from flask import url_for
from support.client import login

from extensions import db
from models import Measure, MeasurePlan, Organisation, OrgKind, Rhythm, User
from workflow import documents

AREAS = ("dashboard.", "decide.", "lists.", "search.", "setup.")


def other_organisation(app) -> dict[str, int]:
    """A second organisation with a memo in review and a measure; its ids by URL parameter."""
    with app.app_context():
        org = Organisation(name="เทศบาลตำบลอื่น", kind=OrgKind.MUNICIPALITY)
        clerk = User(organisation=org, username="x_clerk", title="นาย", full_name="อื่น เทศบาล")
        clerk.set_password("x-clerk-pass")
        db.session.add_all([org, clerk])
        db.session.flush()
        doc = documents.create_draft(
            clerk,
            documents.MemoContent(
                doc_type=documents.DocType.GENERAL, issuing_unit="สำนักปลัด",
                doc_date=date(2026, 11, 2), subject="ของเทศบาลอื่น", addressee="นายก",
            ),
        )  # fmt: skip
        plan = MeasurePlan(org_id=org.id, fiscal_year=2570, title="แผน")
        db.session.add(plan)
        db.session.flush()
        measure = Measure(
            org_id=org.id, plan_id=plan.id, title="มาตรการของเทศบาลอื่น", rhythm=Rhythm.YEARLY,
            start_month=date(2025, 10, 1), end_month=date(2026, 9, 1),
        )  # fmt: skip
        db.session.add(measure)
        db.session.commit()
        return {"doc_id": doc.id, "measure_id": measure.id, "fiscal_year": 2570}


def urls(app, ids: dict[str, int], method: str, with_ids: bool) -> list[str]:
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith(AREAS) or method not in rule.methods:
                continue
            if bool(rule.arguments) != with_ids:
                continue
            found.append(url_for(rule.endpoint, **{a: ids[a] for a in rule.arguments}))
    assert found
    return sorted(found)


@pytest.mark.parametrize("username", ["nattanipa", "thanyarat", "nakarin", "admin"])
def test_every_page_without_ids_opens(app, client, srisuk, username):
    login(client, username)
    for url in urls(app, {}, "GET", with_ids=False):
        expected = 403 if url.startswith("/setup") and username != "admin" else 200
        assert client.get(url).status_code == expected, url


@pytest.mark.parametrize("username", ["nattanipa", "admin"])
def test_another_organisations_memo_and_measure_do_not_exist(app, client, srisuk, username):
    ids = other_organisation(app)
    login(client, username)
    for url in urls(app, ids, "GET", with_ids=True):
        assert client.get(url).status_code == 404, url
    for url in urls(app, ids, "POST", with_ids=True):
        assert client.post_form(url, {}).status_code == 404, url
    exports = [f"/lists/{name}?export=csv" for name in ("documents", "measures")]
    for url in [*urls(app, {}, "GET", with_ids=False), *exports]:
        assert "เทศบาลอื่น" not in client.get(url).get_data(as_text=True), url
    found = client.get("/search/?q=ของเทศบาลอื่น").get_data(as_text=True)
    assert "ไม่พบเอกสารหรือมาตรการ" in found and "search-results" not in found
