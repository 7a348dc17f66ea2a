"""The home page: what waits for me (with working days and the late colour), what moves below me,
overdue measures by unit, the next report deadlines, the ITA slot; a constant number of SQL
statements however many memos wait."""

import re
from datetime import UTC, date, datetime, time

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from support.client import login
from support.pages import text

import clock
import thai
from extensions import db
from models import DocType, Document, Holiday, Measure, MeasurePlan, Organisation, Unit, User
from workflow import documents

# Monday 16 November 2026, 10:00 in Bangkok: fiscal year 2570.
MONDAY = datetime.combine(date(2026, 11, 16), time(10), clock.BANGKOK).astimezone(UTC)


def at_day(monkeypatch, day: date, hour: int = 10) -> None:
    moment = datetime.combine(day, time(hour), clock.BANGKOK).astimezone(UTC)
    monkeypatch.setattr(clock, "now", lambda: moment)


def switch(client, username: str):
    client.post_form("/logout")
    client.csrf = None
    return login(client, username)


def user(username: str) -> User:
    return db.session.scalars(sa.select(User).where(User.username == username)).one()


def submit_memos(app, count: int, subject: str = "บันทึกทดสอบ") -> list[int]:
    """`count` general memos by the drafter, each sent to its first step (the section head)."""
    with app.app_context():
        drafter = user("nattanipa")
        ids = []
        for n in range(count):
            doc = documents.create_draft(
                drafter,
                documents.MemoContent(
                    doc_type=DocType.GENERAL,
                    issuing_unit="สำนักปลัด",
                    doc_date=clock.today(),
                    subject=f"{subject} {n + 1}",
                    addressee="นายก",
                    sections=[("ข้อเท็จจริง", "เนื้อหา")],
                ),
            )
            documents.submit(doc.id, drafter)
            ids.append(doc.id)
        db.session.commit()
        return ids


def section(html: str, section_id: str) -> str:
    start = html.index(f'id="{section_id}"')
    return html[start : html.index("</section>", start)]


def test_the_acting_head_sees_the_memo_waiting_with_its_age_and_the_late_colour(
    app, client, srisuk, monkeypatch
):
    monkeypatch.setattr(clock, "now", lambda: MONDAY)
    login(client, "nattanipa")
    client.post_form(f"/documents/{srisuk.memo_id}/submit")
    switch(client, "thanyarat")

    at_day(monkeypatch, date(2026, 11, 19))  # Thursday: three working days, on target
    waiting = section(text(client.get("/")), "waiting")
    assert "รายงานผลการวิเคราะห์" in waiting
    assert "๓ วันทำการ" in waiting
    assert 'class="late"' not in waiting
    assert f"/decide/{srisuk.memo_id}" in waiting
    # She signs for a post not her own: said once, beside her name (not again on a line below).
    assert '<span class="nw-name">นางธัญญารัตน์ โคนุช (รักษาราชการแทน)</span>' in waiting
    rows = waiting[waiting.index("<tbody>") :]
    assert rows.count("ราชการแทน") == 1

    at_day(monkeypatch, date(2026, 11, 20))  # Friday: four working days, late
    waiting = section(text(client.get("/")), "waiting")
    assert "๔ วันทำการ" in waiting
    assert 'class="late"' in waiting and "เกินเป้าหมาย ๓ วันทำการ" in waiting


def test_the_counts_at_the_top_agree_with_the_sections_and_link_to_them(
    app, client, srisuk, monkeypatch
):
    monkeypatch.setattr(clock, "now", lambda: MONDAY)
    login(client, "nattanipa")
    client.post_form(f"/documents/{srisuk.memo_id}/submit")
    switch(client, "thanyarat")
    at_day(monkeypatch, date(2026, 11, 20))  # four working days: past the target of three
    html = text(client.get("/"))
    summary = html[
        html.index('aria-label="สรุปสิ่งที่ต้องทำ"') : html.index("</nav>", html.index("สรุปสิ่งที่ต้องทำ"))
    ]
    assert '<a href="#waiting" class="hot">รอท่านพิจารณา <strong>๑</strong>' in summary
    assert "(เกินเป้า ๑)" in summary
    overdue = section(html, "overdue").count("/measures/")
    assert (
        f"มาตรการเกินกำหนด <strong>{thai.to_thai_digits(str(overdue_count(html)))}</strong>"
        in summary
    )
    assert overdue >= 1
    assert 'href="#ita">ITA ๒๕๖๘ <strong>๙๓.๕๗</strong>' in summary


