"""Follow-up reminders: a measure whose follow-up date was adopted as a due date
(`workflow.measures.followup`) is reminded like a round: N days before, on the day and once
overdue, until an entry is recorded after the date was adopted or the measure is finished. They
go to the measure's active responsible people, or the plan's coordinator when it has none."""

from collections.abc import Iterator, Sequence
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Row
from sqlalchemy.orm import aliased

import thai
from extensions import db
from models import Measure, MeasurePlan, MeasureStatus, Organisation, ProgressEntry, User
from models.measures import measure_people
from notifications.reminders.common import (
    DUE_TODAY,
    OVERDUE,
    OVERDUE_WINDOW_DAYS,
    Links,
    Message,
    Restrict,
    Settings,
    be_date,
    be_number,
    const,
    due_kind,
    shorten,
)

CLOSED = (MeasureStatus.DONE, MeasureStatus.CANCELLED)


class FollowUpSource:
    item_type = "followup"

    def batches(self, settings: Settings, restrict: Restrict) -> Iterator[Sequence[Row]]:
        yield db.session.execute(restrict(candidates(settings).subquery())).all()

    def render(self, row: Row, settings: Settings, links: Links) -> Message:
        digits = row.thai_digits
        due = be_date(row.due, digits)
        title = thai.digits(shorten(row.title, 200), digits)
        if row.kind == OVERDUE:
            when = f"เลยกำหนดรายงานเมื่อวันที่ {due} แล้ว"
        elif row.kind == DUE_TODAY:
            when = f"ครบกำหนดรายงานวันนี้ ({due})"
        else:
            when = f"ครบกำหนดรายงานวันที่ {due} (อีก {be_number(row.kind.removeprefix('due_'), digits)} วัน)"
        subject = f"กำหนดรายงานมาตรการ ({due}): {shorten(title, 150)}"
        body = (
            f"มาตรการ “{title}” {when} ตามการกำกับติดตามของมาตรการ"
            " ยังไม่มีการบันทึกการดำเนินการตั้งแต่ตั้งกำหนดนี้"
            " กรุณาบันทึกการดำเนินการและหลักฐาน"
        )
        return Message(
            subject, body, links.path("measures.show", "measures.index", measure_id=row.item_id)
        )


def candidates(settings: Settings) -> sa.Select:
    """Open measures with an adopted due date in a reminder window and no entry recorded since
    it was adopted, one row per recipient."""
    today = settings.today
    due = Measure.follow_up_due
    whens = [(due < today, const(OVERDUE)), (due == today, const(DUE_TODAY))]
    for days in sorted(settings.days_before):  # the nearest window wins
        whens.append((due <= today + timedelta(days=days), const(due_kind(days))))
    latest = today + timedelta(days=max(settings.days_before, default=0))
    earliest = today - timedelta(days=OVERDUE_WINDOW_DAYS)
    answered = sa.exists().where(
        ProgressEntry.measure_id == Measure.id,
        ProgressEntry.created_at >= Measure.follow_up_due_set_at,
    )
    people = (
        sa.select(measure_people.c.measure_id, User.id.label("user_id"))
        .join(User, sa.and_(User.id == measure_people.c.user_id, User.active))
        .subquery("people")
    )
    recipient = aliased(User, name="recipient")
    return (
        sa.select(
            Measure.org_id,
            const("followup").label("item_type"),
            Measure.id.label("item_id"),
            sa.cast(due, sa.String).label("round_key"),
            sa.case(*whens).label("kind"),
            recipient.id.label("recipient_id"),
            Measure.title,
            due.label("due"),
            Organisation.thai_digits,
        )
        .join(MeasurePlan, MeasurePlan.id == Measure.plan_id)
        .join(Organisation, Organisation.id == Measure.org_id)
        .outerjoin(people, people.c.measure_id == Measure.id)
        .join(
            recipient,
            sa.and_(
                recipient.id == sa.func.coalesce(people.c.user_id, MeasurePlan.coordinator_id),
                recipient.active,
                recipient.org_id == Measure.org_id,
            ),
        )
        .where(due.between(earliest, latest), Measure.status.not_in(CLOSED), ~answered)
    )
