"""Who holds a post on a day: its active holders and everyone acting for it that day.

One definition for the people told that a memo reached a step (notifications/outbox) and the
names shown where a memo is ("อยู่ที่"), so the page never names someone the notice skipped.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import g

import clock
from extensions import db
from models import ActingAssignment, ActingKind, User


@dataclass(frozen=True)
class Holder:
    user_id: int
    name: str
    acting: ActingKind | None  # None: holds the post itself

    @property
    def label(self) -> str:
        return f"{self.name} ({self.acting.label})" if self.acting else self.name


def holders_of(
    org_id: int, position_ids: Iterable[int] | None, on: date | None = None
) -> dict[int, list[Holder]]:
    """Per position id: its active holders, then those acting for it on `on` (two queries).
    With `position_ids` None: every post of the organisation that someone holds."""
    ids = None if position_ids is None else set(position_ids)
    found: defaultdict[int, list[Holder]] = defaultdict(list)
    if ids is not None and not ids:
        return found
    on = on or clock.today()
    holders = (
        sa.select(User.id, User.title, User.full_name, User.position_id)
        .where(User.org_id == org_id, User.position_id.is_not(None), User.active)
        .order_by(User.full_name, User.id)
    )
    acting_where = [ActingAssignment.org_id == org_id]
    if ids is not None:
        holders = holders.where(User.position_id.in_(ids))
        acting_where.append(ActingAssignment.position_id.in_(ids))
    for uid, title, name, position_id in db.session.execute(holders):
        found[position_id].append(Holder(uid, f"{title}{name}", None))
    acting = (
        sa.select(User.id, User.title, User.full_name, ActingAssignment)
        .join(ActingAssignment, ActingAssignment.user_id == User.id)
        .where(
            *acting_where,
            ActingAssignment.in_force(on),
            User.active,
        )
        .order_by(ActingAssignment.start_date, User.id)
    )
    for uid, title, name, assignment in db.session.execute(acting):
        people = found[assignment.position_id]
        if all(h.user_id != uid for h in people):
            people.append(Holder(uid, f"{title}{name}", assignment.kind))
    return found


def labels_at(org_id: int, position_id: int) -> list[str]:
    """Each person who holds the post today, with how. The whole organisation is loaded once per
    request (two queries however many memos a page lists)."""
    cache = g.setdefault("_holders_today", {})
    if org_id not in cache:
        cache[org_id] = holders_of(org_id, None)
    return [h.label for h in cache[org_id].get(position_id, [])]
