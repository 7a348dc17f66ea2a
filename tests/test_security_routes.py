"""Every route, tried across organisations: nothing of organisation B is shown or changed.

The routes are read from `app.url_map`, so a new page is covered the day it is added. A new rule
with a parameter this file does not know how to fill makes the test fail until it is taught.
"""

import io
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from support.client import login
from support.factories import PDF, OtherOrg, other_organisation
from support.pages import document, logout

from extensions import db
from models import DocState, Document

# Parameters that name a row of one organisation: a request naming B's row must be refused.
ROW_PARAMS = {
    "doc_id": lambda b: [b.memo_id, b.draft_id],
    "attachment_id": lambda b: [b.attachment_id],
    "unit_id": lambda b: [b.unit_id],
    "position_id": lambda b: [b.position_id],
    "user_id": lambda b: [b.user_id],
    "step_id": lambda b: [b.step_id],
    "assignment_id": lambda b: [b.assignment_id],
    "plan_id": lambda b: [b.plan_id],
    "measure_id": lambda b: [b.measure_id],
    "entry_id": lambda b: [b.entry_id],
    "evidence_id": lambda b: [b.evidence_id],
    "holiday_id": lambda b: [b.holiday_id],
    "round_id": lambda b: [b.round_id],  # the round addresses of before December 2026
    "notification_id": lambda b: [b.notification_id],
    "result_id": lambda b: [b.result_id],
    "oit_evidence_id": lambda b: [b.oit_evidence_id],
}
# Parameters that are not rows: the page is the current user's own organisation's view of them.
SCOPE_PARAMS = {
    "fiscal_year": lambda b: [b.fiscal_year],
    "kind": lambda b: ["half", "q1"],  # a report round of the year
    "doc_type": lambda b: ["general", "analysis"],
    "code": lambda b: ["O1", "O25"],  # an OIT item of the year
    "fmt": lambda b: ["xlsx", "csv"],  # an export's file type
}
# Pages anyone may open without logging in, on purpose.
PUBLIC = {
    "static",
    "auth.login",
    "pdf.lookup",  # checking a printed memo's verification code
    "pdf.check",
    "line.webhook",  # LINE calls it; only a request signed with the channel secret counts
    "public.page",  # a published memo (tested below: nothing else is served there)
    "public.pdf",
}
NOT_TRIED = PUBLIC | {"auth.logout"}  # logout would end the session under test


def _rules(app):
    """The rules to try: all but the public ones, and only those this file can fill."""
    known = set(ROW_PARAMS) | set(SCOPE_PARAMS)
    return [
        r
        for r in app.url_map.iter_rules()
        if r.endpoint not in NOT_TRIED and set(r.arguments) <= known
    ]


def _urls(rule, b: OtherOrg) -> list[str]:
    """The rule's URLs with B's ids in every parameter (one per value of a multi-valued one)."""
    fill = {**ROW_PARAMS, **SCOPE_PARAMS}
    values = {name: fill[name](b) for name in rule.arguments}
    urls = []
    for i in range(max((len(v) for v in values.values()), default=1)):
        args = {name: v[min(i, len(v) - 1)] for name, v in values.items()}
        urls.append(rule.build(args, append_unknown=False)[1])
    return urls


def _payload(client, b: OtherOrg) -> dict:
    """A form that would pass validation on most pages, aimed at B's rows."""
    return {
        "csrf_token": client.csrf,
        "decision": b.decision,
        "comment": "ลองลงนามข้ามองค์กร",
        "reason": "ลองส่งคืนข้ามองค์กร",
        "revision": "1",
        "step_no": "1",
        "resume_here": "y",
        "doc_type": "general",
        "unit_id": str(b.unit_id),
        "issuing_unit": "ข้ามองค์กร",
        "doc_date": "27/10/2568",
        "subject": "แก้ไขข้ามองค์กร",
        "addressee": "นายก",
        "sections-0-heading": "ข้อเท็จจริง",
        "sections-0-body": "ข้ามองค์กร",
        "position_id": str(b.position_id),
        "user_id": str(b.user_id),
        "name": "ข้ามองค์กร",
        "title": "ข้ามองค์กร",
        "start_date": "1/10/2568",
        "end_date": "31/10/2568",
        "next_seq": "9999",
        "number_seq": "9999",
        "file": (io.BytesIO(PDF), "ข้ามองค์กร.pdf"),
    }


def _snapshot(app, org_id: int) -> dict[str, list[tuple]]:
    """Every row that belongs to the organisation, table by table: rows with its org_id, and
    rows that point at such rows (a memo's sections, a measure's units, ...)."""
    with app.app_context():
        owned: dict[str, sa.Select] = {}  # table -> the ids of its rows that are the org's
        rows = {}
        for table in db.metadata.sorted_tables:
            if table.name == "organisations":
                where = table.c.id == org_id
            elif "org_id" in table.c:
                where = table.c.org_id == org_id
            else:
                links = [
                    fk.parent.in_(owned[fk.column.table.name])
                    for fk in table.foreign_keys
                    if fk.column.table.name in owned
                ]
                if not links:
                    continue
                where = sa.or_(*links)
            if "id" in table.c:
                owned[table.name] = sa.select(table.c.id).where(where)
            query = sa.select(table).where(where).order_by(*table.primary_key.columns)
            rows[table.name] = [tuple(r) for r in db.session.execute(query)]
        return rows


