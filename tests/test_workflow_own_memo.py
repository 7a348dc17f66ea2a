"""A drafter who holds (or acts for) a step's post and signs her own memo: said on the memo page
and in the decision log; the organisation may forbid it."""

from datetime import timedelta

import sqlalchemy as sa
from support.client import login
from support.pages import decide, log_rows

import clock
from extensions import db
from models import ActingAssignment, ActingKind, Action, Organisation, Position, User

NOTICE = "ผู้จัดทำลงนามพิจารณาบันทึกของตนเอง"


def _drafter_acts_for_the_first_step(app, srisuk) -> None:
    with app.app_context():
        drafter = db.session.scalars(sa.select(User).where(User.username == "nattanipa")).one()
        post = db.session.scalars(sa.select(Position).where(Position.title == "หัวหน้าสำนักปลัด")).one()
        db.session.add(
            ActingAssignment(
                org_id=srisuk.org_id,
                user_id=drafter.id,
                position_id=post.id,
                kind=ActingKind.ACTING,
                start_date=clock.today() - timedelta(days=1),
                order_ref="คำสั่ง อบต.ศรีสุข ที่ 12/2569",
            )
        )
        db.session.commit()


def test_a_drafter_signing_her_own_memo_is_said_on_the_page_and_in_the_log(app, client, srisuk):
    _drafter_acts_for_the_first_step(app, srisuk)
    login(client, "nattanipa")
    client.post_form(f"/documents/{srisuk.memo_id}/submit")
    assert decide(client, srisuk.memo_id, "เห็นควรเสนอเพื่อโปรดพิจารณา").status_code == 302
    signed = [r for r in log_rows(app, srisuk.memo_id) if r.action == Action.FORWARD]
    assert len(signed) == 1 and signed[0].own_memo is True
    assert signed[0].row_hash == signed[0].compute_hash()
    submitted = [r for r in log_rows(app, srisuk.memo_id) if r.action == Action.SUBMIT]
    assert submitted[0].own_memo is None  # submitting is the drafter's own act, not a signature
    page = client.get(f"/documents/{srisuk.memo_id}").get_data(as_text=True)
    assert NOTICE in page


def test_the_organisation_may_forbid_it(app, client, srisuk):
    _drafter_acts_for_the_first_step(app, srisuk)
    with app.app_context():
        db.session.execute(sa.update(Organisation).values(forbid_drafter_signing=True))
        db.session.commit()
    login(client, "nattanipa")
    client.post_form(f"/documents/{srisuk.memo_id}/submit")
    page = client.get(f"/documents/{srisuk.memo_id}").get_data(as_text=True)
    assert 'name="decision"' not in page  # no decision form is offered to her
    data = {"revision": "1", "step_no": "1", "decision": "เห็นควรเสนอเพื่อโปรดพิจารณา"}
    response = client.post_form(f"/documents/{srisuk.memo_id}/decide", data)
    assert response.status_code == 403
    assert "ไม่ให้ผู้จัดทำลงนามพิจารณาบันทึกของตนเอง" in response.get_data(as_text=True)
    assert not [r for r in log_rows(app, srisuk.memo_id) if r.action == Action.FORWARD]
