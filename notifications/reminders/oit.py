"""OIT reminders: an item of an organisation's OIT board due in N days, due today, or overdue,
to the item's owner, while it is not ready (no working evidence link and no live publication).
"Ready" is the board's rule (workflow/oit/board.py: a broken link or nothing at all is not
ready); tests/test_oit_reminders.py proves the two agree."""

from collections.abc import Iterator, Sequence
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Row

from extensions import db
from models import OitEvidence, OitItem, Organisation, Publication, User
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
)


class OitSource:
    item_type = "oit"

    def batches(self, settings: Settings, restrict: Restrict) -> Iterator[Sequence[Row]]:
        yield db.session.execute(restrict(candidates(settings).subquery())).all()

    def render(self, row: Row, settings: Settings, links: Links) -> Message:
        digits = row.thai_digits
        due = be_date(row.due_date, digits)
        item = f"รายการ OIT {row.code} ปี {be_number(str(row.fiscal_year), digits)}"
        if row.kind == OVERDUE:
            subject, when = f"เลยกำหนดนำ{item}ขึ้นเว็บไซต์ (กำหนด {due})", f"เลยกำหนดวันที่ {due} แล้ว"
        elif row.kind == DUE_TODAY:
            subject, when = f"วันนี้ครบกำหนดนำ{item}ขึ้นเว็บไซต์", f"ครบกำหนดวันนี้ ({due})"
        else:
            days = be_number(row.kind.removeprefix("due_"), digits)
            subject = f"อีก {days} วันครบกำหนดนำ{item}ขึ้นเว็บไซต์ ({due})"
            when = f"ครบกำหนดวันที่ {due} (อีก {days} วัน)"
        body = (
            f"{item} {when} ขณะนี้ยังไม่มีลิงก์หลักฐานที่ใช้ได้"
            "\nกรุณาเพิ่มลิงก์หลักฐานบนเว็บไซต์ของหน่วยงาน หรือแก้ไขลิงก์ที่เสีย"
            "\nท่านได้รับแจ้งในฐานะผู้รับผิดชอบรายการนี้"
        )
        path = links.path("oit.year", "oit.index", fiscal_year=row.fiscal_year)
        return Message(subject, body, f"{path}#item-{row.code}")


def candidates(settings: Settings) -> sa.Select:
    """Kept items with an owner and a due date in a reminder window, not ready."""
    today = settings.today
    whens = [
        (OitItem.due_date < today, const(OVERDUE)),
        (OitItem.due_date == today, const(DUE_TODAY)),
    ]
    for days in sorted(settings.days_before):  # the nearest window wins
        whens.append((OitItem.due_date <= today + timedelta(days=days), const(due_kind(days))))
    latest = today + timedelta(days=max(settings.days_before, default=0))
    earliest = today - timedelta(days=OVERDUE_WINDOW_DAYS)
    working_link = sa.exists().where(
        OitEvidence.item_id == OitItem.id, OitEvidence.broken_since.is_(None)
    )
    broken_link = sa.exists().where(
        OitEvidence.item_id == OitItem.id, OitEvidence.broken_since.is_not(None)
    )
    published = sa.exists().where(
        Publication.org_id == OitItem.org_id,
        Publication.fiscal_year == OitItem.fiscal_year,
        Publication.code == OitItem.code,
        Publication.retracted_at.is_(None),
    )
    ready = sa.and_(~broken_link, sa.or_(working_link, published))
    round_key = sa.cast(OitItem.fiscal_year, sa.String) + "-" + OitItem.code
    return (
        sa.select(
            OitItem.org_id,
            const("oit").label("item_type"),
            OitItem.id.label("item_id"),
            round_key.label("round_key"),
            sa.case(*whens).label("kind"),
            User.id.label("recipient_id"),
            OitItem.fiscal_year,
            OitItem.code,
            OitItem.due_date,
            Organisation.thai_digits,
        )
        .join(
            User, sa.and_(User.id == OitItem.owner_id, User.active, User.org_id == OitItem.org_id)
        )
        .join(Organisation, Organisation.id == OitItem.org_id)
        .where(OitItem.due_date.between(earliest, latest), ~ready)
    )
