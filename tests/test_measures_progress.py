"""Reporting on a measure through its page: one form records what was done, an evidence URL and a
status change, any of them at once; evidence URLs, status with its reason, and who may report."""

import re
from datetime import date

import pytest
import sqlalchemy as sa
from support.client import login
from support.pages import page_forms
from test_measures_support import (
    ASSET_MEASURE,
    BUDGET_MEASURE,
    DISCLOSURE_MEASURE,
    counts,
    events,
    field_error,
    make_person,
    measure,
    measure_ids,
    text_of,
)

import clock
import thai
from extensions import db
from models import Measure, MeasureStatus, User
from workflow.measures import evidence as evidence_service
from workflow.measures import progress as progress_service

SITE = "https://srisuk.example.go.th/ita/2569"


def update(client, measure_id: int, **fields):
    """Post the measure page's update form: dated today unless told, the rest as given."""
    data = {"entry_date": thai.format_input_date(clock.today()), "status": ""} | fields
    return client.post_form(f"/measures/{measure_id}/progress", data)


@pytest.fixture
def mid_year(monkeypatch):
    """15 January 2026, in the second quarter of fiscal year 2569."""
    monkeypatch.setattr(clock, "today", lambda: date(2026, 1, 15))


def test_one_form_records_an_entry_its_evidence_and_a_status_change(app, client, srisuk, mid_year):
    login(client, "nattanipa")
    target = measure_ids(app)[BUDGET_MEASURE]
    response = client.post_form(
        f"/measures/{target}/progress",
        {
            "entry_date": "๑๐/๑/๒๕๖๙",
            "text": "จัดประชุมบุคลากรเพื่อร่วมจัดทำแผนการใช้จ่ายงบประมาณ ครั้งที่ ๑",
            "url": f"  {SITE}/budget-meeting  ",
            "title": "รายงานการประชุม",
            "status": "in_progress",
        },
    )
    assert response.status_code == 302
    after = measure(app, target)
    assert after.status is MeasureStatus.IN_PROGRESS
    [entry] = after.entries
    assert entry.entry_date == date(2026, 1, 10) and entry.text.endswith("ครั้งที่ 1")
    [evidence] = after.evidence
    assert evidence.url == f"{SITE}/budget-meeting" and evidence.progress_entry_id == entry.id
    kinds = [(e.kind, e.old_status, e.new_status) for e in events(app, target)]
    assert kinds[-3:] == [
        ("progress", None, None),
        ("evidence", None, None),
        ("status", MeasureStatus.NOT_STARTED, MeasureStatus.IN_PROGRESS),
    ]
    page = text_of(client.get(f"/measures/{target}"))
    assert "๑๐ มกราคม ๒๕๖๙" in page and "รายงานการประชุม" in page
    assert "ยังไม่ดำเนินการ → อยู่ระหว่างดำเนินการ" in page
    assert "ยังไม่ได้ตรวจลิงก์" in page


def test_a_note_saved_on_the_untouched_form_leaves_a_not_started_status_alone(
    app, client, srisuk, mid_year
):
    """The form once started a not-started measure on "in progress", so saving a note without
    looking at the status moved it. It starts on the current status, named, and keeps it."""
    login(client, "nattanipa")
    target = measure_ids(app)[BUDGET_MEASURE]
    assert measure(app, target).status is MeasureStatus.NOT_STARTED
    page = text_of(client.get(f"/measures/{target}"))
    [form] = [f for f in page_forms(page, f"/measures/{target}") if f.action.endswith("/progress")]
    sent = dict(form.fields) | {"text": "ประสานกองคลังเพื่อเตรียมข้อมูล"}
    response = client.post(form.action, data=sent)
    assert response.status_code == 302
    after = measure(app, target)
    assert after.status is MeasureStatus.NOT_STARTED
    assert [e.text for e in after.entries] == ["ประสานกองคลังเพื่อเตรียมข้อมูล"]
    assert all(e.kind != "status" for e in events(app, target))
    assert re.search(r"<option selected value=\"\">— คงสถานะเดิม \(ยังไม่ดำเนินการ\) —", page)


