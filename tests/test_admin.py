"""The organisation admin area: who may enter it, the home page and the organisation settings."""

import pytest
import sqlalchemy as sa
from flask import url_for
from support.client import login
from support.pages import body
from test_admin_helpers import (
    as_admin,
    field_error,
    input_value,
    is_checked,
    load,
    other_org,
    snapshot,
    switch,
)

import clock
import thai
from extensions import db
from models import (
    ActingAssignment,
    ChainStep,
    DocType,
    Document,
    Organisation,
    OrgKind,
    Position,
    Unit,
    User,
)


def own_ids(app, srisuk) -> dict:
    """One record of อบต.ศรีสุข for every id the admin URLs take."""
    with app.app_context():
        first = {
            model: db.session.scalar(
                sa.select(model.id).where(model.org_id == srisuk.org_id).order_by(model.id)
            )
            for model in (Unit, Position, User, ChainStep, ActingAssignment)
        }
    return {
        "unit_id": first[Unit],
        "position_id": first[Position],
        "user_id": first[User],
        "step_id": first[ChainStep],
        "assignment_id": first[ActingAssignment],
        "doc_id": srisuk.memo_id,
        "doc_type": DocType.ANALYSIS.value,
        "fiscal_year": thai.fiscal_year(clock.today()),
    }


def admin_urls(app, ids: dict, method: str, only_with_ids: bool = False) -> list[str]:
    """Every admin URL answering `method`, with the given ids filled in."""
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            wanted = rule.endpoint.startswith("admin.") and method in rule.methods
            fillable = all(arg in ids for arg in rule.arguments)
            if wanted and fillable and (rule.arguments or not only_with_ids):
                urls.append(url_for(rule.endpoint, **{a: ids[a] for a in rule.arguments}))
    assert urls
    return sorted(urls)


def submit_memo(client, srisuk):
    switch(client, "nattanipa")
    assert client.post_form(f"/documents/{srisuk.memo_id}/submit").status_code == 302


def test_every_admin_page_opens_for_the_admin(app, client, srisuk):
    submit_memo(client, srisuk)  # so the memo has a number to fix
    switch(client, "admin")
    for url in admin_urls(app, own_ids(app, srisuk), "GET"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'aria-label="เมนูตั้งค่าองค์กร"' in body(response), url


def test_people_who_are_not_admins_get_403_everywhere_and_change_nothing(app, client, srisuk):
    submit_memo(client, srisuk)
    ids = own_ids(app, srisuk)
    before = snapshot(app)
    for url in admin_urls(app, ids, "GET"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "หน้านี้สำหรับผู้ดูแลระบบขององค์กรเท่านั้น" in body(response)
    for url in admin_urls(app, ids, "POST"):
        response = client.post_form(url, {"name": "ถูกแก้", "title": "ถูกแก้", "next_seq": "9000"})
        assert response.status_code == 403, url
    assert snapshot(app) == before


def test_another_organisations_records_do_not_exist_for_this_admin(app, client, srisuk):
    other = other_org(app)
    as_admin(client)
    before = snapshot(app)
    ids = other.url_ids()
    for url in admin_urls(app, ids, "GET", only_with_ids=True):
        assert client.get(url).status_code == 404, url
    for url in admin_urls(app, ids, "POST", only_with_ids=True):
        response = client.post_form(url, {"name": "ถูกแก้", "title": "ถูกแก้", "number_seq": "5"})
        assert response.status_code == 404, url
    assert snapshot(app) == before


@pytest.mark.parametrize("url", ["/admin/chains/memo/steps/new", "/admin/numbers/12"])
def test_unknown_document_types_and_years_are_404(app, client, srisuk, url):
    as_admin(client)
    assert client.get(url).status_code == 404


def test_home_page_counts_each_part_of_the_set_up(app, client, srisuk):
    as_admin(client)
    page = body(client.get("/admin/"))
    for link in (
        "/admin/organisation",
        "/admin/units",
        "/admin/positions",
        "/admin/people",
        "/admin/chains",
        "/admin/acting",
        "/admin/numbers",
    ):
        assert f'href="{link}"' in page
    assert "๔</span> หน่วยงาน" in page  # four units, in Thai digits as the org prefers
    assert "๕</span> คนที่ใช้งานอยู่" in page
    assert "๑</span> รายการที่มีผลวันนี้" in page
    assert 'ใช้ถึงเลขที่ <span class="count">๑๑๗๙</span>' in page


def test_the_admin_link_shows_only_for_admins(app, client, srisuk):
    login(client, "nattanipa")
    assert 'href="/admin/"' not in body(client.get("/documents/pending"))
    switch(client, "admin")
    assert 'href="/admin/"' in body(client.get("/documents/pending"))


def settings(**changes) -> dict:
    data = {
        "name": "องค์การบริหารส่วนตำบลศรีสุข",
        "kind": "sao",
        "district": "สำโรงทาบ",
        "province": "สุรินทร์",
        "phone": "044-569109",
        "doc_prefix": "สร 83201",
        "thai_digits": "y",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_settings_store_a_prefix_typed_in_thai_digits_with_arabic_digits(app, client, srisuk):
    as_admin(client)
    assert is_checked(body(client.get("/admin/organisation")), "thai_digits")
    response = client.post_form(
        "/admin/organisation",
        settings(doc_prefix="สร ๘๓๒๐๒", phone="๐๔๔-๕๖๙๑๑๐", kind="municipality", thai_digits=None),
    )
    assert response.status_code == 302
    org = load(app, Organisation, srisuk.org_id)
    assert (org.doc_prefix, org.phone, org.kind, org.thai_digits) == (
        "สร 83202",
        "044-569110",
        OrgKind.MUNICIPALITY,
        False,
    )
    page = body(client.get("/admin/organisation"))
    assert input_value(page, "doc_prefix") == "สร 83202"
    assert not is_checked(page, "thai_digits")


def test_new_prefix_applies_to_memos_submitted_afterwards(app, client, srisuk):
    as_admin(client)
    client.post_form("/admin/organisation", settings(doc_prefix="สร ๘๓๒๐๒"))
    submit_memo(client, srisuk)
    assert load(app, Document, srisuk.memo_id).number == "สร 83202/1180"


def test_settings_refuse_an_empty_name_and_show_what_was_typed(app, client, srisuk):
    as_admin(client)
    before = snapshot(app)
    response = client.post_form("/admin/organisation", settings(name="  ", district="ปราสาท"))
    page = body(response)
    assert response.status_code == 400
    assert field_error(page, "name") == "กรุณากรอกข้อมูลช่องนี้"
    assert input_value(page, "district") == "ปราสาท"
    assert snapshot(app) == before


def test_settings_refuse_the_name_of_another_organisation(app, client, srisuk):
    other_org(app)
    as_admin(client)
    before = snapshot(app)
    response = client.post_form("/admin/organisation", settings(name="เทศบาลตำบลหนองบัว"))
    assert response.status_code == 400
    assert field_error(body(response), "name") == "มีองค์กรชื่อนี้ในระบบแล้ว"
    assert snapshot(app) == before
