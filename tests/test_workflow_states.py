"""The memo's state table (state × action × who → new state or refusal), and the chain as data.

Services are called directly, as a view would: a refusal rolls back and must leave the memo,
its log and its attachments exactly as they were.
"""

import re

import pytest
import sqlalchemy as sa
from support.client import login
from support.factories import PDF, five_step_chain, make_user, memo_content, user
from support.pages import decide, document, error_beside, log_rows, logout, return_memo

from extensions import db
from models import Action, DecisionLog, DocState, Document, Organisation, OrgKind, Position
from workflow import attachments, closing
from workflow import documents as service
from workflow.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed

THAI = re.compile("[\u0e00-\u0e7f]")
REASON = "กรุณาแนบตารางคะแนนรายตัวชี้วัด"

# How to bring the seed memo to each state: (username, action) steps from a fresh draft.
PATHS = {
    "draft": [],
    "step1": [("nattanipa", "submit")],
    "step2": [("nattanipa", "submit"), ("thanyarat", "sign")],
    "step3": [("nattanipa", "submit"), ("thanyarat", "sign"), ("chuttikan", "sign")],
    "returned": [("nattanipa", "submit"), ("thanyarat", "sign"), ("chuttikan", "return")],
    "approved": [
        ("nattanipa", "submit"),
        ("thanyarat", "sign"),
        ("chuttikan", "sign"),
        ("nakarin", "sign"),
    ],
    "rejected": [
        ("nattanipa", "submit"),
        ("thanyarat", "sign"),
        ("chuttikan", "sign"),
        ("nakarin", "reject"),
    ],
    "withdrawn": [("nattanipa", "submit"), ("nattanipa", "withdraw")],
    "closed": [
        ("nattanipa", "submit"),
        ("thanyarat", "sign"),
        ("chuttikan", "return"),
        ("nattanipa", "close"),
    ],
}


def _forward_decision(doc: Document) -> str:
    step = doc.step() if doc.current_step else None
    return step.forward_decisions[0] if step else "เห็นควรเสนอเพื่อโปรดพิจารณา"


ACTIONS = {
    "edit": lambda doc, who: service.update_draft(doc.id, who, memo_content("เรื่องที่แก้ไขแล้ว")),
    "attach": lambda doc, who: attachments.add(doc.id, who, "ตาราง.pdf", PDF),
    "submit": lambda doc, who: service.submit(doc.id, who),
    "sign": lambda doc, who: service.decide(doc.id, who, decision=_forward_decision(doc)),
    "reject": lambda doc, who: service.decide(
        doc.id, who, decision="ไม่อนุมัติ", comment="งบประมาณไม่เพียงพอ"
    ),
    "reject_no_reason": lambda doc, who: service.decide(doc.id, who, decision="ไม่อนุมัติ"),
    "return": lambda doc, who: service.return_for_revision(doc.id, who, reason=REASON),
    "return_no_reason": lambda doc, who: service.return_for_revision(doc.id, who, reason="  "),
    "withdraw": lambda doc, who: service.withdraw(doc.id, who),
    "reopen": lambda doc, who: service.reopen(doc.id, who),
    "close": lambda doc, who: closing.close(doc.id, who, reason="ได้จัดทำเรื่องใหม่แทนแล้ว"),
    "close_no_reason": lambda doc, who: closing.close(doc.id, who, reason=" "),
    "discard": lambda doc, who: closing.discard(doc.id, who),
}

# What each successful action appends to the log (None: nothing, content edits are not signed).
LOGGED = {
    "edit": None,
    "attach": None,
    "submit": Action.SUBMIT,
    "return": Action.RETURN,
    "reject": Action.REJECT,
    "withdraw": Action.WITHDRAW,
    "reopen": Action.REOPEN,
    "close": Action.CLOSE,
}

D, R, A, X, W = (
    DocState.DRAFT,
    DocState.IN_REVIEW,
    DocState.APPROVED,
    DocState.REJECTED,
    DocState.WITHDRAWN,
)
RET = DocState.RETURNED