def overdue_count(html: str) -> int:
    """Distinct measures listed under the units (a measure of two units is listed twice)."""
    return len(set(re.findall(r'href="/measures/(\d+)"', section(html, "overdue"))))


def test_the_menu_reaches_my_work_and_the_lists(app, client, srisuk):
    login(client, "nakarin")
    menu = text(client.get("/"))
    menu = menu[menu.index('aria-label="เมนูหลัก"') : menu.index("</nav>")]
    assert 'href="/my"' in menu and 'href="/lists/documents"' in menu


def test_each_memo_waits_from_its_own_arrival(app, client, srisuk, monkeypatch):
    at_day(monkeypatch, date(2026, 11, 16))  # Monday
    submit_memos(app, 1, "บันทึกเสนอวันจันทร์")
    at_day(monkeypatch, date(2026, 11, 18))  # Wednesday
    submit_memos(app, 1, "บันทึกเสนอวันพุธ")
    at_day(monkeypatch, date(2026, 11, 20))  # Friday
    login(client, "thanyarat")
    waiting = section(text(client.get("/")), "waiting")
    monday, wednesday = waiting.index("บันทึกเสนอวันจันทร์"), waiting.index("บันทึกเสนอวันพุธ")
    assert monday < wednesday  # the older memo first
    assert "๔ วันทำการ" in waiting[monday:wednesday]
    assert "๒ วันทำการ" in waiting[wednesday:]


def test_a_holiday_does_not_count_and_the_target_is_the_organisations(
    app, client, srisuk, monkeypatch
):
    monkeypatch.setattr(clock, "now", lambda: MONDAY)
    login(client, "nattanipa")
    client.post_form(f"/documents/{srisuk.memo_id}/submit")
    with app.app_context():
        db.session.add(Holiday(org_id=srisuk.org_id, day=date(2026, 11, 18), name="วันหยุด"))
        db.session.get(Organisation, srisuk.org_id).target_working_days = 2
        db.session.commit()
    switch(client, "thanyarat")
    at_day(monkeypatch, date(2026, 11, 20))  # Tue, (Wed off), Thu, Fri: three working days
    waiting = section(text(client.get("/")), "waiting")
    assert "๓ วันทำการ" in waiting
    assert "เกินเป้าหมาย ๒ วันทำการ" in waiting


def test_the_mayor_sees_what_moves_below_him_and_where_it_waits(app, client, srisuk, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: MONDAY)
    login(client, "nattanipa")
    client.post_form(f"/documents/{srisuk.memo_id}/submit")
    switch(client, "nakarin")
    at_day(monkeypatch, date(2026, 11, 17))
    html = text(client.get("/"))
    assert "ไม่มีเอกสารรอการพิจารณาของคุณ" in section(html, "waiting")
    below = section(html, "below")
    assert "รายงานผลการวิเคราะห์" in below
    assert "หัวหน้าสำนักปลัด" in below  # where it is now
    assert "๑ วันทำการ" in below
    assert "/decide/" not in below  # not his turn


def test_the_drafter_sees_nothing_below_her_and_the_return_reason_first(
    app, client, srisuk, monkeypatch
):
    from support.pages import return_memo

    login(client, "nattanipa")
    client.post_form(f"/documents/{srisuk.memo_id}/submit")
    switch(client, "thanyarat")
    assert return_memo(client, srisuk.memo_id, "กรุณาแก้ไขตัวเลขคะแนน").status_code == 302
    switch(client, "nattanipa")
    html = text(client.get("/"))
    assert 'id="below"' not in html
    returned = section(html, "returned")
    assert returned.index("กรุณาแก้ไขตัวเลขคะแนน") < returned.index("รายงานผลการวิเคราะห์")


DISCLOSURE = "มาตรการส่งเสริมการเปิดเผยข้อมูลต่อสาธารณะ"


def test_overdue_measures_are_grouped_by_unit(app, client, srisuk):
    login(client, "nakarin")
    overdue = section(text(client.get("/")), "overdue")
    # The demo's 2569 measures ended in September 2026; most are not finished. Of this year's
    # copies, the monthly disclosure measure (กองคลัง) missed October's update, due 10 November.
    assert DISCLOSURE in overdue
    assert '<strong>กองคลัง</strong> <span class="badge">๖</span>' in overdue
    assert '<strong>สำนักปลัด</strong> <span class="badge">๗</span>' in overdue
    # Finished ones are not late: the asset-borrowing measure was done in March 2026.
    assert "มาตรการปรับปรุงแนวปฏิบัติการใช้ทรัพย์สินของทางราชการ" not in overdue


