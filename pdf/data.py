"""Plain data for the PDF template, built from the ORM: strings already in the organisation's
digits and B.E. dates, lists and dicts, nothing the template could query or call."""

from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app

import clock
import storage
import thai
from extensions import db
from models import DECISION_ACTIONS, DecisionLog, DocState, Document, User
from pdf import annexes
from workflow import audit, signatures

DRAFT_BANNER = "ฉบับร่าง – ยังไม่ได้รับอนุมัติ"


@dataclass(frozen=True)
class Fmt:
    """Digits and dates the way the organisation prints them."""

    thai_digits: bool

    def num(self, text) -> str:
        return thai.digits("" if text is None else text, self.thai_digits)

    def day(self, value: date | None) -> str:
        return thai.format_date(value, self.thai_digits)

    def moment(self, value: datetime | None) -> str:
        return thai.format_datetime(clock.local(value), self.thai_digits) if value else ""


def memo_data(doc: Document, *, verify_code: str | None = None) -> dict:
    """Everything the memo template prints; `verify_code` is given only when freezing."""
    org = doc.organisation
    fmt = Fmt(org.thai_digits)
    log = audit.timeline(doc)
    images = Images()
    return {
        "title": fmt.num(" ".join(filter(None, ("บันทึกข้อความ", doc.number, doc.subject)))),
        "author": org.name,
        "thai_digits": org.thai_digits,
        "draft": _draft_mark(doc),
        "garuda": images.ref(org.garuda_key),
        "header": {
            "unit": fmt.num(doc.issuing_unit),
            "number": fmt.num(doc.number or ""),
            "date": fmt.day(doc.doc_date),
            "subject": fmt.num(doc.subject),
        },
        "addressee": fmt.num(doc.addressee),
        "sections": [
            {"heading": fmt.num(s.heading), "paragraphs": _paragraphs(fmt.num(s.body))}
            for s in doc.sections
        ],
        "closing": fmt.num(doc.closing),
        **chain_blocks(doc, log, fmt, images),
        "annexes": annexes.for_document(doc, fmt),
        "footer": _footer(verify_code, fmt),
        "image_keys": images.keys,
    }


CHAIN_KEYS = ("heading", "decision", "name", "positions", "when", "earlier")
PAPER_FACTS = ("organisation", "number", "date", "subject")


def printed_facts(doc: Document, memo: dict) -> dict:
    """What the approved PDF prints for a paper check, from the content fixed at approval."""
    chain = [{**memo["drafter"], "heading": "ผู้เสนอเรื่อง"}, *memo["steps"]]
    return {
        "organisation": doc.organisation.name,
        "number": memo["header"]["number"],
        "date": memo["header"]["date"],
        "subject": memo["header"]["subject"],
        "chain": [{k: b.get(k) for k in CHAIN_KEYS} for b in chain],
    }


def _draft_mark(doc: Document) -> dict | None:
    if doc.state == DocState.APPROVED:
        return None
    return {"banner": DRAFT_BANNER, "state": doc.state.label}


def _footer(verify_code: str | None, fmt: Fmt) -> dict:
    if verify_code is None:
        return {"code": "", "url": "", "printed": fmt.moment(clock.now())}
    base = current_app.config["BASE_URL"].rstrip("/")
    return {"code": verify_code, "url": f"{base}/v/{verify_code}", "printed": ""}


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class Images:
    """Stored images the memo shows; the renderer's fetcher may serve these keys and no others."""

    def __init__(self) -> None:
        self.keys: list[str] = []

    def ref(self, key: str | None) -> str | None:
        if not key or not key.isalnum() or not storage.path_of(key).is_file():
            return None
        if key not in self.keys:
            self.keys.append(key)
        return f"storage:{key}"


def chain_blocks(doc: Document, log: list[DecisionLog], fmt: Fmt, images: "Images") -> dict:
    """The drafter's block and one block per step, as printed under the memo."""
    chain = signatures.signatures(doc, log)
    return {
        "drafter": _printed(chain.drafter, fmt, images),
        "steps": [_printed(b, fmt, images) for b in chain.steps],
    }


def _printed(block: signatures.Block, fmt: Fmt, images: "Images") -> dict:
    if block.row is None:
        return _blank_block(block.heading, block.position_title, name=block.name)
    return _signed_block(block.row, block.heading, fmt, images, earlier=block.earlier)


def _signed_block(
    row: DecisionLog, heading: str | None, fmt: Fmt, images: Images, earlier: bool = False
) -> dict:
    signer = db.session.get(User, row.actor_id)
    printed_decision, comment = row.opinion
    return {
        "heading": heading,
        "signed": True,
        "decision": fmt.num(row.decision or ""),
        "printed_decision": fmt.num(printed_decision),
        "comment": _paragraphs(fmt.num(comment)) if row.action in DECISION_ACTIONS else [],
        "signature": images.ref(signer.signature_key if signer else None),
        "typed_name": row.actor_name,
        "name": row.actor_name,
        "positions": _position_lines(row),
        "date": fmt.day(clock.local(row.created_at).date()),
        "when": fmt.moment(row.created_at),
        "earlier": earlier,
    }


def _blank_block(heading: str | None, position: str, name: str = "") -> dict:
    return {
        "heading": heading,
        "signed": False,
        "decision": "",
        "printed_decision": "",
        "comment": [],
        "signature": None,
        "typed_name": "",
        "name": name,
        "positions": [position] if position else [],
        "date": "",
        "when": "",
        "earlier": False,
    }


def _position_lines(row: DecisionLog) -> list[str]:
    """Seed 000: 'หัวหน้าฝ่ายบริหารงานทั่วไป รักษาราชการแทน' / 'หัวหน้าสำนักปลัด'."""
    if not row.acting_for:
        return [row.actor_position] if row.actor_position else []
    kind = row.acting_kind.label if row.acting_kind else ""
    return [f"{row.actor_position} {kind}".strip(), row.acting_for]
