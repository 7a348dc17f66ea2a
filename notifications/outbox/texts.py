"""What each channel says of an event: the memo's number and subject, who acted, what they
wrote and what is asked of the reader; and what the morning digest says by e-mail and on LINE.
Thai; digits as the organisation writes them."""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from flask import current_app

import thai
from models import NotifyEvent, Organisation, User
from notifications.mail import header_safe, text_safe
from notifications.outbox.recipients import (
    APPROVED,
    ARRIVED,
    CIRCULATED,
    CLOSED,
    REJECTED,
    RETURNED,
    REVOKED,
    WITHDRAWN,
)

if TYPE_CHECKING:
    from notifications.outbox.digest import Digest

HEADLINES = {
    ARRIVED: "มีเรื่องรอท่านพิจารณา",
    RETURNED: "เรื่องของท่านถูกส่งคืนแก้ไข",
    APPROVED: "เรื่องได้รับอนุมัติแล้ว",
    REJECTED: "เรื่องไม่ได้รับอนุมัติ",
    WITHDRAWN: "ผู้เสนอถอนเรื่องคืนแล้ว",
    CIRCULATED: "แจ้งเวียนเพื่อทราบ",
    REVOKED: "บันทึกถูกยกเลิกหรือแทนที่แล้ว",
    CLOSED: "ผู้เสนอยุติเรื่องแล้ว",
}
ASKED = {
    ARRIVED: "ขอให้ท่านพิจารณาและลงนามในขั้น “{step}”",
    RETURNED: "ขอให้แก้ไขตามเหตุผลข้างต้น แล้วเสนอใหม่",
    APPROVED: "เพื่อโปรดทราบ",
    REJECTED: "เพื่อโปรดทราบ",
    WITHDRAWN: "เรื่องนี้ไม่ต้องพิจารณาแล้ว เพื่อโปรดทราบ",
    CIRCULATED: "ขอให้ท่านเปิดอ่านและกด “รับทราบ”",
    REVOKED: "เพื่อโปรดทราบ และถือปฏิบัติตามบันทึกฉบับใหม่",
    CLOSED: "เรื่องนี้จะไม่เสนอกลับมาอีก เพื่อโปรดทราบ",
}
BUTTONS = {ARRIVED: "เปิดเพื่อพิจารณา", RETURNED: "เปิดเพื่อแก้ไข", CIRCULATED: "เปิดเพื่อรับทราบ"}


@dataclass(frozen=True)
class Text:
    title: str  # the in-app title, the e-mail subject, the first line on LINE
    lines: list[str]  # who acted, the comment, what is asked
    url: str  # the app's path the button opens
    button: str


def url_of(event: NotifyEvent) -> str:
    """The decision page for the one who is to sign; the memo for everyone else."""
    if event.kind == ARRIVED:
        return f"/decide/{event.document_id}"
    return f"/documents/{event.document_id}"


def text_of(event: NotifyEvent, thai_digits: bool) -> Text:
    digits = (lambda s: thai.digits(s, thai_digits)) if thai_digits else str
    memo = f"{event.number} เรื่อง {event.subject}" if event.number else f"เรื่อง {event.subject}"
    title = header_safe(digits(f"{HEADLINES[event.kind]}: {memo}"), 300)
    acted = {
        ARRIVED: f"{event.actor_name} {event.decision or 'เสนอ'}",
        RETURNED: f"{event.actor_name} ส่งคืนแก้ไข",
        APPROVED: f"{event.actor_name} {event.decision or 'อนุมัติ'}",
        REJECTED: f"{event.actor_name} {event.decision or 'ไม่อนุมัติ'}",
        WITHDRAWN: f"{event.actor_name} ถอนเรื่องคืน",
        CIRCULATED: f"{event.actor_name} แจ้งเวียน",
        REVOKED: f"{event.actor_name} {event.decision}",
        CLOSED: f"{event.actor_name} ยุติเรื่อง",
    }[event.kind]
    lines = [digits(f"{memo}"), digits(f"โดย {acted}")]
    if event.comment:
        label = "เหตุผล" if event.kind in (RETURNED, REJECTED, REVOKED, CLOSED) else "ความเห็น"
        lines.append(digits(f"{label}: {event.comment}"))
    lines.append(digits(ASKED[event.kind].format(step=event.step_title)))
    return Text(title, lines, url_of(event), BUTTONS.get(event.kind, "เปิดดูเรื่อง"))


def in_app_body(text: Text) -> str:
    return "\n".join(text.lines[1:])


