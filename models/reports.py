"""The frozen content of a progress report: every measure of the plan as of the round's end."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

import clock
from extensions import db
from models.rounds import ReportRound
from models.types import UTCDateTime


class ReportSnapshot(db.Model):
    """One per progress-report document. Taken when the report is created and refreshed only
    while the drafter may still edit it, so a report under review or approved never changes."""

    __tablename__ = "report_snapshots"

    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id"), primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("report_rounds.id"), index=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("measure_plans.id"))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # {"as_of": "2026-03-31", "measures": [{title, indicators, codes, units, people, steps,
    #   follow_up, status, status_label, entries: [{date, text, by}], evidence: [{title, url}]}]}
    data: Mapped[dict] = mapped_column(sa.JSON)

    round: Mapped[ReportRound] = relationship()
