"""Images printed on memos: the organisation's Garuda emblem and each person's signature.

Only PNG and JPEG are accepted, told by their first bytes and opened in full by Pillow, so a file
that would break the renderer at the moment of approval is refused at upload instead.
"""

import warnings
from io import BytesIO

from PIL import Image, UnidentifiedImageError

import storage
from extensions import db
from maintenance.storage_files import pending_image_keys, session_rows
from models import Organisation, User
from pdf.render import RefusedURL, image_type
from workflow.errors import ValidationFailed
from workflow.permissions import require_admin

MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_SIDE = 4000  # pixels; a signature or an emblem needs far fewer


def check_image(data: bytes) -> str:
    """The media type of an acceptable image, or ValidationFailed saying what is wrong."""
    if not data:
        raise ValidationFailed("ไฟล์ว่างเปล่า", field="file")
    if len(data) > MAX_IMAGE_BYTES:
        limit = f"{MAX_IMAGE_BYTES / (1024 * 1024):g}"
        raise ValidationFailed(f"ไฟล์ใหญ่เกินไป ขนาดสูงสุด {limit} MB", field="file")
    too_big = ValidationFailed(f"ภาพใหญ่เกินไป ด้านยาวได้ไม่เกิน {MAX_SIDE:,} พิกเซล", field="file")
    try:
        media_type = image_type(data)
        with warnings.catch_warnings():
            # A header declaring billions of pixels: Pillow warns, or refuses to open it at all.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data)) as image:
                if max(image.size) > MAX_SIDE:
                    raise too_big
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_big from None
    except (RefusedURL, UnidentifiedImageError, OSError, SyntaxError):
        raise ValidationFailed("รับเฉพาะไฟล์ภาพ PNG หรือ JPEG ที่เปิดได้ตามปกติ", field="file") from None
    return media_type


def set_garuda(actor: User, data: bytes) -> Organisation:
    require_admin(actor)
    check_image(data)
    org = actor.organisation
    org.garuda_key = _replace(org.garuda_key, data)
    db.session.flush()
    return org


def remove_garuda(actor: User) -> Organisation:
    require_admin(actor)
    org = actor.organisation
    org.garuda_key = _replace(org.garuda_key, None)
    db.session.flush()
    return org


def set_signature(actor: User, data: bytes) -> User:
    check_image(data)
    actor.signature_key = _replace(actor.signature_key, data)
    db.session.flush()
    return actor


def remove_signature(actor: User) -> User:
    actor.signature_key = _replace(actor.signature_key, None)
    db.session.flush()
    return actor


def stored_image(key: str | None) -> tuple[bytes, str] | None:
    """An image's bytes and media type for its preview, or None when there is none."""
    if not key or not storage.path_of(key).is_file():
        return None
    data = storage.path_of(key).read_bytes()
    return data, image_type(data)


def _replace(old_key: str | None, data: bytes | None) -> str | None:
    """Store the new image and drop the old file; frozen PDFs carry their own copy of it. A memo
    approved but not rendered yet prints the old one, so then the file stays (an orphan after)."""
    new_key = storage.save(data) if data is not None else None
    if old_key and old_key not in pending_image_keys(session_rows(db.session)):
        storage.delete(old_key)
    return new_key
