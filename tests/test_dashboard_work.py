"""My work: drafts, returned memos with the reason first, my own memos in review, the measures I
answer for with their next update and the one-form progress update, my notifications."""

import sqlalchemy as sa
from support.client import login
from support.pages import text
from test_reports_helpers import field_error, rows_of, switch

from extensions import db
from models import Evidence, Measure, MeasurePlan, MeasureStatus, Notification, ProgressEntry, User

NO_GIFT = "กิจกรรมส่งเสริมคุณธรรมและสร้างวัฒนธรรม No Gift Policy"
WORKS_ONLY = "มาตรการพัฒนาช่องทางการสื่อสาร"  # สำนักปลัด only: not a กองคลัง person's


def measure_id(app, title: str, year: int = 2570) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(Measure.id)
            .join(MeasurePlan, MeasurePlan.id == Measure.plan_id)
            .where(Measure.title == title, MeasurePlan.fiscal_year == year)
        )


def test_my_work_lists_my_draft_my_measures_and_notifications(app, client, srisuk):
    with app.app_context():
        nattanipa = db.session.scalars(sa.select(User).where(User.username == "nattanipa")).one()
        db.session.add(Notification(org_id=srisuk.org_id, user_id=nattanipa.id, kind="test",
                                    title="มาตรการยังไม่ได้รายงานความก้าวหน้า"))  # fmt: skip
        db.session.commit()
    login(client, "nattanipa")
    html = text(client.get("/my"))
    drafts = html[html.index('id="drafts"') : html.index('id="measures"')]
    assert "รายงานผลการวิเคราะห์ผลการประเมินคุณธรรม" in drafts
    measures = html[html.index('id="measures"') : html.index('id="notifications"')]
    assert NO_GIFT in measures  # her unit, สำนักปลัด, answers for it
    assert "กำหนดส่ง" in measures and "บันทึกความคืบหน้า" in measures
    assert "มาตรการส่งเสริมการเปิดเผยข้อมูลต่อสาธารณะ" not in measures  # กองคลัง only
    assert "มาตรการยังไม่ได้รายงานความก้าวหน้า" in html[html.index('id="notifications"') :]


def test_the_one_form_update_records_what_was_done_the_evidence_and_the_status(app, client, srisuk):
    target = measure_id(app, NO_GIFT)
    login(client, "nattanipa")
    response = client.post_form(
        f"/my/measures/{target}/progress",
        {
            f"m{target}-entry_date": "๑๖/๑๑/๒๕๖๙",
            f"m{target}-text": "จัดกิจกรรมประกาศเจตนารมณ์",
            f"m{target}-url": "https://srisuk.example.go.th/ita/2570/no-gift-activity",
            f"m{target}-title": "ภาพกิจกรรม",
            f"m{target}-status": "done",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/my#measure-{target}"
    assert "บันทึกความคืบหน้าแล้ว" in text(client.get("/my"))
    with app.app_context():
        measure = db.session.get(Measure, target)
        assert measure.status == MeasureStatus.DONE
        entry = next(e for e in measure.entries if e.text == "จัดกิจกรรมประกาศเจตนารมณ์")
        evidence = measure.evidence[-1]
        assert evidence.url.endswith("/2570/no-gift-activity")
        assert evidence.progress_entry_id == entry.id


def test_a_refused_update_keeps_the_form_with_its_errors_and_saves_nothing(app, client, srisuk):
    target = measure_id(app, NO_GIFT)
    login(client, "nattanipa")
    before = rows_of(app)
    html = text(
        client.post_form(
            f"/my/measures/{target}/progress",
            {f"m{target}-entry_date": "16/11/2569", f"m{target}-text": "ทำแล้ว",
             f"m{target}-url": "ftp://example.go.th/x", f"m{target}-title": "ไฟล์"},
        ),
        400,
    )  # fmt: skip
    assert field_error(html, f"m{target}-url").startswith("ใช้ได้เฉพาะลิงก์เว็บไซต์")
    assert "ทำแล้ว" in html  # what was typed stays
    html = text(client.post_form(f"/my/measures/{target}/progress", {}), 400)
    assert field_error(html, f"m{target}-entry_date") == "กรุณาระบุวันที่ดำเนินการ"
    nothing = {f"m{target}-entry_date": "16/11/2569", f"m{target}-status": ""}
    html = text(client.post_form(f"/my/measures/{target}/progress", nothing), 400)
    assert field_error(html, f"m{target}-text").startswith("กรุณากรอกอย่างน้อยหนึ่งอย่าง")
    assert rows_of(app) == before


def test_only_those_who_answer_for_a_measure_update_it(app, client, srisuk):
    target = measure_id(app, WORKS_ONLY)
    with app.app_context():  # a clerk of กองคลัง
        finance = db.session.scalar(sa.text("SELECT id FROM units WHERE name = 'กองคลัง'"))
        clerk = User(org_id=srisuk.org_id, username="finance_clerk", title="นาย",
                     full_name="เจ้าหน้าที่ การเงิน", unit_id=finance)  # fmt: skip
        clerk.set_password("finance-pass-1")
        db.session.add(clerk)
        db.session.commit()
    login(client, "finance_clerk", "finance-pass-1")
    assert WORKS_ONLY not in text(client.get("/my"))
    data = {f"m{target}-entry_date": "16/11/2569", f"m{target}-text": "ทำแล้ว"}
    assert client.post_form(f"/my/measures/{target}/progress", data).status_code == 403
    with app.app_context():
        assert not db.session.scalars(
            sa.select(ProgressEntry).where(ProgressEntry.measure_id == target)
        ).all()
        assert not db.session.scalars(
            sa.select(Evidence).where(Evidence.measure_id == target)
        ).all()


def test_my_memo_in_review_shows_where_it_waits(app, client, srisuk):
    login(client, "nattanipa")
    client.post_form(f"/documents/{srisuk.memo_id}/submit")
    html = text(client.get("/my"))
    in_review = html[html.index('id="in-review"') :]
    assert "รายงานผลการวิเคราะห์" in in_review and "หัวหน้าสำนักปลัด" in in_review
    switch(client, "chuttikan")  # no unit measures of her own? the executives are named
    assert "มาตรการกำกับดูแลการใช้อำนาจตามประมวลจริยธรรม" in text(client.get("/my"))
