"""Evidence URLs on the agency website: plain http(s) links only, each once per measure."""

from urllib.parse import urlsplit, urlunsplit

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

import clock
import thai
from extensions import db
from models import Evidence, Measure, User
from workflow.errors import NotAllowed, NotFound, ValidationFailed
from workflow.measures import history
from workflow.measures.access import can_remove, get_measure, require_report

MAX_URL = 2000
MAX_TITLE = 300
DEFAULT_PORTS = {"http": 80, "https": 443}
HTTP_ONLY = "ใช้ได้เฉพาะลิงก์เว็บไซต์ที่ขึ้นต้นด้วย http:// หรือ https:// เช่น https://www.example.go.th/ita"


def normalise_url(text: str) -> str:
    """The URL as stored: trimmed, scheme and host in lower case, default port dropped; an
    address typed as people say it ("www.…") gets https:// in front.

    Refuses anything but http(s) links to a named host without user:password@.
    """
    url = (text or "").strip()
    if not url:
        raise ValidationFailed("กรุณาระบุ URL ของหลักฐาน", field="url")
    if url[:4].lower() == "www.":
        url = f"https://{url}"
    if len(url) > MAX_URL:
        raise ValidationFailed(f"URL ยาวเกิน {MAX_URL:,} ตัวอักษร", field="url")
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise ValidationFailed("URL ต้องไม่มีช่องว่างหรืออักขระพิเศษที่มองไม่เห็น", field="url")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ValidationFailed("URL ไม่ถูกต้อง กรุณาคัดลอกจากช่องที่อยู่ของเบราว์เซอร์", field="url") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise ValidationFailed(HTTP_ONLY, field="url")
    if "@" in parts.netloc:
        raise ValidationFailed("URL ต้องไม่มีชื่อผู้ใช้หรือรหัสผ่าน (ส่วน ชื่อ:รหัส@)", field="url")
    host = parts.hostname
    if not host:
        raise ValidationFailed("URL ไม่มีชื่อเว็บไซต์ (โดเมน) เช่น www.example.go.th", field="url")
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, parts.fragment))


def evidence_title(text: str) -> str:
    title = thai.to_arabic_digits((text or "").strip())
    if not title:
        raise ValidationFailed("กรุณาตั้งชื่อหลักฐาน เช่น ประกาศเจตนารมณ์ No Gift Policy", field="title")
    if len(title) > MAX_TITLE:
        raise ValidationFailed(f"ชื่อหลักฐานยาวได้ไม่เกิน {MAX_TITLE} ตัวอักษร", field="title")
    return title


def check_new(measure: Measure, url: str, title: str) -> tuple[str, str]:
    """The cleaned URL and title; refuses a URL the measure already has."""
    url, title = normalise_url(url), evidence_title(title)
    stmt = sa.select(Evidence.id).where(Evidence.measure_id == measure.id, Evidence.url == url)
    if db.session.scalar(stmt) is not None:
        raise _duplicate()
    return url, title


def attach(
    measure: Measure, actor: User, url: str, title: str, entry_id: int | None = None
) -> Evidence:
    """Store a checked URL; the unique constraint is the last guard against a double submit."""
    measure.updated_at = clock.now()
    db.session.flush()  # on SQLite a savepoint is only nested once the transaction has written
    evidence = Evidence(
        measure_id=measure.id,
        progress_entry_id=entry_id,
        url=url,
        title=title,
        added_by_id=actor.id,
    )
    try:
        with db.session.begin_nested():
            db.session.add(evidence)
    except IntegrityError:
        raise _duplicate() from None
    history.record(measure, actor, history.EVIDENCE, f"เพิ่มหลักฐาน “{title}” {url}")
    return evidence


def remove_evidence(measure_id: int, evidence_id: int, actor: User) -> Measure:
    """Take an evidence URL off a measure (whoever added it, the coordinator or an admin)."""
    measure = get_measure(measure_id, actor, lock=True)
    require_report(actor, measure)
    evidence = db.session.get(Evidence, evidence_id)
    if evidence is None or evidence.measure_id != measure.id:
        raise NotFound("ไม่พบหลักฐานนี้")
    if not can_remove(actor, measure, evidence.added_by_id):
        raise NotAllowed("ลบได้เฉพาะผู้เพิ่มหลักฐานนี้ ผู้ประสานงานของแผน หรือผู้ดูแลระบบ")
    history.record(measure, actor, history.EVIDENCE, f"ลบหลักฐาน “{evidence.title}” {evidence.url}")
    db.session.delete(evidence)
    db.session.flush()
    return measure


def _duplicate() -> ValidationFailed:
    return ValidationFailed("มาตรการนี้มีหลักฐาน URL นี้อยู่แล้ว", field="url")
