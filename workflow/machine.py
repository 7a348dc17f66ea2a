"""The document state machine, built with `transitions` around a small plain object.

States are few and stored in one column; where the document is in its chain is data
(`step_no`), not a state. The machine has no auto `to_<state>` shortcuts, and a refused
trigger raises InvalidTransition rather than returning False.
"""

from dataclasses import dataclass

from transitions import Machine, MachineError

from models.audit import Action
from models.document import DocState
from workflow.errors import InvalidTransition

S = DocState

# trigger, source, dest, conditions (methods of Flow), after (method of Flow). A trigger listed
# more than once tries its transitions in this order; the first whose conditions hold is taken.
TRANSITIONS: list[dict] = [
    {"trigger": "submit", "source": S.DRAFT, "dest": S.IN_REVIEW, "after": "start_chain"},
    {"trigger": "resubmit", "source": S.RETURNED, "dest": S.IN_REVIEW, "after": "restart_chain"},
    {
        "trigger": "sign",
        "source": S.IN_REVIEW,
        "dest": S.REJECTED,
        "conditions": "decision_rejects",
        "after": "leave_chain",
    },
    {
        "trigger": "sign",
        "source": S.IN_REVIEW,
        "dest": S.IN_REVIEW,
        "conditions": "has_next_step",
        "after": "next_step",
    },
    {
        "trigger": "sign",
        "source": S.IN_REVIEW,
        "dest": S.APPROVED,
        "conditions": "is_last_step",
        "after": "leave_chain",
    },
    {
        "trigger": "return_for_revision",
        "source": S.IN_REVIEW,
        "dest": S.RETURNED,
        "after": "leave_chain",
    },
    {
        "trigger": "withdraw",
        "source": S.IN_REVIEW,
        "dest": S.WITHDRAWN,
        "conditions": "nothing_decided",
        "after": "leave_chain",
    },
    {"trigger": "reopen", "source": S.WITHDRAWN, "dest": S.DRAFT},
    # The drafter ends a memo they will not send again; a numbered draft is one withdrawn before.
    {"trigger": "close", "source": S.RETURNED, "dest": S.CLOSED},
    {"trigger": "close", "source": S.DRAFT, "dest": S.CLOSED},
]

# What the log records for a "sign", by where the memo went.
SIGN_ACTIONS = {S.IN_REVIEW: Action.FORWARD, S.APPROVED: Action.APPROVE, S.REJECTED: Action.REJECT}

TRIGGERS = tuple(dict.fromkeys(t["trigger"] for t in TRANSITIONS))

_REFUSALS = {
    "sign": "เอกสารนี้ไม่มีขั้นที่รอลงนามอยู่",
    "withdraw": "ถอนเรื่องไม่ได้ เพราะมีผู้ลงความเห็นในรอบนี้แล้ว",
}


@dataclass
class Flow:
    """What the machine needs to know about one document for one action."""

    state: DocState
    step_no: int | None
    step_count: int
    decided_this_round: bool = False
    resume_step: int | None = None
    decision: str | None = None  # what the signer chose, for "sign"
    reject_decisions: tuple[str, ...] = ()  # the current step's decisions that reject the memo

    def has_next_step(self) -> bool:
        return self.step_no is not None and self.step_no < self.step_count

    def is_last_step(self) -> bool:
        return self.step_no is not None and self.step_no == self.step_count

    def decision_rejects(self) -> bool:
        return self.decision is not None and self.decision in self.reject_decisions

    def nothing_decided(self) -> bool:
        return not self.decided_this_round

    def start_chain(self) -> None:
        self.step_no = 1

    def restart_chain(self) -> None:
        resume = self.resume_step
        self.step_no = resume if resume and resume <= self.step_count else 1
        self.resume_step = None

    def next_step(self) -> None:
        self.step_no += 1

    def leave_chain(self) -> None:
        self.step_no = None


def _machine(flow: Flow) -> Machine:
    return Machine(
        model=flow,
        states=list(DocState),
        transitions=TRANSITIONS,
        initial=flow.state,
        auto_transitions=False,
        send_event=False,
        model_attribute="state",
    )


def may(flow: Flow, trigger: str) -> bool:
    """Whether the trigger would be taken, without changing the flow."""
    if trigger not in TRIGGERS:
        raise ValueError(f"unknown trigger {trigger!r}")
    machine = _machine(flow)
    try:
        return bool(flow.may_trigger(trigger))
    finally:
        machine.remove_model(flow)


def fire(flow: Flow, trigger: str) -> Flow:
    """Run one trigger on the flow; raise InvalidTransition when it is not allowed."""
    if trigger not in TRIGGERS:
        raise ValueError(f"unknown trigger {trigger!r}")
    machine = _machine(flow)
    try:
        done = getattr(flow, trigger)()
    except MachineError:
        raise InvalidTransition(
            f"ทำรายการนี้ไม่ได้ เพราะเอกสารอยู่ในสถานะ “{DocState(flow.state).label}”"
        ) from None
    finally:
        machine.remove_model(flow)
    if not done:
        raise InvalidTransition(_REFUSALS.get(trigger, "ทำรายการนี้ไม่ได้ในขณะนี้"))
    flow.state = DocState(flow.state)
    return flow
