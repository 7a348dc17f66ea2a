"""The memo state machine's table, without a database: where each trigger goes from each state.

A signer only signs; the machine decides by the chosen decision and the chain position whether
the memo goes to the next step, is approved or is rejected, and the log records what it decided.
"""

import pytest

from models import Action, DocState
from workflow.errors import InvalidTransition
from workflow.machine import SIGN_ACTIONS, TRANSITIONS, TRIGGERS, Flow, fire, may

S = DocState
REJECTS = ("ไม่อนุมัติ",)


def _in_review(step_no, step_count=3, **kw) -> Flow:
    return Flow(state=S.IN_REVIEW, step_no=step_no, step_count=step_count, **kw)


def _sign(flow: Flow, decision: str) -> tuple[DocState, int | None, Action]:
    flow.decision, flow.reject_decisions = decision, REJECTS
    done = fire(flow, "sign")
    return done.state, done.step_no, SIGN_ACTIONS[done.state]


@pytest.mark.parametrize(
    "step_no, step_count, decision, expected",
    [
        (1, 3, "เห็นควรเสนอ", (S.IN_REVIEW, 2, Action.FORWARD)),
        (2, 3, "เห็นควรเสนอ", (S.IN_REVIEW, 3, Action.FORWARD)),
        (3, 3, "อนุมัติ", (S.APPROVED, None, Action.APPROVE)),
        (1, 1, "อนุมัติ", (S.APPROVED, None, Action.APPROVE)),
        (1, 3, "ไม่อนุมัติ", (S.REJECTED, None, Action.REJECT)),
        (3, 3, "ไม่อนุมัติ", (S.REJECTED, None, Action.REJECT)),
    ],
)
def test_sign_goes_forward_approves_at_the_last_step_or_rejects(
    step_no, step_count, decision, expected
):
    assert _sign(_in_review(step_no, step_count), decision) == expected


def test_a_decision_rejects_only_where_the_step_lists_it_as_rejecting():
    flow = _in_review(1, decision="ไม่อนุมัติ", reject_decisions=())
    assert fire(flow, "sign").state == S.IN_REVIEW


@pytest.mark.parametrize("step_no", [None, 4])
def test_sign_is_refused_when_the_memo_is_at_no_step_of_its_chain(step_no):
    with pytest.raises(InvalidTransition):
        fire(_in_review(step_no, 3, decision="อนุมัติ"), "sign")


def test_withdraw_only_while_nobody_has_decided_this_round():
    assert fire(_in_review(1, decided_this_round=False), "withdraw").state == S.WITHDRAWN
    assert may(_in_review(2, decided_this_round=False), "withdraw")
    assert not may(_in_review(2, decided_this_round=True), "withdraw")
    with pytest.raises(InvalidTransition, match="มีผู้ลงความเห็น"):
        fire(_in_review(2, decided_this_round=True), "withdraw")


def test_may_leaves_the_flow_as_it_was():
    flow = _in_review(2, decided_this_round=False)
    assert may(flow, "withdraw") and (flow.state, flow.step_no) == (S.IN_REVIEW, 2)


@pytest.mark.parametrize("resume_step, expected", [(None, 1), (2, 2), (3, 3), (4, 1)], ids=str)
def test_resubmit_starts_again_at_step_one_or_at_the_step_that_asked_for_it(resume_step, expected):
    flow = Flow(state=S.RETURNED, step_no=None, step_count=3, resume_step=resume_step)
    done = fire(flow, "resubmit")
    assert (done.state, done.step_no, done.resume_step) == (S.IN_REVIEW, expected, None)


def test_submit_return_and_reopen():
    assert (fire(Flow(S.DRAFT, None, 3), "submit").step_no) == 1
    returned = fire(_in_review(2), "return_for_revision")
    assert (returned.state, returned.step_no) == (S.RETURNED, None)
    assert fire(Flow(S.WITHDRAWN, None, 3), "reopen").state == S.DRAFT


@pytest.mark.parametrize("state", [S.RETURNED, S.DRAFT])
def test_close_ends_a_returned_memo_or_a_numbered_draft(state):
    # which drafts may be closed (numbered ones) is the service's rule: workflow/closing.py
    assert fire(Flow(state, None, 3), "close").state == S.CLOSED


# Every state and trigger not in the table is refused, and says which state the memo is in.
ALLOWED = {(t["trigger"], t["source"]) for t in TRANSITIONS}


@pytest.mark.parametrize("state", list(DocState), ids=lambda s: s.value)
@pytest.mark.parametrize("trigger", TRIGGERS)
def test_a_trigger_outside_the_table_is_refused(state, trigger):
    if (trigger, state) in ALLOWED:
        return
    flow = Flow(state=state, step_no=1, step_count=3, decision="อนุมัติ")
    with pytest.raises(InvalidTransition, match=state.label):
        fire(flow, trigger)
    assert not may(Flow(state=state, step_no=1, step_count=3), trigger)


def test_the_table_is_plain_data_and_sign_tries_reject_then_forward_then_approve():
    assert all(set(t) <= {"trigger", "source", "dest", "conditions", "after"} for t in TRANSITIONS)
    signs = [(t["dest"], t.get("conditions")) for t in TRANSITIONS if t["trigger"] == "sign"]
    assert signs == [
        (S.REJECTED, "decision_rejects"),
        (S.IN_REVIEW, "has_next_step"),
        (S.APPROVED, "is_last_step"),
    ]
    assert set(SIGN_ACTIONS) == {dest for dest, _ in signs}


def test_an_unknown_trigger_is_a_programming_error():
    with pytest.raises(ValueError):
        fire(_in_review(1), "to_approved")
