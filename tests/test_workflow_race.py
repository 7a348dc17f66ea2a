"""Two people act on the same memo at the same moment.

On PostgreSQL, two threads each with its own app context (so its own session and connection);
the services are slowed down inside their transaction so that the second caller surely arrives
while the first still holds the document's row lock. Through the pages, a decision sent from a
page that is out of date names who acted first, on every database.
"""

import threading
import time

import pytest
import sqlalchemy as sa
from conftest import PG_URL
from support.client import login
from support.factories import make_user, memo_content, user
from support.pages import hidden_fields, logout

from extensions import db
from models import Action, DecisionLog, DocState, Document, Organisation, Position
from workflow import documents as service
from workflow import numbering
from workflow.errors import AlreadyDecided, InvalidTransition

needs_postgres = pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL: set TEST_DATABASE_URL")

FORWARD = "เห็นควรเสนอเพื่อโปรดพิจารณา"
PAUSE = 0.5  # seconds a service waits while holding its lock


def _slow(monkeypatch, module, name: str) -> None:
    """Make `module.name` pause before doing its work, inside the caller's transaction."""
    original = getattr(module, name)

    def slowed(*args, **kwargs):
        time.sleep(PAUSE)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, slowed)


def _race(app, *callers):
    """Run each caller in its own thread and app context, all released at once.

    A caller is (name, prepare, act): `prepare()` runs first (like opening the page), its result
    is passed to `act`. Returns {name: result or the exception it raised}.
    """
    barrier = threading.Barrier(len(callers))
    results = {}

    def run(name, prepare, act):
        with app.app_context():
            try:
                seen = prepare()
                db.session.rollback()  # the page was read in an earlier request
                barrier.wait(timeout=10)
                results[name] = act(seen)
                db.session.commit()
            except Exception as error:  # noqa: BLE001  (reported to the test below)
                db.session.rollback()
                results[name] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=caller) for caller in callers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a caller is still waiting: deadlock?"
    return results


@pytest.fixture
def memo_at_step_one(app, srisuk):
    """The seed memo at the section head's step, which two people may sign: the post's new
    holder and thanyarat, whose acting order is still in force."""
    with app.app_context():
        org = db.session.scalars(sa.select(Organisation)).one()
        post = db.session.scalars(sa.select(Position).where(Position.title == "หัวหน้าสำนักปลัด")).one()
        make_user(org, "somchai", "สมชาย ตั้งใจ", post)
        service.submit(srisuk.memo_id, user("nattanipa"))
        db.session.commit()
    return srisuk.memo_id


def _open_page(memo_id):
    def prepare():
        doc = db.session.get(Document, memo_id)
        return doc.revision, doc.current_step

    return prepare


def _sign(memo_id, username):
    def act(seen):
        revision, step_no = seen
        return service.decide(
            memo_id,
            user(username),
            decision=FORWARD,
            comment=f"ความเห็นของ {username}",
            expected_revision=revision,
            expected_step=step_no,
        ).current_step

    return act


def _decision_rows(app, memo_id):
    with app.app_context():
        return db.session.execute(
            sa.select(DecisionLog.step_no, DecisionLog.actor_name, DecisionLog.action)
            .where(DecisionLog.document_id == memo_id, DecisionLog.action != Action.SUBMIT)
            .order_by(DecisionLog.id)
        ).all()


@pytest.mark.postgres
@needs_postgres
def test_two_approvers_sign_the_same_step_exactly_one_wins(app, memo_at_step_one, monkeypatch):
    memo = memo_at_step_one
    _slow(monkeypatch, service, "signing_authority")
    names = {"somchai": "นายสมชาย ตั้งใจ", "thanyarat": "นางธัญญารัตน์ โคนุช"}

    results = _race(
        app,
        ("somchai", _open_page(memo), _sign(memo, "somchai")),
        ("thanyarat", _open_page(memo), _sign(memo, "thanyarat")),
    )

    winners = [n for n, r in results.items() if r == 2]
    losers = [n for n, r in results.items() if isinstance(r, AlreadyDecided)]
    assert len(winners) == 1 and len(losers) == 1, results
    (winner,), (loser,) = winners, losers
    message = results[loser].message
    assert message.startswith(names[winner]) and "ได้ดำเนินการในขั้นนี้ไปก่อนแล้ว" in message
    assert "ความเห็นของคุณจึงไม่ถูกบันทึก" in message
    assert _decision_rows(app, memo) == [(1, names[winner], Action.FORWARD)]
    with app.app_context():
        doc = db.session.get(Document, memo)
        assert (doc.state, doc.current_step) == (DocState.IN_REVIEW, 2)


