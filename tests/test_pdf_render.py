"""The seed 000 memo as the official PDF: its parts, its chain, its font, its digits, its pages."""

import re
import subprocess
import sys
from pathlib import Path

from support.client import login
from support.pages import decide
from test_pdf_support import (
    CHAIN,
    approve,
    fonts,
    image_count,
    norm,
    page_texts,
    pdf_text,
    png,
    user,
)
from test_pdf_support import raw_text as raw

import storage
from extensions import db
from models import Document, Organisation
from pdf import freeze
from pdf.data import memo_data
from pdf.render import render_pdf

ORG = "องค์การบริหารส่วนตำบลศรีสุข"
HEADER = [
    "บันทึกข้อความ",
    f"ส่วนราชการ สำนักปลัด{ORG} โทร. ๐๔๔-๕๖๙๑๐๙",
    "ที่ สร ๘๓๒๐๑/๑๑๘๐",
    "วันที่ ๒๗ ตุลาคม ๒๕๖๘",
    "เรื่อง รายงานผลการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส",
    f"เรียน นายก{ORG}",
]
# Seed 000: the drafter's block, then one block per step; the section head signs as acting.
BLOCKS_IN_ORDER = [
    "จึงเรียนมาเพื่อโปรดพิจารณา",
    "(ลงชื่อ)",
    "(นางณัฐนิภา แสงมณี)",
    "ผู้ช่วยนักวิเคราะห์นโยบายและแผน",
    "- ความเห็นหัวหน้าสำนักปลัด",
    "เห็นควรเสนอเพื่อโปรดพิจารณา",
    "ได้ตรวจสอบแล้ว",
    "(นางธัญญารัตน์ โคนุช)",
    "หัวหน้าฝ่ายบริหารงานทั่วไป รักษาราชการแทน",
    "หัวหน้าสำนักปลัด",
    f"- ความเห็นปลัด{ORG}",
    "เห็นควรอนุมัติตามเสนอ",
    "(นางชุตติกาญจน์ คงสุข)",
    f"ปลัด{ORG}",
    f"- ความเห็นของนายก{ORG}",
    "อนุมัติตามเสนอ",
    "(นายนครินทร์ สมัญญา)",
    f"นายก{ORG}",
]


def in_order(text: str, parts: list[str]) -> bool:
    at = 0
    for part in parts:
        found = text.find(norm(part), at)
        if found < 0:
            raise AssertionError(f"{part!r} missing or out of order")
        at = found + len(norm(part))
    return True


def thai_number(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))


