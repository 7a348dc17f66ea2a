"""Login throttling and lockout, counted in the database so every worker process agrees.

Per account name: LOGIN_MAX_FAILURES wrong passwords within LOGIN_FAILURE_WINDOW_MINUTES lock the
name until LOGIN_LOCKOUT_MINUTES after the last of them; even the right password is refused until
then, or until the organisation's admin unlocks the person. Per client address: a higher limit
(LOGIN_MAX_FAILURES_PER_IP) slows password spraying across many names. Attempts refused while
locked are not counted, so a lock ends on time however often someone keeps trying.

Every attempt is counted before its password is checked (`admit`), under a lock on the name and
the address, so a burst of simultaneous requests cannot all pass the check while the first ones
are still hashing: at most the limit of passwords is ever checked per window. A right password
then forgets the account's count (`clear`).

Names that belong to nobody are counted and locked exactly like real ones, and give the same
messages, so the login form never tells whether a name exists.
"""

import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

import clock
import thai
from extensions import db
from models import LoginFailure, User
from workflow.admin.common import owned

log = logging.getLogger(__name__)
KEEP_ROWS = timedelta(days=1)  # older failures count for nothing; they are deleted as we go


@dataclass(frozen=True)
class Refusal:
    """A login refused before any password is checked: why, and until when."""

    message: str
    until: datetime
    field: str  # the form field the message belongs beside

    @property
    def retry_after(self) -> int:
        """Seconds until the next attempt may succeed (the Retry-After header)."""
        return max(1, math.ceil((self.until - clock.now()).total_seconds()))


def refusal(username: str, ip: str, before: int | None = None) -> Refusal | None:
    """Why a login for this name from this address is refused right now, or None (counting
    only the attempts made before the row `before`, when given)."""
    earlier = LoginFailure.id < before if before is not None else sa.true()
    until = _blocked_until(
        sa.and_(LoginFailure.ip == ip, earlier), _config("LOGIN_MAX_FAILURES_PER_IP")
    )
    if until is not None:
        return Refusal(_address_message(until), until, "password")
    until = _blocked_until(
        sa.and_(LoginFailure.username == _key(username), earlier), _config("LOGIN_MAX_FAILURES")
    )
    if until is not None:
        return Refusal(account_message(until), until, "username")
    return None


def admit(username: str, ip: str) -> tuple[Refusal | None, LoginFailure | None]:
    """Count this attempt as a failure before its password is checked; refuse it if the name or
    the address has no attempts left. The caller commits at once, then checks the password.

    The row is written first (on SQLite that takes the database's write lock) and the earlier
    rows are counted after it, under a per-key lock on PostgreSQL, so simultaneous attempts are
    counted one after the other.
    """
    refused = refusal(username, ip)
    if refused is not None:
        return refused, None
    _lock_keys(_key(username), ip)
    now = clock.now()
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.at < now - KEEP_ROWS))
    attempt = LoginFailure(username=_key(username), ip=ip, at=now)
    db.session.add(attempt)
    db.session.flush()
    refused = refusal(username, ip, before=attempt.id)
    if refused is not None:
        db.session.delete(attempt)
        db.session.flush()
        return refused, None
    return None, attempt


def forget(attempt: LoginFailure) -> None:
    """The attempt was not a wrong password after all (a right one for a closed account)."""
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.id == attempt.id))


def _lock_keys(*keys: str) -> None:
    """Serialise attempts on the same name or address until the transaction ends (PostgreSQL;
    SQLite has one writer at a time, which the INSERT that follows waits to become)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted(set(keys)):  # one order everywhere: two requests never wait on each other
        db.session.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(key))))


def clear(username: str) -> None:
    """Forget an account's failures (after a successful login or an admin's unlock)."""
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.username == _key(username)))


def locked_until(usernames: list[str]) -> dict[str, datetime]:
    """The accounts among these that are locked now, with the time each lock ends."""
    keys = {_key(name): name for name in usernames}
    stmt = (
        sa.select(LoginFailure.username, sa.func.max(LoginFailure.at))
        .where(LoginFailure.username.in_(keys), LoginFailure.at > _window_start())
        .group_by(LoginFailure.username)
        .having(sa.func.count() >= _config("LOGIN_MAX_FAILURES"))
    )
    locks = {keys[key]: _lock_end(last) for key, last in db.session.execute(stmt)}
    return {name: until for name, until in locks.items() if until is not None}


def unlock(user_id: int, actor: User) -> User:
    """The organisation's admin lets a locked-out person try again at once."""
    person = owned(User, user_id, actor, "ไม่พบบุคลากรนี้")
    clear(person.username)
    db.session.flush()
    log.info(
        "admin %s unlocked the login of %s (org %s)", actor.username, person.username, actor.org_id
    )
    return person


def check_password_evenly(user: User | None, password: str) -> bool:
    """Check a password; for an unknown name, spend the same hashing time and fail."""
    if user is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return False
    return user.check_password(password)


def account_message(until: datetime) -> str:
    return (
        "ชื่อผู้ใช้นี้ถูกระงับการเข้าสู่ระบบชั่วคราว เพราะใส่รหัสผ่านผิดหลายครั้ง"
        f" ลองใหม่ได้ตั้งแต่ {_when(until)} หรือติดต่อผู้ดูแลระบบขององค์กรให้ปลดล็อกที่หน้า “บุคลากร”"
    )


def _address_message(until: datetime) -> str:
    return (
        "มีการใส่รหัสผ่านผิดจากเครื่องหรือเครือข่ายนี้มากเกินไป"
        f" กรุณาลองใหม่ตั้งแต่ {_when(until)} หากเป็นการใช้งานปกติ โปรดแจ้งผู้ดูแลระบบขององค์กร"
    )


def _blocked_until(which, limit: int) -> datetime | None:
    """The end of a block: `limit` failures inside the window lock until the last + lockout."""
    stmt = sa.select(sa.func.count(), sa.func.max(LoginFailure.at)).where(
        which, LoginFailure.at > _window_start()
    )
    failures, last = db.session.execute(stmt).one()
    return _lock_end(last) if failures >= limit else None


def _lock_end(last_failure: datetime) -> datetime | None:
    """When a lock set off by this failure ends; None once it has."""
    until = last_failure + _lockout()
    return until if until > clock.now() else None


def _when(moment: datetime) -> str:
    """Thai local time, rounded up to the minute so the time shown is never too early."""
    local = clock.local(moment)
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return thai.format_datetime(local)


def _key(username: str) -> str:
    return (username or "").strip().lower()[:80]


def _window_start() -> datetime:
    return clock.now() - timedelta(minutes=_config("LOGIN_FAILURE_WINDOW_MINUTES"))


def _lockout() -> timedelta:
    return timedelta(minutes=_config("LOGIN_LOCKOUT_MINUTES"))


def _config(name: str) -> int:
    return int(current_app.config[name])


@cache
def _dummy_hash(method: str) -> str:
    """A constant hash to check unknown names against (computed once per method, not state)."""
    return generate_password_hash("not a password of anyone", method=method)
