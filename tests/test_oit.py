"""The season's journey and the OIT board: a new organisation enters its ITA 2569 results, drafts
and approves the analysis memo with its 2570 measures, publishes it; the board shows O25 filled and
linked to the public address an anonymous visitor opens; a dead evidence link shows as broken
after the link check; the executive home shows readiness."""

import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from support.client import login
from support.factories import make_chain, make_user
from support.pages import decide, logout
from test_pdf_support import CHAIN

import linkcheck
from extensions import db
from linkcheck import safety
from models import (
    Action,
    DecisionLog,
    DocState,
    DocType,
    Document,
    OitEvidence,
    OitItem,
    Organisation,
    Position,
    Publication,
    ReportRound,
    Rhythm,
    RoundKind,
    Unit,
    User,
)
from workflow.measures.editing import MeasureInput, create_measure
from workflow.measures.plans import create_plan

ORG = "องค์การบริหารส่วนตำบลบ้านใหม่ไอทีเอ"
SCORES_2569 = {
    "s_IIT": "91.20",
    "s_EIT": "",
    "s_EIT1": "88.10",
    "s_EIT2": "90.30",
    "s_OIT": "76.50",
    **{
        f"s_{n}": v
        for n, v in zip(
            range(1, 11),
            ["92.1", "90.5", "93", "89.9", "90.5", "88", "87.5", "92.1", "80.2", "72.8"],
            strict=True,
        )
    },
    "s_O25": "0",
    "s_O20": "100",
    "announced_on": "",
}


CREATE_ORG = [
    "create-org",
    "--name",
    ORG,
    "--kind",
    "sao",
    "--admin-username",
    "bm_admin",
    "--admin-name",
    "ผู้ดูแลบ้านใหม่",
    "--admin-password",
    "ita-demo-2569",
]


class Site(ThreadingHTTPServer):
    """The organisation's website on 127.0.0.1: /dead answers 404, the rest 200."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class _Handler(BaseHTTPRequestHandler):
    def do_HEAD(self):
        self.send_response(404 if self.path == "/dead" else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD

    def log_message(self, *args):
        pass


@pytest.fixture
def site(app, monkeypatch):
    server = Site()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config.update(LINKCHECK_TIMEOUT=5.0, LINKCHECK_ALLOWED_PRIVATE_HOSTS=("127.0.0.1",))
    monkeypatch.setattr(safety, "WEB_PORTS", safety.WEB_PORTS | {server.server_address[1]})
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def new_org(app) -> dict:
    """`flask create-org`, then the admin's set-up: a unit, three posts and people, a chain."""
    with app.app_context():  # as `flask` runs it
        result = app.test_cli_runner().invoke(args=CREATE_ORG)
    assert result.exit_code == 0, result.output
    with app.app_context():
        org = db.session.scalars(sa.select(Organisation).where(Organisation.name == ORG)).one()
        assert org.slug == f"org-{org.id}"  # every organisation has its public part from the start
        unit = Unit(organisation=org, name="สำนักปลัด")
        clerk_post = Position(organisation=org, title="ปลัดองค์การบริหารส่วนตำบลบ้านใหม่")
        mayor_post = Position(organisation=org, title="นายกองค์การบริหารส่วนตำบลบ้านใหม่")
        db.session.add_all([unit, clerk_post, mayor_post])
        drafter = make_user(org, "bm_drafter", "นางสาวเขียน ร่างดี")
        make_user(org, "bm_clerk", "นายปลัด ตรวจดี", clerk_post)
        make_user(org, "bm_mayor", "นายนายก อนุมัติ", mayor_post)
        db.session.flush()
        for doc_type in DocType:
            make_chain(org, doc_type, [clerk_post, mayor_post])
        plan = create_plan(drafter, 2570)
        create_measure(
            plan.id,
            drafter,
            MeasureInput(
                title="เผยแพร่ข้อมูลการนำผลการประเมิน ITA ไปพัฒนาองค์กรบนเว็บไซต์",
                start_month=date(2026, 10, 1),
                end_month=date(2027, 9, 1),
                rhythm=Rhythm.SEMIANNUAL,
                indicators=[10],
                question_codes="O25",
                unit_ids=[unit.id],
                no_budget=True,
            ),
        )
        db.session.commit()
        return {"org_id": org.id, "slug": org.slug, "unit_id": unit.id, "drafter_id": drafter.id}


