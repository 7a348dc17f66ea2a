"""The analysis memo: drafted in one action from a year's results, with its data frozen beside it
(AnalysisSnapshot); the data is refreshed and its texts edited only while the drafter may edit
the memo, so what the signers saw never changes under them. Then it climbs its chain like any memo.
"""

import copy
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

import clock
from extensions import db
from models import (
    DEFAULT_CLOSING,
    AnalysisSnapshot,
    DocState,
    DocType,
    Document,
    User,
)
from workflow import documents
from workflow.errors import NotFound, ValidationFailed
from workflow.ita import memo_text, overview
from workflow.ita.results import require_catalogue, require_enter, result_of_year
from workflow.permissions import can_view, require_editable

MAX_TEXT = 5_000
MAX_DIRECTIVE = 500


@dataclass(frozen=True)
class Announcement:
    """What เรื่องเดิม and ข้อเท็จจริง cite: ป.ป.ช.'s announcements and the directive, if any."""

    criteria_on: date | None = None  # ประกาศหลักเกณฑ์การประเมิน
    results_on: date | None = None  # ประกาศผลการประเมิน
    directive: str = ""  # e.g. "ตามแนวทางหนังสือสั่งการของอำเภอ… ที่ … ลงวันที่ …"

    def as_data(self) -> dict:
        return {
            "criteria_on": self.criteria_on.isoformat() if self.criteria_on else None,
            "results_on": self.results_on.isoformat() if self.results_on else None,
            "directive": self.directive.strip(),
        }


def default_announcement(user: User, fiscal_year: int) -> Announcement:
    """The catalogue's dates, or the result's own announcement date when it was entered."""
    catalogue = require_catalogue(fiscal_year)
    result = result_of_year(user, fiscal_year)
    results_on = result.announced_on if result and result.announced_on else None
    return Announcement(
        catalogue.criteria_announced_on, results_on or catalogue.results_announced_on
    )


OPEN_STATES = (DocState.DRAFT, DocState.IN_REVIEW, DocState.RETURNED)


def open_analyses(actor: User, fiscal_year: int) -> list[Document]:
    """The organisation's analysis memos of the year still being drafted or signed that the
    actor may open, so a second one is not drafted by mistake (the page warns, never refuses)."""
    stmt = (
        sa.select(Document)
        .join(AnalysisSnapshot, AnalysisSnapshot.document_id == Document.id)
        .where(
            Document.org_id == actor.org_id,
            Document.doc_type == DocType.ANALYSIS,
            Document.state.in_(OPEN_STATES),
            AnalysisSnapshot.fiscal_year == fiscal_year,
        )
        .order_by(Document.id)
    )
    return [doc for doc in db.session.scalars(stmt) if can_view(actor, doc)]


def draft_analysis(actor: User, fiscal_year: int, announcement: Announcement) -> Document:
    """A draft memo to the chain's last signer with the year's analysis filled in."""
    require_enter(actor)
    if len(announcement.directive) > MAX_DIRECTIVE:
        raise ValidationFailed(f"ยาวได้ไม่เกิน {MAX_DIRECTIVE} ตัวอักษร", field="directive")
    data = overview.collect(actor, fiscal_year, announcement.as_data())
    addressee = documents.final_signer(actor.org_id, DocType.ANALYSIS)
    unit = actor.unit
    issuer = f"{unit.name}{actor.organisation.name}" if unit else actor.organisation.name
    doc = documents.create_draft(
        actor,
        documents.MemoContent(
            doc_type=DocType.ANALYSIS,
            issuing_unit=unit.memo_heading() if unit else actor.organisation.name,
            doc_date=clock.today(),
            subject=memo_text.subject(fiscal_year),
            addressee=addressee,
            sections=memo_text.sections(data, issuer, addressee),
            closing=DEFAULT_CLOSING,
            unit_id=unit.id if unit else None,
        ),
    )
    doc.analysis_snapshot = AnalysisSnapshot(
        org_id=actor.org_id, fiscal_year=fiscal_year, taken_at=clock.now(), data=data
    )
    db.session.flush()
    return doc


def refresh(doc_id: int, actor: User) -> bool:
    """Take the figures and the plan again; texts the drafter edited stay. True if it changed."""
    doc = lock_analysis(doc_id, actor)
    require_editable(actor, doc)
    snapshot = doc.analysis_snapshot
    old = snapshot.data
    new = overview.collect(actor, snapshot.fiscal_year, old["announcement"])
    edited = {row["number"]: row for row in old["indicators"] if row.get("edited")}
    for row in new["indicators"]:
        if row["number"] in edited:
            kept = edited[row["number"]]
            row.update(strength=kept["strength"], weakness=kept["weakness"], edited=True)
    for section in doc.sections:  # the facts follow the figures unless the drafter rewrote them
        if section.heading == memo_text.FACTS and section.body == memo_text.facts(old):
            section.body = memo_text.facts(new)
    snapshot.data, snapshot.taken_at = new, clock.now()
    db.session.flush()
    return old != new


def update_texts(doc_id: int, actor: User, texts: dict[int, tuple[str, str]]) -> Document:
    """The drafter's own จุดเด่น / จุดที่ควรพัฒนา per indicator number."""
    doc = lock_analysis(doc_id, actor)
    require_editable(actor, doc)
    data = copy.deepcopy(doc.analysis_snapshot.data)  # a new object, so the JSON column saves
    for row in data["indicators"]:
        if row["number"] not in texts:
            continue
        strength, weakness = (t.strip() for t in texts[row["number"]])
        for name, value in (("strength", strength), ("weakness", weakness)):
            if len(value) > MAX_TEXT:
                raise ValidationFailed(
                    f"ยาวได้ไม่เกิน {MAX_TEXT:,} ตัวอักษร", field=f"{name}_{row['number']}"
                )
        if (strength, weakness) != (row["strength"], row["weakness"]):
            row.update(strength=strength, weakness=weakness, edited=True)
    doc.analysis_snapshot.data = data
    db.session.flush()
    return doc


def lock_analysis(doc_id: int, actor: User) -> Document:
    missing = "ไม่พบบันทึกวิเคราะห์ผลการประเมินนี้"
    doc = documents.lock(doc_id, actor, missing)
    if doc.analysis_snapshot is None:
        raise NotFound(missing)
    return doc


def analysis_memos(user: User, fiscal_year: int) -> list[Document]:
    """The organisation's analysis memos of a year, newest first (the caller checks who may open)."""
    stmt = (
        sa.select(Document)
        .join(AnalysisSnapshot, AnalysisSnapshot.document_id == Document.id)
        .where(Document.org_id == user.org_id, AnalysisSnapshot.fiscal_year == fiscal_year)
        .order_by(Document.id.desc())
    )
    return list(db.session.scalars(stmt))
