"""Each person chooses per channel: instant, a daily digest, or off (no row: instant)."""

from collections import defaultdict

import sqlalchemy as sa

from extensions import db
from models import NotifyPreference, User
from workflow.errors import ValidationFailed

DEFAULT = "instant"
# The bell is the app itself: a digest of it would only hide what is already there.
CHOICES = {"app": ("instant", "off"), "email": ("instant", "digest", "off"),
           "line": ("instant", "digest", "off")}  # fmt: skip


def modes_of(user_ids: list[int]) -> dict[tuple[int, str], str]:
    """(user id, channel) → mode for every channel of every person (one query)."""
    modes: dict[tuple[int, str], str] = defaultdict(lambda: DEFAULT)
    if not user_ids:
        return modes
    stmt = sa.select(NotifyPreference).where(NotifyPreference.user_id.in_(user_ids))
    for pref in db.session.scalars(stmt):
        modes[pref.user_id, pref.channel] = pref.mode
    return modes


def of(user: User) -> dict[str, str]:
    modes = modes_of([user.id])
    return {channel: modes[user.id, channel] for channel in CHOICES}


def save(user: User, chosen: dict[str, str]) -> dict[str, str]:
    """Keep the person's choice per channel; an unknown channel or mode changes nothing."""
    for channel, mode in chosen.items():
        if channel not in CHOICES or mode not in CHOICES[channel]:
            raise ValidationFailed("กรุณาเลือกจากตัวเลือกที่มี", field=channel)
    for channel, mode in chosen.items():
        pref = db.session.get(NotifyPreference, (user.id, channel))
        if pref is None:
            db.session.add(NotifyPreference(user_id=user.id, channel=channel, mode=mode))
        else:
            pref.mode = mode
    db.session.flush()
    return of(user)
