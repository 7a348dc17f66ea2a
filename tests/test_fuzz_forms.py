"""Hostile input to every form and to the query strings of the list pages: never a 500, a Thai
page or a redirect, and a refused request changes nothing.

The app has no JSON API and no OpenAPI document (its endpoints are HTML forms and CSV, Excel and
PDF downloads), so schemathesis has nothing to read; hypothesis draws the requests instead.

The POST endpoints are read from `app.url_map`, so a new form is fuzzed the day it is added. Each
runs as the user of organisation B (tests/support/factories.py) whose role the form is for, with B's rows
in the URL. A request starts from the fields and values the form's page renders, then replaces,
drops or repeats some with hostile values, adds stray fields, uploads bad files and sends a
missing or wrong CSRF token now and then. The examples of one endpoint share its database: a
refused request must leave it as it was (row counts and a hash of every table's content), an
accepted one may change it for the next example.

The default profile is short and the same on every run; `--hypothesis-profile=fuzz-long` (see
tests/conftest.py) runs many more random examples.
"""

import hashlib
import logging
import re
import shutil
from dataclasses import dataclass
from urllib.parse import quote_from_bytes, urlsplit

import pytest
import sqlalchemy as sa
from conftest import PG_URL, _fresh_database, make_config
from hypothesis import given
from hypothesis import strategies as st
from support.client import Client, login
from support.factories import JPEG, PDF, PNG, other_organisation
from support.pages import PageForm, page_forms
from test_security_routes import ROW_PARAMS, SCOPE_PARAMS

import demo
from app import create_app
from config import TestingConfig
from extensions import db

# Endpoints that are not fuzzed, each with the reason.
NOT_FUZZED = {
    "auth.logout": "ends the session under test; it takes no input but the CSRF token",
    "line.webhook": "LINE's signed JSON, not a form (no CSRF): hostile bodies and forged"
    " signatures are tried in tests/test_notify_line.py",
}
# Who sends each endpoint's forms (B's people); the rest are the drafter's (coordinator of B's
# plan and a person of its measure).
ADMIN_AREAS = ("admin.", "setup.", "ita.", "pdf.garuda", "pdf.remove_garuda")
ADMIN_ENDPOINTS = {
    "reports.edit_round",
    "reports.confirm_rounds",
    "reports.reset_rounds",
    "reports.holidays",
    "reports.delete_holiday",
    "reports.work_through",
}
SIGNER_ENDPOINTS = {"documents.decide", "documents.return_for_revision", "decide.confirm"}
ANONYMOUS_ENDPOINTS = {"auth.login", "pdf.check"}  # forms for people who are not logged in
# Memo endpoints aimed at B's draft; the others get B's memo waiting at the clerk's step.
DRAFT_ENDPOINTS = {
    "documents.edit",
    "documents.submit",
    "documents.upload",
    "reports.refresh",
    "ita.texts",
    "ita.refresh",
}
ITA_YEAR = 2568  # a year with a catalogue and B's result
# Tables a refused request may still write: a failed login is counted on purpose.
MAY_CHANGE_WHEN_REFUSED = {"auth.login": {"login_failures"}}


def _post_rules() -> list:
    app = create_app(TestingConfig)
    rules = [
        r for r in app.url_map.iter_rules() if "POST" in r.methods and r.endpoint not in NOT_FUZZED
    ]
    return sorted(rules, key=lambda r: (r.endpoint, r.rule))


POST_RULES = _post_rules()


def fuzz_user(endpoint: str) -> str | None:
    if endpoint in ANONYMOUS_ENDPOINTS:
        return None
    if endpoint in SIGNER_ENDPOINTS:
        return "nb_clerk"
    if endpoint in ADMIN_ENDPOINTS or endpoint.startswith(ADMIN_AREAS):
        return "nb_admin"
    return "nb_drafter"


