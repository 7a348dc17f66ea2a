"""The memo reminders' named queries, each on its own: who is reminded that a memo waits
(`waiting`) and who hears that it is held before their step (`escalation`).

The calendar-day cut-offs (one per kind) are the queries' job; working days and holidays are filtered after
(tests/test_reminders.py covers the whole run)."""

from datetime import date

import sqlalchemy as sa
from support.reminders import bangkok, submit_memo

from extensions import db
from models import User
from notifications.reminders.common import Settings
from notifications.reminders.documents import candidates, escalation, waiting


def _settings(today: date) -> Settings:
    return Settings(today=today, days_before=(14, 3), waiting_days=3, escalate_days=3, base_url="")


def _who(query: sa.CompoundSelect, memo: int) -> set[tuple[str, str, str]]:
    rows = db.session.execute(sa.select(query.subquery()).where(sa.text(f"item_id = {memo}")))
    names = dict(db.session.execute(sa.select(User.id, User.username)).all())
    return {(r.kind, r.round_key, names[r.recipient_id]) for r in rows}


def test_each_kind_names_its_own_recipients_after_the_calendar_cut_off(app, srisuk):
    memo = srisuk.memo_id
    submit_memo(app, memo, bangkok(date(2026, 5, 14), 15, 30))
    with app.app_context():
        early = _settings(date(2026, 5, 17))  # three calendar days: not yet
        assert _who(candidates(early), memo) == set()
        later = _settings(date(2026, 5, 18))
        assert _who(waiting(later), memo) == {("waiting", "r1-s1", "thanyarat")}
        # escalation needs 3 + 3 working days, so at least as many calendar days
        assert _who(escalation(later), memo) == set()
        assert _who(escalation(_settings(date(2026, 5, 20))), memo) == set()
        latest = _settings(date(2026, 5, 21))
        assert _who(escalation(latest), memo) == {("escalation", "r1-s1", "chuttikan")}
        assert _who(candidates(latest), memo) == _who(waiting(latest), memo) | _who(
            escalation(latest), memo
        )