def approved_analysis(client) -> int:
    """The drafter enters the 2569 results and drafts the memo; the chain approves it."""
    login(client, "bm_drafter")
    response = client.post_form("/ita/2569/edit", SCORES_2569)
    assert response.status_code == 302, response.get_data(as_text=True)
    response = client.post_form("/ita/2569/memo", {"criteria_on": "", "results_on": ""})
    assert response.status_code == 302, response.get_data(as_text=True)
    doc_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    assert client.post_form(f"/documents/{doc_id}/submit").status_code == 302
    for username, decision in (("bm_clerk", "เห็นควรเสนอ"), ("bm_mayor", "อนุมัติ")):
        logout(client)
        login(client, username)
        assert decide(client, doc_id, decision).status_code == 302
    logout(client)
    return doc_id


def test_a_new_organisation_publishes_its_2569_analysis_at_o25(app, client, new_org):
    doc_id = approved_analysis(client)
    with app.app_context():
        doc = db.session.get(Document, doc_id)
        assert doc.state == DocState.APPROVED
        assert doc.analysis_snapshot.data["plan"]["fiscal_year"] == 2570  # the adopted measures
        assert doc.analysis_snapshot.data["catalogue_provisional"] is True
    public = f"/p/{new_org['slug']}/2569/O25"
    assert client.get(public).status_code == 404  # approved is not yet published

    login(client, "bm_drafter")
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "เผยแพร่บนเว็บไซต์ (OIT O25 ปี 2569)" in page.replace("๒๕๖๙", "2569").replace("๒๕", "25")
    response = client.post_form(f"/oit/documents/{doc_id}/publish")
    assert response.status_code == 302
    board = client.get("/oit/2569").get_data(as_text=True)
    assert 'id="item-O25"' in board
    o25 = board.split('id="item-O25"')[1].split('id="item-O26"')[0]
    assert "มีแล้ว" in o25 and f"http://localhost{public}" in o25
    assert "ฉบับร่าง" in board  # the 2569 catalogue is provisional
    logout(client)

    # an anonymous visitor opens the public page and the frozen PDF
    page = client.get(public)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert ORG in text and "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร" in text
    assert 'lang="th"' in text and "ออกจากระบบ" not in text
    pdf = client.get(f"{public}/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert client.get(f"/p/{new_org['slug']}/2569/O26").status_code == 404

    # unpublishing keeps the record; the public address is gone
    login(client, "bm_admin", "ita-demo-2569")
    assert client.post_form(f"/oit/documents/{doc_id}/retract").status_code == 302
    logout(client)
    assert client.get(public).status_code == 404
    assert client.get(f"{public}/pdf").status_code == 404
    with app.app_context():
        kept = db.session.scalars(sa.select(Publication)).one()
        assert kept.retracted_at is not None and kept.code == "O25"
        actions = db.session.scalars(
            sa.select(DecisionLog.action).where(DecisionLog.document_id == doc_id)
        ).all()
        assert actions[-2:] == [Action.PUBLISH, Action.RETRACT]


def test_drafts_and_other_organisations_are_never_public(app, client, new_org, srisuk):
    login(client, "bm_drafter")
    client.post_form("/ita/2569/edit", SCORES_2569)
    response = client.post_form("/ita/2569/memo", {"criteria_on": "", "results_on": ""})
    doc_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    response = client.post_form(f"/oit/documents/{doc_id}/publish")  # a draft
    assert response.status_code == 409
    logout(client)
    login(client, "admin")  # another organisation's admin
    assert client.post_form(f"/oit/documents/{doc_id}/publish").status_code == 404
    logout(client)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Publication.id))) == 0
    for url in (
        f"/p/{new_org['slug']}/2569/O25",
        "/p/no-such-org/2569/O25",
        f"/p/{new_org['slug']}/2569/O1",
    ):
        assert client.get(url).status_code == 404
        assert client.get(f"{url}/pdf").status_code == 404


