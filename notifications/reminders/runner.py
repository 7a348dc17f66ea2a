"""One daily run: retry what earlier runs could not send, claim what is newly due, send it."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from flask import Flask, current_app

import clock
import thai
from extensions import db
from notifications.mail import Mailer, MailError
from notifications.reminders.common import (
    Links,
    Settings,
    Source,
    held_by,
    kind_label,
    not_recorded,
    without_jit,
)
from notifications.reminders.documents import DocumentSource
from notifications.reminders.followups import FollowUpSource
from notifications.reminders.ledger import Ledger, chunks
from notifications.reminders.measures import MeasureSource
from notifications.reminders.oit import OitSource
from notifications.reminders.rounds import RoundSource

CLAIM_BATCH = 2000
# Sends recorded in one commit. A run killed between handing messages to the SMTP server and
# recording them repeats at most one batch, after the lease. Logged mail has no such risk.
SEND_BATCH = 100
LOG_BATCH = 5000


@dataclass
class Summary:
    today: date
    claimed: Counter = field(default_factory=Counter)  # new reminders this run won, per kind
    sent: Counter = field(default_factory=Counter)
    failed: Counter = field(default_factory=Counter)
    retried: int = 0  # claims of earlier runs taken over and still due
    dropped: int = 0  # earlier failed claims no longer due, forgotten
    logged: int = 0  # e-mails written to the log because MAIL_SERVER is not set
    without_email: int = 0  # recipients with no e-mail address: in-app only

    def describe(self) -> str:
        day = thai.format_date(self.today, thai_digits=False)
        lines = [f"การแจ้งเตือนประจำวันที่ {day}"]
        if not (self.sent or self.failed):
            lines.append("ไม่มีรายการที่ต้องแจ้ง")
        for kind in sorted(set(self.sent) | set(self.failed)):
            text = f"  {kind_label(kind)}: ส่งแล้ว {self.sent[kind]} รายการ"
            if self.failed[kind]:
                text += f" ส่งไม่สำเร็จ {self.failed[kind]} รายการ"
            lines.append(text)
        if self.failed:
            lines.append(f"ส่งไม่สำเร็จรวม {self.failed.total()} รายการ จะลองส่งใหม่ในการรันครั้งถัดไป")
        if self.retried:
            lines.append(f"ลองส่งซ้ำรายการที่ค้างจากครั้งก่อน {self.retried} รายการ")
        if self.dropped:
            lines.append(f"ยกเลิกรายการค้างที่ไม่ต้องแจ้งแล้ว {self.dropped} รายการ")
        if self.logged:
            lines.append(f"ไม่ได้ตั้งค่า MAIL_SERVER: บันทึกอีเมล {self.logged} ฉบับลงในล็อกแทนการส่ง")
        if self.without_email:
            lines.append(f"ผู้รับที่ไม่มีอีเมล {self.without_email} รายการ: แจ้งในระบบเท่านั้น")
        return "\n".join(lines)


def run(today: date | None = None) -> Summary:
    """Send every reminder due on `today` (default: today in Bangkok) exactly once."""
    app = current_app._get_current_object()
    settings = Settings.from_app(app, today or clock.today())
    summary = Summary(settings.today)
    ledger = Ledger()
    sources: list[Source] = [
        RoundSource(),
        MeasureSource(),
        FollowUpSource(),
        DocumentSource(),
        OitSource(),
    ]
    _take_over_stale(ledger, sources, settings, summary)
    links = Links(app)
    for source in sources:
        _claim_new(source, ledger, settings, links, summary)
    ledger.refresh_statistics()
    _send_held(ledger, app, settings, summary)
    return summary


def _take_over_stale(ledger: Ledger, sources, settings: Settings, summary: Summary) -> None:
    """Claims left unsent by earlier runs: keep those still due, forget the rest."""
    taken = ledger.reclaim_stale()
    db.session.commit()
    if not taken:
        return
    still_due: set[int] = set()
    without_jit()
    for source in sources:
        for batch in source.batches(settings, held_by(ledger.token)):
            still_due.update(row.reminder_id for row in batch)
    gone = [rid for rid in taken if rid not in still_due]
    ledger.drop(gone)
    db.session.commit()
    summary.retried, summary.dropped = len(taken) - len(gone), len(gone)


def _claim_new(
    source: Source, ledger: Ledger, settings: Settings, links: Links, summary: Summary
) -> None:
    without_jit()
    for batch in source.batches(settings, not_recorded):
        rows = [_ledger_row(row, source.render(row, settings, links)) for row in batch]
        for chunk in chunks(rows, CLAIM_BATCH):
            summary.claimed.update(kind for _, kind in ledger.claim(chunk))
    db.session.commit()


def _ledger_row(row, message) -> dict:
    return {
        "org_id": row.org_id,
        "item_type": row.item_type,
        "item_id": row.item_id,
        "round_key": row.round_key,
        "kind": row.kind,
        "recipient_id": row.recipient_id,
        "subject": message.subject[:300],
        "body": message.body,
        "url": message.url[:500],
    }


def _send_held(ledger: Ledger, app: Flask, settings: Settings, summary: Summary) -> None:
    with Mailer(app.config) as mailer:
        size = LOG_BATCH if mailer.logs_only else SEND_BATCH
        for chunk in chunks(sorted(ledger.held), size):
            ledger.renew_if_old()
            rows = ledger.take(chunk)
            db.session.commit()
            delivered, failures = [], []
            for row in rows:
                try:
                    _deliver(mailer, row, settings, summary)
                    delivered.append(row)
                except MailError as error:
                    failures.append((row, str(error)))
                except Exception as error:  # one bad row never stops the others
                    current_app.logger.exception("reminder %s could not be sent", row.id)
                    failures.append((row, f"{type(error).__name__}: {error}"))
            mailer.flush()
            _record(ledger, delivered, failures, summary)
            db.session.commit()


def _deliver(mailer: Mailer, row, settings: Settings, summary: Summary) -> None:
    if not row.email:
        summary.without_email += 1
        return
    name = f"{row.title}{row.full_name}"
    text = (
        f"เรียน {name}\n\n{row.body}\n\n"
        f"เปิดดูในระบบ: {settings.base_url}{row.url}\n\n"
        "ข้อความนี้ส่งโดยอัตโนมัติจากระบบ ITA Workflow กรุณาอย่าตอบกลับ\n"
        f"การแจ้งเตือนทั้งหมดของท่าน: {settings.base_url}/notifications/\n"
    )
    mailer.send((name, row.email), row.subject, text)
    summary.logged += mailer.logs_only


def _record(ledger: Ledger, delivered, failures, summary: Summary) -> None:
    """Mark sent with the in-app notifications in one transaction; give failures back."""
    marked = ledger.mark_sent([row.id for row in delivered])
    ledger.release([(row.id, error) for row, error in failures])
    summary.sent.update(row.kind for row in delivered if row.id in marked)
    summary.failed.update(row.kind for row, _ in failures)
