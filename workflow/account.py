"""A person's own account: changing their password and ending their sessions."""

import logging

from models import User
from workflow.errors import ValidationFailed
from workflow.passwords import check_new_password

log = logging.getLogger(__name__)


def change_own_password(actor: User, current: str, new: str) -> User:
    """Check the current password and the new one; the change ends every other session."""
    if not actor.check_password(current):
        raise ValidationFailed("รหัสผ่านปัจจุบันไม่ถูกต้อง", field="current")
    if new == current:
        raise ValidationFailed("รหัสผ่านใหม่ต้องไม่ซ้ำกับรหัสผ่านเดิม", field="new")
    check_new_password(new, actor.username, field="new")
    actor.set_password(new)
    log.info("%s changed their own password (org %s)", actor.username, actor.org_id)
    return actor


def end_all_sessions(actor: User) -> User:
    """Logout: this browser's session and every other one, remember-me cookies included."""
    actor.end_sessions()
    return actor
