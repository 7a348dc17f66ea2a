"""The bell, the list and marking read, through the pages: each person sees and marks only
their own notifications."""

import re
from datetime import date, timedelta

import sqlalchemy as sa
from support.client import login
from support.reminders import bangkok, org_id, submit_memo, user_id

import clock
from extensions import db
from models import Notification, User
from notifications import reminders


def notify(app, username: str, title: str, url: str = "/documents/pending", age: int = 0) -> int:
    with app.app_context():
        note = Notification(
            org_id=org_id(),
            user_id=user_id(username),
            kind="waiting",
            title=title,
            body="รายละเอียด",
            url=url,
            created_at=clock.now() - timedelta(minutes=age),
        )
        db.session.add(note)
        db.session.commit()
        return note.id


def read_at(app, notification_id: int):
    with app.app_context():
        return db.session.get(Notification, notification_id).read_at


def bell(html: str) -> str:
    match = re.search(r'<a href="/notifications/" class="bell" aria-label="([^"]*)"', html)
    assert match, "no bell on the page"
    return match.group(1)


def test_the_bell_counts_only_my_unread_notifications(app, client, srisuk):
    notify(app, "thanyarat", "เรื่องที่หนึ่ง")
    notify(app, "thanyarat", "เรื่องที่สอง")
    read = notify(app, "thanyarat", "เรื่องที่อ่านแล้ว")
    notify(app, "chuttikan", "ของคนอื่น")
    with app.app_context():
        db.session.get(Notification, read).read_at = clock.now()
        db.session.commit()
    login(client, "thanyarat")
    page = client.get("/documents/pending").get_data(as_text=True)
    assert bell(page) == "การแจ้งเตือน ยังไม่ได้อ่าน 2 รายการ"
    assert '</svg> <span class="badge">๒</span>' in page


def test_the_list_shows_my_notifications_newest_first_with_unread_marked(app, client, srisuk):
    notify(app, "thanyarat", "เก่ากว่า", age=60)
    notify(app, "thanyarat", "ใหม่กว่า", age=1)
    notify(app, "chuttikan", "ของปลัด")
    login(client, "thanyarat")
    page = client.get("/notifications/").get_data(as_text=True)
    assert page.index("ใหม่กว่า") < page.index("เก่ากว่า")
    assert "ของปลัด" not in page
    assert page.count('<span class="badge">ใหม่</span>') == 2


def test_opening_a_notification_marks_it_read_and_goes_to_its_item(app, client, srisuk):
    note = notify(app, "thanyarat", "เอกสารรอพิจารณา", url=f"/documents/{srisuk.memo_id}")
    login(client, "thanyarat")
    response = client.post_form(f"/notifications/{note}/open")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/documents/{srisuk.memo_id}"
    assert read_at(app, note) is not None
    assert bell(client.get("/notifications/").get_data(as_text=True)) == "การแจ้งเตือน"


def test_a_link_outside_the_app_is_not_followed(app, client, srisuk):
    note = notify(app, "thanyarat", "ลิงก์แปลก", url="//evil.example/steal")
    login(client, "thanyarat")
    response = client.post_form(f"/notifications/{note}/open")
    assert response.headers["Location"] == "/notifications/"


def test_mark_one_and_mark_all_read(app, client, srisuk):
    first = notify(app, "thanyarat", "หนึ่ง")
    second = notify(app, "thanyarat", "สอง")
    others = notify(app, "chuttikan", "ของปลัด")
    login(client, "thanyarat")
    client.post_form(f"/notifications/{first}/read")
    assert read_at(app, first) is not None and read_at(app, second) is None

    response = client.post_form("/notifications/read-all", follow_redirects=True)
    assert "ทำเครื่องหมายว่าอ่านแล้วทั้งหมด" in response.get_data(as_text=True)
    assert read_at(app, second) is not None
    assert read_at(app, others) is None


def test_another_persons_notification_does_not_exist_for_me(app, client, srisuk):
    theirs = notify(app, "chuttikan", "ของปลัด", url=f"/documents/{srisuk.memo_id}")
    login(client, "thanyarat")
    for action in ("open", "read"):
        assert client.post_form(f"/notifications/{theirs}/{action}").status_code == 404
    assert client.post_form("/notifications/999999/read").status_code == 404
    assert read_at(app, theirs) is None


def test_marking_read_needs_the_form_token(app, client, srisuk):
    note = notify(app, "thanyarat", "หนึ่ง")
    login(client, "thanyarat")
    assert client.post(f"/notifications/{note}/read").status_code == 400
    assert client.post("/notifications/read-all").status_code == 400
    assert read_at(app, note) is None


def test_the_pages_need_a_login(app, client, srisuk):
    assert client.get("/notifications/").status_code == 302


def test_a_reminder_reaches_the_bell_and_leads_to_the_memo(app, client, srisuk):
    app.config["MAIL_SERVER"] = ""  # e-mail goes to the log
    submit_memo(app, srisuk.memo_id, bangkok(date(2026, 5, 6)))  # no national holiday after it
    with app.app_context():
        reminders.run(date(2026, 5, 12))
        mine = db.session.scalars(
            sa.select(Notification)
            .join(User, User.id == Notification.user_id)
            .where(User.username == "thanyarat", Notification.url == f"/documents/{srisuk.memo_id}")
        ).one()
        unread = db.session.scalar(
            sa.select(sa.func.count(Notification.id)).where(
                Notification.user_id == mine.user_id, Notification.read_at.is_(None)
            )
        )
    login(client, "thanyarat")
    page = client.get("/notifications/").get_data(as_text=True)
    assert bell(page) == f"การแจ้งเตือน ยังไม่ได้อ่าน {unread} รายการ"
    assert mine.title in page
    response = client.post_form(f"/notifications/{mine.id}/open", follow_redirects=True)
    assert response.request.path == f"/documents/{srisuk.memo_id}"
    assert response.status_code == 200
    after = client.get("/notifications/").get_data(as_text=True)
    expected = "การแจ้งเตือน" if unread == 1 else f"การแจ้งเตือน ยังไม่ได้อ่าน {unread - 1} รายการ"
    assert bell(after) == expected
