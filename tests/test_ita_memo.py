"""The analysis memo drafted from data (seed 000): its text, its frozen annex, editing it while it
is a draft, the signatures covering it, and its PDF with the charts."""

import re

import sqlalchemy as sa
from support.client import login
from support.pages import body
from test_admin_helpers import field_error, switch, textarea_value
from test_pdf_support import CHAIN, fonts, norm, pdf_text, user

from extensions import db
from models import AnalysisSnapshot, DecisionLog, DocState, DocType, Document
from workflow import audit
from workflow import documents as service

MEMO_FORM = {"criteria_on": "26/9/2567", "results_on": "15/8/2568", "directive": ""}


def draft(client, year: int = 2568, **changes) -> int:
    response = client.post_form(f"/ita/{year}/memo", {**MEMO_FORM, **changes})
    assert response.status_code == 302, body(response)
    found = re.search(r"/documents/(\d+)$", response.headers["Location"])
    return int(found.group(1))


def memo(app, doc_id: int) -> tuple[Document, dict[str, str], dict]:
    with app.app_context():
        doc = db.session.get(Document, doc_id)
        sections = {s.heading: s.body for s in doc.sections}
        data = doc.analysis_snapshot.data
        db.session.expunge_all()
        return doc, sections, data


def test_the_form_starts_from_the_catalogues_announcement_dates(app, client, srisuk):
    login(client, "nattanipa")
    html = body(client.get("/ita/2568/memo"))
    assert 'value="26/9/2567"' in html and 'value="15/8/2568"' in html


def test_one_action_drafts_the_seed_000_memo_to_the_mayor(app, client, srisuk):
    login(client, "nattanipa")
    doc_id = draft(
        client,
        directive="ตามแนวทางหนังสือสั่งการของอำเภอสำโรงทาบ จังหวัดสุรินทร์ ที่ สร 0023.23/ว 132"
        " ลงวันที่ 31 มกราคม 2568",
    )
    doc, sections, _ = memo(app, doc_id)
    assert doc.doc_type == DocType.ANALYSIS and doc.state == DocState.DRAFT
    assert doc.addressee == "นายกองค์การบริหารส่วนตำบลศรีสุข"
    assert doc.subject == (
        "รายงานผลการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ"
        " (Integrity and Transparency Assessment : ITA) ประจำปีงบประมาณ พ.ศ. 2568"
    )
    assert doc.issuing_unit == "สำนักปลัดองค์การบริหารส่วนตำบลศรีสุข โทร. 044-569109"
    assert list(sections) == ["เรื่องเดิม", "ข้อเท็จจริง", "ระเบียบ/หนังสือสั่งการ", "ข้อเสนอเพื่อพิจารณา"]
    assert sections["เรื่องเดิม"].startswith(
        "ตามที่องค์การบริหารส่วนตำบลศรีสุข ได้เข้าร่วมการประเมินคุณธรรมและความโปร่งใส"
    )
    assert "ที่ สร 0023.23/ว 132 ลงวันที่ 31 มกราคม 2568" in sections["เรื่องเดิม"]
    assert sections["เรื่องเดิม"].endswith(
        "และตามประกาศสำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ ลงวันที่ 26 กันยายน 2567 นั้น"
    )
    facts = sections["ข้อเท็จจริง"].splitlines()
    assert facts[0].endswith("ประจำปีงบประมาณ พ.ศ. 2568 ลงวันที่ 15 สิงหาคม 2568 ผลปรากฏดังนี้")
    assert facts[1] == (
        "องค์การบริหารส่วนตำบลศรีสุข ได้คะแนนรวม 93.57 คะแนน ระดับผ่านดี"
        " เพิ่มขึ้นจากปีงบประมาณ พ.ศ. 2567 จำนวน 6.13 คะแนน"
    )
    for line in (
        "(1) แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (IIT) ได้คะแนน 90.53 คะแนน",
        "1.4 ตัวชี้วัดการใช้ทรัพย์สินของราชการ คะแนนเฉลี่ย 76.31 คะแนน",
        "(2) แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก (EIT)",
        "2.1 EIT ส่วนที่ 1 ได้คะแนน 97.86 คะแนน",
        "2.1.1 ตัวชี้วัดคุณภาพการดำเนินงาน คะแนนเฉลี่ย 98.62 คะแนน",
        "2.2 EIT ส่วนที่ 2 ได้คะแนน 98.85 คะแนน",
        "(3) แบบตรวจการเปิดเผยข้อมูลสาธารณะ (OIT) ได้คะแนน 92.25 คะแนน",
        "3.1 ตัวชี้วัดการเปิดเผยข้อมูล คะแนนเฉลี่ย 84.50 คะแนน",
    ):
        assert line in facts, line
    assert (
        sections["ระเบียบ/หนังสือสั่งการ"]
        .splitlines()[1]
        .endswith("(ITA) ประจำปีงบประมาณ พ.ศ. 2568 ลงวันที่ 15 สิงหาคม 2568")
    )
    assert "จึงขอรายงานการวิเคราะห์ผล" in sections["ข้อเสนอเพื่อพิจารณา"]
    assert "ให้นายกองค์การบริหารส่วนตำบลศรีสุขทราบ" in sections["ข้อเสนอเพื่อพิจารณา"]


