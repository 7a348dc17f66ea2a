"""The memo (บันทึกข้อความ): its content, attachments, and the chain snapshot it climbs."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

import clock
from extensions import db
from models.chain import DocType, StepFields
from models.org import Organisation, Position, Unit, User
from models.types import UTCDateTime, str_enum


class DocState(enum.StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    RETURNED = "returned"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"  # a returned memo its drafter will not send again; final

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    DocState.DRAFT: "ร่าง",
    DocState.IN_REVIEW: "อยู่ระหว่างพิจารณา",
    DocState.RETURNED: "ส่งคืนแก้ไข",
    DocState.APPROVED: "อนุมัติแล้ว",
    DocState.REJECTED: "ไม่อนุมัติ",
    DocState.WITHDRAWN: "ถอนเรื่อง",
    DocState.CLOSED: "ยุติเรื่อง",
}


def memo_number(prefix: str | None, seq: int | None) -> str | None:
    """A memo's number from its columns, for the ORM object and for rows read without it."""
    if seq is None:
        return None
    return f"{prefix}/{seq}" if prefix else str(seq)


DEFAULT_SECTIONS = ("เรื่องเดิม", "ข้อเท็จจริง", "ระเบียบ/หนังสือสั่งการ", "ข้อเสนอเพื่อพิจารณา")
DEFAULT_CLOSING = "จึงเรียนมาเพื่อโปรดพิจารณา"


class Document(db.Model):
    __tablename__ = "documents"
    __table_args__ = (
        sa.UniqueConstraint("org_id", "fiscal_year", "number_seq"),
        # The state column and the columns it needs agree, whatever code writes them.
        sa.CheckConstraint(
            "(state = 'in_review') = (current_step IS NOT NULL)", name="step_iff_in_review"
        ),
        sa.CheckConstraint(
            "state = 'draft' OR (number_seq IS NOT NULL AND fiscal_year IS NOT NULL)",
            name="numbered_once_submitted",
        ),
        sa.CheckConstraint(
            "(state IN ('approved', 'rejected')) = (finished_at IS NOT NULL)",
            name="finished_iff_final",
        ),
        sa.CheckConstraint("revision >= 1", name="revision_positive"),
        sa.Index("ix_documents_org_state", "org_id", "state"),
        # The memos in review, one in twelve nationally: the reminder run starts from them.
        sa.Index(
            "ix_documents_in_review",
            "org_id",
            "id",
            postgresql_where=sa.text("state = 'in_review'"),
            sqlite_where=sa.text("state = 'in_review'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    doc_type: Mapped[DocType] = mapped_column(str_enum(DocType, "doc_type"))
    state: Mapped[DocState] = mapped_column(str_enum(DocState, "doc_state"), default=DocState.DRAFT)
    revision: Mapped[int] = mapped_column(default=1)
    current_step: Mapped[int | None]
    # When a returning approver asks for it, the next revision starts at their step.
    resume_step: Mapped[int | None]
    drafter_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"))

    # The memo's header as printed.
    issuing_unit: Mapped[str] = mapped_column(sa.String(300))  # ส่วนราชการ
    doc_date: Mapped[date]  # วันที่
    subject: Mapped[str] = mapped_column(sa.String(500))  # เรื่อง
    addressee: Mapped[str] = mapped_column(sa.String(300))  # เรียน
    closing: Mapped[str] = mapped_column(sa.String(300), default=DEFAULT_CLOSING)

    # ที่: prefix and running number, given at first submission, never reused.
    fiscal_year: Mapped[int | None]
    number_seq: Mapped[int | None]
    number_prefix: Mapped[str | None] = mapped_column(sa.String(50))

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    organisation: Mapped[Organisation] = relationship()
    drafter: Mapped[User] = relationship()
    unit: Mapped[Unit | None] = relationship()
    sections: Mapped[list["DocumentSection"]] = relationship(
        order_by="DocumentSection.position", cascade="all, delete-orphan"
    )
    attachments: Mapped[list["Attachment"]] = relationship(
        order_by="Attachment.id", cascade="all, delete-orphan"
    )
    # A progress report's frozen table (models/reports.py); None for other documents.
    report_snapshot: Mapped["ReportSnapshot | None"] = relationship(  # noqa: F821
        uselist=False, cascade="all, delete-orphan"
    )
    # An analysis memo's frozen figures and texts (models/ita.py); None for other documents.
    analysis_snapshot: Mapped["AnalysisSnapshot | None"] = relationship(  # noqa: F821
        uselist=False, cascade="all, delete-orphan"
    )
    steps: Mapped[list["DocumentStep"]] = relationship(
        order_by="[DocumentStep.revision, DocumentStep.step_no]", cascade="all, delete-orphan"
    )

    @property
    def number(self) -> str | None:
        """'สร 83201/1180' (Arabic digits; templates convert per the organisation's setting)."""
        return memo_number(self.number_prefix, self.number_seq)

    @property
    def is_editable(self) -> bool:
        return self.state in (DocState.DRAFT, DocState.RETURNED)

    def steps_of(self, revision: int | None = None) -> list["DocumentStep"]:
        revision = self.revision if revision is None else revision
        return [s for s in self.steps if s.revision == revision]

    def step(self, step_no: int | None = None) -> "DocumentStep | None":
        step_no = self.current_step if step_no is None else step_no
        return next((s for s in self.steps_of() if s.step_no == step_no), None)


class DocumentSection(db.Model):
    """A headed part of the body (เรื่องเดิม, ข้อเท็จจริง, ... or a free heading)."""

    __tablename__ = "document_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id"), index=True)
    position: Mapped[int]
    heading: Mapped[str] = mapped_column(sa.String(300), default="")
    body: Mapped[str] = mapped_column(sa.Text, default="")


class Attachment(db.Model):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    storage_key: Mapped[str] = mapped_column(sa.String(100), unique=True)
    uploaded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class DocumentStep(StepFields, db.Model):
    """The chain as it stood when a revision was submitted; later chain edits leave it alone."""

    __tablename__ = "document_steps"
    __table_args__ = (sa.UniqueConstraint("document_id", "revision", "step_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id"))
    revision: Mapped[int]
    position_id: Mapped[int] = mapped_column(sa.ForeignKey("positions.id"), index=True)
    position_title: Mapped[str] = mapped_column(sa.String(200))

    position: Mapped[Position] = relationship()


class NumberCounter(db.Model):
    """Last running number used per organisation and fiscal year; locked while a number is given."""

    __tablename__ = "number_counters"

    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(primary_key=True)
    last_seq: Mapped[int] = mapped_column(default=0)
