"""ITA results of an organisation per fiscal year, imported catalogues, and the frozen data of an
analysis memo.

The catalogue of a year (tools, indicators, questions, weights, levels) is data: the years shipped
in data/catalogue/*.yaml are read from there, and a year imported with `flask ita import-catalogue`
is kept here as one validated document, which then takes the file's place.
"""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

import clock
from extensions import db
from models.org import User
from models.types import UTCDateTime

Score = sa.Numeric(5, 2)


def _score_range(column: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(f"{column} >= 0 AND {column} <= 100", name=f"{column}_0_to_100")


class ItaCatalogue(db.Model):
    """A year's catalogue imported from a file (see workflow/ita/store.py for its shape)."""

    __tablename__ = "ita_catalogues"

    fiscal_year: Mapped[int] = mapped_column(primary_key=True)  # B.E.
    source_name: Mapped[str] = mapped_column(sa.String(255))
    sha256: Mapped[str] = mapped_column(sa.String(64))  # of the imported file
    data: Mapped[dict] = mapped_column(sa.JSON)
    imported_by: Mapped[str] = mapped_column(sa.String(200), default="")
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class ItaResult(db.Model):
    """What ป.ป.ช. announced for one organisation and fiscal year; any part may be missing."""

    __tablename__ = "ita_results"
    __table_args__ = (sa.UniqueConstraint("org_id", "fiscal_year"), _score_range("overall"))

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))  # indexed by the uq
    fiscal_year: Mapped[int]  # B.E.
    overall: Mapped[Decimal | None] = mapped_column(Score)  # as published, when entered
    announced_on: Mapped[date | None]  # the announcement of the results, when it differs
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)

    updated_by: Mapped[User | None] = relationship()
    tool_scores: Mapped[list["ItaToolScore"]] = relationship(
        cascade="all, delete-orphan", order_by="ItaToolScore.tool_code"
    )
    indicator_scores: Mapped[list["ItaIndicatorScore"]] = relationship(
        cascade="all, delete-orphan",
        order_by="[ItaIndicatorScore.indicator_no, ItaIndicatorScore.tool_code]",
    )
    item_scores: Mapped[list["ItaItemScore"]] = relationship(
        cascade="all, delete-orphan", order_by="ItaItemScore.code"
    )


class ItaToolScore(db.Model):
    """IIT, EIT1, EIT2, OIT (codes of the year's catalogue)."""

    __tablename__ = "ita_tool_scores"
    __table_args__ = (_score_range("score"),)

    result_id: Mapped[int] = mapped_column(
        sa.ForeignKey("ita_results.id", ondelete="CASCADE"), primary_key=True
    )
    tool_code: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    score: Mapped[Decimal] = mapped_column(Score)


class ItaIndicatorScore(db.Model):
    """An indicator's score; `tool_code` "" is the indicator as a whole (the ten-indicator table),
    a tool code is its score within that tool (indicators 6-8 in EIT part 1 and part 2)."""

    __tablename__ = "ita_indicator_scores"
    __table_args__ = (_score_range("score"),)

    result_id: Mapped[int] = mapped_column(
        sa.ForeignKey("ita_results.id", ondelete="CASCADE"), primary_key=True
    )
    indicator_no: Mapped[int] = mapped_column(primary_key=True)
    tool_code: Mapped[str] = mapped_column(sa.String(10), primary_key=True, default="")
    score: Mapped[Decimal] = mapped_column(Score)


class ItaItemScore(db.Model):
    """A question's (i10, e7, O12) or a sub-indicator's ("9.3") score."""

    __tablename__ = "ita_item_scores"
    __table_args__ = (_score_range("score"),)

    result_id: Mapped[int] = mapped_column(
        sa.ForeignKey("ita_results.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    score: Mapped[Decimal] = mapped_column(Score)


class AnalysisSnapshot(db.Model):
    """The figures and texts an analysis memo was drafted from, frozen with the memo: refreshed
    only while its drafter may edit it, and covered by the signatures' content hash."""

    __tablename__ = "analysis_snapshots"

    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id"), primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    fiscal_year: Mapped[int]  # the ITA year analysed (B.E.)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # Plain JSON built by workflow/ita/analysis.py: scores as "93.57" strings, Arabic digits.
    data: Mapped[dict] = mapped_column(sa.JSON)
