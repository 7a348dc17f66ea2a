"""A year's OIT board as plain rows: the catalogue's items joined with what the organisation
keeps for them, the documents of the product that fill them, and a status per item."""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

import clock
import thai
from extensions import db, read_columns
from models import (
    AnalysisSnapshot,
    DocState,
    DocType,
    Document,
    OitEvidence,
    OitItem,
    Publication,
    ReportRound,
    ReportSnapshot,
    RoundKind,
    User,
)
from workflow.ita.catalogue import Catalogue, Publishes
from workflow.ita.store import available_years, get_catalogue

MISSING, PRESENT, BROKEN, CHECKED = "missing", "present", "broken", "checked"
STATUS_LABELS = {
    MISSING: "ยังไม่มี",
    PRESENT: "มีแล้ว",
    BROKEN: "ลิงก์เสีย",
    CHECKED: "ตรวจแล้ว",
}
READY = (PRESENT, CHECKED)


def status_of(links: int, broken: int, published: bool, checked: bool) -> str:
    """An item's status: a broken link outweighs the rest; nothing at all is missing."""
    if broken:
        return BROKEN
    if not links and not published:
        return MISSING
    return CHECKED if checked else PRESENT


@dataclass
class Produced:
    """A document of the product that is this item's evidence, and where it is published."""

    document: Document
    publication: Publication | None


@dataclass
class Row:
    code: str
    text: str
    provisional: str
    kept: OitItem | None
    produced: Produced | None = None
    status: str = MISSING

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def ready(self) -> bool:
        return self.status in READY

    @property
    def evidence(self) -> list:
        return self.kept.evidence if self.kept else []


@dataclass
class Board:
    fiscal_year: int
    catalogue: Catalogue
    rows: list[Row] = field(default_factory=list)

    @property
    def ready(self) -> int:
        return sum(row.ready for row in self.rows)

    @property
    def missing(self) -> list[Row]:
        return [row for row in self.rows if not row.ready]


def board_years() -> list[int]:
    """Years whose catalogue lists OIT items, newest first."""
    return [y for y in available_years() if (c := get_catalogue(y)) and c.oit_items()]


def default_year(today: date | None = None) -> int | None:
    """This fiscal year's board if its items are known, else the latest earlier one."""
    current = thai.fiscal_year(today or clock.today())
    return next((y for y in board_years() if y <= current), None)


def board(user: User, fiscal_year: int) -> Board | None:
    """The organisation's board of a year; None when the year has no OIT items."""
    catalogue = get_catalogue(fiscal_year)
    if catalogue is None:
        return None
    kept = _kept(user.org_id, fiscal_year)
    produced = _produced(user.org_id, fiscal_year, catalogue)
    result = Board(fiscal_year, catalogue)
    for question in catalogue.oit_items():
        row = Row(question.code, question.text, question.provisional, kept.get(question.code))
        row.produced = produced.get(question.code)
        row.status = _status(row)
        result.rows.append(row)
    return result


def readiness(user: User) -> Board | None:
    """The board the executive home summarises ("OIT พร้อม 22/26"): each item's status by the
    same rule as the board, from counts (one statement, no evidence rows or owners loaded)."""
    year = default_year()
    catalogue = get_catalogue(year) if year else None
    if catalogue is None:
        return None
    counts = _link_counts(user.org_id, year)
    produced = _produced(user.org_id, year, catalogue)
    result = Board(year, catalogue)
    for question in catalogue.oit_items():
        links, broken, checked = counts.get(question.code, (0, 0, False))
        row = Row(question.code, question.text, question.provisional, None)
        row.produced = produced.get(question.code)
        published = bool(row.produced and row.produced.publication)
        row.status = status_of(links, broken, published, checked)
        result.rows.append(row)
    return result


def _link_counts(org_id: int, fiscal_year: int) -> dict[str, tuple[int, int, bool]]:
    """Per item code: its evidence links, how many are broken, and whether it was checked."""
    rows = read_columns(_LINK_COUNTS, {"org_id": org_id, "fiscal_year": fiscal_year})
    return {code: (links, broken, checked) for code, links, broken, checked in rows}


