"""Two people start a cancellation, or circulate a memo, at the same moment (PostgreSQL).

Each service locks the approved memo's row first; the second caller waits, then sees the
first one's work: one cancellation under way, nobody sent the memo twice.
"""

import pytest
import sqlalchemy as sa
from conftest import PG_URL
from support.factories import make_user
from test_pdf_support import approve, user
from test_workflow_race import _race, _slow

from extensions import db
from models import CirculationRecipient, Organisation, Revocation
from workflow import circulation, revocations
from workflow.errors import InvalidTransition

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL: set TEST_DATABASE_URL")


@pytest.fixture
def approved(app, srisuk) -> int:
    with app.app_context():
        approve(srisuk.memo_id)
        org = db.session.scalars(sa.select(Organisation)).one()
        make_user(org, "somchai", "สมชาย ใจดี")
        db.session.commit()
    return srisuk.memo_id


def test_two_cancellations_at_once_leave_one_under_way(app, approved, monkeypatch):
    _slow(monkeypatch, revocations, "_check_target")
    results = _race(
        app,
        *[
            (
                who,
                lambda: None,
                lambda _, who=who: (
                    revocations.start(approved, user(who), kind="cancel", reason="ซ้ำ").id
                ),
            )
            for who in ("nattanipa", "admin")
        ],
    )
    refused = [r for r in results.values() if isinstance(r, InvalidTransition)]
    assert len(refused) == 1 and "ครั้งละหนึ่งฉบับ" in refused[0].message, results
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Revocation)) == 1


def test_two_senders_at_once_send_each_person_once(app, approved, monkeypatch):
    _slow(monkeypatch, circulation, "check_sendable")

    def send(who):
        def act(_):
            people = [user("somchai").id, user("chuttikan").id]
            return len(circulation.send(approved, user(who), user_ids=people, unit_ids=[]))

        return (who, lambda: None, act)

    results = _race(app, send("nattanipa"), send("nakarin"))
    assert sorted(results.values()) == [0, 2], results
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CirculationRecipient)) == 2
