"""The history of a measure: who changed what, and when."""

from datetime import date

import sqlalchemy as sa

import clock
from extensions import db
from models import Measure, MeasureEvent, MeasureStatus, User

CREATED = "created"
EDITED = "edited"
STATUS = "status"
PROGRESS = "progress"
EVIDENCE = "evidence"

EVENT_LABELS = {
    CREATED: "สร้างมาตรการ",
    EDITED: "แก้ไขรายละเอียด",
    STATUS: "เปลี่ยนสถานะ",
    PROGRESS: "การดำเนินการ",
    EVIDENCE: "หลักฐาน",
}


def record(
    measure: Measure,
    actor: User,
    kind: str,
    note: str = "",
    *,
    old_status: MeasureStatus | None = None,
    new_status: MeasureStatus | None = None,
    effective_date: date | None = None,
) -> MeasureEvent:
    """Append one row to the measure's history (the measure must have an id); a status change
    takes effect on `effective_date` (today when not given)."""
    event = MeasureEvent(
        measure_id=measure.id,
        kind=kind,
        note=note,
        old_status=old_status,
        new_status=new_status,
        effective_date=(effective_date or clock.today()) if new_status else None,
        actor_id=actor.id,
        actor_name=actor.display_name,
    )
    db.session.add(event)
    return event


def events_of(measure: Measure) -> list[MeasureEvent]:
    """The measure's history, oldest first."""
    stmt = (
        sa.select(MeasureEvent)
        .where(MeasureEvent.measure_id == measure.id)
        .order_by(MeasureEvent.created_at, MeasureEvent.id)
    )
    return list(db.session.scalars(stmt))
