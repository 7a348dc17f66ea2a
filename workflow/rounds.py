"""Report rounds per organisation and fiscal year, created from the defaults on first use."""

import sqlalchemy as sa

from extensions import db
from models import ReportRound, RoundKind
from workflow.calendar import default_rounds


def rounds_for(org_id: int, fiscal_year: int) -> dict[RoundKind, ReportRound]:
    """The organisation's rounds of a fiscal year; missing ones are added with default dates."""
    stmt = sa.select(ReportRound).where(
        ReportRound.org_id == org_id, ReportRound.fiscal_year == fiscal_year
    )
    rounds = {r.kind: r for r in db.session.scalars(stmt)}
    for kind, period in default_rounds(fiscal_year).items():
        if kind not in rounds:
            rounds[kind] = ReportRound(
                org_id=org_id, fiscal_year=fiscal_year, kind=kind,
                period_start=period.start, period_end=period.end, due_date=period.due,
            )
            db.session.add(rounds[kind])
    db.session.flush()
    return rounds
