"""Attachments of a memo: checked by name, by content and by size before they are stored."""

import hashlib
import unicodedata
import zipfile
from io import BytesIO
from pathlib import PurePath

from flask import current_app

import storage
from extensions import db
from models import Attachment, Document, User
from workflow.errors import NotFound, ValidationFailed
from workflow.permissions import get_document, require_editable, require_view

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc / .xls
ZIP = b"PK\x03\x04"  # .docx / .xlsx

# extension -> (content type, check of the first bytes / the whole file)
ALLOWED = {
    ".pdf": ("application/pdf", lambda d: d.startswith(b"%PDF-")),
    ".png": ("image/png", lambda d: d.startswith(b"\x89PNG\r\n\x1a\n")),
    ".jpg": ("image/jpeg", lambda d: d.startswith(b"\xff\xd8\xff")),
    ".jpeg": ("image/jpeg", lambda d: d.startswith(b"\xff\xd8\xff")),
    ".doc": ("application/msword", lambda d: d.startswith(OLE)),
    ".xls": ("application/vnd.ms-excel", lambda d: d.startswith(OLE)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        lambda d: _ooxml_has(d, "word/"),
    ),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        lambda d: _ooxml_has(d, "xl/"),
    ),
}
MAX_NAME = 200
# What a browser shows by itself: opened in the browser (sandboxed), the rest downloaded.
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})
# An opened file runs in a sandbox: no scripts, no forms, no same-origin access to the app.
INLINE_POLICY = "sandbox"
ALLOWED_LABEL = "PDF, รูปภาพ (PNG, JPG), Word (DOC, DOCX) หรือ Excel (XLS, XLSX)"


def _ooxml_has(data: bytes, folder: str) -> bool:
    if not data.startswith(ZIP):
        return False
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)


def _size(n: int) -> str:
    """'10 MB', '1.5 MB', '200 KB': a limit as people read it."""
    mb = n / (1024 * 1024)
    return f"{round(mb, 1):g} MB" if mb >= 1 else f"{round(n / 1024):g} KB"


def too_large_message() -> str:
    """What a file over the limit is told, whether the app or the request size caught it."""
    return f"ไฟล์ใหญ่เกิน {_size(current_app.config['MAX_ATTACHMENT_BYTES'])}"


def clean_filename(name: str) -> str:
    """Keep a readable Thai or English name, without any path or control characters."""
    base = PurePath(name.replace("\\", "/")).name
    base = "".join(c for c in unicodedata.normalize("NFC", base) if c.isprintable())
    base = base.strip().strip(".")
    if len(base) > MAX_NAME:  # shorten the name, not the extension the file is checked by
        suffix = PurePath(base).suffix[:10]
        base = base[: MAX_NAME - len(suffix)] + suffix
    return base or "attachment"


def check_file(filename: str, data: bytes) -> tuple[str, str]:
    """Return (clean name, content type) or raise ValidationFailed saying what is wrong."""
    name = clean_filename(filename)
    ext = PurePath(name).suffix.lower()
    if ext not in ALLOWED:
        raise ValidationFailed(f"ไฟล์ประเภทนี้แนบไม่ได้ แนบได้เฉพาะ {ALLOWED_LABEL}", field="file")
    if not data:
        raise ValidationFailed("ไฟล์ว่างเปล่า", field="file")
    if len(data) > current_app.config["MAX_ATTACHMENT_BYTES"]:
        raise ValidationFailed(too_large_message(), field="file")
    content_type, looks_right = ALLOWED[ext]
    if not looks_right(data):
        raise ValidationFailed(
            f"เนื้อไฟล์ไม่ใช่ {ext[1:].upper()} ตามนามสกุล กรุณาตรวจสอบไฟล์", field="file"
        )
    return name, content_type


def add(doc_id: int, actor: User, filename: str, data: bytes) -> Attachment:
    doc = get_document(doc_id, actor)
    require_editable(actor, doc)
    name, content_type = check_file(filename, data)
    attachment = Attachment(
        filename=name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_key=storage.save(data),
        uploaded_by_id=actor.id,
    )
    doc.attachments.append(attachment)
    db.session.flush()
    return attachment


def remove(doc_id: int, attachment_id: int, actor: User) -> None:
    doc = get_document(doc_id, actor)
    require_editable(actor, doc)
    attachment = _find(doc, attachment_id)
    doc.attachments.remove(attachment)
    db.session.flush()
    # The stored bytes stay: a log row may still point at a content hash that includes them.


def opens_inline(attachment: Attachment) -> bool:
    return attachment.content_type in INLINE_TYPES


def for_download(doc_id: int, attachment_id: int, actor: User) -> Attachment:
    doc = get_document(doc_id, actor)
    require_view(actor, doc)
    return _find(doc, attachment_id)


def _find(doc: Document, attachment_id: int) -> Attachment:
    for attachment in doc.attachments:
        if attachment.id == attachment_id:
            return attachment
    raise NotFound("ไม่พบไฟล์แนบนี้")
