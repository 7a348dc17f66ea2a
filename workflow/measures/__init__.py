"""Measures of a fiscal-year plan: verb-named services that check permission, change rows,
record the measure's history and flush; the caller commits once.

    plans     create_plan, change_coordinator, copy_plan
    editing   create_measure, update_measure, delete_measure, move_measure
    progress  record_progress (what was done, evidence, status: one update), change_status,
              delete_entry
    evidence  remove_evidence, normalise_url
    schedule  is_overdue, next_update, plan_rows
    access    get_plan, get_measure, can_manage, can_report (used by every service)
"""

from workflow.measures.access import (
    can_manage,
    can_remove,
    can_report,
    get_measure,
    get_plan,
    plan_of_year,
    plans_of,
)
from workflow.measures.editing import (
    MeasureInput,
    create_measure,
    delete_measure,
    move_measure,
    update_measure,
)
from workflow.measures.evidence import normalise_url, remove_evidence
from workflow.measures.plans import change_coordinator, copy_plan, create_plan
from workflow.measures.progress import (
    ProgressInput,
    change_status,
    delete_entry,
    record_progress,
)
from workflow.measures.schedule import is_overdue, next_update, plan_rows

__all__ = [
    "MeasureInput",
    "ProgressInput",
    "can_manage",
    "can_remove",
    "can_report",
    "change_coordinator",
    "change_status",
    "copy_plan",
    "create_measure",
    "create_plan",
    "delete_entry",
    "delete_measure",
    "get_measure",
    "get_plan",
    "is_overdue",
    "move_measure",
    "next_update",
    "normalise_url",
    "plan_of_year",
    "plan_rows",
    "plans_of",
    "record_progress",
    "remove_evidence",
    "update_measure",
]