BAD_URLS = [
    ("javascript:alert(1)", "ใช้ได้เฉพาะลิงก์เว็บไซต์ที่ขึ้นต้นด้วย http:// หรือ https://"),
    ("JavaScript:alert(document.cookie)", "ใช้ได้เฉพาะลิงก์เว็บไซต์ที่ขึ้นต้นด้วย http://"),
    ("file:///etc/passwd", "ใช้ได้เฉพาะลิงก์เว็บไซต์ที่ขึ้นต้นด้วย http://"),
    ("data:text/html,<script>alert(1)</script>", "ใช้ได้เฉพาะลิงก์เว็บไซต์ที่ขึ้นต้นด้วย http://"),
    ("ftp://srisuk.example.go.th/a.pdf", "ใช้ได้เฉพาะลิงก์เว็บไซต์ที่ขึ้นต้นด้วย http://"),
    ("srisuk.example.go.th/ita", "ใช้ได้เฉพาะลิงก์เว็บไซต์ที่ขึ้นต้นด้วย http://"),
    ("https:///ita/2569", "URL ไม่มีชื่อเว็บไซต์"),
    ("http://", "URL ไม่มีชื่อเว็บไซต์"),
    ("https://admin:secret@srisuk.example.go.th/ita", "URL ต้องไม่มีชื่อผู้ใช้หรือรหัสผ่าน"),
    ("https://srisuk.example.go.th\\@evil.example/", "URL ต้องไม่มีชื่อผู้ใช้หรือรหัสผ่าน"),
    ("https://srisuk.example.go.th/" + "a" * 2000, "URL ยาวเกิน 2,000 ตัวอักษร"),
    ("https://srisuk.example.go.th/a b", "URL ต้องไม่มีช่องว่าง"),
    ("https://srisuk.example.go.th:99999/", "URL ไม่ถูกต้อง"),
]


@pytest.mark.parametrize(("url", "message"), BAD_URLS, ids=[u[:20] for u, _ in BAD_URLS])
def test_unsafe_or_broken_urls_are_refused_beside_the_field_and_nothing_is_saved(
    app, client, srisuk, mid_year, url, message
):
    login(client, "nattanipa")
    target = measure_ids(app)[BUDGET_MEASURE]
    before = counts(app, target)
    response = client.post_form(
        f"/measures/{target}/progress",
        {
            "entry_date": "10/1/2569",
            "text": "ดำเนินการแล้ว",
            "url": url,
            "title": "หลักฐาน",
            "status": "in_progress",
        },
    )
    assert response.status_code == 400
    page = text_of(response)
    assert message in (field_error(page, "url") or "")
    assert "ดำเนินการแล้ว" in page  # the entry's text stays in the form
    assert counts(app, target) == before  # the valid entry was not saved without its evidence
    assert measure(app, target).status is MeasureStatus.NOT_STARTED


def test_the_same_evidence_url_is_refused_once_normalised(app, client, srisuk):
    login(client, "nattanipa")
    target = measure_ids(app)[ASSET_MEASURE]  # demo: has .../asset-borrowing-manual
    before = counts(app, target)
    same = "  HTTPS://SRISUK.Example.GO.TH:443/ita/2569/asset-borrowing-manual "
    response = update(client, target, url=same, title="ซ้ำ")
    assert response.status_code == 400
    assert field_error(text_of(response), "url") == "มาตรการนี้มีหลักฐาน URL นี้อยู่แล้ว"
    assert counts(app, target) == before
    # A different path (case matters there) is another document.
    other = f"{SITE}/Asset-Borrowing-Manual"
    assert update(client, target, url=other, title="อีกฉบับ").status_code == 302


def test_a_duplicate_that_slips_past_the_check_is_caught_by_the_database(
    app, client, srisuk, mid_year, monkeypatch
):
    """Two tabs submitting at once: the unique constraint refuses the second, never a 500."""
    monkeypatch.setattr(
        progress_service,
        "check_new",
        lambda measure, url, title: (
            evidence_service.normalise_url(url),
            evidence_service.evidence_title(title),
        ),
    )
    login(client, "nattanipa")
    target = measure_ids(app)[ASSET_MEASURE]
    before = counts(app, target)
    url = f"{SITE}/asset-borrowing-manual"
    response = update(client, target, url=url, title="ซ้ำ")
    assert response.status_code == 400
    assert field_error(text_of(response), "url") == "มาตรการนี้มีหลักฐาน URL นี้อยู่แล้ว"
    response = client.post_form(
        f"/measures/{target}/progress",
        {
            "entry_date": "10/1/2569",
            "text": "บันทึกพร้อมหลักฐานซ้ำ",
            "url": url,
            "title": "ซ้ำ",
        },
    )
    assert response.status_code == 400
    assert counts(app, target) == before  # the entry went with the refused evidence


