"""Memo pages show numbers in the organisation's digits like the pages around them: the subject
in the list of my memos and in the admin's register, and the size limit of an upload."""

import sqlalchemy as sa
from support.client import login
from test_admin_helpers import switch

import clock
import thai
from extensions import db
from models import Organisation

YEAR_IN_SUBJECT = "พ.ศ. ๒๕๖๘"  # the demo memo's subject ends "ประจำปีงบประมาณ พ.ศ. 2568"


def arabic_digits(app) -> None:
    with app.app_context():
        db.session.scalars(sa.select(Organisation)).one().thai_digits = False
        db.session.commit()


def test_my_memos_list_the_subject_in_thai_digits(client, srisuk):
    login(client, "nattanipa")
    page = client.get("/documents/mine").get_data(as_text=True)
    assert YEAR_IN_SUBJECT in page


def test_my_memos_keep_arabic_digits_where_the_organisation_chose_them(app, client, srisuk):
    arabic_digits(app)
    login(client, "nattanipa")
    page = client.get("/documents/mine").get_data(as_text=True)
    assert "พ.ศ. 2568" in page and YEAR_IN_SUBJECT not in page


def test_the_register_and_the_renumber_page_show_the_subject_in_thai_digits(client, srisuk):
    login(client, "nattanipa")
    assert client.post_form(f"/documents/{srisuk.memo_id}/submit").status_code == 302
    switch(client, "admin")
    year = thai.fiscal_year(clock.today())
    assert YEAR_IN_SUBJECT in client.get(f"/admin/numbers/{year}").get_data(as_text=True)
    page = client.get(f"/admin/documents/{srisuk.memo_id}/number").get_data(as_text=True)
    assert YEAR_IN_SUBJECT in page


def test_the_upload_hint_tells_the_size_limit_in_the_pages_digits(app, client, srisuk):
    login(client, "nattanipa")
    page = client.get(f"/documents/{srisuk.memo_id}").get_data(as_text=True)
    assert "PDF, รูปภาพ, Word หรือ Excel ขนาดไม่เกิน ๑๐ MB" in page
    arabic_digits(app)
    page = client.get(f"/documents/{srisuk.memo_id}").get_data(as_text=True)
    assert "PDF, รูปภาพ, Word หรือ Excel ขนาดไม่เกิน 10 MB" in page
