"""The append-only record of who did what to a document, and what exactly they signed.

Rows are never updated or deleted: the ORM refuses it here, and the database refuses it with
triggers created by the migration. Each row carries the SHA-256 of the memo's content as it
was signed and a hash linking it to the previous row of the same document.
"""

import enum
import hashlib
import json
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

import clock
from extensions import db
from models.org import ActingChange, ActingKind
from models.types import UTCDateTime, str_enum


class Action(enum.StrEnum):
    SUBMIT = "submit"
    RESUBMIT = "resubmit"
    FORWARD = "forward"
    APPROVE = "approve"
    RETURN = "return"
    REJECT = "reject"
    WITHDRAW = "withdraw"
    REOPEN = "reopen"
    RENUMBER = "renumber"
    FREEZE = "freeze"  # the approved PDF was rendered and stored; its SHA-256 is the comment
    PUBLISH = "publish"  # served at a public address; the address is the comment
    RETRACT = "retract"  # no longer served there; the record stays
    CANCEL = "cancel"  # cancelled by an approved later memo, named in the comment
    SUPERSEDE = "supersede"  # superseded by an approved later memo, named in the comment
    CIRCULATE = "circulate"  # sent round for acknowledgement; who, in the comment
    CLOSE = "close"  # the drafter ended a returned memo; the reason is the comment

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


# What a signer does at a step: the log rows that carry a step's decision (and sign the memo).
DECISION_ACTIONS = (Action.FORWARD, Action.APPROVE, Action.RETURN, Action.REJECT)

ACTION_LABELS = {
    Action.SUBMIT: "เสนอเรื่อง",
    Action.RESUBMIT: "เสนอเรื่องอีกครั้งหลังแก้ไข",
    Action.FORWARD: "ลงความเห็นและเสนอต่อ",
    Action.APPROVE: "ลงความเห็น (ขั้นสุดท้าย)",
    Action.RETURN: "ส่งคืนแก้ไข",
    Action.REJECT: "ไม่อนุมัติ",
    Action.WITHDRAW: "ถอนเรื่อง",
    Action.REOPEN: "นำกลับมาเป็นร่าง",
    Action.RENUMBER: "แก้ไขเลขที่หนังสือ",
    Action.FREEZE: "จัดเก็บฉบับอนุมัติ (PDF)",
    Action.PUBLISH: "เผยแพร่ทางเว็บไซต์",
    Action.RETRACT: "ยกเลิกการเผยแพร่",
    Action.CANCEL: "ถูกยกเลิกโดยบันทึกฉบับใหม่",
    Action.SUPERSEDE: "ถูกแทนที่โดยบันทึกฉบับใหม่",
    Action.CIRCULATE: "แจ้งเวียนเพื่อทราบ",
    Action.CLOSE: "ยุติเรื่อง",
}