def test_the_memo_page_shows_the_frozen_annex_with_its_charts(app, client, srisuk):
    login(client, "nattanipa")
    doc_id = draft(client)
    page = body(client.get(f"/documents/{doc_id}"))
    assert "เอกสารแนบ: การวิเคราะห์ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. ๒๕๖๘" in page
    assert page.count('class="ita-chart ') == 2
    assert "หัวข้อ (i๑๐) เจ้าหน้าที่ในหน่วยงานของท่าน มีการขอยืมหรือขอใช้ทรัพย์สินของหน่วยงาน" in page
    assert "มาตรการปรับปรุงแนวปฏิบัติการใช้ทรัพย์สินของทางราชการ" in page  # the 2569 plan
    assert f"/ita/documents/{doc_id}/analysis" in page


def test_the_drafter_edits_the_analysis_texts_and_a_refresh_keeps_them(app, client, srisuk):
    login(client, "nattanipa")
    doc_id = draft(client)
    html = body(client.get(f"/ita/documents/{doc_id}/analysis"))
    assert textarea_value(html, "weakness_4").startswith("หัวข้อ (i10)")
    form = {f"{kind}_{n}": "" for n in range(1, 11) for kind in ("strength", "weakness")}
    _, _, data = memo(app, doc_id)
    for row in data["indicators"]:
        form[f"strength_{row['number']}"] = row["strength"]
        form[f"weakness_{row['number']}"] = row["weakness"]
    form["weakness_4"] = "ปรับปรุงคู่มือการยืมทรัพย์สินและตรวจนับครุภัณฑ์ทุกไตรมาส"
    assert client.post_form(f"/ita/documents/{doc_id}/analysis", form).status_code == 302
    _, _, data = memo(app, doc_id)
    four = data["indicators"][3]
    assert four["weakness"] == "ปรับปรุงคู่มือการยืมทรัพย์สินและตรวจนับครุภัณฑ์ทุกไตรมาส"
    assert four["edited"] is True
    assert "edited" not in data["indicators"][0]
    client.post_form("/ita/2568/edit", {"s_ITA": "93.57", "s_IIT": "90.53", "s_4": "80.00",
                                        "announced_on": ""})  # fmt: skip
    assert client.post_form(f"/ita/documents/{doc_id}/refresh").status_code == 302
    _, sections, data = memo(app, doc_id)
    assert data["indicators"][3]["score"] == "80.00"
    assert data["indicators"][3]["weakness"] == four["weakness"]  # the drafter's text stays
    assert "1.4 ตัวชี้วัดการใช้ทรัพย์สินของราชการ คะแนนเฉลี่ย 80.00 คะแนน" in sections["ข้อเท็จจริง"]


def test_an_overlong_text_is_refused_beside_its_field_and_nothing_changes(app, client, srisuk):
    login(client, "nattanipa")
    doc_id = draft(client)
    _, _, before = memo(app, doc_id)
    response = client.post_form(f"/ita/documents/{doc_id}/analysis", {"strength_1": "ก" * 5001})
    assert response.status_code == 400
    assert field_error(body(response), "strength_1") == "ยาวได้ไม่เกิน 5,000 ตัวอักษร"
    assert memo(app, doc_id)[2] == before