# The statements below are built once and run with each organisation's values (a statement
# used again keeps its SQLAlchemy cache key; the executive home runs them on every visit).
_LINK_COUNTS = (
    sa.select(
        OitItem.code,
        sa.func.count(OitEvidence.id),
        sa.func.count(OitEvidence.broken_since),
        OitItem.checked_at.is_not(None),
    )
    .outerjoin(OitEvidence, OitEvidence.item_id == OitItem.id)
    .where(
        OitItem.org_id == sa.bindparam("org_id"),
        OitItem.fiscal_year == sa.bindparam("fiscal_year"),
    )
    .group_by(OitItem.id, OitItem.code, OitItem.checked_at)
)


def _status(row: Row) -> str:
    links = row.evidence
    broken = sum(e.broken_since is not None for e in links)
    published = bool(row.produced and row.produced.publication)
    checked = bool(row.kept and row.kept.checked_at)
    return status_of(len(links), broken, published, checked)


def _kept(org_id: int, fiscal_year: int) -> dict[str, OitItem]:
    stmt = (
        sa.select(OitItem)
        .where(OitItem.org_id == org_id, OitItem.fiscal_year == fiscal_year)
        .options(
            selectinload(OitItem.evidence),
            selectinload(OitItem.owner),
            selectinload(OitItem.owner_unit),
        )
    )
    return {item.code: item for item in db.session.scalars(stmt)}


def _produced(org_id: int, fiscal_year: int, catalogue: Catalogue) -> dict[str, Produced]:
    found = {}
    for publishes in catalogue.publishes:
        document = approved_source(org_id, publishes)
        if document is not None:
            publication = live_publication(org_id, fiscal_year, publishes.item)
            found[publishes.item] = Produced(document, publication)
    return found


def approved_source(org_id: int, publishes: Publishes) -> Document | None:
    """The latest approved memo of the kind and year an item publishes."""
    stmt = _ANALYSIS_SOURCE if publishes.document == "analysis" else _REPORT_SOURCE
    return db.session.scalar(stmt, {"org_id": org_id, "from_year": publishes.from_year})


def _source_statement(analysis: bool) -> sa.Select:
    stmt = sa.select(Document).where(
        Document.org_id == sa.bindparam("org_id"), Document.state == DocState.APPROVED
    )
    if analysis:
        stmt = stmt.join(AnalysisSnapshot, AnalysisSnapshot.document_id == Document.id).where(
            Document.doc_type == DocType.ANALYSIS,
            AnalysisSnapshot.fiscal_year == sa.bindparam("from_year"),
        )
    else:
        stmt = (
            stmt.join(ReportSnapshot, ReportSnapshot.document_id == Document.id)
            .join(ReportRound, ReportRound.id == ReportSnapshot.round_id)
            .where(
                Document.doc_type == DocType.PROGRESS_REPORT,
                ReportRound.kind == RoundKind.ANNUAL,
                ReportRound.fiscal_year == sa.bindparam("from_year"),
            )
        )
    return stmt.order_by(Document.finished_at.desc(), Document.id.desc())


_ANALYSIS_SOURCE = _source_statement(analysis=True)
_REPORT_SOURCE = _source_statement(analysis=False)


def live_publication(org_id: int, fiscal_year: int, code: str) -> Publication | None:
    params = {"org_id": org_id, "fiscal_year": fiscal_year, "code": code}
    return db.session.scalar(_LIVE_PUBLICATION, params)


_LIVE_PUBLICATION = (
    sa.select(Publication)
    .where(
        Publication.org_id == sa.bindparam("org_id"),
        Publication.fiscal_year == sa.bindparam("fiscal_year"),
        Publication.code == sa.bindparam("code"),
        Publication.retracted_at.is_(None),
    )
    .order_by(Publication.id.desc())
)