def mail_parts(text: Text, name: str, base_url: str) -> tuple[str, str]:
    """(plain text, HTML) of the e-mail to one person."""
    link = f"{base_url}{text.url}"
    plain = "\n\n".join(
        [
            f"เรียน {name}",
            "\n".join(text.lines),
            f"{text.button}: {link}",
            "ต้องเข้าสู่ระบบก่อน การลงนามทำได้ในระบบเท่านั้น ไม่ใช่จากอีเมลนี้\n"
            "ข้อความนี้ส่งโดยอัตโนมัติจากระบบ ITA Workflow กรุณาอย่าตอบกลับ\n"
            f"ตั้งค่าการแจ้งเตือนของท่าน: {base_url}/notifications/settings",
        ]
    )
    # The bare template (no request context processors): the sender runs outside requests.
    template = current_app.jinja_env.get_template("notifications/mail/event.html")
    html = template.render(text=text, name=name, link=link, base_url=base_url)
    return plain + "\n", html


def line_message(text: Text, base_url: str) -> str:
    """One LINE text message (at most 5,000 characters)."""
    body = "\n".join([text.title, *text.lines[1:], f"{text.button}: {base_url}{text.url}"])
    return text_safe(body)[:4900]


# -- the morning digest --------------------------------------------------------------------

LINE_LISTED = 10  # items a LINE digest names one by one; the rest are counted
LINE_SUBJECT_CHARS = 80
LINE_TITLE_CHARS = 120


def digest_mail_parts(
    org: Organisation, user: User, digest: "Digest", today: date, base_url: str
) -> tuple[str, str, str]:
    """(subject, plain text, HTML) of the person's e-mail digest."""
    digits = org.thai_digits
    day = thai.format_date(today, digits)
    context = {
        "name": user.display_name,
        "day": day,
        "digest": digest,
        "events": [text_of(event, digits) for _, event in digest.events],
        "base_url": base_url,
        "digits": lambda s: thai.digits(s, digits),
        "date": lambda d: thai.format_date(d, digits),
    }
    env = current_app.jinja_env
    plain = env.get_template("notifications/mail/digest.txt").render(**context)
    html = env.get_template("notifications/mail/digest.html").render(**context)
    return f"สรุปงานประจำวันที่ {day}", plain, html


def digest_line_message(org: Organisation, digest: "Digest", today: date, base_url: str) -> str:
    """The digest as one short LINE text: what waits (oldest first, named), how many are late
    below, this week's deadlines, the events kept for it, and the link to the app."""
    digits = org.thai_digits
    lines = [f"สรุปงานประจำวันที่ {thai.format_date(today, digits)}"]
    if digest.waiting:
        lines.append(f"รอท่านพิจารณา {len(digest.waiting)} เรื่อง (เก่าสุดก่อน)")
        for n, w in enumerate(digest.waiting[:LINE_LISTED], 1):
            late = " เกินเป้าหมาย" if w.late else ""
            lines.append(f"{n}. {_memo(w.document)} · รอ {w.days} วันทำการ{late}")
        lines += _more(len(digest.waiting), "เรื่อง")
    if digest.late_below:
        lines.append(f"ล่าช้าในขั้นก่อนถึงท่าน {len(digest.late_below)} เรื่อง")
    if digest.deadlines:
        lines.append("กำหนดส่งรายงาน ภายในสัปดาห์นี้และที่เลยกำหนด")
        for d in digest.deadlines:
            due = thai.format_date(d.round.due_date, digits)
            late = " (เลยกำหนดแล้ว)" if d.late else ""
            lines.append(f"- {d.round.kind.label} ปีงบประมาณ {d.round.fiscal_year} ส่ง {due}{late}")
    if digest.events:
        lines.append(f"การแจ้งเตือนที่รวบรวมไว้ {len(digest.events)} รายการ")
        for _, event in digest.events[:LINE_LISTED]:
            lines.append(f"- {_short(text_of(event, digits).title, LINE_TITLE_CHARS)}")
        lines += _more(len(digest.events), "รายการ")
    body = thai.digits("\n".join(lines), digits)
    return text_safe(f"{body}\nเปิดระบบ: {base_url}/")[:4900]


def _memo(doc) -> str:
    subject = _short(doc.subject, LINE_SUBJECT_CHARS)
    return f"{doc.number} {subject}" if doc.number else subject


def _short(text: str, limit: int) -> str:
    text = header_safe(text, 1000)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _more(count: int, unit: str) -> list[str]:
    return [f"และอีก {count - LINE_LISTED} {unit}"] if count > LINE_LISTED else []