# state, action, who -> (new state, step) or the refusal. Drafter: nattanipa; step 1: thanyarat
# (acting section head); step 2: chuttikan (ปลัด); step 3: nakarin (นายก, may reject);
# somsri: another drafter of the same organisation; outsider: another organisation's admin.
TABLE = [
    # A draft is its drafter's alone.
    ("draft", "edit", "nattanipa", (D, None)),
    ("draft", "attach", "nattanipa", (D, None)),
    ("draft", "submit", "nattanipa", (R, 1)),
    ("draft", "withdraw", "nattanipa", InvalidTransition),
    ("draft", "reopen", "nattanipa", InvalidTransition),
    ("draft", "sign", "thanyarat", NotAllowed),
    ("draft", "return", "thanyarat", NotAllowed),
    ("draft", "edit", "somsri", NotAllowed),
    ("draft", "attach", "somsri", NotAllowed),
    ("draft", "submit", "somsri", NotAllowed),
    ("draft", "edit", "admin", NotAllowed),
    ("draft", "submit", "admin", NotAllowed),
    ("draft", "edit", "outsider", NotFound),
    # Under review the content is frozen; only the current step's holder decides.
    ("step1", "edit", "nattanipa", NotAllowed),
    ("step1", "attach", "nattanipa", NotAllowed),
    ("step1", "submit", "nattanipa", NotAllowed),
    ("step1", "sign", "nattanipa", NotAllowed),
    ("step1", "withdraw", "nattanipa", (W, None)),
    ("step1", "reopen", "nattanipa", InvalidTransition),
    ("step1", "sign", "thanyarat", (R, 2)),
    ("step1", "return", "thanyarat", (RET, None)),
    ("step1", "return_no_reason", "thanyarat", ValidationFailed),
    ("step1", "reject", "thanyarat", ValidationFailed),  # this step has no reject decision
    ("step1", "withdraw", "thanyarat", NotAllowed),
    ("step1", "edit", "thanyarat", NotAllowed),
    ("step1", "sign", "chuttikan", NotAllowed),
    ("step1", "return", "chuttikan", NotAllowed),
    ("step1", "sign", "nakarin", NotAllowed),
    ("step1", "sign", "admin", NotAllowed),
    ("step1", "return", "admin", NotAllowed),
    ("step1", "withdraw", "admin", NotAllowed),
    ("step1", "sign", "outsider", NotFound),
    ("step1", "return", "outsider", NotFound),
    ("step1", "withdraw", "outsider", NotFound),
    ("step1", "attach", "outsider", NotFound),
    # After the first decision the drafter can no longer withdraw.
    ("step2", "withdraw", "nattanipa", InvalidTransition),
    ("step2", "sign", "thanyarat", NotAllowed),
    ("step2", "sign", "chuttikan", (R, 3)),
    ("step2", "return", "chuttikan", (RET, None)),
    ("step2", "reject", "chuttikan", ValidationFailed),
    ("step2", "sign", "nakarin", NotAllowed),
    # The last step approves, or rejects with a reason.
    ("step3", "sign", "nakarin", (A, None)),
    ("step3", "reject", "nakarin", (X, None)),
    ("step3", "reject_no_reason", "nakarin", ValidationFailed),
    ("step3", "return", "nakarin", (RET, None)),
    ("step3", "sign", "chuttikan", NotAllowed),
    ("step3", "withdraw", "nattanipa", InvalidTransition),
    # A returned memo is editable again by its drafter, and only by them.
    ("returned", "edit", "nattanipa", (RET, None)),
    ("returned", "attach", "nattanipa", (RET, None)),
    ("returned", "submit", "nattanipa", (R, 1)),
    ("returned", "withdraw", "nattanipa", InvalidTransition),
    ("returned", "reopen", "nattanipa", InvalidTransition),
    ("returned", "sign", "chuttikan", NotAllowed),
    ("returned", "return", "chuttikan", NotAllowed),
    ("returned", "edit", "somsri", NotAllowed),
    ("returned", "submit", "somsri", NotAllowed),
    # Finished memos are closed to everyone.
    *[
        (state, action, who, refusal)
        for state in ("approved", "rejected")
        for action, who, refusal in [
            ("edit", "nattanipa", NotAllowed),
            ("attach", "nattanipa", NotAllowed),
            ("submit", "nattanipa", NotAllowed),
            ("withdraw", "nattanipa", InvalidTransition),
            ("reopen", "nattanipa", InvalidTransition),
            ("sign", "nakarin", NotAllowed),
            ("return", "nakarin", NotAllowed),
            ("reject", "nakarin", NotAllowed),
        ]
    ],
    # A withdrawn memo can only be taken back as a draft, by its drafter.
    ("withdrawn", "reopen", "nattanipa", (D, None)),
    ("withdrawn", "edit", "nattanipa", NotAllowed),
    ("withdrawn", "submit", "nattanipa", NotAllowed),
    ("withdrawn", "withdraw", "nattanipa", InvalidTransition),
    ("withdrawn", "sign", "thanyarat", NotAllowed),
    ("withdrawn", "reopen", "somsri", NotAllowed),
    # Ending a memo: only its drafter discards a draft never sent (tests/test_documents_closing.py
    # deletes one) or closes a returned memo, with a reason; a closed memo is final.
    ("draft", "discard", "somsri", NotAllowed),
    ("draft", "discard", "admin", NotAllowed),
    ("draft", "discard", "outsider", NotFound),
    ("draft", "close", "nattanipa", InvalidTransition),
    ("step1", "discard", "nattanipa", InvalidTransition),
    ("step1", "close", "nattanipa", InvalidTransition),
    ("returned", "close", "nattanipa", (DocState.CLOSED, None)),
    ("returned", "close_no_reason", "nattanipa", ValidationFailed),
    ("returned", "close", "chuttikan", NotAllowed),
    ("returned", "close", "somsri", NotAllowed),
    ("returned", "discard", "nattanipa", InvalidTransition),
    ("withdrawn", "close", "nattanipa", InvalidTransition),
    *[
        (state, action, "nattanipa", InvalidTransition)
        for state in ("approved", "rejected", "withdrawn")
        for action in ("close", "discard")
        if (state, action) != ("withdrawn", "close")
    ],
    ("closed", "edit", "nattanipa", NotAllowed),
    ("closed", "attach", "nattanipa", NotAllowed),
    ("closed", "submit", "nattanipa", NotAllowed),
    ("closed", "reopen", "nattanipa", InvalidTransition),
    ("closed", "withdraw", "nattanipa", InvalidTransition),
    ("closed", "close", "nattanipa", InvalidTransition),
    ("closed", "discard", "nattanipa", InvalidTransition),
    ("closed", "sign", "chuttikan", NotAllowed),
    ("closed", "return", "chuttikan", NotAllowed),
]


