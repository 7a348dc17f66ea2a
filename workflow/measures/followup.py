"""A date a measure's follow-up names ("รายงานผลภายในวันที่ 30 เมษายน 2569"), offered as a due
date that reminds like a round (`notifications.reminders.followups`)."""

import re
from datetime import date

import clock
import thai
from models import Measure, User
from workflow.errors import ValidationFailed
from workflow.measures import history
from workflow.measures.access import get_measure, require_manage

_MONTHS = "|".join(map(re.escape, sorted(thai.MONTHS + thai.MONTHS_ABBR, key=len, reverse=True)))
_NAMED = re.compile(
    rf"(\d{{1,2}})\s*(?:เดือน\s*)?({_MONTHS})\s*(?:พ\.\s?ศ\.\s*)?(\d{{4}}|\d{{2}})(?!\d)"
)


def named_date(text: str) -> date | None:
    """The first date written out in the text (B.E., Thai or Arabic digits), if any."""
    for day, month, year in _NAMED.findall(thai.to_arabic_digits(text or "")):
        number = (
            thai.MONTHS.index(month) if month in thai.MONTHS else thai.MONTHS_ABBR.index(month)
        ) + 1
        be = int(year) if len(year) == 4 else 2500 + int(year)
        try:
            return date(be - 543, number, int(day))
        except ValueError:
            continue
    return None


def adopt_follow_up_date(measure_id: int, actor: User) -> Measure:
    """Make the date the follow-up names the measure's due date (the coordinator or an admin)."""
    measure = get_measure(measure_id, actor, lock=True)
    require_manage(actor, measure.plan)
    day = named_date(measure.follow_up)
    if day is None:
        raise ValidationFailed("การกำกับติดตามของมาตรการนี้ไม่ได้ระบุวันที่")
    measure.follow_up_due, measure.follow_up_due_set_at = day, clock.now()
    note = f"กำหนดรายงานตามการกำกับติดตาม: {thai.format_date(day, False)}"
    history.record(measure, actor, history.EDITED, note)
    return measure


def answered(measure: Measure) -> bool:
    """An entry recorded since the due date was adopted answers it."""
    since = measure.follow_up_due_set_at
    return since is not None and any(
        clock.local(e.created_at) >= clock.local(since) for e in measure.entries
    )
