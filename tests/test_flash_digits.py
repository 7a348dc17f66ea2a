"""Flash messages follow the organisation's digit setting like the page around them; hashes,
codes, URLs and the markup of a message with a link are never converted."""

import re

import sqlalchemy as sa
from flask import render_template_string
from markupsafe import Markup
from support.client import login

from extensions import db
from models import Organisation


def flash_of(html: str) -> str:
    match = re.search(r'<div class="flash flash-success"[^>]*>(.*?)</div>', html, re.S)
    assert match, "no success message on the page"
    return match.group(1)


def submit_seed_memo(client, memo_id: int) -> str:
    login(client, "nattanipa")
    response = client.post_form(f"/documents/{memo_id}/submit", follow_redirects=True)
    return flash_of(response.get_data(as_text=True))


def test_a_flash_uses_thai_digits_where_the_organisation_chose_them(client, srisuk):
    message = submit_seed_memo(client, srisuk.memo_id)
    assert re.search(r"เสนอเรื่องแล้ว เลขที่ สร ๘๓๒๐๑/[๐-๙]+ รอ", message), message
    assert not re.search(r"[0-9]", message)


def test_a_flash_keeps_arabic_digits_where_the_organisation_chose_them(app, client, srisuk):
    with app.app_context():
        org = db.session.scalars(sa.select(Organisation)).one()
        org.thai_digits = False
        db.session.commit()
    message = submit_seed_memo(client, srisuk.memo_id)
    assert re.search(r"เลขที่ สร 83201/[0-9]+ รอ", message), message


def test_codes_hashes_urls_and_markup_inside_a_message_stay_as_they_are(app):
    sha = "278aed0c5b1f94e3a2d7c6b8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8"
    with app.test_request_context():
        plain = render_template_string(
            "{{ m|digits }}", m=f"แนบ 2 ไฟล์ SHA-256 {sha} ดูที่ https://example.go.th/p/12"
        )
        linked = render_template_string(
            "{{ m|digits }}",
            m=Markup('มีรายงานรอบที่ 3 อยู่แล้ว &#34;ร่าง&#34; <a href="/documents/12">เปิด</a>'),
        )
        named = render_template_string(
            "{{ m|digits }}",
            m=Markup('แนบ <span class="verbatim">{}</span> แล้ว 2 ไฟล์').format("ITA 2568 (1).pdf"),
        )
    assert plain == f"แนบ ๒ ไฟล์ SHA-256 {sha} ดูที่ https://example.go.th/p/12"
    # A file's name stays as the page lists it.
    assert named == 'แนบ <span class="verbatim">ITA 2568 (1).pdf</span> แล้ว ๒ ไฟล์'

    assert linked == 'มีรายงานรอบที่ ๓ อยู่แล้ว &#34;ร่าง&#34; <a href="/documents/12">เปิด</a>'
