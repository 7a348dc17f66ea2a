"""The pending page (รอพิจารณา): each memo waiting for the user's decision with its number, type,
revision, the step and the post it waits at, its drafter and since when; the menu's badge counts
the same memos on every page."""

import re
from datetime import UTC, date, datetime, time

import sqlalchemy as sa
from support.client import login
from support.pages import decide, logout, return_memo

import clock
from extensions import db
from models import DOC_TYPE_LABELS, Document, User
from workflow import documents as service

# Monday 16 November 2026, 10:00 in Bangkok.
SUBMITTED = datetime.combine(date(2026, 11, 16), time(10), clock.BANGKOK).astimezone(UTC)


def person(username: str) -> User:
    return db.session.scalars(sa.select(User).where(User.username == username)).one()


def submit(app, monkeypatch, memo_id: int) -> None:
    monkeypatch.setattr(clock, "now", lambda: SUBMITTED)
    with app.app_context():
        service.submit(memo_id, person("nattanipa"))
        db.session.commit()


def rows(html: str) -> list[str]:
    return re.findall(r"<tr>\s*<td>.*?</tr>", html, re.S)


def badge(html: str) -> str | None:
    """The number on the menu's "รอพิจารณา" link, as shown."""
    found = re.search(r'รอพิจารณา <span class="badge" aria-label="\d+ รายการ">([^<]+)</span>', html)
    return found.group(1) if found else None


def test_the_acting_head_sees_the_memo_with_its_step_drafter_and_arrival(
    app, client, srisuk, monkeypatch
):
    submit(app, monkeypatch, srisuk.memo_id)
    with app.app_context():
        doc_type = db.session.get(Document, srisuk.memo_id).doc_type
    login(client, "thanyarat")
    html = client.get("/documents/pending").get_data(as_text=True)
    [row] = rows(html)
    assert "สร ๘๓๒๐๑/๑๑๘๐" in row
    assert f'href="/documents/{srisuk.memo_id}"' in row and "รายงานผลการวิเคราะห์" in row
    assert DOC_TYPE_LABELS[doc_type] in row and "แก้ไขครั้งที่" not in row
    # She holds another post: the step says for which post she signs.
    assert "ความเห็นหัวหน้าสำนักปลัด" in row
    assert "(ในฐานะผู้รักษาราชการแทน/ปฏิบัติราชการแทน หัวหน้าสำนักปลัด)" in row
    assert '<span class="nw-name">นางณัฐนิภา แสงมณี</span>' in row
    assert "๑๖ พฤศจิกายน ๒๕๖๙ เวลา ๑๐:๐๐ น." in row


def test_a_holder_of_the_post_is_not_called_acting_and_a_revision_is_numbered(
    app, client, srisuk, monkeypatch
):
    submit(app, monkeypatch, srisuk.memo_id)
    login(client, "thanyarat")
    assert decide(client, srisuk.memo_id, "เห็นควรเสนอเพื่อโปรดพิจารณา").status_code == 302
    logout(client)
    login(client, "chuttikan")
    assert return_memo(client, srisuk.memo_id, "แก้ไขตัวเลข").status_code == 302
    with app.app_context():
        service.submit(srisuk.memo_id, person("nattanipa"))
        db.session.commit()
    logout(client)
    login(client, "thanyarat")  # the revised memo starts again at her step
    [row] = rows(client.get("/documents/pending").get_data(as_text=True))
    assert "แก้ไขครั้งที่ ๑" in row
    assert decide(client, srisuk.memo_id, "เห็นควรเสนอเพื่อโปรดพิจารณา").status_code == 302
    logout(client)
    login(client, "chuttikan")
    [row] = rows(client.get("/documents/pending").get_data(as_text=True))
    assert "ความเห็นปลัดองค์การบริหารส่วนตำบลศรีสุข" in row and "ในฐานะ" not in row


def test_the_badge_counts_what_waits_on_the_pending_page_and_elsewhere(
    app, client, srisuk, monkeypatch
):
    login(client, "thanyarat")
    empty = client.get("/documents/pending").get_data(as_text=True)
    assert badge(empty) is None and "ไม่มีเอกสารรอการพิจารณาของคุณ" in empty
    submit(app, monkeypatch, srisuk.memo_id)
    for url in ("/documents/pending", "/documents/mine", "/"):
        assert badge(client.get(url).get_data(as_text=True)) == "๑", url
    assert decide(client, srisuk.memo_id, "เห็นควรเสนอเพื่อโปรดพิจารณา").status_code == 302
    for url in ("/documents/pending", "/documents/mine", "/"):
        assert badge(client.get(url).get_data(as_text=True)) is None, url