def _extra_people() -> None:
    srisuk = db.session.scalars(sa.select(Organisation)).one()
    drafter_post = user("nattanipa").position
    make_user(srisuk, "somsri", "สมศรี มีสุข", drafter_post, title="นางสาว")
    other = Organisation(name="องค์การบริหารส่วนตำบลอื่น", kind=OrgKind.SAO)
    make_user(
        other, "outsider", "ผู้ดูแล อบต.อื่น", Position(organisation=other, title="ปลัด"), is_admin=True
    )
    db.session.commit()


def _bring_to(memo_id: int, state: str) -> None:
    for username, action in PATHS[state]:
        ACTIONS[action](db.session.get(Document, memo_id), user(username))
        db.session.commit()


def _facts(memo_id: int) -> tuple:
    """Everything a refused action must leave alone."""
    db.session.expire_all()
    doc = db.session.get(Document, memo_id)
    log = db.session.scalars(
        sa.select(DecisionLog.id).where(DecisionLog.document_id == memo_id)
    ).all()
    return (
        doc.state,
        doc.current_step,
        doc.revision,
        doc.number_seq,
        doc.subject,
        [a.id for a in doc.attachments],
        [(s.revision, s.step_no) for s in doc.steps],
        log,
    )


def _case_id(case) -> str:
    state, action, who, expected = case
    result = expected.__name__ if isinstance(expected, type) else expected[0].value
    return f"{state}-{action}-{who}-{result}"


@pytest.mark.parametrize(("state", "action", "who", "expected"), TABLE, ids=map(_case_id, TABLE))
def test_state_table(srisuk, ctx, state, action, who, expected):
    _extra_people()
    _bring_to(srisuk.memo_id, state)
    before = _facts(srisuk.memo_id)
    doc = db.session.get(Document, srisuk.memo_id)

    if isinstance(expected, type):
        with pytest.raises(expected) as refused:
            ACTIONS[action](doc, user(who))
        db.session.rollback()
        assert THAI.search(refused.value.message), "a refusal explains itself in Thai"
        assert _facts(srisuk.memo_id) == before
        return

    ACTIONS[action](doc, user(who))
    db.session.commit()
    db.session.expire_all()
    doc = db.session.get(Document, srisuk.memo_id)
    assert (doc.state, doc.current_step) == expected
    rows = db.session.scalars(
        sa.select(DecisionLog).where(DecisionLog.document_id == doc.id).order_by(DecisionLog.id)
    ).all()
    new_rows = [r for r in rows if r.id not in before[-1]]
    logged = LOGGED.get(action, Action.APPROVE if expected[0] == A else Action.FORWARD)
    if state == "returned" and action == "submit":
        logged = Action.RESUBMIT
    if logged is None:
        assert new_rows == [], "editing a draft is not a signed act"
    else:  # (an approval is followed by the row of its frozen PDF)
        assert new_rows[0].action == logged
        assert new_rows[0].actor_name == user(who).display_name