def fuzz_url(rule, b) -> str:
    """The rule's URL with B's rows (and a catalogue year for the ITA pages)."""
    fill = {**ROW_PARAMS, **SCOPE_PARAMS}
    args = {name: fill[name](b)[0] for name in rule.arguments if name in fill}
    if "doc_id" in args and rule.endpoint in DRAFT_ENDPOINTS:
        args["doc_id"] = b.draft_id
    if "fiscal_year" in args and rule.endpoint.startswith("ita."):
        args["fiscal_year"] = ITA_YEAR
    if "code" in rule.arguments:
        args["code"] = "NOTACODE"
    return rule.build(args, append_unknown=False)[1]


# -- hostile values ------------------------------------------------------------------------

HOSTILE_TEXT = [
    "",
    " ",
    " \t\n\u00a0\u3000 ",
    "ก" * 5000,
    "มาตรการ" * 3000,
    "ก\u0e34\u0e48\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e47",  # a consonant under a stack of marks
    "\u0e31\u0e48",  # marks with nothing to sit on
    "๒๕๖๙",
    "๑,๐๐๐,๐๐๐",
    "๓๑/๐๒/๒๕๖๙",
    "31/02/2569",
    "29/02/2568",
    "30/02/2567",
    "1/10/2025",
    "27/10/68",
    "00/00/0000",
    "31/12/9999",
    "1/1/1",
    "2569-02-31",
    "27 ตุลาคม 2568",
    "32 ต.ค. 2568",
    "\x00",
    "ก\x00ข",
    "\x01\x02\x1b[31m\x7f",
    "\u202eกลับด้าน",
    "\ufeffBOM",
    "\U0001f600\u200d\U0001f4bb",
    "-1",
    "0",
    "-999999999999",
    "9" * 40,
    "1e309",
    "NaN",
    "-inf",
    "1.5",
    "0x10",
    "2147483648",
    "9223372036854775808",
    "' OR '1'='1' --",
    "1; DROP TABLE users; --",
    '"><script>alert(1)</script>',
    "{{ 7*7 }}{% raw %}",
    "%s%n%x",
    "../../../etc/passwd",
    "javascript:alert(1)",
    "http://127.0.0.1:22/",
    "file:///etc/passwd",
    "https://example.go.th/" + "a" * 3000,
]
INVALID_UTF8 = [b"\xff\xfe", b"\xed\xa0\x80", "ก\ud800".encode("utf-8", "surrogatepass"), b"\xc3("]


def hostile_values() -> st.SearchStrategy[bytes]:
    dates = st.tuples(
        st.integers(-1, 40), st.integers(-1, 14), st.integers(-1, 3000), st.booleans()
    ).map(lambda t: _thai_digits(f"{t[0]}/{t[1]}/{t[2]}") if t[3] else f"{t[0]}/{t[1]}/{t[2]}")
    return st.one_of(
        st.sampled_from(HOSTILE_TEXT).map(str.encode),
        st.sampled_from(INVALID_UTF8),
        st.integers(-(2**70), 2**70).map(lambda n: str(n).encode()),
        dates.map(str.encode),
        st.text(max_size=30).map(str.encode),
    )


def _thai_digits(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))


@dataclass(frozen=True)
class Upload:
    filename: str
    content: bytes


def bad_files(limit: int) -> st.SearchStrategy[Upload]:
    return st.sampled_from(
        [
            Upload("empty.pdf", b""),
            Upload("รายงาน.pdf", PNG),  # the name says PDF, the bytes say PNG
            Upload("ภาพ.png", PDF),
            Upload("ตรา.jpg", b"GIF89a" + b"\x00" * 32),
            Upload("ตาราง.csv", b"\xff\xfe\x00\x00" + "คะแนน".encode("utf-16")),
            Upload("a.exe", b"MZ\x90\x00" + b"\x00" * 60),
            Upload("../../etc/passwd", JPEG),
            Upload("", PDF),
            Upload("ใหญ่เกิน.pdf", PDF + b"0" * limit),
        ]
    )


# -- requests ------------------------------------------------------------------------------