@pytest.fixture
def two_orgs(app, srisuk) -> OtherOrg:
    return other_organisation(app)


def test_the_public_pages_are_known_and_serve_nothing_unpublished(app, client, two_orgs):
    """Every rule of the public blueprint is listed as public on purpose; with nothing
    published, every address of either organisation is 404 and shows nothing of B."""
    public_rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("public.")]
    assert {r.endpoint for r in public_rules} == {"public.page", "public.pdf"} <= PUBLIC
    with app.app_context():
        drafts = db.session.scalars(sa.select(Document)).all()
        assert drafts and all(
            d.state != DocState.APPROVED for d in drafts if d.org_id == two_orgs.org_id
        )
    tried = 0
    for rule in public_rules:
        for slug in ("nongbua", "srisuk", "org-1", "..", "nongbua%00"):
            for year in (2568, 2569, two_orgs.fiscal_year):
                for code in ("O1", "O25", "O27", "O28"):
                    url = rule.build({"slug": slug, "fiscal_year": year, "code": code})[1]
                    response = client.get(url)
                    body = response.get_data().decode("utf-8", "replace")  # an .xlsx too
                    tried += 1
                    assert response.status_code == 404, url
                    assert not [m for m in two_orgs.markers if m in body], url
    assert tried >= 100


def test_every_route_parameter_is_known(app):
    """A route with a parameter this file cannot fill would slip past the tests below."""
    known = set(ROW_PARAMS) | set(SCOPE_PARAMS)
    unknown = {
        f"{rule.rule} ({rule.endpoint}): {name}"
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in PUBLIC
        for name in rule.arguments
        if name not in known
    }
    assert not unknown, (
        "teach tests/test_security_routes.py how to fill these route parameters with another"
        f" organisation's row: {sorted(unknown)}"
    )


def test_admin_of_one_organisation_cannot_reach_anothers_rows(app, client, two_orgs):
    b = two_orgs
    before = _snapshot(app, b.org_id)
    for table in (
        "documents",
        "decision_log",
        "units",
        "positions",
        "users",
        "chain_steps",
        "acting_assignments",
        "attachments",
        "measures",
        "measure_units",
        "progress_entries",
        "report_rounds",
        "notifications",
    ):
        assert before[table], f"organisation B has no {table} rows: the check below would be empty"

    login(client, "admin")  # organisation A's admin
    tried, wrong = 0, []
    for rule in _rules(app):
        if not set(rule.arguments) & set(ROW_PARAMS):
            continue
        for url in _urls(rule, b):
            for method in ("GET", "POST"):
                data = _payload(client, b) if method == "POST" else None
                response = client.open(url, method=method, data=data)
                tried += 1
                body = response.get_data().decode("utf-8", "replace")  # an .xlsx too
                response.close()  # a file download holds its file open until closed
                if response.status_code not in (403, 404, 405):
                    wrong.append(f"{method} {url} -> {response.status_code}")
                elif any(marker in body for marker in b.markers):
                    wrong.append(f"{method} {url} shows organisation B's data")
    assert tried >= 20  # every memo route at least, twice
    assert not wrong, wrong
    assert _snapshot(app, b.org_id) == before


def test_pages_without_row_ids_show_nothing_of_another_organisation(app, client, two_orgs):
    b = two_orgs
    before = _snapshot(app, b.org_id)
    login(client, "admin")
    pages = 0
    for rule in _rules(app):
        if set(rule.arguments) & set(ROW_PARAMS):
            continue
        for url in _urls(rule, b):
            methods = ("GET", "POST") if rule.arguments else ("GET",)
            for method in methods:
                data = _payload(client, b) if method == "POST" else None
                response = client.open(url, method=method, data=data, follow_redirects=True)
                pages += 1
                body = response.get_data().decode("utf-8", "replace")  # an .xlsx too
                response.close()
                assert response.status_code < 500, f"{method} {url} -> {response.status_code}"
                shown = [m for m in b.markers if m in body]
                assert not shown, f"{method} {url} shows organisation B's {shown}"
    assert pages >= 4  # /, pending, mine, new at least
    assert _snapshot(app, b.org_id) == before


def test_organisation_b_sees_its_own_memo(app, client, two_orgs):
    """The markers are really on B's pages, so their absence above means something."""
    b = two_orgs
    login(client, b.drafter)
    page = client.get(f"/documents/{b.memo_id}").get_data(as_text=True)
    assert all(m in page for m in (b.markers[1], b.markers[4], "ใบเสนอราคาหนองบัว"))
    logout(client)
    login(client, "nb_clerk")
    assert b.markers[1] in client.get("/documents/pending").get_data(as_text=True)