def test_table_covers_every_state_and_action():
    """A new state or service must be added to the table, not forgotten."""
    assert {_state_of(s) for s, *_ in TABLE} == set(DocState)
    assert {s for s, *_ in TABLE} == set(PATHS)
    assert {a for _, a, _, _ in TABLE} == set(ACTIONS)


def _state_of(path: str) -> DocState:
    return DocState.IN_REVIEW if path.startswith("step") else DocState(path)


def test_withdrawn_memo_reopened_and_submitted_again_keeps_its_number(srisuk, ctx):
    memo = srisuk.memo_id
    _bring_to(memo, "withdrawn")
    number = db.session.get(Document, memo).number
    service.reopen(memo, user("nattanipa"))
    service.update_draft(memo, user("nattanipa"), memo_content("แก้ไขหลังถอนเรื่อง"))
    db.session.commit()

    service.submit(memo, user("nattanipa"))
    db.session.commit()

    db.session.expire_all()
    doc = db.session.get(Document, memo)
    assert (doc.state, doc.current_step, doc.number) == (DocState.IN_REVIEW, 1, number)
    assert len(doc.steps_of()) == 3
    # The revised memo climbs the chain like any other.
    service.decide(memo, user("thanyarat"), decision="เห็นควรเสนอเพื่อโปรดพิจารณา")
    db.session.commit()
    assert db.session.get(Document, memo).current_step == 2


# -- the chain as data ------------------------------------------------------------------------


def test_five_step_chain_configured_as_data(app):
    chain = five_step_chain(app)
    with app.app_context():
        service.submit(chain.memo_id, user(chain.drafter))
        db.session.commit()
        for step_no, signer in enumerate(chain.signers, start=1):
            doc = db.session.get(Document, chain.memo_id)
            assert (doc.state, doc.current_step) == (DocState.IN_REVIEW, step_no)
            later = chain.signers[step_no:]
            for someone in later:  # nobody signs before their turn
                with pytest.raises(NotAllowed):
                    service.decide(doc.id, user(someone), decision="เห็นควรเสนอ")
                db.session.rollback()
            decision = doc.step().forward_decisions[0]
            service.decide(doc.id, user(signer), decision=decision, comment=f"ความเห็นขั้น {step_no}")
            db.session.commit()

        doc = db.session.get(Document, chain.memo_id)
        assert doc.state == DocState.APPROVED and doc.finished_at is not None
        rows = db.session.scalars(
            sa.select(DecisionLog).where(DecisionLog.document_id == doc.id).order_by(DecisionLog.id)
        ).all()
        signed = [r for r in rows if r.action != Action.FREEZE]  # the PDF's row follows approval
        assert [r.action for r in signed] == [Action.SUBMIT, *[Action.FORWARD] * 4, Action.APPROVE]
        assert [r.step_no for r in signed[1:]] == [1, 2, 3, 4, 5]
        assert [r.actor_position for r in signed[1:]] == list(
            ("ผู้ตรวจทาน", "หัวหน้าฝ่ายอำนวยการ", "รองปลัด", "ปลัด", "นายก")
        )


def test_chain_edits_after_submission_leave_the_memo_in_flight_alone(app):
    chain = five_step_chain(app)
    with app.app_context():
        service.submit(chain.memo_id, user(chain.drafter))
        db.session.commit()
        # The organisation shortens its chain to the last two steps while the memo climbs.
        from models import ChainStep

        steps = db.session.scalars(sa.select(ChainStep).order_by(ChainStep.step_no)).all()
        for step in steps[:3]:
            db.session.delete(step)
        db.session.flush()
        for step_no, step in enumerate(steps[3:], start=1):
            step.step_no = step_no
        db.session.commit()

        doc = db.session.get(Document, chain.memo_id)
        assert [s.position_title for s in doc.steps_of()][0] == "ผู้ตรวจทาน"
        service.decide(doc.id, user(chain.signers[0]), decision="เห็นควรเสนอ")
        db.session.commit()
        assert db.session.get(Document, chain.memo_id).current_step == 2


