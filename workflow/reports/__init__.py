"""Progress reports (รายงานผลการดำเนินการ): a memo per report round with a frozen measures table."""

from workflow.reports.services import Refreshed, create_report, plan_of_year, refresh_snapshot
from workflow.reports.snapshot import build_snapshot, statuses_as_of
from workflow.rounds import (
    CLOSED_STATES,
    ReportExists,
    current_report,
    reports_of_rounds,
    require_round_free,
)

__all__ = [
    "CLOSED_STATES",
    "Refreshed",
    "ReportExists",
    "build_snapshot",
    "create_report",
    "current_report",
    "plan_of_year",
    "refresh_snapshot",
    "reports_of_rounds",
    "require_round_free",
    "statuses_as_of",
]
