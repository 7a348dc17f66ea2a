"""What was done (การดำเนินการ), with optional evidence, and the measure's status."""

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

import clock
import thai
from extensions import db
from models import (
    DocState,
    Document,
    Evidence,
    Measure,
    MeasureEvent,
    MeasureStatus,
    ProgressEntry,
    ReportRound,
    ReportSnapshot,
    User,
)
from workflow.errors import NotAllowed, NotFound, ValidationFailed
from workflow.measures import history
from workflow.measures.access import can_remove, get_measure, require_report
from workflow.measures.evidence import attach, check_new

MAX_TEXT = 5_000
MAX_REASON = 2_000


@dataclass
class ProgressInput:
    """One update of a measure: what was done, an evidence URL, a new status; any of them."""

    entry_date: date | None  # the entry's date, and the date a new status takes effect
    text: str = ""
    url: str = ""
    title: str = ""
    status: str = ""  # empty: leave the status as it is
    cancel_reason: str = ""


NOTHING_TO_RECORD = "กรุณากรอกอย่างน้อยหนึ่งอย่าง: สิ่งที่ได้ดำเนินการ URL หลักฐาน หรือสถานะใหม่"
REASON_ONLY_WHEN_CANCELLING = "ระบุเหตุผลเฉพาะเมื่อเปลี่ยนสถานะเป็น “ยกเลิก” กรุณาลบข้อความนี้ออก"


def record_progress(measure_id: int, actor: User, data: ProgressInput) -> Measure:
    """Record any of what was done, an evidence URL and a status change (at least one), all or
    nothing. With an entry, a new status takes effect on the entry's date as far as the history
    allows (effective_for_entry); without one, that date must be one a status change may take
    effect on (check_effective_date), as when the status is changed alone."""
    measure = get_measure(measure_id, actor, lock=True)
    require_report(actor, measure)
    day = _check_date(data.entry_date)
    text = _check_text(data.text)
    evidence = _check_evidence(measure, data)
    status = _chosen_status(data)
    if status and status[0] == measure.status and (text or evidence):
        status = None  # the current status chosen beside other news: nothing to change
    if not (text or evidence or status):
        raise ValidationFailed(NOTHING_TO_RECORD, field="text")
    entry = _add_entry(measure, actor, day, text) if text else None
    if evidence:
        attach(measure, actor, *evidence, entry_id=entry.id if entry else None)
    if status and entry:
        _set_status(measure, actor, *status, effective_date=effective_for_entry(measure, day))
    elif status:
        _change_status(measure, actor, status, day, date_field="entry_date")
    db.session.flush()
    return measure


def change_status(
    measure_id: int,
    actor: User,
    status: str,
    cancel_reason: str = "",
    effective_date: date | None = None,
) -> Measure:
    """Move a measure to another status from `effective_date` (today when not given); cancelling
    needs a reason. Who recorded it and when is kept beside the date it took effect."""
    measure = get_measure(measure_id, actor, lock=True)
    require_report(actor, measure)
    chosen = check_status(status, cancel_reason)
    _change_status(measure, actor, chosen, effective_date or clock.today())
    db.session.flush()
    return measure


def check_effective_date(measure: Measure, day: date, field: str = "effective_date") -> None:
    """A status change may take effect back into an open round, never in the future, never
    before the measure's last change, never inside a round whose report is already signed off
    or under signature (that report would then contradict the measure)."""
    if day > clock.today():
        raise ValidationFailed("วันที่มีผลต้องไม่เกินวันนี้", field=field)
    year_start, _ = thai.fiscal_year_bounds(measure.plan.fiscal_year)
    if day < year_start:
        raise ValidationFailed(
            f"วันที่มีผลต้องไม่ก่อนเริ่มปีงบประมาณของแผน ({thai.format_date(year_start, False)})",
            field=field,
        )
    last = last_effective_date(measure)
    if last is not None and day < last:
        raise ValidationFailed(
            f"วันที่มีผลต้องไม่ก่อนการเปลี่ยนสถานะครั้งล่าสุด (วันที่ {thai.format_date(last, False)})",
            field=field,
        )
    closed = closed_until(measure.org_id)
    if closed is not None and day <= closed:
        raise ValidationFailed(
            "วันที่มีผลอยู่ในรอบที่เสนอรายงานผลการดำเนินการแล้ว"
            f" กรุณาระบุวันที่หลังวันที่ {thai.format_date(closed, False)}",
            field=field,
        )


def effective_for_entry(measure: Measure, entry_date: date) -> date:
    """A status chosen with an entry takes effect on the entry's date, moved forward to the
    last change or past a round already reported when it falls before them (an entry may be
    dated anywhere in the past; the status history stays in order)."""
    floor = [entry_date, thai.fiscal_year_bounds(measure.plan.fiscal_year)[0]]
    if (last := last_effective_date(measure)) is not None:
        floor.append(last)
    if (closed := closed_until(measure.org_id)) is not None:
        floor.append(closed + timedelta(days=1))
    return min(max(floor), clock.today())


def last_effective_date(measure: Measure) -> date | None:
    return db.session.scalar(
        sa.select(sa.func.max(MeasureEvent.effective_date)).where(
            MeasureEvent.measure_id == measure.id, MeasureEvent.new_status.is_not(None)
        )
    )


