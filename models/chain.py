"""The signature chain, kept as data: an ordered list of steps per organisation and document type."""

import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.org import Position
from models.types import str_enum


class DocType(enum.StrEnum):
    ANALYSIS = "analysis"
    PROGRESS_REPORT = "progress_report"
    GENERAL = "general"

    @property
    def label(self) -> str:
        return DOC_TYPE_LABELS[self]


DOC_TYPE_LABELS = {
    DocType.ANALYSIS: "บันทึกรายงานผลการวิเคราะห์ ITA",
    DocType.PROGRESS_REPORT: "รายงานความก้าวหน้าตามมาตรการ",
    DocType.GENERAL: "บันทึกข้อความทั่วไป",
}


class StepFields:
    """Columns a chain step and its per-document snapshot share."""

    step_no: Mapped[int]
    heading: Mapped[str] = mapped_column(sa.String(300))
    # Decisions that pass the document on (or, at the last step, approve it).
    forward_decisions: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # Decisions that end the document as rejected; empty means this step cannot reject.
    reject_decisions: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # Suggested comment phrases offered as one-tap inserts.
    phrases: Mapped[list[str]] = mapped_column(sa.JSON, default=list)

    @property
    def decisions(self) -> list[str]:
        return [*self.forward_decisions, *self.reject_decisions]


class ChainStep(StepFields, db.Model):
    __tablename__ = "chain_steps"
    __table_args__ = (
        sa.UniqueConstraint("org_id", "doc_type", "step_no"),
        sa.CheckConstraint("step_no >= 1", name="step_no_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    doc_type: Mapped[DocType] = mapped_column(str_enum(DocType, "doc_type"))
    position_id: Mapped[int] = mapped_column(sa.ForeignKey("positions.id"))

    position: Mapped[Position] = relationship()