def draw_request(data, form: PageForm, names: list[str], csrf: str, file_limit: int) -> tuple:
    """The fields to send (name, bytes or Upload), and whether the CSRF token is the real one."""
    hostile = hostile_values()
    # A form with a prefix (one per measure on "my work") names its token "m7-csrf_token".
    token_name = next((n for n, _ in form.fields if n.endswith("csrf_token")), "csrf_token")
    fields: list[tuple[str, bytes | Upload]] = []
    for name, value in form.fields:
        if name == token_name:
            continue
        op = data.draw(st.sampled_from(["keep", "keep", "hostile", "drop", "twice"]))
        if op in ("keep", "twice"):
            fields.append((name, value.encode()))
        if op in ("hostile", "twice"):
            fields.append((name, data.draw(hostile)))
    extra_names = st.one_of(st.sampled_from(names), st.text(min_size=1, max_size=12))
    fields += data.draw(st.lists(st.tuples(extra_names, hostile), max_size=3))
    for name in form.files:
        if data.draw(st.booleans()):
            fields.append((name, data.draw(bad_files(file_limit))))
    token = data.draw(st.sampled_from(["real"] * 6 + ["missing", "wrong", "empty", "twice"]))
    if token in ("real", "twice"):
        fields.insert(0, (token_name, csrf.encode()))
    if token in ("wrong", "twice"):
        fields.insert(0, (token_name, b"IjEyMyI.forged.token"))
    if token == "empty":
        fields.append((token_name, b""))
    return fields, token == "real"