def test_evidence_title_is_required_with_a_url_and_a_title_needs_a_url(app, client, srisuk):
    login(client, "nattanipa")
    target = measure_ids(app)[BUDGET_MEASURE]
    response = update(client, target, url=f"{SITE}/x", title="")
    assert "กรุณาตั้งชื่อหลักฐาน" in field_error(text_of(response), "title")
    response = client.post_form(
        f"/measures/{target}/progress",
        {
            "entry_date": "1/11/2568",
            "text": "ดำเนินการ",
            "url": "",
            "title": "มีชื่อแต่ไม่มีลิงก์",
        },
    )
    assert "กรุณาระบุ URL ของหลักฐาน" in field_error(text_of(response), "url")
    assert counts(app, target)[:2] == (0, 0)


@pytest.mark.parametrize(
    ("entry_date", "text", "field", "message"),
    [
        ("", "ดำเนินการ", "entry_date", "กรุณาระบุวันที่ดำเนินการ"),
        ("31/2/2569", "ดำเนินการ", "entry_date", "ไม่มีวันที่นี้ในปฏิทิน"),
        ("16/1/2569", "ดำเนินการ", "entry_date", "วันที่ดำเนินการต้องไม่เกินวันนี้"),
        ("10/1/2569", "ก" * 5001, "text", "ยาวได้ไม่เกิน 5,000 ตัวอักษร"),
    ],
)
def test_an_update_needs_a_past_date_and_a_text_of_sensible_length(
    app, client, srisuk, mid_year, entry_date, text, field, message
):
    login(client, "nattanipa")
    target = measure_ids(app)[BUDGET_MEASURE]
    response = client.post_form(
        f"/measures/{target}/progress", {"entry_date": entry_date, "text": text}
    )
    assert response.status_code == 400
    assert message in (field_error(text_of(response), field) or "")
    assert counts(app, target)[0] == 0


def test_cancelling_needs_a_reason_and_the_reason_is_shown(app, client, srisuk):
    login(client, "nattanipa")
    target = measure_ids(app)[BUDGET_MEASURE]
    response = update(client, target, status="cancelled")
    assert response.status_code == 400
    assert field_error(text_of(response), "cancel_reason") == "กรุณาระบุเหตุผลที่ยกเลิกมาตรการ"
    assert measure(app, target).status is MeasureStatus.NOT_STARTED

    reason = "รวมเข้ากับมาตรการที่ ๕ ตามมติที่ประชุม"
    response = update(client, target, status="cancelled", cancel_reason=reason)
    assert response.status_code == 302
    after = measure(app, target)
    assert after.status is MeasureStatus.CANCELLED
    assert after.cancel_reason == "รวมเข้ากับมาตรการที่ 5 ตามมติที่ประชุม"
    page = text_of(client.get(f"/measures/{target}"))
    assert "เหตุผลที่ยกเลิก:" in page and reason in page

    response = update(client, target, status="in_progress")
    assert response.status_code == 302
    assert measure(app, target).cancel_reason is None


def test_a_reason_without_cancelling_and_the_same_status_are_refused(app, client, srisuk):
    login(client, "nattanipa")
    target = measure_ids(app)[BUDGET_MEASURE]
    before = counts(app, target)
    response = update(client, target, status="done", cancel_reason="เพราะ")
    assert "เฉพาะเมื่อเปลี่ยนสถานะเป็น “ยกเลิก”" in field_error(text_of(response), "cancel_reason")
    # A reason typed with the status left as it is would be lost: it is refused too.
    response = update(client, target, text="ประชุมแล้ว", cancel_reason="เพราะ")
    assert "เฉพาะเมื่อเปลี่ยนสถานะเป็น “ยกเลิก”" in field_error(text_of(response), "cancel_reason")
    response = update(client, target, status="not_started")
    assert "อยู่แล้ว" in field_error(text_of(response), "status")
    response = update(client, target, status="finished")
    assert field_error(text_of(response), "status") == "กรุณาเลือกจากรายการ"
    assert measure(app, target).status is MeasureStatus.NOT_STARTED
    assert counts(app, target) == before


def test_history_shows_who_changed_the_status_and_when(app, client, srisuk):
    login(client, "nattanipa")
    target = measure_ids(app)[BUDGET_MEASURE]
    assert update(client, target, status="done").status_code == 302
    [row] = [e for e in events(app, target) if e.kind == "status"]
    assert (row.old_status, row.new_status) == (MeasureStatus.NOT_STARTED, MeasureStatus.DONE)
    assert row.actor_name == "นางณัฐนิภา แสงมณี" and row.created_at is not None
    page = text_of(client.get(f"/measures/{target}"))
    history = page[page.index("ประวัติการเปลี่ยนแปลง") :]
    assert "ยังไม่ดำเนินการ → ดำเนินการแล้ว" in history
    assert "นางณัฐนิภา แสงมณี ·" in history and "เวลา" in history


