"""'Waiting since' is one rule: the latest log row that moved the memo, an admin's renumbering
aside. The pending list, the home page and the waiting reminders all read it."""

import sqlalchemy as sa
from test_pdf_support import user

from extensions import db
from models import Action, DecisionLog, Document
from workflow import documents as service
from workflow.admin import numbers
from workflow.dashboard.waiting import arrival


def test_a_renumbering_does_not_restart_the_wait(app, ctx, srisuk):
    memo = srisuk.memo_id
    service.submit(memo, user("nattanipa"))
    db.session.commit()
    numbers.renumber_document(memo, user("admin"), 1175)
    db.session.commit()
    rows = db.session.scalars(
        sa.select(DecisionLog).where(DecisionLog.document_id == memo).order_by(DecisionLog.id)
    ).all()
    submitted, renumbered = rows[-2], rows[-1]
    assert (submitted.action, renumbered.action) == (Action.SUBMIT, Action.RENUMBER)
    since = db.session.scalar(sa.select(arrival()).where(Document.id == memo))
    assert since == submitted.created_at != renumbered.created_at