def encode(fields: list[tuple[str, bytes | Upload]]) -> tuple[bytes, str]:
    """The request body: urlencoded, or multipart when a file is sent (raw bytes either way)."""
    if not any(isinstance(v, Upload) for _, v in fields):
        body = "&".join(
            f"{quote_from_bytes(n.encode('utf-8', 'surrogatepass'))}={quote_from_bytes(v)}"
            for n, v in fields
        )
        return body.encode(), "application/x-www-form-urlencoded"
    boundary = "fuzzboundary7MA4YWxkTrZu0gW"
    parts = []
    for name, value in fields:
        quoted = name.replace('"', "%22").replace("\r", "").replace("\n", "")
        if isinstance(value, Upload):
            filename = value.filename.replace('"', "%22")
            head = (
                f'Content-Disposition: form-data; name="{quoted}"; filename="{filename}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            )
            content = value.content
        else:
            head, content = f'Content-Disposition: form-data; name="{quoted}"\r\n\r\n', value
        parts.append(f"--{boundary}\r\n{head}".encode("utf-8", "surrogatepass") + content)
    body = b"\r\n".join(parts) + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


# -- what must hold ------------------------------------------------------------------------


def snapshot(app, skip: set[str] = frozenset()) -> dict[str, tuple[int, str]]:
    """Each table's row count and a hash of its content."""
    with app.app_context():
        state = {}
        for table in db.metadata.sorted_tables:
            if table.name in skip:
                continue
            rows = db.session.execute(sa.select(table).order_by(*table.primary_key.columns))
            digest, count = hashlib.sha256(), 0
            for row in rows:
                digest.update(repr(tuple(row)).encode())
                count += 1
            state[table.name] = (count, digest.hexdigest()[:16])
        db.session.rollback()
        return state


def changed(before: dict, after: dict) -> list[str]:
    return sorted(t for t in before if before[t] != after.get(t))


class ErrorLog(logging.Handler):
    """Records every ERROR the app logs (an unhandled exception is logged before the 500)."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def error_log(app):
    handler = ErrorLog()
    logging.getLogger().addHandler(handler)
    app.logger.addHandler(handler)
    yield handler
    logging.getLogger().removeHandler(handler)
    app.logger.removeHandler(handler)


FIELD_ERROR = re.compile(r'<p class="error"')


def take_flashes(client) -> list[str]:
    """The categories of the messages the request flashed (taken, so they do not pile up)."""
    with client.session_transaction() as session:
        return [category for category, _ in session.pop("_flashes", [])]


def check_answer(response, label: str) -> None:
    """A Thai page, a redirect within the site, or a download; never a server error."""
    assert response.status_code < 500, f"{label} -> {response.status_code}"
    if 300 <= response.status_code < 400:
        location = urlsplit(response.headers["Location"])
        assert not location.netloc, f"{label} redirects off the site: {location}"
        return
    if response.mimetype == "text/html":
        body = response.get_data(as_text=True)
        assert '<html lang="th">' in body, f"{label}: not one of the app's pages"
        assert "Traceback" not in body


def refused(response, flashes: list[str]) -> bool:
    if response.status_code >= 400 or {"danger", "warning"} & set(flashes):
        return True
    return response.status_code == 200 and bool(FIELD_ERROR.search(response.get_data(as_text=True)))


# -- the world and the forms of its pages ----------------------------------------------------


@pytest.fixture(scope="module")
def world(database_template, tmp_path_factory):
    """On SQLite, the demo organisation and B built once, as a file each test copies."""
    if PG_URL:
        yield None
        return
    folder = tmp_path_factory.mktemp("fuzz-world")
    path = folder / "world.sqlite3"
    shutil.copy(database_template, path)
    app = create_app(make_config(f"sqlite:///{path}", str(folder / "storage")))
    with app.app_context():
        demo.create_demo()
        db.session.commit()
    b = other_organisation(app)
    with app.app_context():
        db.engine.dispose()
    yield folder, b


@pytest.fixture
def app(world, database_template, tmp_path):
    """The app on a copy of the built world (SQLite) or on a fresh database (PostgreSQL)."""
    if world is None:
        url, storage = _fresh_database(database_template, tmp_path), tmp_path / "storage"
    else:
        shutil.copy(world[0] / "world.sqlite3", tmp_path / "test.sqlite3")
        url, storage = f"sqlite:///{tmp_path / 'test.sqlite3'}", tmp_path / "storage"
        if (world[0] / "storage").exists():
            shutil.copytree(world[0] / "storage", storage)
    application = create_app(make_config(url, str(storage)))
    application.test_client_class = Client
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def b(app, world, demo_template):
    """Organisation B next to the demo one, so B's people have every kind of row."""
    if world is not None:
        return world[1]
    with app.app_context():
        demo_template.load(app)
    return other_organisation(app)


CRAWLED: dict[str | None, dict[str, PageForm]] = {}  # the same in every test: the world is


def crawl_forms(app, client, b, user: str | None) -> dict[str, PageForm]:
    """The POST forms of every page the user can open, by the path they post to (crawled once
    per user: every test starts from the same world)."""
    if user not in CRAWLED:
        CRAWLED[user] = _crawl(app, client, b)
    return CRAWLED[user]


def _crawl(app, client, b) -> dict[str, PageForm]:
    forms: dict[str, PageForm] = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or "code" in rule.arguments:
            continue
        fill = {**ROW_PARAMS, **SCOPE_PARAMS}
        if not set(rule.arguments) <= set(fill):
            continue
        for doc_id in (b.memo_id, b.draft_id) if "doc_id" in rule.arguments else (None,):
            args = {n: fill[n](b)[0] for n in rule.arguments}
            if doc_id:
                args["doc_id"] = doc_id
            if "fiscal_year" in args and rule.endpoint.startswith("ita."):
                args["fiscal_year"] = ITA_YEAR
            url = rule.build(args, append_unknown=False)[1]
            response = client.get(url)
            if response.status_code == 200 and response.mimetype == "text/html":
                for form in page_forms(response.get_data(as_text=True), url):
                    forms.setdefault(form.action, form)
            response.close()
    take_flashes(client)
    return forms


def all_field_names(forms: dict[str, PageForm]) -> list[str]:
    return sorted({n for f in forms.values() for n, _ in f.fields} | {"id", "org_id", "next"})


# -- the tests -------------------------------------------------------------------------------


def test_every_post_endpoint_is_fuzzed_or_says_why_not(app):
    posting = {r.endpoint for r in app.url_map.iter_rules() if "POST" in r.methods}
    assert posting - set(NOT_FUZZED) == {r.endpoint for r in POST_RULES}
    assert set(NOT_FUZZED) <= posting, "a skipped endpoint no longer exists: drop it from the list"
    assert len(POST_RULES) >= 50


@pytest.mark.parametrize("rule", POST_RULES, ids=lambda r: f"{r.endpoint}:{r.rule}")
def test_hostile_form_data_is_refused_cleanly(app, client, b, error_log, rule):
    user = fuzz_user(rule.endpoint)
    if user:
        login(client, user)
    else:
        client.fetch_csrf("/login")
    url = fuzz_url(rule, b)
    forms = crawl_forms(app, client, b, user)
    form = forms.get(urlsplit(url).path) or PageForm(url, url)
    # As a user would, open the pages first: a year's first visit saves its default rounds.
    for page in {form.page, f"/reports/{b.fiscal_year}", f"/measures/years/{b.fiscal_year}"}:
        client.get(page).close()
    take_flashes(client)
    names = all_field_names(forms)
    limit = app.config["MAX_ATTACHMENT_BYTES"]
    skip = MAY_CHANGE_WHEN_REFUSED.get(rule.endpoint, set())
    tried = {"refused": 0, "accepted": 0}

    @given(data=st.data())
    def fuzz(data):
        fields, real_token = draw_request(data, form, names, client.csrf, limit)
        body, content_type = encode(fields)
        before = snapshot(app, skip)
        response = client.post(url, data=body, content_type=content_type)
        label = f"POST {url} {fields!r:.300}"
        check_answer(response, label)
        flashes = take_flashes(client)
        assert not error_log.records, f"{label} logged {error_log.records[0].getMessage()}"
        if not real_token:
            assert response.status_code in (400, 413), f"{label}: a bad CSRF token was accepted"
        if refused(response, flashes) or not real_token:
            tried["refused"] += 1
            diff = changed(before, snapshot(app, skip))
            assert not diff, f"{label} was refused but changed {diff}"
        else:
            tried["accepted"] += 1
        response.close()

    fuzz()
    assert tried["refused"] > 0


# -- query strings of the list pages ---------------------------------------------------------

LIST_PAGES = [
    "/",
    "/my",
    "/documents/pending",
    "/documents/mine",
    "/lists/documents",
    "/lists/measures",
    "/search/",
    "/measures/",
    "/measures/years/{fiscal_year}",
    "/reports/",
    "/reports/rounds",
    "/reports/holidays",
    "/notifications/",
    "/ita/",
    "/documents/new",
    "/v",
]
QUERY_NAMES = [
    "q",
    "kind",
    "doc_type",
    "state",
    "fiscal_year",
    "unit",
    "status",
    "year",
    "page",
    "export",
    "type",
    "code",
    "next",
]


@pytest.mark.parametrize("page", LIST_PAGES)
def test_hostile_query_strings_never_break_a_list_page(app, client, b, error_log, page):
    login(client, "nb_admin")
    url = page.format(fiscal_year=b.fiscal_year)
    names = st.one_of(st.sampled_from(QUERY_NAMES), st.text(min_size=1, max_size=8))
    values = st.one_of(hostile_values(), st.sampled_from([b"csv", b"xlsx", b"2", b"overdue"]))

    @given(query=st.lists(st.tuples(names, values), max_size=5))
    def fuzz(query):
        before = snapshot(app)
        qs = "&".join(
            f"{quote_from_bytes(n.encode('utf-8', 'surrogatepass'))}={quote_from_bytes(v)}"
            for n, v in query
        )
        response = client.get(f"{url}?{qs}")
        check_answer(response, f"GET {url}?{qs:.300}")
        assert not error_log.records, f"GET {url}?{qs:.300} logged an error"
        response.close()
        take_flashes(client)
        assert changed(before, snapshot(app)) == [], f"GET {url}?{qs:.300} changed data"

    client.get(url).close()  # the first visit may save the year's default rounds
    fuzz()