def test_a_dead_evidence_link_shows_broken_after_the_link_check(app, client, new_org, site):
    login(client, "bm_admin", "ita-demo-2569")
    for url, title in ((site.url("/structure"), "โครงสร้าง"), (site.url("/dead"), "ผังเก่า")):
        response = client.post_form("/oit/2569/O1/evidence", {"eO1-url": url, "eO1-title": title})
        assert response.status_code == 302
    client.post_form(
        "/oit/2569/O2/evidence", {"eO2-url": site.url("/executives"), "eO2-title": "ผู้บริหาร"}
    )
    bad = client.post_form("/oit/2569/O3/evidence", {"eO3-url": "ftp://x", "eO3-title": "ติดต่อ"})
    assert bad.status_code == 400 and "ftp://x" in bad.get_data(as_text=True)
    with app.app_context():
        summary = linkcheck.check_all()
        assert (summary.checked, summary.ok, summary.broken) == (3, 2, 1)
        dead = db.session.scalars(sa.select(OitEvidence).where(OitEvidence.title == "ผังเก่า")).one()
        assert dead.last_status == 404 and dead.broken_since is not None
    board = client.get("/oit/2569").get_data(as_text=True)
    o1 = board.split('id="item-O1"')[1].split('id="item-O2"')[0]
    o2 = board.split('id="item-O2"')[1].split('id="item-O3"')[0]
    assert "ลิงก์เสีย" in o1 and "ตั้งแต่" in o1
    assert "มีแล้ว" in o2 and "ลิงก์เสีย" not in o2
    assert "OIT พร้อม ๑/๒๖" in board  # O2 only: O1 has a broken link
    missing = client.get("/oit/2569?show=missing").get_data(as_text=True)
    assert 'id="item-O1"' in missing and 'id="item-O2"' not in missing

    # the executive home shows readiness, the missing items one click away
    home = client.get("/").get_data(as_text=True)
    assert "OIT พร้อม ๑/๒๖" in home and "/oit/2569?show=missing" in home

    # the Excel export lists every item and link
    book = load_workbook(BytesIO(client.get("/oit/2569/export.xlsx").data))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "ข้อ" and len({r[0] for r in rows[1:]}) == 26
    assert any(r[0] == "O1" and r[7] == site.url("/dead") and r[9] for r in rows)


def test_owners_due_dates_the_check_and_copying_last_years_board(app, client, new_org):
    login(client, "bm_admin", "ita-demo-2569")
    with app.app_context():
        clerk = db.session.scalars(sa.select(User).where(User.username == "bm_clerk")).one()
        clerk_id = clerk.id
    owner = {"oO1-unit_id": str(new_org["unit_id"]), "oO1-owner_id": str(clerk_id)}
    response = client.post_form("/oit/2569/O1/owner", {**owner, "oO1-due_date": "31/13/2569"})
    assert response.status_code == 400  # the form comes back with the typed date and an error
    assert "31/13/2569" in response.get_data(as_text=True)
    response = client.post_form("/oit/2569/O1/owner", {**owner, "oO1-due_date": "31/01/2570"})
    assert response.status_code == 302
    # nothing to check yet: refused, with the reason
    client.post_form("/oit/2569/O1/check", {"checked": "1"})
    with app.app_context():
        item = db.session.scalars(sa.select(OitItem)).one()
        assert item.owner_id == clerk_id and item.due_date == date(2027, 1, 31)
        assert item.checked_at is None

    # 2568's O21 and O22 were merged into 2569's O20: copying through the mapping joins them
    with app.app_context():
        org_admin = db.session.scalars(sa.select(User).where(User.username == "bm_admin")).one()
        for code, url in (
            ("O21", "https://bm.example.go.th/nogift"),
            ("O22", "https://bm.example.go.th/gifts"),
        ):
            old = OitItem(org_id=new_org["org_id"], fiscal_year=2568, code=code, owner_id=clerk_id)
            old.evidence.append(
                OitEvidence(org_id=new_org["org_id"], url=url, title=code, added_by_id=org_admin.id)
            )
            db.session.add(old)
        db.session.commit()
    assert client.post_form("/oit/2569/copy").status_code == 302
    with app.app_context():
        o20 = db.session.scalars(
            sa.select(OitItem).where(OitItem.fiscal_year == 2569, OitItem.code == "O20")
        ).one()
        assert sorted(e.url for e in o20.evidence) == [
            "https://bm.example.go.th/gifts",
            "https://bm.example.go.th/nogift",
        ]
        assert o20.owner_id == clerk_id
        # nothing was copied by matching codes: 2569's O21 (corruption risk) stays empty
        assert not db.session.scalars(
            sa.select(OitItem).where(OitItem.fiscal_year == 2569, OitItem.code == "O21")
        ).all()

    # a person who does not own an item cannot add evidence to it
    logout(client)
    login(client, "bm_drafter")
    response = client.post_form(
        "/oit/2569/O1/evidence", {"eO1-url": "https://bm.example.go.th/x", "eO1-title": "x"}
    )
    assert response.status_code == 403


