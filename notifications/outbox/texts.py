"""What each channel says of an event: the memo's number and subject, who acted, what they
wrote and what is asked of the reader. Thai; digits as the organisation writes them."""

from dataclasses import dataclass

from flask import current_app

import thai
from models import NotifyEvent
from notifications.mail import header_safe, text_safe
from notifications.outbox.recipients import (
    APPROVED,
    ARRIVED,
    CIRCULATED,
    REJECTED,
    RETURNED,
    REVOKED,
    WITHDRAWN,
)

HEADLINES = {
    ARRIVED: "มีเรื่องรอท่านพิจารณา",
    RETURNED: "เรื่องของท่านถูกส่งคืนแก้ไข",
    APPROVED: "เรื่องได้รับอนุมัติแล้ว",
    REJECTED: "เรื่องไม่ได้รับอนุมัติ",
    WITHDRAWN: "ผู้เสนอถอนเรื่องคืนแล้ว",
    CIRCULATED: "แจ้งเวียนเพื่อทราบ",
    REVOKED: "บันทึกถูกยกเลิกหรือแทนที่แล้ว",
}
ASKED = {
    ARRIVED: "ขอให้ท่านพิจารณาและลงนามในขั้น “{step}”",
    RETURNED: "ขอให้แก้ไขตามเหตุผลข้างต้น แล้วเสนอใหม่",
    APPROVED: "เพื่อโปรดทราบ",
    REJECTED: "เพื่อโปรดทราบ",
    WITHDRAWN: "เรื่องนี้ไม่ต้องพิจารณาแล้ว เพื่อโปรดทราบ",
    CIRCULATED: "ขอให้ท่านเปิดอ่านและกด “รับทราบ”",
    REVOKED: "เพื่อโปรดทราบ และถือปฏิบัติตามบันทึกฉบับใหม่",
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
    }[event.kind]
    lines = [digits(f"{memo}"), digits(f"โดย {acted}")]
    if event.comment:
        label = "เหตุผล" if event.kind in (RETURNED, REJECTED, REVOKED) else "ความเห็น"
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
