"""Anchors of the decision log kept outside the database, and gaps in the number register.

Someone with database rights can delete a whole memo with its log rows and seals: every chain
left is intact, so `verify` alone cannot see it. Each backup's manifest therefore keeps every
organisation's row count and the head (last row id and hash) of every document's chain
(`chain_anchor`); `flask audit verify --anchor BACKUP` checks that each head recorded then is
still in the log, unchanged, and that no organisation has fewer rows than then.

Gaps in an organisation's running numbers are listed too: a memo erased after it was numbered
leaves one. A gap can also be numbers used in the paper register (the admin set the next
number), so gaps are reported for a person to check, not counted as damage.
"""

import json
import tarfile
from pathlib import Path

import sqlalchemy as sa

import thai
from extensions import db
from models import DecisionLog, Document, Organisation
from workflow.audit_verify import Problem

MANIFEST = "manifest.json"


def chain_anchor() -> dict:
    """{org id: {"rows": count, "heads": {document id: [last row id, its hash]}}} as of now."""
    anchor: dict[str, dict] = {}
    counts = sa.select(DecisionLog.org_id, sa.func.count()).group_by(DecisionLog.org_id)
    for org_id, rows in db.session.execute(counts):
        anchor[str(org_id)] = {"rows": rows, "heads": {}}
    last = sa.select(sa.func.max(DecisionLog.id)).group_by(DecisionLog.document_id).subquery()
    heads = sa.select(
        DecisionLog.org_id, DecisionLog.document_id, DecisionLog.id, DecisionLog.row_hash
    )
    for org_id, doc_id, row_id, row_hash in db.session.execute(
        heads.where(DecisionLog.id.in_(sa.select(last)))
    ):
        anchor[str(org_id)]["heads"][str(doc_id)] = [row_id, row_hash]
    return anchor


def read_anchor(path: Path) -> dict:
    """The anchor kept in a backup archive's manifest (or in a manifest.json taken out of one)."""
    if path.suffix == ".json":
        manifest = json.loads(path.read_text(encoding="utf-8"))
    else:
        with tarfile.open(path, "r:gz") as archive:
            member = archive.extractfile(MANIFEST)
            if member is None:
                raise ValueError(f"{path} has no {MANIFEST}")
            manifest = json.load(member)
    if "chain_anchor" not in manifest:
        raise ValueError(f"{path}: this backup was made before chain anchors were kept")
    return manifest["chain_anchor"]


def compare(anchor: dict, org_id: int | None = None) -> list[Problem]:
    """What the log lost or changed since the anchor was taken."""
    found = []
    for org_key, kept in anchor.items():
        if org_id is not None and int(org_key) != org_id:
            continue
        org_name = db.session.scalar(
            sa.select(Organisation.name).where(Organisation.id == int(org_key))
        )
        now = db.session.scalar(
            sa.select(sa.func.count()).where(DecisionLog.org_id == int(org_key))
        )
        if now < kept["rows"]:
            found.append(
                _problem(
                    None,
                    None,
                    org_name,
                    f"บันทึกการพิจารณาเหลือ {now:,} แถว น้อยกว่า {kept['rows']:,} แถวเมื่อสำรองข้อมูล",
                )
            )
        for doc_key, (row_id, row_hash) in kept["heads"].items():
            row = db.session.get(DecisionLog, row_id)
            if row is None or row.row_hash != row_hash or row.document_id != int(doc_key):
                number = db.session.scalar(
                    sa.select(Document.number_seq).where(Document.id == int(doc_key))
                )
                detail = f"แถวบันทึก #{row_id} ซึ่งเป็นแถวล่าสุดของเอกสารนี้เมื่อสำรองข้อมูล หายไปหรือถูกเปลี่ยน" + (
                    " (ไม่พบเอกสารนี้ในระบบแล้ว: ถูกลบทั้งฉบับ)" if number is None else ""
                )
                found.append(_problem(int(doc_key), row_id, org_name, detail))
    return found


def number_gaps(org_id: int | None = None) -> list[str]:
    """Running numbers missing between the first and the last of each organisation's year."""
    stmt = (
        sa.select(Organisation.name, Document.fiscal_year, Document.number_seq)
        .join(Organisation, Organisation.id == Document.org_id)
        .where(Document.number_seq.is_not(None))
        .order_by(Organisation.name, Document.fiscal_year, Document.number_seq)
    )
    if org_id is not None:
        stmt = stmt.where(Document.org_id == org_id)
    used: dict[tuple[str, int], list[int]] = {}
    for name, year, seq in db.session.execute(stmt):
        used.setdefault((name, year), []).append(seq)
    lines = []
    for (name, year), numbers in used.items():
        missing = sorted(set(range(numbers[0], numbers[-1] + 1)) - set(numbers))
        if missing:
            lines.append(
                f"{name} ปีงบประมาณ {thai.digits(year, False)}: ไม่มีเอกสารเลขที่ {_ranges(missing)}"
                " (ตรวจว่าเป็นเลขที่ใช้ในทะเบียนกระดาษ หรือเอกสารถูกลบ)"
            )
    return lines


def _ranges(numbers: list[int]) -> str:
    """[3, 4, 5, 9] -> '3–5, 9'."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in spans)


def _problem(doc_id: int | None, row_id: int | None, org_name: str | None, detail: str) -> Problem:
    return Problem(doc_id or 0, None, org_name or "องค์กรที่ไม่พบแล้ว", row_id, "erased", detail)
