"""The menu's badges on every page: memos waiting for the user, memos circulated to them that
they have not acknowledged, their unread notifications; all three read in one statement."""

import re

import pytest
import sqlalchemy as sa
from support.client import login
from support.factories import memo_content
from support.pages import StatementCounter

import clock
from extensions import db
from models import CirculationRecipient, Notification, User
from workflow import documents as service


def person(username: str) -> User:
    return db.session.scalars(sa.select(User).where(User.username == username)).one()


@pytest.fixture
def told(app, srisuk):
    """thanyarat: two memos circulated to her (one acknowledged), three notifications (one
    read)."""
    with app.app_context():
        her, sender = person("thanyarat"), person("nattanipa")
        second = service.create_draft(sender, memo_content("บันทึกแจ้งเวียนที่สอง"))
        memos = [srisuk.memo_id, second.id]
        sent = clock.now()
        for memo_id, acknowledged in zip(memos, (None, sent), strict=True):
            db.session.add(
                CirculationRecipient(org_id=her.org_id, document_id=memo_id, user_id=her.id,
                                     sent_by_id=sender.id, sent_at=sent, acknowledged_at=acknowledged)
            )  # fmt: skip
        for read_at in (None, None, clock.now()):
            db.session.add(
                Notification(org_id=her.org_id, user_id=her.id, kind="circulated",
                             title="แจ้งเวียน", read_at=read_at)
            )  # fmt: skip
        db.session.commit()


def circulated_badge(html: str) -> str | None:
    found = re.search(r'แจ้งเวียน <span class="badge" aria-label="ยังไม่รับทราบ (\d+) รายการ">', html)
    return found.group(1) if found else None


def bell_badge(html: str) -> str | None:
    found = re.search(r'</svg> <span class="badge">([^<]+)</span>', html)
    return found.group(1) if found else None


@pytest.mark.parametrize("url", ["/", "/documents/pending", "/my", "/documents/mine"])
def test_the_menu_counts_what_is_unacknowledged_and_unread(app, client, told, url):
    login(client, "thanyarat")
    page = client.get(url).get_data(as_text=True)
    assert circulated_badge(page) == "1"
    assert bell_badge(page) == "๒"


@pytest.mark.parametrize("url", ["/", "/documents/pending", "/my", "/documents/mine"])
def test_the_menus_counts_are_one_statement(app, client, told, url):
    login(client, "thanyarat")
    client.get(url)
    with StatementCounter(app) as counter:
        assert client.get(url).status_code == 200
    counting = re.compile(r"SELECT count\(.*FROM (notifications|circulation_recipients)\b", re.S)
    menu = [s for s in counter.statements if counting.search(s)]
    assert len(menu) == 1
    assert "FROM notifications" in menu[0] and "FROM circulation_recipients" in menu[0]


def test_the_menu_links_follow_the_script_root(app, client, srisuk):
    # behind a proxy that mounts the app under a path, every link of the frame carries it; the
    # links are built once per app and root, so the root must be part of what is kept
    login(client, "thanyarat")
    plain = client.get("/documents/pending").get_data(as_text=True)
    mounted = client.get("/documents/pending", base_url="http://localhost/ita/")
    html = mounted.get_data(as_text=True)
    assert 'href="/documents/mine"' in plain and 'href="/static/css/app.css"' in plain
    assert 'href="/ita/documents/mine"' in html and 'href="/ita/static/css/app.css"' in html
    assert 'action="/ita/logout"' in html and 'href="/documents/mine"' not in html
    again = client.get("/documents/pending").get_data(as_text=True)
    assert 'href="/documents/mine"' in again


@pytest.mark.parametrize(
    "url, current",
    [
        ("/documents/pending", "รอพิจารณา"),
        ("/measures/", "มาตรการ"),
        ("/reports/", "รายงานผล"),
        ("/lists/documents", "รายการ"),
        ("/admin/", "ตั้งค่าองค์กร"),
        ("/search/?q=ITA", None),
    ],
)
def test_the_menu_marks_the_page_or_the_area_the_reader_is_in(client, srisuk, url, current):
    login(client, "admin")
    response = client.get(url, follow_redirects=True)
    assert response.status_code == 200
    menu = response.get_data(as_text=True).split('aria-label="เมนูหลัก"')[1].split("</nav>")[0]
    marked = re.findall(r'aria-current="page">\s*([^<\s]+)', menu)
    assert marked == ([current] if current else [])
