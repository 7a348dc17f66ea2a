"""The guided first run: each set-up step's state with its page and the demo as the example, the
banner on the home page while it is incomplete, and the organisation's target working days."""

import sqlalchemy as sa
from support.client import login
from support.pages import text
from test_reports_helpers import field_error, rows_of

import clock
import thai
from extensions import db
from models import ChainStep, Organisation, OrgKind, User


def new_organisation(app) -> None:
    """An organisation just created with `flask create-org`: its admin and nothing else."""
    with app.app_context():
        org = Organisation(name="องค์การบริหารส่วนตำบลเริ่มใหม่", kind=OrgKind.SAO)
        admin = User(organisation=org, username="new_admin", title="นาย", full_name="ผู้ดูแล ใหม่",
                     is_admin=True)  # fmt: skip
        admin.set_password("new-admin-pass")
        db.session.add_all([org, admin])
        db.session.commit()


def step(html: str, key: str) -> str:
    start = html.index(f'id="step-{key}"')
    return html[start : html.index("</li>", start)]


def test_a_new_organisation_sees_every_step_to_do_with_its_page_and_the_example(app, client):
    new_organisation(app)
    login(client, "new_admin", "new-admin-pass")
    html = text(client.get("/setup/"))
    for key, page in [
        ("units", "/admin/units"),
        ("positions", "/admin/positions"),
        ("people", "/admin/people"),
        ("chains", "/admin/chains"),
        ("rounds", "/reports/rounds"),
        ("garuda", "/pdf/garuda"),
    ]:
        found = step(html, key)
        assert "ยังไม่เสร็จ" in found, key
        assert f'href="{page}"' in found, key
        assert "ตัวอย่าง อบต.ศรีสุข" in found, key
    assert "ยังไม่ได้กำหนด: บันทึกรายงานผลการวิเคราะห์ ITA" in step(html, "chains")
    assert "ขอให้ผู้ดูแลระบบ" in html and "flask" not in html


def test_no_page_tells_its_reader_to_run_a_server_command():
    """Users ask the system's administrator; commands belong in the README and docs."""
    from pathlib import Path

    templates = Path(__file__).resolve().parent.parent / "templates"
    offenders = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if "flask " in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_the_demo_has_done_everything_but_the_garuda_and_the_signatures(app, client, srisuk):
    login(client, "admin")
    html = text(client.get("/setup/"))
    for key in ("units", "positions", "people", "chains"):
        assert "เรียบร้อย" in step(html, key), key
    assert "ยังไม่เสร็จ" in step(html, "garuda")
    signatures = step(html, "signatures")
    assert "ทำเมื่อพร้อม" in signatures and "นางชุตติกาญจน์ คงสุข" in signatures
    assert "ตั้งค่าครบทุกขั้นที่จำเป็นแล้ว" not in html
    with app.app_context():
        db.session.get(Organisation, srisuk.org_id).garuda_key = "garuda-test"
        db.session.commit()
    client.get("/reports/rounds")  # opening the page checks nothing
    assert "ตั้งค่าครบทุกขั้นที่จำเป็นแล้ว" not in text(client.get("/setup/"))
    year = thai.fiscal_year(clock.today())
    client.post_form(f"/reports/{year}/rounds/confirm")  # the admin confirms this year's rounds
    assert "ตั้งค่าครบทุกขั้นที่จำเป็นแล้ว" in text(client.get("/setup/"))


def test_a_missing_chain_is_named(app, client, srisuk):
    with app.app_context():
        db.session.execute(sa.delete(ChainStep).where(ChainStep.doc_type == "general"))
        db.session.commit()
    login(client, "admin")
    chains = step(text(client.get("/setup/")), "chains")
    assert "ยังไม่ได้กำหนด: บันทึกข้อความทั่วไป" in chains


def test_only_admins_open_the_first_run(app, client, srisuk):
    login(client, "chuttikan")
    assert client.get("/setup/").status_code == 403
    before = rows_of(app)
    assert client.post_form("/setup/", {"days": "9"}).status_code == 403
    assert rows_of(app) == before


def test_the_admin_sets_the_target_in_working_days(app, client, srisuk):
    login(client, "admin")
    assert client.post_form("/setup/", {"days": "๕"}).status_code == 302
    with app.app_context():
        assert db.session.get(Organisation, srisuk.org_id).target_working_days == 5
    for bad in ("0", "31", "สาม"):
        html = text(client.post_form("/setup/", {"days": bad}), 400)
        assert field_error(html, "days"), bad
    with app.app_context():
        assert db.session.get(Organisation, srisuk.org_id).target_working_days == 5
