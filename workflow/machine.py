"""The document state machine, built with `transitions` around a small plain object.

States are few and stored in one column; where the document is in its chain is data
(`step_no`), not a state. The machine has no auto `to_<state>` shortcuts, and a refused
trigger raises InvalidTransition rather than returning False.
"""

from dataclasses import dataclass

from transitions import Machine, MachineError

from models.document import DocState
from workflow.errors import InvalidTransition

S = DocState

# trigger, source, dest, conditions (methods of Flow), after (method of Flow)
TRANSITIONS: list[dict] = [
    {"trigger": "submit", "source": S.DRAFT, "dest": S.IN_REVIEW, "after": "start_chain"},
    {"trigger": "resubmit", "source": S.RETURNED, "dest": S.IN_REVIEW, "after": "restart_chain"},
    {
        "trigger": "forward",
        "source": S.IN_REVIEW,
        "dest": S.IN_REVIEW,
        "conditions": "has_next_step",
        "after": "next_step",
    },
    {
        "trigger": "approve",
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
        "trigger": "reject",
        "source": S.IN_REVIEW,
        "dest": S.REJECTED,
        "conditions": "step_can_reject",
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
    {"trigger": "close", "source": [S.RETURNED, S.DRAFT], "dest": S.CLOSED},
]

TRIGGERS = tuple(dict.fromkeys(t["trigger"] for t in TRANSITIONS))

_REFUSALS = {
    "forward": "ขั้นนี้เป็นขั้นสุดท้ายของสายการลงนาม ให้ใช้การอนุมัติแทน",
    "approve": "ยังไม่ถึงขั้นสุดท้ายของสายการลงนาม",
    "reject": "ขั้นนี้ไม่มีสิทธิ์ไม่อนุมัติเรื่อง",
    "withdraw": "ถอนเรื่องไม่ได้ เพราะมีผู้ลงความเห็นในรอบนี้แล้ว",
}


@dataclass
class Flow:
    """What the machine needs to know about one document for one action."""

    state: DocState
    step_no: int | None
    step_count: int
    decided_this_round: bool = False
    current_step_can_reject: bool = False
    resume_step: int | None = None

    def has_next_step(self) -> bool:
        return self.step_no is not None and self.step_no < self.step_count

    def is_last_step(self) -> bool:
        return self.step_no is not None and self.step_no == self.step_count

    def step_can_reject(self) -> bool:
        return self.current_step_can_reject

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


def fire(flow: Flow, trigger: str) -> Flow:
    """Run one trigger on the flow; raise InvalidTransition when it is not allowed."""
    if trigger not in TRIGGERS:
        raise ValueError(f"unknown trigger {trigger!r}")
    machine = Machine(
        model=flow,
        states=list(DocState),
        transitions=TRANSITIONS,
        initial=flow.state,
        auto_transitions=False,
        send_event=False,
        model_attribute="state",
    )
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
