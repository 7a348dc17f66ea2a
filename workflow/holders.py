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
from extensions import read_columns
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
    params = {"org_id": org_id, "on": on or clock.today()}
    if ids is not None:
        params["ids"] = sorted(ids)
    holders, acting = _BUILT[ids is not None]
    for uid, title, name, position_id in read_columns(holders, params):
        found[position_id].append(Holder(uid, f"{title}{name}", None))
    for uid, title, name, position_id, kind in read_columns(acting, params):
        people = found[position_id]
        if all(h.user_id != uid for h in people):
            people.append(Holder(uid, f"{title}{name}", kind))
    return found


def _statements(among: bool) -> tuple[sa.Select, sa.Select]:
    """The holders and the acting officials of `:org_id`'s posts (only those in `:ids` when
    `among`), built once: the home page runs them on every visit."""
    holders = (
        sa.select(User.id, User.title, User.full_name, User.position_id)
        .where(User.org_id == sa.bindparam("org_id"), User.position_id.is_not(None), User.active)
        .order_by(User.full_name, User.id)
    )
    acting = (
        sa.select(
            User.id, User.title, User.full_name, ActingAssignment.position_id, ActingAssignment.kind
        )
        .join(ActingAssignment, ActingAssignment.user_id == User.id)
        .where(
            ActingAssignment.org_id == sa.bindparam("org_id"),
            ActingAssignment.in_force(sa.bindparam("on", type_=sa.Date)),
            User.active,
        )
        .order_by(ActingAssignment.start_date, User.id)
    )
    if among:
        ids = sa.bindparam("ids", expanding=True)
        holders = holders.where(User.position_id.in_(ids))
        acting = acting.where(ActingAssignment.position_id.in_(ids))
    return holders, acting


_BUILT = {among: _statements(among) for among in (False, True)}


def labels_at(org_id: int, position_id: int) -> list[str]:
    """Each person who holds the post today, with how. The whole organisation is loaded once per
    request (two queries however many memos a page lists)."""
    cache = g.setdefault("_holders_today", {})
    if org_id not in cache:
        cache[org_id] = holders_of(org_id, None)
    return [h.label for h in cache[org_id].get(position_id, [])]