def closed_until(org_id: int) -> date | None:
    """The last day of the latest round whose report has been submitted or approved."""
    stmt = (
        sa.select(sa.func.max(ReportRound.period_end))
        .join(ReportSnapshot, ReportSnapshot.round_id == ReportRound.id)
        .join(Document, Document.id == ReportSnapshot.document_id)
        .where(
            ReportRound.org_id == org_id,
            Document.state.in_((DocState.IN_REVIEW, DocState.APPROVED)),
        )
    )
    return db.session.scalar(stmt)


def check_status(value: str, reason: str) -> tuple[MeasureStatus, str | None]:
    """The status asked for and its reason; only cancelling takes (and needs) one."""
    try:
        status = MeasureStatus(value)
    except ValueError:
        raise ValidationFailed("กรุณาเลือกสถานะจากรายการ", field="status") from None
    reason = thai.to_arabic_digits((reason or "").strip())
    if status is MeasureStatus.CANCELLED and not reason:
        raise ValidationFailed("กรุณาระบุเหตุผลที่ยกเลิกมาตรการ", field="cancel_reason")
    if status is not MeasureStatus.CANCELLED and reason:
        raise ValidationFailed(REASON_ONLY_WHEN_CANCELLING, field="cancel_reason")
    if len(reason) > MAX_REASON:
        raise ValidationFailed(f"เหตุผลยาวได้ไม่เกิน {MAX_REASON:,} ตัวอักษร", field="cancel_reason")
    return status, reason or None


def delete_entry(measure_id: int, entry_id: int, actor: User) -> Measure:
    """Remove a progress entry (its author, the coordinator or an admin); evidence stays."""
    measure = get_measure(measure_id, actor, lock=True)
    require_report(actor, measure)
    entry = db.session.get(ProgressEntry, entry_id)
    if entry is None or entry.measure_id != measure.id:
        raise NotFound("ไม่พบรายการการดำเนินการนี้")
    if not can_remove(actor, measure, entry.author_id):
        raise NotAllowed("ลบได้เฉพาะผู้บันทึกรายการนี้ ผู้ประสานงานของแผน หรือผู้ดูแลระบบ")
    for evidence in db.session.scalars(
        sa.select(Evidence).where(Evidence.progress_entry_id == entry.id)
    ):
        evidence.progress_entry_id = None
    note = f"ลบรายการวันที่ {thai.format_date(entry.entry_date, False)}: {_shorten(entry.text)}"
    history.record(measure, actor, history.PROGRESS, note)
    db.session.delete(entry)
    db.session.flush()
    return measure


def _check_date(day: date | None) -> date:
    if day is None:
        raise ValidationFailed("กรุณาระบุวันที่ดำเนินการ", field="entry_date")
    if day > clock.today():
        raise ValidationFailed("วันที่ดำเนินการต้องไม่เกินวันนี้", field="entry_date")
    return day


def _check_text(text: str) -> str:
    text = thai.to_arabic_digits((text or "").strip())
    if len(text) > MAX_TEXT:
        raise ValidationFailed(f"ยาวได้ไม่เกิน {MAX_TEXT:,} ตัวอักษร", field="text")
    return text


def _check_evidence(measure: Measure, data: ProgressInput) -> tuple[str, str] | None:
    if not (data.url or "").strip():
        if (data.title or "").strip():
            raise ValidationFailed("กรุณาระบุ URL ของหลักฐาน หรือเว้นชื่อหลักฐานว่างไว้", field="url")
        return None
    return check_new(measure, data.url, data.title)


def _chosen_status(data: ProgressInput) -> tuple[MeasureStatus, str | None] | None:
    if data.status:
        return check_status(data.status, data.cancel_reason)
    if (data.cancel_reason or "").strip():
        raise ValidationFailed(REASON_ONLY_WHEN_CANCELLING, field="cancel_reason")
    return None


def _add_entry(measure: Measure, actor: User, day: date, text: str) -> ProgressEntry:
    entry = ProgressEntry(measure_id=measure.id, entry_date=day, text=text, author_id=actor.id)
    db.session.add(entry)
    db.session.flush()
    note = f"{thai.format_date(day, False)}: {_shorten(text)}"
    history.record(measure, actor, history.PROGRESS, note)
    return entry


def _change_status(
    measure: Measure,
    actor: User,
    status: tuple[MeasureStatus, str | None],
    day: date,
    date_field: str = "effective_date",
) -> None:
    """A status change on its own: to another status, on a date it may take effect."""
    new, reason = status
    if new == measure.status:
        raise ValidationFailed(f"มาตรการนี้อยู่ในสถานะ “{new.label}” อยู่แล้ว", field="status")
    check_effective_date(measure, day, date_field)
    _set_status(measure, actor, new, reason, effective_date=day)


def _set_status(
    measure: Measure,
    actor: User,
    status: MeasureStatus,
    reason: str | None,
    effective_date: date | None = None,
) -> None:
    old = measure.status
    measure.status = status
    measure.cancel_reason = reason if status is MeasureStatus.CANCELLED else None
    history.record(
        measure,
        actor,
        history.STATUS,
        reason or "",
        old_status=old,
        new_status=status,
        effective_date=effective_date,
    )


def _shorten(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