def test_members_of_a_responsible_unit_and_responsible_people_report(app, client, srisuk):
    target = measure_ids(app)[DISCLOSURE_MEASURE]  # กองคลัง only
    make_person(app, "finance", "กองคลัง", "การเงิน ขยัน")
    login(client, "finance")
    entry = {"entry_date": "1/11/2568", "text": "เผยแพร่ประกาศ"}
    assert client.post_form(f"/measures/{target}/progress", entry).status_code == 302
    assert counts(app, target)[0] == 2
    client.post_form("/logout")

    engineer = make_person(app, "engineer", "กองช่าง", "ช่าง ตั้งใจ")
    with app.app_context():
        item = db.session.get(Measure, target)
        item.people.append(db.session.get(User, engineer))
        db.session.commit()
    login(client, "engineer")
    assert client.post_form(f"/measures/{target}/progress", entry).status_code == 302
    assert counts(app, target)[0] == 3


def test_a_user_of_an_unrelated_unit_cannot_report(app, client, srisuk):
    target = measure_ids(app)[DISCLOSURE_MEASURE]  # กองคลัง only; thanyarat is in สำนักปลัด
    before, status = counts(app, target), measure(app, target).status
    login(client, "thanyarat")
    page = text_of(client.get(f"/measures/{target}"))
    assert "บันทึกความคืบหน้า" not in page  # everyone sees the measure, not the form
    posts = [
        {"entry_date": "1/11/2568", "text": "ไม่ควรถูกบันทึก"},
        {"entry_date": "1/11/2568", "url": f"{SITE}/x", "title": "ไม่ควรถูกบันทึก"},
        {"entry_date": "1/11/2568", "status": "done"},
        {"entry_date": "", "text": ""},  # a bad form is refused for the right too
    ]
    for data in posts:
        response = client.post_form(f"/measures/{target}/progress", data)
        assert response.status_code == 403
        assert "เฉพาะผู้รับผิดชอบมาตรการนี้" in text_of(response)
    assert counts(app, target) == before and measure(app, target).status == status


def test_entries_and_evidence_are_removed_by_their_author_or_the_coordinator(app, client, srisuk):
    target = measure_ids(app)[DISCLOSURE_MEASURE]
    make_person(app, "finance", "กองคลัง", "การเงิน ขยัน")
    demo_entry = measure(app, target).entries[0]  # written by the coordinator
    login(client, "finance")
    assert client.post_form(f"/measures/{target}/entries/{demo_entry.id}/delete").status_code == 403
    client.post_form("/logout")
    login(client, "nattanipa")
    response = client.post_form(f"/measures/{target}/entries/{demo_entry.id}/delete")
    assert response.status_code == 302
    after = measure(app, target)
    assert after.entries == [] and after.evidence[0].progress_entry_id is None
    evidence_id = after.evidence[0].id
    assert client.post_form(f"/measures/{target}/evidence/{evidence_id}/delete").status_code == 302
    assert measure(app, target).evidence == []
    notes = [e.note for e in events(app, target)]
    assert any(n.startswith("ลบรายการวันที่") for n in notes)
    assert any(n.startswith("ลบหลักฐาน") for n in notes)


def test_every_label_on_the_measure_page_points_at_its_own_box(app, client, srisuk):
    """Fields must not share ids on the page (labels and errors use them)."""
    login(client, "nattanipa")
    page = text_of(client.get(f"/measures/{measure_ids(app)[ASSET_MEASURE]}"))
    ids = [i for i in re.findall(r'\sid="([^"]+)"', page) if i != "csrf_token"]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    for target in re.findall(r'<label for="([^"]+)"', page):
        assert target in ids


def test_the_page_has_one_update_form_for_what_was_done_evidence_and_status(app, client, srisuk):
    login(client, "nattanipa")
    target = measure_ids(app)[BUDGET_MEASURE]
    page = text_of(client.get(f"/measures/{target}"))
    forms = re.findall(r'<form method="post" action="([^"]+)"([^>]*)>(.*?)</form>', page, re.S)
    updates = [(action, body) for action, attrs, body in forms if 'class="inline"' not in attrs]
    assert [action for action, _ in updates] == [f"/measures/{target}/progress"]
    [(_, body)] = updates
    for name in ("entry_date", "text", "url", "title", "status", "cancel_reason"):
        assert f'name="{name}"' in body
    assert "บันทึกความคืบหน้า" in page and "เพิ่มหลักฐาน</button>" not in page


