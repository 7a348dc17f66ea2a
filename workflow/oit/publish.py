"""Publishing an approved memo at a stable public address, /p/<org slug>/<year>/<item>, as the
evidence of the OIT item that asks for it; retracting it; and the lookup the public pages use.

Only approved analysis memos and annual progress reports that a year's catalogue names (its
`publishes`) can be published; nothing else of an organisation is ever public.
"""

from dataclasses import dataclass

import sqlalchemy as sa

import clock
from extensions import db
from models import (
    Action,
    DocState,
    DocType,
    Document,
    FrozenPdf,
    Organisation,
    Publication,
    ReportRound,
    RoundKind,
    User,
)
from pdf import freeze
from workflow import audit
from workflow.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from workflow.ita.catalogue import Catalogue
from workflow.ita.store import available_years, get_catalogue
from workflow.oit.board import live_publication
from workflow.permissions import get_document


@dataclass(frozen=True)
class Place:
    """Where a memo is published: an assessment year's OIT item."""

    fiscal_year: int
    code: str
    text: str
    catalogue: Catalogue


@dataclass
class Public:
    """What the public page shows; nothing else is read for an anonymous visitor."""

    organisation: Organisation
    place: Place
    publication: Publication
    document: Document
    frozen: FrozenPdf


def place_of(doc: Document) -> Place | None:
    """The OIT item whose catalogue names this memo's kind and year, newest year first."""
    kind, year = _kind_and_year(doc)
    if kind is None:
        return None
    for fiscal_year in available_years():
        catalogue = get_catalogue(fiscal_year)
        publishes = catalogue.publishes_item(kind)
        if publishes and publishes.from_year == year:
            item = catalogue.item(publishes.item)
            text = item.text if item else ""
            return Place(fiscal_year, publishes.item, text, catalogue)
    return None


def _kind_and_year(doc: Document) -> tuple[str | None, int | None]:
    if doc.doc_type == DocType.ANALYSIS and doc.analysis_snapshot is not None:
        return "analysis", doc.analysis_snapshot.fiscal_year
    if doc.doc_type == DocType.PROGRESS_REPORT and doc.report_snapshot is not None:
        round_ = db.session.get(ReportRound, doc.report_snapshot.round_id)
        if round_.kind == RoundKind.ANNUAL:
            return "annual_report", round_.fiscal_year
    return None, None


def can_publish(user: User, doc: Document) -> bool:
    """The organisation's admin or the memo's drafter, once the memo is approved."""
    return (
        user.active
        and doc.org_id == user.org_id
        and (user.is_admin or doc.drafter_id == user.id)
        and doc.state == DocState.APPROVED
    )


def publication_of(doc: Document) -> Publication | None:
    """The memo's live publication, if any."""
    stmt = sa.select(Publication).where(
        Publication.document_id == doc.id, Publication.retracted_at.is_(None)
    )
    return db.session.scalar(stmt)


def publish(doc_id: int, actor: User) -> Publication:
    """Serve the approved memo at its item's public address; a memo published there before is
    retracted. Who and when go into the decision log."""
    doc = _locked(doc_id, actor)
    if doc.state != DocState.APPROVED:
        raise InvalidTransition("เผยแพร่ได้เฉพาะเอกสารที่อนุมัติแล้ว")
    if not can_publish(actor, doc):
        raise NotAllowed("เฉพาะผู้จัดทำเอกสารหรือผู้ดูแลระบบขององค์กรเผยแพร่เอกสารได้")
    place = place_of(doc)
    if place is None:
        raise ValidationFailed(
            "เอกสารนี้ไม่ใช่หลักฐานของรายการ OIT ใดในแคตตาล็อก"
            " (เผยแพร่ได้เฉพาะบันทึกวิเคราะห์ผล ITA และรายงานผลรอบ 12 เดือน)"
        )
    if freeze.frozen_of(doc.id) is None:
        raise ValidationFailed("ระบบกำลังจัดทำ PDF ฉบับอนุมัติ กรุณาลองเผยแพร่อีกครั้งในอีกสักครู่")
    if publication_of(doc) is not None:
        raise InvalidTransition("เอกสารนี้เผยแพร่อยู่แล้ว")
    previous = live_publication(actor.org_id, place.fiscal_year, place.code)
    if previous is not None:
        _retract(previous, actor)
    publication = Publication(
        org_id=actor.org_id,
        document_id=doc.id,
        fiscal_year=place.fiscal_year,
        code=place.code,
        published_at=clock.now(),
        published_by_id=actor.id,
    )
    db.session.add(publication)
    path = public_path(_slug(actor.organisation), place.fiscal_year, place.code)
    audit.record(
        doc, actor, Action.PUBLISH, comment=f"OIT {place.code} ปี {place.fiscal_year}: {path}"
    )
    db.session.flush()
    return publication


def retract(doc_id: int, actor: User) -> Publication:
    """Stop serving the memo publicly; the publication stays on record."""
    doc = _locked(doc_id, actor)
    if not can_publish(actor, doc):
        raise NotAllowed("เฉพาะผู้จัดทำเอกสารหรือผู้ดูแลระบบขององค์กรยกเลิกการเผยแพร่ได้")
    publication = publication_of(doc)
    if publication is None:
        raise InvalidTransition("เอกสารนี้ไม่ได้เผยแพร่อยู่")
    _retract(publication, actor)
    db.session.flush()
    return publication


def _retract(publication: Publication, actor: User) -> None:
    publication.retracted_at, publication.retracted_by_id = clock.now(), actor.id
    comment = f"OIT {publication.code} ปี {publication.fiscal_year}"
    audit.record(publication.document, actor, Action.RETRACT, comment=comment)


def _locked(doc_id: int, actor: User) -> Document:
    get_document(doc_id, actor)  # NotFound for another organisation's memo
    stmt = sa.select(Document).where(Document.id == doc_id).with_for_update()
    return db.session.scalars(stmt.execution_options(populate_existing=True)).one()


def _slug(org: Organisation) -> str:
    """The organisation's public slug, given on first use and never changed."""
    if not org.slug:
        org.slug = f"org-{org.id}"
    return org.slug


def public_path(slug: str, fiscal_year: int, code: str) -> str:
    return f"/p/{slug}/{fiscal_year}/{code}"


def public(slug: str, fiscal_year: int, code: str) -> Public:
    """The live publication at an address, or NotFound: drafts, retracted and unpublished
    memos, and anything of an organisation that is not published, do not exist here."""
    org = db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
    publication = live_publication(org.id, fiscal_year, code) if org else None
    document = publication.document if publication else None
    frozen = freeze.frozen_of(document.id) if document else None
    if document is None or document.state != DocState.APPROVED or frozen is None:
        raise NotFound("ไม่พบเอกสารที่เผยแพร่ที่ที่อยู่นี้")
    catalogue = get_catalogue(fiscal_year)
    item = catalogue.item(code) if catalogue else None
    place = Place(fiscal_year, code, item.text if item else "", catalogue)
    return Public(org, place, publication, document, frozen)
