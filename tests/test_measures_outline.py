"""Measures under a numbered parent ("2. …" with 2.1-2.10 beneath it), on the pages and in the
progress report's annex."""

from types import SimpleNamespace

from support.client import login
from test_measures_support import measure_form, plan_id, text_of, unit_id

from extensions import db
from workflow.measures.outline import outline, parent_line


def fake(id_: int, position: int, parent: str = "") -> SimpleNamespace:
    return SimpleNamespace(id=id_, position=position, parent_title=parent)


def test_a_parent_takes_one_number_and_its_measures_are_numbered_beneath_it():
    parent = "มาตรการส่งเสริมการเปิดเผยข้อมูล"
    measures = [fake(1, 1)] + [fake(10 + i, 1 + i, parent) for i in range(1, 11)] + [fake(3, 20)]
    numbers = outline(measures)
    assert numbers[1] == "1"
    assert [numbers[10 + i] for i in range(1, 11)] == [f"2.{i}" for i in range(1, 11)]
    assert numbers[3] == "3"
    assert parent_line(measures[1], numbers[11]) == f"2. {parent}"
    assert parent_line(measures[0], numbers[1]) == ""


def test_the_parent_shows_on_the_measure_page_the_plan_and_the_report(app, client, srisuk):
    login(client, "nattanipa")
    plan = plan_id(app)
    form = measure_form([unit_id(app, "กองคลัง")], parent_title="มาตรการเสริมด้านการเปิดเผยข้อมูล")
    first = client.post_form(f"/measures/plans/{plan}/measures/new", form)
    second = client.post_form(
        f"/measures/plans/{plan}/measures/new", {**form, "title": "มาตรการย่อยที่สอง"}
    )
    assert first.status_code == second.status_code == 302
    page = text_of(client.get(second.location))
    assert 'id="parent-line"' in page and "มาตรการเสริมด้านการเปิดเผยข้อมูล" in page
    # The demo's plan has ten measures: the parent is number ๑๑, its second measure ๑๑.๒.
    assert "๑๑.๒ มาตรการย่อยที่สอง" in page
    plan_page = text_of(client.get("/measures/years/2569"))
    assert "๑๑. มาตรการเสริมด้านการเปิดเผยข้อมูล" in plan_page


def test_the_seed_memos_plan_annex_prints_the_parent_and_the_organisations_no_budget(
    app, client, srisuk
):
    """The demo's seed-000 memo prints the 2569 plan as its annex (pdf/annexes.py)."""
    login(client, "nattanipa")
    plan = plan_id(app)
    form = measure_form([unit_id(app, "กองคลัง")], parent_title="มาตรการเสริมด้านการเปิดเผยข้อมูล")
    assert client.post_form(f"/measures/plans/{plan}/measures/new", form).status_code == 302
    with app.app_context():
        from models import Document, Organisation
        from pdf.annexes import for_document
        from pdf.data import Fmt

        org = db.session.get(Organisation, srisuk.org_id)
        org.print_no_budget = False
        (annex,) = for_document(db.session.get(Document, srisuk.memo_id), Fmt(False))
    groups = [r["group"] for r in annex["rows"] if isinstance(r, dict)]
    assert groups == ["11. มาตรการเสริมด้านการเปิดเผยข้อมูล"]
    titles = [r[1][0] for r in annex["rows"] if not isinstance(r, dict)]
    assert titles[0].startswith("1 ") and titles[-1].startswith("11.1 ")
    budgets = {r[5][0] for r in annex["rows"] if not isinstance(r, dict)}
    assert "ไม่ใช้งบประมาณ" not in budgets


def test_on_a_phone_each_measure_is_a_card_with_every_value_labelled(app, client, srisuk):
    """The 11-column plan table stacks into one card per measure below 600 px: each cell carries
    its column's name (shown only there)."""
    import re
    from pathlib import Path

    login(client, "nattanipa")
    page = text_of(client.get("/measures/years/2569"))
    table = page[page.index('<table class="stack measures">') : page.index("</table>")]
    heads = re.findall(r'<th scope="col">([^<]+)</th>', table)
    assert len(heads) == 11
    rows = re.findall(r'<tr id="m\d+">(.*?)</tr>', table, re.S)
    assert rows
    for row in rows:
        labels = re.findall(r'<td[^>]*><span class="cell-label">([^<]+)</span>', row)
        assert labels == heads
    css = (Path(app.static_folder) / "css" / "app.css").read_text(encoding="utf-8")
    assert "table.stack.measures tbody tr { display: flex;" in css
