"""The counts on the menu of every page: memos waiting for the user's decision, memos circulated
to them and how many they have not acknowledged, their unread notifications.

Each count is defined where its subject lives (`workflow.dashboard.waiting.PENDING_COUNT`,
`workflow.circulation.COUNTS`, `notifications.service.UNREAD`); the menu reads them together,
as subqueries of one statement, instead of one statement each. A page that has listed the
memos waiting (the pending page, the home) counts its list instead.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from extensions import read_columns
from models import User
from notifications.service import UNREAD
from workflow.circulation import COUNTS as CIRCULATED
from workflow.dashboard.waiting import PENDING_COUNT, pending_if_read
from workflow.permissions import pending_params


@dataclass(frozen=True)
class Badges:
    pending: int
    circulated: int
    unacknowledged: int
    unread: int


def badges(user: User) -> Badges:
    listed = pending_if_read(user)
    params = {"user_id": user.id, "org_id": user.org_id}
    if listed is None:
        params.update(pending_params(user))
    unread, circulated, unacknowledged, *pending = read_columns(
        _BADGES[listed is None], params
    ).one()
    return Badges(
        pending=len(listed) if listed is not None else pending[0],
        circulated=circulated or 0,
        unacknowledged=unacknowledged or 0,
        unread=unread or 0,
    )


def _statement(counting_pending: bool) -> sa.Select:
    circulated = CIRCULATED.subquery()
    columns = [UNREAD.scalar_subquery(), *circulated.c]
    if counting_pending:
        columns.append(PENDING_COUNT.scalar_subquery())
    return sa.select(*columns).select_from(circulated)


_BADGES = {counting: _statement(counting) for counting in (False, True)}  # built once
