"""OIT owners are reminded before their item's due date while it is not ready, once per kind,
through the reminder ledger; "not ready" is the board's own rule."""

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from extensions import db
from models import Document, OitEvidence, OitItem, Publication, Reminder, User
from notifications import reminders
from notifications.reminders.common import Settings
from notifications.reminders.oit import candidates
from workflow.oit.board import READY, status_of

DAY = date(2027, 1, 18)
BROKEN = datetime(2027, 1, 10, tzinfo=UTC)


def person(username: str) -> User:
    return db.session.scalars(sa.select(User).where(User.username == username)).one()


def item(org_id: int, code: str, owner: User, due: date, links=(), published=False) -> OitItem:
    kept = OitItem(org_id=org_id, fiscal_year=2568, code=code, owner_id=owner.id, due_date=due)
    for n, broken in enumerate(links):
        kept.evidence.append(
            OitEvidence(
                org_id=org_id,
                url=f"https://srisuk.example.go.th/{code}/{n}",
                title=f"{code} {n}",
                added_by_id=owner.id,
                broken_since=BROKEN if broken else None,
            )
        )
    db.session.add(kept)
    if published:
        doc = db.session.scalars(sa.select(Document)).first()
        db.session.add(
            Publication(
                org_id=org_id, document_id=doc.id, fiscal_year=2568, code=code,
                published_by_id=owner.id,
            )
        )  # fmt: skip
    db.session.flush()
    return kept


def test_the_owner_is_reminded_of_an_item_not_ready_once_per_kind(app, srisuk):
    with app.app_context():
        owner = person("nattanipa")
        empty = item(srisuk.org_id, "O5", owner, date(2027, 1, 21))  # in 3 days
        ready = item(srisuk.org_id, "O6", owner, date(2027, 1, 21), links=[False])
        db.session.commit()
        empty_id, ready_id = empty.id, ready.id
        reminders.run(DAY)
        reminders.run(DAY)  # a second run the same day sends nothing again
        rows = db.session.scalars(sa.select(Reminder).where(Reminder.item_type == "oit")).all()
        assert [(r.item_id, r.kind, r.recipient_id) for r in rows] == [
            (empty_id, "due_3", owner.id)
        ]
        assert "O5" in rows[0].subject and rows[0].url == "/oit/2568#item-O5"
        assert ready_id not in {r.item_id for r in rows}
        reminders.run(date(2027, 1, 22))  # the day after: overdue
        kinds = db.session.scalars(
            sa.select(Reminder.kind).where(Reminder.item_type == "oit").order_by(Reminder.id)
        ).all()
        assert kinds == ["due_3", "overdue"]


@pytest.mark.parametrize(
    "links, published",
    [((), False), ((), True), ((False,), False), ((True,), False), ((False, True), True)],
)
def test_the_reminder_and_the_board_agree_on_ready(app, srisuk, links, published):
    with app.app_context():
        owner = person("nattanipa")
        kept = item(srisuk.org_id, "O7", owner, DAY, links=links, published=published)
        settings = Settings(DAY, (14, 3), 3, 3, "http://localhost")
        reminded = db.session.execute(
            sa.select(candidates(settings).subquery()).where(sa.text("item_id = :i")),
            {"i": kept.id},
        ).all()
        board_ready = status_of(len(links), sum(links), published, False) in READY
        assert bool(reminded) == (not board_ready)
        db.session.rollback()