def test_the_signatures_cover_the_annex_and_it_is_frozen_once_submitted(app, client, srisuk):
    login(client, "nattanipa")
    doc_id = draft(client)
    with app.app_context():
        doc = db.session.get(Document, doc_id)
        digest = audit.content_digest(doc)
        snapshot = db.session.get(AnalysisSnapshot, doc_id)
        snapshot.data = {**snapshot.data, "org_name": "เปลี่ยน"}
        assert audit.content_digest(doc) != digest
        db.session.rollback()
    assert client.post_form(f"/documents/{doc_id}/submit").status_code == 302
    _, _, frozen = memo(app, doc_id)
    assert client.post_form(f"/ita/documents/{doc_id}/refresh").status_code == 403
    assert (
        client.post_form(f"/ita/documents/{doc_id}/analysis", {"strength_1": "x"}).status_code
        == 403
    )
    assert client.get(f"/ita/documents/{doc_id}/analysis").status_code == 403
    with app.app_context():
        for username, decision, comment in CHAIN:
            service.decide(doc_id, user(username), decision=decision, comment=comment)
            db.session.commit()
        rows = db.session.scalars(
            sa.select(DecisionLog).where(DecisionLog.document_id == doc_id)
        ).all()
        assert db.session.get(Document, doc_id).state == DocState.APPROVED
        assert len({r.content_sha256 for r in rows}) == 1  # everyone signed the same annex
    assert memo(app, doc_id)[2] == frozen


def test_the_pdf_carries_the_analysis_annexes_and_charts_in_th_sarabun(app, client, srisuk):
    login(client, "nattanipa")
    doc_id = draft(client)
    response = client.get(f"/documents/{doc_id}/pdf")
    assert response.status_code == 200
    printed = pdf_text(response.data)
    for expected in (
        "ผลการประเมินITAประจำปีงบประมาณพ.ศ.๒๕๖๘",
        "คะแนนรวม๙๓.๕๗คะแนนระดับผ่านดี(เทียบกับปี๒๕๖๗:+๖.๑๓)",
        "หัวข้อ(i๑๐)เจ้าหน้าที่ในหน่วยงานของท่านมีการขอยืมหรือขอใช้ทรัพย์สินของหน่วยงาน",
        "เกณฑ์ผ่าน(๘๕)",  # the 85 line's name, in the chart's legend
        "ระดับดีเยี่ยม",
        "มาตรการปรับปรุงแนวปฏิบัติการใช้ทรัพย์สินของทางราชการ",
    ):
        assert norm(expected) in printed, expected
    assert set(fonts(response.data)) == {"TH-Sarabun-New", "TH-Sarabun-New-Bold"}  # even in SVG
    assert all(fonts(response.data).values())


def test_drafting_is_refused_for_a_year_without_results(app, client, srisuk):
    login(client, "nattanipa")
    with app.app_context():
        before = db.session.scalar(sa.select(sa.func.count(Document.id)))
    response = client.post_form("/ita/2566/memo", MEMO_FORM)
    assert response.status_code == 400
    assert "ยังไม่ได้บันทึกผลการประเมิน ITA ปีงบประมาณ พ.ศ. ๒๕๖๖" in body(response)
    response = client.post_form("/ita/2568/memo", {**MEMO_FORM, "directive": "ก" * 501})
    assert response.status_code == 400
    assert field_error(body(response), "directive") == "ยาวได้ไม่เกิน 500 ตัวอักษร"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Document.id))) == before


def test_other_people_see_the_memo_only_once_it_is_submitted(app, client, srisuk):
    login(client, "nattanipa")
    doc_id = draft(client)
    switch(client, "chuttikan")
    assert client.get(f"/documents/{doc_id}").status_code == 403
    assert client.get(f"/ita/documents/{doc_id}/analysis").status_code == 403
    year = body(client.get("/ita/2568"))
    assert f"/documents/{doc_id}" not in year


def test_drafting_a_second_analysis_memo_for_a_year_warns_and_links_the_open_one(
    app, client, srisuk
):
    login(client, "nattanipa")
    assert 'id="open-memos"' not in body(client.get("/ita/2568/memo"))
    first = draft(client)
    warning = body(client.get("/ita/2568/memo"))
    assert 'id="open-memos"' in warning and f'href="/documents/{first}"' in warning
    assert 'id="open-memos"' not in body(client.get("/ita/2567/memo"))  # another year
    switch(client, "thanyarat")  # she may not open the drafter's draft: no warning, no link
    assert f'href="/documents/{first}"' not in body(client.get("/ita/2568/memo"))
