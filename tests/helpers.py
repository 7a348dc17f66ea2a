"""Helpers for tests that walk the pages like a user."""

import re

import sqlalchemy as sa

from extensions import db
from models import DecisionLog, Document


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