def test_a_late_measure_shows_its_year_and_status_under_each_of_its_units(app, client, srisuk):
    with app.app_context():
        year = thai.fiscal_year(clock.today())
        disclosure = db.session.scalars(
            sa.select(Measure)
            .join(MeasurePlan)
            .where(Measure.title == DISCLOSURE, MeasurePlan.fiscal_year == year)
        ).one()
        units = db.session.scalars(sa.select(Unit).where(Unit.org_id == srisuk.org_id)).all()
        disclosure.units = [u for u in units if u.name in ("กองคลัง", "สำนักปลัด")]
        db.session.commit()
        shown = f"(ปี {thai.to_thai_digits(str(year))} · {disclosure.status.label})"
        link = f'href="/measures/{disclosure.id}">'
        in_order = [u.name for u in db.session.scalars(Unit.of_organisation(srisuk.org_id))]
    login(client, "nakarin")
    overdue = section(text(client.get("/")), "overdue")
    groups = re.findall(
        r"<summary><strong>([^<]+)</strong>.*?</summary>(.*?)</details>", overdue, re.S
    )
    names = [name for name, _ in groups]
    assert names == [n for n in in_order if n in names]  # the organisation's order of units
    assert {"กองคลัง", "สำนักปลัด"} <= set(names)
    for name, listed in groups:
        if name in ("กองคลัง", "สำนักปลัด"):
            item = listed[listed.index(link) :]
            assert DISCLOSURE in item[: item.index("</li>")]
            assert shown in item[: item.index("</li>")]
        else:
            assert link not in listed


def test_next_report_deadlines_come_from_the_rounds(app, client, srisuk):
    login(client, "chuttikan")
    deadlines = section(text(client.get("/")), "deadlines")
    # 20 November 2026: the annual report of 2569 was due on 31 October (late), the 6-month
    # report of 2570 is due on 30 April 2027.
    assert "รอบ ๑๒ เดือน ปีงบประมาณ ๒๕๖๙" in deadlines
    assert "เลยกำหนด" in deadlines
    assert "รอบ ๖ เดือน ปีงบประมาณ ๒๕๗๐" in deadlines
    assert "๓๐ เมษายน ๒๕๗๐" in deadlines


def test_an_admin_sees_the_first_run_banner_until_the_required_steps_are_done(app, client, srisuk):
    login(client, "admin")
    banner = text(client.get("/"))
    assert "ตั้งค่าองค์กรให้พร้อมใช้งาน" in banner and 'href="/setup/"' in banner
    assert "ภาพตราครุฑสำหรับบันทึกข้อความ" in banner  # what is left
    with app.app_context():
        db.session.get(Organisation, srisuk.org_id).garuda_key = "garuda-test"
        db.session.commit()
    client.get("/reports/rounds")  # opening the rounds page checks nothing
    assert "กำหนดส่งรายงานปีงบประมาณ" in text(client.get("/"))  # still left to do
    year = thai.fiscal_year(clock.today())
    client.post_form(f"/reports/{year}/rounds/confirm")  # the admin confirms them
    assert "ตั้งค่าองค์กรให้พร้อมใช้งาน" not in text(client.get("/"))
    switch(client, "chuttikan")
    assert "ตั้งค่าองค์กรให้พร้อมใช้งาน" not in text(client.get("/"))


def test_opening_the_home_page_and_my_work_writes_nothing(app, client, srisuk):
    from test_reports_helpers import rows_of

    login(client, "admin")
    before = rows_of(app)
    text(client.get("/"))
    text(client.get("/my"))
    assert rows_of(app) == before


def count_statements(app, client) -> int:
    """Statements one GET of the home page runs."""
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        text(client.get("/"))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)


@pytest.mark.parametrize("username", ["thanyarat", "nakarin", "admin"])
def test_the_home_page_runs_as_many_statements_for_20_waiting_memos_as_for_2(
    app, client, srisuk, username
):
    submit_memos(app, 2)
    login(client, username)
    text(client.get("/"))  # warm up: the first request loads what every request caches
    with_two = count_statements(app, client)
    submit_memos(app, 18)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Document.id))) == 21
    assert count_statements(app, client) == with_two