def test_a_unit_of_another_organisation_or_garbage_is_refused_in_thai(app, client, new_org, srisuk):
    login(client, "bm_admin", "ita-demo-2569")
    with app.app_context():
        other_unit = db.session.scalars(
            sa.select(Unit.id).where(Unit.org_id != new_org["org_id"])
        ).first()
    for value in (str(other_unit), "abc", "-1"):
        response = client.post_form(
            "/oit/2569/O2/owner", {"oO2-unit_id": value, "oO2-owner_id": ""}
        )
        assert response.status_code == 400
        assert "กรุณาเลือกจากรายการ" in response.get_data(as_text=True)
    with app.app_context():
        mine = sa.select(sa.func.count(OitItem.id)).where(OitItem.org_id == new_org["org_id"])
        assert db.session.scalar(mine) == 0


def test_the_annual_report_of_2568_is_published_at_o26_of_2569(app, client, srisuk):
    from workflow import documents as service
    from workflow.oit import publish
    from workflow.reports.services import create_report

    with app.app_context():
        drafter = db.session.scalars(sa.select(User).where(User.username == "nattanipa")).one()
        create_plan(drafter, 2568)
        annual = ReportRound(
            org_id=drafter.org_id,
            fiscal_year=2568,
            kind=RoundKind.ANNUAL,
            period_start=date(2024, 10, 1),
            period_end=date(2025, 9, 30),
            due_date=date(2025, 10, 31),
        )
        db.session.add(annual)
        db.session.flush()
        report = create_report(drafter, annual.fiscal_year, annual.kind)
        db.session.commit()
        doc_id = report.id
        service.submit(doc_id, drafter)
        db.session.commit()
        for username, decision, _ in CHAIN:
            signer = db.session.scalars(sa.select(User).where(User.username == username)).one()
            service.decide(doc_id, signer, decision=decision, comment="")
            db.session.commit()
        place = publish.place_of(db.session.get(Document, doc_id))
        assert (place.fiscal_year, place.code) == (2569, "O26")
    login(client, "nattanipa")
    assert client.post_form(f"/oit/documents/{doc_id}/publish").status_code == 302
    o26 = client.get("/oit/2569").get_data(as_text=True).split('id="item-O26"')[1]
    assert "มีแล้ว" in o26 and "/p/srisuk/2569/O26" in o26
    logout(client)
    assert "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรม" in client.get("/p/srisuk/2569/O26").get_data(
        as_text=True
    )


def test_the_board_reads_in_a_fixed_number_of_statements(app, client, srisuk):
    from support.pages import count_statements

    login(client, "admin")
    before = count_statements(app, client, "/oit/2569")
    with app.app_context():
        admin = db.session.scalars(sa.select(User).where(User.username == "admin")).one()
        for item in db.session.scalars(sa.select(OitItem).where(OitItem.fiscal_year == 2569)):
            item.checked_at, item.checked_by_id = item.updated_at, admin.id
            for n in range(3):
                item.evidence.append(
                    OitEvidence(
                        org_id=item.org_id,
                        url=f"https://www.srisuk.go.th/more/{item.code}/{n}",
                        title=f"เพิ่ม {n}",
                        added_by_id=admin.id,
                    )
                )
        db.session.commit()
    assert count_statements(app, client, "/oit/2569") <= before + 1  # the checker, once


def test_the_admin_marks_an_item_checked_and_a_new_link_undoes_it(app, client, new_org):
    login(client, "bm_admin", "ita-demo-2569")
    link = {"eO4-url": "https://bm.example.go.th/news", "eO4-title": "ข่าวประชาสัมพันธ์"}
    assert client.post_form("/oit/2569/O4/evidence", link).status_code == 302
    assert client.post_form("/oit/2569/O4/check", {"checked": "1"}).status_code == 302
    o4 = client.get("/oit/2569").get_data(as_text=True).split('id="item-O4"')[1]
    assert "ตรวจแล้วโดย นายผู้ดูแลบ้านใหม่" in o4.split('id="item-O5"')[0]
    again = {"eO4-url": "https://bm.example.go.th/news-2", "eO4-title": "ข่าว ๒"}
    assert client.post_form("/oit/2569/O4/evidence", again).status_code == 302
    with app.app_context():
        item = db.session.scalars(sa.select(OitItem).where(OitItem.code == "O4")).one()
        assert item.checked_at is None and item.checked_by_id is None
    # the same link twice is refused beside its field, with the typed text kept
    twice = client.post_form("/oit/2569/O4/evidence", again)
    assert twice.status_code == 400 and "รายการนี้มีลิงก์นี้อยู่แล้ว" in twice.get_data(as_text=True)
