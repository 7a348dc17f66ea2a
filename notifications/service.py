"""In-app notifications: what the bell counts, the list, and marking read. Each person sees
only their own; another person's notification does not exist for them."""

import sqlalchemy as sa

import clock
from extensions import db
from models import Notification, User
from workflow.errors import NotFound

PAGE_SIZE = 50


# The bell's count on every page: one COUNT on the (user_id, read_at) index of `:user_id`'s
# notifications (read with the menu's other counts, workflow/menu.py).
UNREAD = sa.select(sa.func.count(Notification.id)).where(
    Notification.user_id == sa.bindparam("user_id"), Notification.read_at.is_(None)
)


def latest(user: User, limit: int = PAGE_SIZE) -> list[Notification]:
    """The user's notifications, newest first."""
    stmt = (
        sa.select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def get_own(user: User, notification_id: int) -> Notification:
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        raise NotFound("ไม่พบการแจ้งเตือนนี้")
    return notification


def mark_read(user: User, notification_id: int) -> Notification:
    """Mark one of the user's notifications read (reading it twice keeps the first time)."""
    notification = get_own(user, notification_id)
    if notification.read_at is None:
        notification.read_at = clock.now()
    db.session.flush()
    return notification


def mark_all_read(user: User) -> int:
    """Mark every unread notification of the user read; returns how many changed."""
    stmt = (
        sa.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=clock.now())
    )
    return db.session.execute(stmt, execution_options={"synchronize_session": False}).rowcount


def safe_target(url: str) -> str | None:
    """Only the app's own paths are followed after marking read (no open redirect)."""
    if url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    return None