def test_attachment_of_another_organisation_through_ones_own_memo(app, client, two_orgs, srisuk):
    b = two_orgs
    login(client, "nattanipa")  # her own draft, with B's attachment id
    url = f"/documents/{srisuk.memo_id}/attachments/{b.attachment_id}"
    assert client.get(url).status_code == 404
    assert client.post_form(f"{url}/delete").status_code == 404
    assert len(_snapshot(app, b.org_id)["attachments"]) == 1


# -- logged out, forged forms, redirects -------------------------------------------------------


def test_every_page_needs_a_login(app, client, two_orgs):
    client.fetch_csrf("/login")
    for rule in _rules(app):
        for url in _urls(rule, two_orgs):
            for method in ("GET", "POST"):
                data = {"csrf_token": client.csrf} if method == "POST" else None
                response = client.open(url, method=method, data=data)
                if response.status_code == 405:
                    continue
                assert response.status_code == 302, f"{method} {url} -> {response.status_code}"
                assert response.headers["Location"].startswith("/login"), f"{method} {url}"


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(app, client, srisuk):
    login(client, "nattanipa")
    response = client.post(f"/documents/{srisuk.memo_id}/submit", data={})
    assert response.status_code == 400
    assert "แบบฟอร์มหมดอายุหรือไม่ได้ส่งมาจากหน้านี้" in response.get_data(as_text=True)
    assert document(app, srisuk.memo_id).state == DocState.DRAFT
    forged = client.post(f"/documents/{srisuk.memo_id}/submit", data={"csrf_token": "forged"})
    assert forged.status_code == 400
    assert document(app, srisuk.memo_id).state == DocState.DRAFT


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "https:/evil.example",
        " //evil.example",
    ],
)
def test_login_does_not_redirect_to_another_site(client, srisuk, target):
    import demo

    client.fetch_csrf("/login")
    response = client.post_form(
        "/login",
        {"username": "nattanipa", "password": demo.PASSWORD},
        query_string={"next": target},
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    # A browser reads "//x" and "/\\x" as another host; "/%5Cx" is only a path of this site.
    assert location.startswith("/") and not location.startswith(("//", "/\\"))
    assert not urlsplit(location).netloc


def test_login_keeps_a_same_site_next_page(client, srisuk):
    import demo

    client.fetch_csrf("/login")
    response = client.post_form(
        "/login",
        {"username": "nattanipa", "password": demo.PASSWORD},
        query_string={"next": "/documents/mine"},
    )
    assert response.headers["Location"] == "/documents/mine"


def test_unknown_page_is_a_thai_404_without_a_stack_trace(client, srisuk):
    login(client, "nattanipa")
    response = client.get("/documents/999999")
    body = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "ไม่พบเอกสารนี้" in body and "Traceback" not in body


def test_an_unexpected_error_is_a_thai_500_page_without_a_stack_trace(
    app, client, srisuk, monkeypatch
):
    from workflow import documents as service

    def broken(*args, **kwargs):
        raise RuntimeError("secret detail of a bug")

    monkeypatch.setattr(service, "submit", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer as in production, not raise to the test
    login(client, "nattanipa")
    response = client.post_form(f"/documents/{srisuk.memo_id}/submit")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "ระบบขัดข้อง กรุณาลองใหม่อีกครั้ง" in body
    assert "secret detail" not in body and "Traceback" not in body
    assert document(app, srisuk.memo_id).state == DocState.DRAFT


# -- the public allow-list ---------------------------------------------------------------------

# Fills any route parameter with a value of the right shape: the login check comes before the
# row is looked up, so no row is needed. A converter missing here fails the test below.
SAMPLE_VALUES = {"DatabaseId": 1, "UnicodeConverter": "x", "PathConverter": "x"}


def test_every_route_needs_a_login_unless_it_is_on_the_public_list(app, client):
    """A new route without @login_required fails here until it is added to PUBLIC on purpose
    (and to the roles table of docs/security.md)."""
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints >= PUBLIC, "PUBLIC names an endpoint that no longer exists"
    client.fetch_csrf("/login")
    open_routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        values = {
            name: SAMPLE_VALUES[type(converter).__name__]
            for name, converter in rule._converters.items()
        }
        url = rule.build(values, append_unknown=False)[1]
        for method in sorted(rule.methods & {"GET", "POST", "PUT", "PATCH", "DELETE"}):
            data = {"csrf_token": client.csrf} if method != "GET" else None
            response = client.open(url, method=method, data=data)
            response.close()
            location = response.headers.get("Location", "")
            if response.status_code != 302 or not location.startswith("/login"):
                open_routes.append(
                    f"{method} {rule.rule} ({rule.endpoint}) -> {response.status_code}"
                )
    assert not open_routes, f"routes answering without a login: {open_routes}"


def test_the_public_pages_open_without_a_login(client, srisuk):
    assert client.get("/login").status_code == 200
    assert client.get("/v").status_code == 200
    with client.get("/static/css/app.css") as response:
        assert response.status_code == 200