@pytest.mark.postgres
@needs_postgres
def test_drafter_withdraws_while_the_approver_signs_exactly_one_wins(
    app, memo_at_step_one, monkeypatch
):
    memo = memo_at_step_one
    _slow(monkeypatch, service, "signing_authority")
    _slow(monkeypatch, service, "require_drafter")

    results = _race(
        app,
        ("thanyarat", _open_page(memo), _sign(memo, "thanyarat")),
        ("nattanipa", _open_page(memo), lambda seen: service.withdraw(memo, user("nattanipa"))),
    )

    refused = [n for n, r in results.items() if isinstance(r, InvalidTransition)]
    assert len(refused) == 1, results
    with app.app_context():
        doc = db.session.get(Document, memo)
        if refused == ["thanyarat"]:
            assert doc.state == DocState.WITHDRAWN
            assert "ถอนเรื่อง" in results["thanyarat"].message
            assert _decision_rows(app, memo) == [(None, "นางณัฐนิภา แสงมณี", Action.WITHDRAW)]
        else:
            assert (doc.state, doc.current_step) == (DocState.IN_REVIEW, 2)
            assert "ถอนเรื่องไม่ได้" in results["nattanipa"].message
            assert [r.action for r in _decision_rows(app, memo)] == [Action.FORWARD]


@pytest.mark.postgres
@needs_postgres
def test_two_memos_submitted_at_once_get_consecutive_numbers(app, srisuk, monkeypatch):
    with app.app_context():
        second = service.create_draft(user("nattanipa"), memo_content("บันทึกฉบับที่สอง")).id
        db.session.commit()
    _slow(monkeypatch, numbering, "_used")  # after the counter is locked, before it is bumped

    def submit(memo_id):
        return lambda seen: service.submit(memo_id, user("nattanipa")).number_seq

    results = _race(
        app,
        ("first", lambda: None, submit(srisuk.memo_id)),
        ("second", lambda: None, submit(second)),
    )

    # The paper register of the year had reached 1179 (seed 000's memo is number 1180).
    assert sorted(results.values()) == [1180, 1181], results


# -- the same race through the pages, one after the other ------------------------------------


def _page_fields(client, memo_id) -> dict:
    return hidden_fields(client.get(f"/documents/{memo_id}").get_data(as_text=True))


@pytest.mark.parametrize("second_act", ["decide", "return"])
def test_a_decision_from_an_out_of_date_page_names_who_decided_first(
    app, client, memo_at_step_one, second_act
):
    memo = memo_at_step_one
    login(client, "thanyarat")
    stale = _page_fields(client, memo)  # she opens the memo at step 1 ...
    logout(client)
    login(client, "somchai")  # ... the post's holder signs it first
    fresh = _page_fields(client, memo)
    response = client.post_form(
        f"/documents/{memo}/decide",
        {
            "revision": fresh["revision"],
            "step_no": fresh["step_no"],
            "decision": FORWARD,
        },
    )
    assert response.status_code == 302
    logout(client)

    login(client, "thanyarat")  # ... then she sends her decision from the old page
    data = {"revision": stale["revision"], "step_no": stale["step_no"]}
    if second_act == "decide":
        data |= {"decision": FORWARD, "comment": "ความเห็นที่มาช้า"}
    else:
        data |= {"reason": "ส่งคืนที่มาช้า"}
    response = client.post_form(f"/documents/{memo}/{second_act}", data)

    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "นายสมชาย ตั้งใจ ได้ดำเนินการในขั้นนี้ไปก่อนแล้ว (เห็นควรเสนอเพื่อโปรดพิจารณา)" in page
    assert _decision_rows(app, memo) == [(1, "นายสมชาย ตั้งใจ", Action.FORWARD)]