class DecisionLog(db.Model):
    __tablename__ = "decision_log"
    __table_args__ = (
        sa.Index("ix_decision_log_document", "document_id", "id"),
        # A memo's arrival (workflow/dashboard/waiting.py) from the index alone.
        sa.Index("ix_decision_log_arrival", "document_id", "created_at", "action"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id"))
    revision: Mapped[int]
    step_no: Mapped[int | None]
    step_heading: Mapped[str | None] = mapped_column(sa.String(300))
    action: Mapped[Action] = mapped_column(str_enum(Action, "log_action"))
    decision: Mapped[str | None] = mapped_column(sa.String(200))
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    # Snapshot of the signer, so an old memo never changes when people move.
    actor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(sa.String(250))
    actor_position: Mapped[str] = mapped_column(sa.String(200), default="")
    acting_for: Mapped[str | None] = mapped_column(sa.String(200))
    acting_kind: Mapped[ActingKind | None] = mapped_column(str_enum(ActingKind, "acting_kind"))
    acting_assignment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("acting_assignments.id"))
    # Snapshot of the order the signature was made under, as it read at that moment.
    acting_order_ref: Mapped[str | None] = mapped_column(sa.String(300))
    acting_from: Mapped[date | None]
    acting_until: Mapped[date | None]
    # The drafter signed a step of her own memo (she holds or acts for its post): said on the
    # memo page; the organisation may forbid it (Organisation.forbid_drafter_signing).
    own_memo: Mapped[bool | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    content_sha256: Mapped[str] = mapped_column(sa.String(64))
    prev_hash: Mapped[str | None] = mapped_column(sa.String(64))
    row_hash: Mapped[str] = mapped_column(sa.String(64))

    def compute_hash(self) -> str:
        """Hash of this row's facts chained to the previous row's hash."""
        facts = {
            "document_id": self.document_id,
            "revision": self.revision,
            "step_no": self.step_no,
            "action": str(self.action),
            "decision": self.decision,
            "comment": self.comment,
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "actor_position": self.actor_position,
            "acting_for": self.acting_for,
            "acting_kind": str(self.acting_kind) if self.acting_kind else None,
            "created_at": self.created_at.isoformat(),
            "content_sha256": self.content_sha256,
            "prev_hash": self.prev_hash,
        }
        if self.own_memo:  # rows without the flag hash as they always did
            facts["own_memo"] = True
        if self.acting_from is not None:  # rows from before the snapshot hash as they did
            facts["acting_order"] = [
                self.acting_order_ref,
                self.acting_from.isoformat(),
                self.acting_until.isoformat() if self.acting_until else None,
            ]
        payload = json.dumps(facts, ensure_ascii=False, sort_keys=True).encode()
        return hashlib.sha256(payload).hexdigest()

    @property
    def acting_line(self) -> str | None:
        """'รักษาราชการแทน หัวหน้าสำนักปลัด' when someone signed for a post not their own."""
        if not self.acting_for:
            return None
        kind = self.acting_kind.label if self.acting_kind else ""
        return f"{kind} {self.acting_for}".strip()

    @property
    def opinion(self) -> tuple[str, str]:
        """(decision, comment) as the memo prints them: once when they say the same thing.

        A quick phrase tapped after choosing "อนุมัติ" often repeats it ("อนุมัติ" or "อนุมัติ
        ตามเสนอ"): the comment that equals or begins with the decision stands alone.
        """
        decision, comment = (self.decision or "").strip(), (self.comment or "").strip()
        if decision and " ".join(comment.split()).startswith(" ".join(decision.split())):
            return "", comment
        return decision, comment


class DecisionSeal(db.Model):
    """A keyed MAC of one log row's hash (AUDIT_KEY, held outside the database).

    The row hashes alone prove nothing against someone with database rights, who can recompute
    them after an edit; a seal cannot be recomputed without the key (workflow/audit.py).
    """

    __tablename__ = "decision_seals"

    row_id: Mapped[int] = mapped_column(sa.ForeignKey("decision_log.id"), primary_key=True)
    mac: Mapped[str] = mapped_column(sa.String(64))
    row: Mapped[DecisionLog] = relationship()


class AppendOnlyViolation(RuntimeError):
    pass


@event.listens_for(Session, "before_flush")
def _refuse_log_edits(session: Session, flush_context, instances) -> None:
    for obj in session.deleted:
        if isinstance(obj, DecisionLog):
            raise AppendOnlyViolation("decision_log rows cannot be deleted")
    for obj in session.dirty:
        if isinstance(obj, DecisionLog) and session.is_modified(obj):
            raise AppendOnlyViolation("decision_log rows cannot be changed")
        if isinstance(obj, DecisionSeal) and session.is_modified(obj):
            raise AppendOnlyViolation("decision seals cannot be changed")
        if isinstance(obj, ActingChange) and session.is_modified(obj):
            raise AppendOnlyViolation("the acting register's history cannot be changed")
    for obj in session.deleted:
        if isinstance(obj, ActingChange):
            raise AppendOnlyViolation("the acting register's history cannot be deleted")
