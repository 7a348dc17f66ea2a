"""Helpers for tests that walk the pages like a user."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import sqlalchemy as sa

from extensions import db
from models import DecisionLog, Document


def text(response, status: int = 200) -> str:
    """A response's page, after checking it answered `status`."""
    assert response.status_code == status, response.status_code
    return response.get_data(as_text=True)


def body(response) -> str:
    """A response's page, whatever its status (for pages that answer 400, 403 or 404)."""
    return response.get_data(as_text=True)


def hidden_fields(html: str) -> dict[str, str]:
    """The hidden inputs of a page (revision, step_no, csrf_token)."""
    fields = {}
    for tag in re.findall(r"<input[^>]*type=\"hidden\"[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


def decide(client, doc_id: int, decision: str, comment: str = ""):
    """Open the memo and sign its current step, as the decision form would."""
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    fields = hidden_fields(page)
    data = {
        "revision": fields["revision"],
        "step_no": fields["step_no"],
        "decision": decision,
        "comment": comment,
    }
    return client.post_form(f"/documents/{doc_id}/decide", data)


def return_memo(client, doc_id: int, reason: str, resume_here: bool = False):
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    fields = hidden_fields(page)
    data = {"revision": fields["revision"], "step_no": fields["step_no"], "reason": reason}
    if resume_here:
        data["resume_here"] = "y"
    return client.post_form(f"/documents/{doc_id}/return", data)


def document(app, doc_id: int) -> Document:
    with app.app_context():
        doc = db.session.get(Document, doc_id)
        db.session.expunge(doc)
        return doc


def log_rows(app, doc_id: int) -> list[DecisionLog]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(DecisionLog).where(DecisionLog.document_id == doc_id).order_by(DecisionLog.id)
        ).all()
        for row in rows:
            db.session.expunge(row)
        return rows


def logout(client):
    return client.post_form("/logout")


def error_beside(html: str, field_id: str) -> list[str]:
    """The error messages the page shows beside one field."""
    return re.findall(rf'<p class="error" id="{re.escape(field_id)}-error">([^<]*)</p>', html)


class StatementCounter:
    """Counts the SQL statements the app sends while the `with` block runs."""

    def __init__(self, app):
        with app.app_context():
            self.engine = db.engine
        self.statements: list[str] = []

    def _count(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    def __enter__(self) -> "StatementCounter":
        sa.event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc) -> None:
        sa.event.remove(self.engine, "before_cursor_execute", self._count)

    def __len__(self) -> int:
        return len(self.statements)


def count_statements(app, client, url: str) -> int:
    """Statements one GET of `url` runs (the page must answer 200)."""
    with StatementCounter(app) as counter:
        response = client.get(url)
        response.get_data()
    assert response.status_code == 200, f"GET {url} -> {response.status_code}"
    return len(counter)


@dataclass
class PageForm:
    """A POST form as a page renders it: where it posts, its fields with their values."""

    action: str
    page: str  # the page that shows the form
    fields: list[tuple[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


class _FormParser(HTMLParser):
    def __init__(self, page_path: str):
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: list[PageForm] = []
        self.form: PageForm | None = None
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []
        self.textarea: str | None = None
        self.text = ""
        self.radios: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                action = urlsplit(a.get("action") or self.page_path).path
                self.form, self.radios = PageForm(action, self.page_path), {}
            return
        if self.form is None or "name" not in a:
            if tag == "option" and self.select is not None:
                self.options.append((a.get("value", ""), "selected" in a))
            return
        name, kind = a["name"], a.get("type", "text").lower()
        if tag == "input" and kind == "file":
            self.form.files.append(name)
        elif tag == "input" and kind == "radio":
            if "checked" in a or name not in self.radios:
                self.radios[name] = a.get("value", "on")
        elif tag == "input" and kind == "checkbox":
            if "checked" in a:
                self.form.fields.append((name, a.get("value", "y")))
        elif tag == "input" and kind not in ("submit", "button", "reset", "image"):
            self.form.fields.append((name, a.get("value", "")))
        elif tag == "select":
            self.select, self.options = name, []
        elif tag == "textarea":
            self.textarea, self.text = name, ""

    def handle_data(self, data):
        if self.textarea is not None:
            self.text += data

    def handle_endtag(self, tag):
        if self.form is None:
            return
        if tag == "select" and self.select is not None:
            chosen = [v for v, selected in self.options if selected] or [
                v for v, _ in self.options[:1]
            ]
            self.form.fields += [(self.select, v) for v in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.form.fields.append((self.textarea, self.text.strip("\n")))
            self.textarea = None
        elif tag == "form":
            self.form.fields += list(self.radios.items())
            self.forms.append(self.form)
            self.form = None


def page_forms(html: str, page_path: str) -> list[PageForm]:
    """The POST forms of a page, each with the values a user who changes nothing would send."""
    parser = _FormParser(page_path)
    parser.feed(html)
    return parser.forms
