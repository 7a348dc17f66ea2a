"""The memo reminders' named queries, each on its own: who is reminded that a memo waits
(`waiting`) and who hears that it is held before their step (`escalation`).

The cut-offs (one per kind: weekends and the national holidays nobody works through) are the
queries' job; each organisation's working days and holidays are filtered after
(tests/test_reminders.py covers the whole run)."""

from datetime import date

import sqlalchemy as sa
from support.reminders import bangkok, submit_memo

from extensions import db
from models import Holiday, User
from notifications.reminders.common import Settings
from notifications.reminders.documents import candidates, escalation, waiting


def _settings(today: date) -> Settings:
    return Settings(today=today, days_before=(14, 3), waiting_days=3, escalate_days=3, base_url="")


def _who(query: sa.CompoundSelect, memo: int) -> set[tuple[str, str, str]]:
    rows = db.session.execute(sa.select(query.subquery()).where(sa.text(f"item_id = {memo}")))
    names = dict(db.session.execute(sa.select(User.id, User.username)).all())
    return {(r.kind, r.round_key, names[r.recipient_id]) for r in rows}


def test_each_kind_names_its_own_recipients_once_it_may_have_waited_long_enough(app, srisuk):
    """Submitted Thu 14 May 2026. Waiting needs more than 3 working days (Fri 15, Mon 18,
    Tue 19, Wed 20), escalation more than 6 (Thu 21, Fri 22, Mon 25): the queries leave out a
    memo before then, counting weekends (and national holidays) as days off everywhere."""
    memo = srisuk.memo_id
    submit_memo(app, memo, bangkok(date(2026, 5, 14), 15, 30))
    with app.app_context():
        assert _who(candidates(_settings(date(2026, 5, 19))), memo) == set()
        later = _settings(date(2026, 5, 20))
        assert _who(waiting(later), memo) == {("waiting", "r1-s1", "thanyarat")}
        assert _who(escalation(later), memo) == set()
        assert _who(escalation(_settings(date(2026, 5, 22))), memo) == set()
        latest = _settings(date(2026, 5, 25))
        assert _who(escalation(latest), memo) == {("escalation", "r1-s1", "chuttikan")}
        assert _who(candidates(latest), memo) == _who(waiting(latest), memo) | _who(
            escalation(latest), memo
        )


def test_a_national_holiday_someone_works_through_is_not_skipped_in_the_bound(app, srisuk):
    """Submitted Thu 9 April 2026; Songkran is Mon 13 - Wed 15. An organisation that works
    those days has waited 4 working days by Wed 15 (Fri 10, Mon 13, Tue 14, Wed 15), so the
    query must name the memo then, although elsewhere it has waited only one."""
    memo = srisuk.memo_id
    submit_memo(app, memo, bangkok(date(2026, 4, 9)))
    with app.app_context():
        wednesday = _settings(date(2026, 4, 15))
        assert _who(waiting(wednesday), memo) == set()
        for day in (13, 14, 15):
            db.session.add(
                Holiday(org_id=srisuk.org_id, day=date(2026, 4, day), name="-", works=True)
            )
        db.session.commit()
        assert _who(waiting(wednesday), memo) == {("waiting", "r1-s1", "thanyarat")}
