"""What a new password must be, for a person choosing their own and for an admin setting one."""

from functools import cache
from pathlib import Path

from workflow.errors import ValidationFailed

MIN_PASSWORD = 8
COMMON_FILE = Path(__file__).resolve().parents[1] / "data" / "common_passwords.txt"


def check_new_password(password: str, username: str = "", field: str = "password") -> None:
    """Refuse a password too short, too common, or nothing but the person's own name."""
    if len(password) < MIN_PASSWORD:
        raise ValidationFailed(f"รหัสผ่านต้องยาวอย่างน้อย {MIN_PASSWORD} ตัวอักษร", field=field)
    folded = password.casefold()
    if folded in _common() or len(set(folded)) <= 2:
        raise ValidationFailed(
            "รหัสผ่านนี้ใช้กันแพร่หลายหรือเดาง่าย ผู้ไม่หวังดีลองเป็นอันดับแรก กรุณาตั้งรหัสผ่านอื่น",
            field=field,
        )
    if username and folded == username.casefold():
        raise ValidationFailed("รหัสผ่านต้องไม่ใช่ชื่อผู้ใช้ กรุณาตั้งรหัสผ่านอื่น", field=field)


@cache
def _common() -> frozenset[str]:
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line and not line.startswith("#"))