def test_seed_memo_approved_through_the_pages_prints_as_in_seed_000(app, client, srisuk):
    memo = srisuk.memo_id
    login(client, "nattanipa")
    assert client.post_form(f"/documents/{memo}/submit").status_code == 302
    for username, decision, comment in CHAIN:
        client.post_form("/logout")
        login(client, username)
        assert decide(client, memo, decision, comment).status_code == 302

    response = client.get(f"/documents/{memo}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = response.data
    pages = page_texts(pdf)
    assert all(norm(part) in pages[0] for part in HEADER)
    assert in_order(pdf_text(pdf), BLOCKS_IN_ORDER)
    assert "ฉบับร่าง" not in pdf_text(pdf)


def test_the_font_is_the_bundled_th_sarabun_embedded_with_no_fallback(app, srisuk, ctx):
    approve(srisuk.memo_id)
    pdf = freeze.document_pdf(srisuk.memo_id, user("nakarin")).data
    used = fonts(pdf)
    assert set(used) == {"TH-Sarabun-New", "TH-Sarabun-New-Bold"}, used
    assert all(used.values()), "every font is embedded"


def test_digits_are_thai_and_pages_are_numbered_from_page_two(app, srisuk, ctx):
    approve(srisuk.memo_id)
    pdf = freeze.document_pdf(srisuk.memo_id, user("nakarin")).data
    pages = page_texts(pdf)
    assert len(pages) >= 2
    assert "-๑-" not in pages[0]
    for number, text in enumerate(pages[1:], start=2):
        assert f"-{thai_number(number)}-" in text
    # Outside the footer's verification address, no Arabic digit is printed.
    printed = [line for line in raw(pdf).splitlines() if "/v/" not in line]
    assert not [line for line in printed if re.search(r"[0-9]", line)]


def test_an_organisation_may_print_arabic_digits(app, srisuk, ctx):
    db.session.get(Organisation, srisuk.org_id).thai_digits = False
    db.session.commit()
    approve(srisuk.memo_id)
    pdf = freeze.document_pdf(srisuk.memo_id, user("nakarin")).data
    pages = page_texts(pdf)
    assert norm("ที่ สร 83201/1180") in pages[0] and norm("วันที่ 27 ตุลาคม 2568") in pages[0]
    assert "-2-" in pages[1]
    assert "๘๓๒๐๑" not in pdf_text(pdf)


def test_a_draft_is_marked_and_shows_the_chain_it_will_climb(app, client, srisuk):
    login(client, "nattanipa")
    response = client.get(f"/documents/{srisuk.memo_id}/pdf")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    text = pdf_text(response.data)
    assert norm("ฉบับร่าง – ยังไม่ได้รับอนุมัติ") in text and norm("ร่าง") in text
    assert in_order(
        text,
        [
            "(นางณัฐนิภา แสงมณี)",
            "- ความเห็นหัวหน้าสำนักปลัด",
            f"- ความเห็นปลัด{ORG}",
            f"- ความเห็นของนายก{ORG}",
        ],
    )
    assert norm("(ลงชื่อ) (นางณัฐนิภา") in text  # not signed yet: the line is left blank


def test_a_memo_under_review_is_marked_with_its_state_and_blank_steps(app, client, srisuk):
    memo = srisuk.memo_id
    login(client, "nattanipa")
    client.post_form(f"/documents/{memo}/submit")
    client.post_form("/logout")
    login(client, "thanyarat")
    decide(client, memo, "เห็นควรเสนอเพื่อโปรดพิจารณา", "ได้ตรวจสอบแล้ว")
    text = pdf_text(client.get(f"/documents/{memo}/pdf").data)
    assert norm("ฉบับร่าง – ยังไม่ได้รับอนุมัติ (สถานะ: อยู่ระหว่างพิจารณา)") in text
    assert in_order(text, ["(นางธัญญารัตน์ โคนุช)", f"- ความเห็นปลัด{ORG}", "(ลงชื่อ) ("])


def test_images_are_printed_when_uploaded_and_the_layout_holds_without(app, srisuk, ctx):
    doc = db.session.get(Document, srisuk.memo_id)
    without = render_pdf(memo_data(doc))
    assert image_count(without) == 0
    assert norm("บันทึกข้อความ") in page_texts(without)[0]

    doc.organisation.garuda_key = storage.save(png())
    doc.drafter.signature_key = storage.save(png())
    db.session.commit()
    approve(srisuk.memo_id)
    pdf = freeze.document_pdf(srisuk.memo_id, user("nakarin")).data
    assert image_count(pdf) == 2  # the emblem on page 1, the drafter's signature on page 2
    assert norm("(นางณัฐนิภา แสงมณี)") in pdf_text(pdf)


def test_a_step_kept_from_before_a_revision_is_printed_with_a_note(app, srisuk, ctx):
    from workflow import documents as service

    memo = srisuk.memo_id
    service.submit(memo, user("nattanipa"))
    service.decide(memo, user("thanyarat"), decision="เห็นควรเสนอเพื่อโปรดพิจารณา")
    service.return_for_revision(memo, user("chuttikan"), reason="แก้ตัวเลข", resume_here=True)
    service.submit(memo, user("nattanipa"))
    service.decide(memo, user("chuttikan"), decision="เห็นควรอนุมัติ")
    service.decide(memo, user("nakarin"), decision="อนุมัติ")
    db.session.commit()
    text = pdf_text(freeze.document_pdf(memo, user("nakarin")).data)
    assert in_order(text, ["(นางธัญญารัตน์ โคนุช)", "ลงความเห็นไว้ในฉบับก่อนแก้ไข", "(นางชุตติกาญจน์ คงสุข)"])


def test_the_draft_watermark_is_the_fonts_own_outlines_of_rang():
    """templates/pdf/print/draft.svg is what tools/build_watermark.py draws from the bundled
    bold font now, so a change to the font redraws it rather than leaving an old shape."""
    tool = Path(__file__).resolve().parent.parent / "tools" / "build_watermark.py"
    done = subprocess.run([sys.executable, str(tool), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