def test_a_url_alone_is_saved_as_evidence_and_www_gets_https(app, client, srisuk, mid_year):
    login(client, "nattanipa")
    target = measure_ids(app)[BUDGET_MEASURE]
    response = update(
        client,
        target,
        url="www.srisuk.example.go.th/ita/2569/budget-report",
        title="รายงานงบประมาณ",
    )
    assert response.status_code == 302
    after = measure(app, target)
    [evidence] = after.evidence
    assert evidence.url == "https://www.srisuk.example.go.th/ita/2569/budget-report"
    assert evidence.progress_entry_id is None and after.entries == []
    assert after.status is MeasureStatus.NOT_STARTED
    assert [e.kind for e in events(app, target)][-1] == "evidence"
    page = text_of(client.get(f"/measures/{target}"))
    assert 'href="https://www.srisuk.example.go.th/ita/2569/budget-report"' in page


def test_a_status_alone_takes_effect_on_the_forms_date(app, client, srisuk, mid_year):
    login(client, "nattanipa")
    target = measure_ids(app)[BUDGET_MEASURE]
    before = counts(app, target)
    response = update(client, target, entry_date="๕/๑/๒๕๖๙", status="in_progress")
    assert response.status_code == 302
    after = measure(app, target)
    assert after.status is MeasureStatus.IN_PROGRESS and after.entries == []
    assert after.evidence == []
    last = events(app, target)[-1]
    assert (last.kind, last.new_status) == ("status", MeasureStatus.IN_PROGRESS)
    assert last.effective_date == date(2026, 1, 5)
    assert counts(app, target)[:2] == before[:2]
    page = text_of(client.get(f"/measures/{target}"))
    assert "มีผลตั้งแต่วันที่ ๕ มกราคม ๒๕๖๙" in page


def test_an_empty_update_is_refused_beside_the_text_and_saves_nothing(app, client, srisuk):
    login(client, "nattanipa")
    target = measure_ids(app)[BUDGET_MEASURE]
    before = counts(app, target)
    response = update(client, target, entry_date="1/11/2568", text="  ", url="", title="")
    assert response.status_code == 400
    page = text_of(response)
    assert field_error(page, "text") == (
        "กรุณากรอกอย่างน้อยหนึ่งอย่าง: สิ่งที่ได้ดำเนินการ URL หลักฐาน หรือสถานะใหม่"
    )
    assert 'value="1/11/2568"' in page  # the date typed stays
    assert counts(app, target) == before
    assert measure(app, target).status is MeasureStatus.NOT_STARTED


def test_a_bad_url_keeps_everything_typed_beside_its_error(app, client, srisuk, mid_year):
    login(client, "nattanipa")
    target = measure_ids(app)[BUDGET_MEASURE]
    before = counts(app, target)
    response = update(
        client,
        target,
        entry_date="10/1/2569",
        text="ประชุมชี้แจงแผนการใช้จ่าย",
        url="srisuk.example.go.th/ita",
        title="รายงานการประชุม",
        status="in_progress",
    )
    assert response.status_code == 400
    page = text_of(response)
    assert field_error(page, "url").startswith("ใช้ได้เฉพาะลิงก์เว็บไซต์")
    assert "ประชุมชี้แจงแผนการใช้จ่าย</textarea>" in page
    assert 'value="srisuk.example.go.th/ita"' in page and 'value="รายงานการประชุม"' in page
    assert re.search(r'<option selected value="in_progress">', page)
    assert counts(app, target) == before


def test_a_long_link_check_error_wraps_instead_of_widening_the_phone_page(app, client, srisuk):
    """The measure page at 390 px scrolled sideways (488 px) when a broken link's error was one
    long token: it now breaks anywhere, and the evidence table scrolls inside its own box."""
    from models import Evidence

    error = "HTTPSConnectionPool(host=srisuk.example.go.th,port=443):Max_retries_exceeded"
    target = measure_ids(app)[ASSET_MEASURE]
    with app.app_context():
        row = db.session.scalars(sa.select(Evidence).where(Evidence.measure_id == target)).first()
        row.last_checked_at, row.last_error = clock.now(), error
        db.session.commit()
    login(client, "nattanipa")
    page = text_of(client.get(f"/measures/{target}"))
    assert f'<span class="break-all">{error}</span>' in page
    evidence = page[page.index('id="evidence"') :]
    assert evidence.index('<div class="table-wrap">') < evidence.index('<table class="stack">')
