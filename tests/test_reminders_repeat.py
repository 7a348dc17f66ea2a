"""The memo reminders over several organisations at once, and the repeat run: a second run
claims only what is new, recipient by recipient, so a person who may sign a waiting memo from
today is told even though others were told of the same wait before.

Memos are submitted on Wednesday 6 May 2026; no national holiday falls between then and the end
of May. Waiting needs more than 3 working days at a step, escalation more than 6.
"""

from datetime import date

import pytest
import sqlalchemy as sa
from support.factories import five_step_chain, make_user, other_organisation, user
from support.reminders import at, bangkok, sign, submit_memo

from extensions import db
from models import ActingAssignment, ActingKind, Document, Organisation, Reminder, User
from notifications import reminders
from workflow import documents

SUBMITTED = date(2026, 5, 6)  # a Wednesday


def run_on(app, day: date) -> reminders.Summary:
    with app.app_context():
        return reminders.run(day)


def claimed(app) -> set[tuple[int, str, str, str]]:
    """(memo, kind, round key, username) of every memo reminder recorded so far."""
    with app.app_context():
        stmt = (
            sa.select(Reminder.item_id, Reminder.kind, Reminder.round_key, User.username)
            .join(User, User.id == Reminder.recipient_id)
            .where(Reminder.item_type == "document")
        )
        return {tuple(row) for row in db.session.execute(stmt)}


def act_for_step(app, memo_id: int, step_no: int, username: str, start: date) -> None:
    """`username` acts (รักษาราชการแทน) for the post of the memo's step from `start`."""
    with app.app_context():
        post = db.session.get(Document, memo_id).step(step_no).position_id
        person = user(username)
        db.session.add(
            ActingAssignment(
                org_id=person.org_id,
                user_id=person.id,
                position_id=post,
                kind=ActingKind.ACTING,
                start_date=start,
                order_ref=f"คำสั่งที่ {step_no}/2569",
            )
        )
        db.session.commit()


def deactivate(app, username: str) -> None:
    with app.app_context():
        user(username).active = False
        db.session.commit()


@pytest.fixture
def three_waiting(app, srisuk):
    """Three memos in three organisations:

    - อบต.ศรีสุข's at step 1 since 6 May, a vacant post thanyarat acts for; step 2 the ปลัด;
    - หนองบัว's at step 1 since 6 May, its clerk's post (the drafter's order for it expired in
      October 2025); step 2 the mayor;
    - ห้าขั้น's at step 2 since 6 May: its holder has left, signer3 (who holds step 3's post)
      and signer4 act for it.
    """
    submit_memo(app, srisuk.memo_id, bangkok(SUBMITTED))
    with at(bangkok(SUBMITTED)):
        nongbua = other_organisation(app)
    five = five_step_chain(app)
    with app.app_context(), at(bangkok(SUBMITTED, 9)):
        documents.submit(five.memo_id, user(five.drafter))
        db.session.commit()
    sign(app, five.memo_id, five.signers[0], bangkok(SUBMITTED, 11))
    deactivate(app, five.signers[1])
    for username in five.signers[2:4]:
        act_for_step(app, five.memo_id, 2, username, date(2026, 5, 1))
    return srisuk.memo_id, nongbua.memo_id, five.memo_id


def test_one_run_reminds_each_waiting_memo_of_each_organisation_as_the_rules_say(
    app, three_waiting
):
    srisuk, nongbua, five = three_waiting
    run_on(app, date(2026, 5, 11))  # 3 working days: nobody yet
    assert claimed(app) == set()

    run_on(app, date(2026, 5, 15))  # 7 working days: waiting and escalation
    assert claimed(app) == {
        (srisuk, "waiting", "r1-s1", "thanyarat"),
        (srisuk, "escalation", "r1-s1", "chuttikan"),
        (nongbua, "waiting", "r1-s1", "nb_clerk"),
        (nongbua, "escalation", "r1-s1", "nb_mayor"),
        # The holder who left hears nothing; signer3 may sign step 2, so is told to sign it
        # and not that it is held before step 3.
        (five, "waiting", "r1-s2", "five_signer3"),
        (five, "waiting", "r1-s2", "five_signer4"),
    }

    again = run_on(app, date(2026, 5, 15))
    assert again.claimed.total() == 0 and again.sent.total() == 0


def test_a_repeat_tells_only_someone_new_an_official_acting_from_today(app, srisuk):
    memo = srisuk.memo_id
    submit_memo(app, memo, bangkok(SUBMITTED))
    run_on(app, date(2026, 5, 12))
    assert claimed(app) == {(memo, "waiting", "r1-s1", "thanyarat")}

    with app.app_context():
        org = db.session.scalars(sa.select(Organisation).order_by(Organisation.id)).first()
        make_user(org, "somsri", "สมศรี รักษาการ", title="นาง")
        db.session.commit()
    act_for_step(app, memo, 1, "somsri", date(2026, 5, 13))
    run_on(app, date(2026, 5, 12))  # not yet in force
    assert claimed(app) == {(memo, "waiting", "r1-s1", "thanyarat")}

    told = run_on(app, date(2026, 5, 13))
    assert told.claimed["waiting"] == 1
    assert claimed(app) == {
        (memo, "waiting", "r1-s1", "thanyarat"),
        (memo, "waiting", "r1-s1", "somsri"),
    }
    assert run_on(app, date(2026, 5, 13)).claimed.total() == 0