# -- the same rules through the pages: refusals explain themselves ---------------------------


def test_refusal_pages_are_thai_and_change_nothing(app, client, srisuk):
    memo = srisuk.memo_id
    login(client, "nattanipa")
    client.post_form(f"/documents/{memo}/submit")
    logout(client)

    login(client, "chuttikan")  # step 1 belongs to the section head, not the chief administrator
    response = client.post_form(
        f"/documents/{memo}/decide",
        {"revision": "1", "step_no": "1", "decision": "เห็นควรเสนอเพื่อโปรดพิจารณา"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "ขั้นนี้เป็นของตำแหน่ง “หัวหน้าสำนักปลัด”" in page
    assert "Traceback" not in page
    logout(client)

    login(client, "nattanipa")  # the memo under review cannot change
    response = client.post_form(
        f"/documents/{memo}/edit", {"subject": "เปลี่ยนเรื่องระหว่างพิจารณา", "doc_date": "27/10/2568"}
    )
    assert response.status_code == 403
    assert "แก้ไขไม่ได้ เพราะเอกสารอยู่ในสถานะ “อยู่ระหว่างพิจารณา”" in response.get_data(as_text=True)
    assert client.get(f"/documents/{memo}/edit").status_code == 403
    doc = document(app, memo)
    assert doc.subject.startswith("รายงานผลการวิเคราะห์") and doc.state == DocState.IN_REVIEW
    assert [r.action for r in log_rows(app, memo)] == [Action.SUBMIT]


def test_withdraw_only_before_the_first_decision(app, client, srisuk):
    memo = srisuk.memo_id
    login(client, "nattanipa")
    client.post_form(f"/documents/{memo}/submit")
    assert "ถอนเรื่อง</button>" in client.get(f"/documents/{memo}").get_data(as_text=True)
    logout(client)
    login(client, "thanyarat")
    decide(client, memo, "เห็นควรเสนอเพื่อโปรดพิจารณา")
    logout(client)

    login(client, "nattanipa")
    assert "ถอนเรื่อง</button>" not in client.get(f"/documents/{memo}").get_data(as_text=True)
    response = client.post_form(f"/documents/{memo}/withdraw")
    assert response.status_code == 409
    assert "ถอนเรื่องไม่ได้ เพราะมีผู้ลงความเห็นในรอบนี้แล้ว" in response.get_data(as_text=True)
    assert document(app, memo).state == DocState.IN_REVIEW


def test_reject_needs_a_reason_and_only_where_the_step_can_reject(app, client, srisuk):
    memo = srisuk.memo_id
    login(client, "nattanipa")
    client.post_form(f"/documents/{memo}/submit")
    logout(client)
    login(client, "thanyarat")
    page = client.get(f"/documents/{memo}").get_data(as_text=True)
    assert 'value="ไม่อนุมัติ"' not in page  # the section head's step offers no rejection
    decide(client, memo, "เห็นควรเสนอเพื่อโปรดพิจารณา")
    logout(client)
    login(client, "chuttikan")
    decide(client, memo, "เห็นควรอนุมัติ")
    logout(client)

    login(client, "nakarin")
    assert 'value="ไม่อนุมัติ"' in client.get(f"/documents/{memo}").get_data(as_text=True)
    response = decide(client, memo, "ไม่อนุมัติ", "")
    assert response.status_code == 400
    assert error_beside(response.get_data(as_text=True), "comment") == ["กรุณาระบุเหตุผลที่ไม่อนุมัติ"]
    assert document(app, memo).state == DocState.IN_REVIEW

    assert decide(client, memo, "ไม่อนุมัติ", "งบประมาณไม่เพียงพอ").status_code == 302
    doc = document(app, memo)
    assert doc.state == DocState.REJECTED and doc.finished_at is not None
    last = log_rows(app, memo)[-1]
    assert (last.action, last.decision, last.comment) == (
        Action.REJECT,
        "ไม่อนุมัติ",
        "งบประมาณไม่เพียงพอ",
    )


def test_return_needs_a_reason(app, client, srisuk):
    memo = srisuk.memo_id
    login(client, "nattanipa")
    client.post_form(f"/documents/{memo}/submit")
    logout(client)
    login(client, "thanyarat")
    response = return_memo(client, memo, "   ")
    assert response.status_code == 400
    assert error_beside(response.get_data(as_text=True), "reason") == ["กรุณาระบุเหตุผลที่ส่งคืนแก้ไข"]
    assert document(app, memo).state == DocState.IN_REVIEW
    assert [r.action for r in log_rows(app, memo)] == [Action.SUBMIT]


def test_two_rounds_return_edit_resubmit_and_resume_at_the_returning_step(app, client, srisuk):
    memo = srisuk.memo_id
    login(client, "nattanipa")
    client.post_form(f"/documents/{memo}/submit")
    number = document(app, memo).number
    logout(client)
    login(client, "thanyarat")
    decide(client, memo, "เห็นควรเสนอเพื่อโปรดพิจารณา", "ได้ตรวจสอบแล้ว")
    logout(client)

    login(client, "chuttikan")  # round 1: the chief administrator returns and asks for it back
    assert return_memo(client, memo, REASON, resume_here=True).status_code == 302
    logout(client)

    login(client, "nattanipa")
    edit_page = client.get(f"/documents/{memo}/edit")
    assert edit_page.status_code == 200
    response = client.post_form(f"/documents/{memo}/edit", _memo_form(app, memo, "เรื่องฉบับแก้ไข"))
    assert response.status_code == 302
    client.post_form(f"/documents/{memo}/submit")
    doc = document(app, memo)
    assert (doc.state, doc.revision, doc.current_step, doc.number) == (
        DocState.IN_REVIEW,
        2,
        2,
        number,
    )
    assert doc.subject == "เรื่องฉบับแก้ไข"
    logout(client)

    login(client, "thanyarat")  # the section head is not asked again
    assert "เรื่องฉบับแก้ไข" not in client.get("/documents/pending").get_data(as_text=True)
    logout(client)
    login(client, "chuttikan")  # round 2: straight back to the chief administrator
    assert "เรื่องฉบับแก้ไข" in client.get("/documents/pending").get_data(as_text=True)
    assert decide(client, memo, "เห็นควรอนุมัติ").status_code == 302
    logout(client)
    login(client, "nakarin")
    assert decide(client, memo, "อนุมัติ", "อนุมัติตามเสนอ").status_code == 302

    rows = log_rows(app, memo)
    assert [(r.revision, r.action, r.step_no) for r in rows] == [
        (1, Action.SUBMIT, None),
        (1, Action.FORWARD, 1),
        (1, Action.RETURN, 2),
        (2, Action.RESUBMIT, None),
        (2, Action.FORWARD, 2),
        (2, Action.APPROVE, 3),
        (2, Action.FREEZE, None),  # the approved PDF, stored once
    ]
    assert rows[2].comment == REASON
    assert document(app, memo).state == DocState.APPROVED


def _memo_form(app, memo_id: int, subject: str) -> dict:
    """The edit form as the page fills it, with a new subject."""
    doc = document(app, memo_id)
    with app.app_context():
        sections = db.session.get(Document, memo_id).sections
        data = {
            "doc_type": doc.doc_type.value,
            "unit_id": str(doc.unit_id or 0),
            "issuing_unit": doc.issuing_unit,
            "doc_date": "27/10/2568",
            "subject": subject,
            "addressee": doc.addressee,
            "closing": doc.closing,
        }
        for i, s in enumerate(sections):
            data[f"sections-{i}-heading"] = s.heading
            data[f"sections-{i}-body"] = s.body
    return data


def test_a_decision_not_offered_at_the_step_is_refused_in_thai(app, client, srisuk):
    memo = srisuk.memo_id
    login(client, "nattanipa")
    client.post_form(f"/documents/{memo}/submit")
    logout(client)
    login(client, "thanyarat")
    response = decide(client, memo, "อนุมัติ")  # the chief executive's decision, not hers
    assert response.status_code == 400
    assert '<p class="error">กรุณาเลือกความเห็นจากรายการของขั้นนี้</p>' in response.get_data(as_text=True)
    assert [r.action for r in log_rows(app, memo)] == [Action.SUBMIT]
