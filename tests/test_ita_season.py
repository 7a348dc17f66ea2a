"""The season's catalogues: 2569 (provisional, with its sources), the 2570 stub, what each year
publishes where, the item mapping between years, and the analysis fixes of this season."""

from decimal import Decimal

import pytest
import sqlalchemy as sa
import yaml
from support.client import login
from support.ita import shipped
from support.pages import body

from extensions import db
from models import ItaCatalogue
from workflow.ita import analysis, store, wording
from workflow.ita.checks import CatalogueError, read_catalogue
from workflow.ita.entry import to_scores
from workflow.ita.scoring import figures


def test_2569_has_26_oit_items_with_o25_and_o26_and_every_unverified_part_has_a_source():
    catalogue = shipped(2569)
    codes = [q.code for q in catalogue.oit_items()]
    assert codes == [f"O{n}" for n in range(1, 27)]
    assert catalogue.item("O25").text == "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร"
    assert catalogue.item("O26").text.endswith("ปีงบประมาณ 2568")
    assert catalogue.is_provisional
    assert all(q.provisional for q in catalogue.oit_items())  # each item says where it came from
    parts = " ".join(p.part for p in catalogue.provisional)
    for part in ("tools", "levels", "i1-i15", "e1-e9", "O1-O26", "publishes"):
        assert part in parts
    assert all(p.source for p in catalogue.provisional)
    # tools, weights and levels: 2568's, since nothing newer was found
    assert catalogue.tools == shipped(2568).tools
    assert catalogue.levels == shipped(2568).levels


def test_what_each_year_publishes_where_is_data():
    expected = {
        2569: (("analysis", "O25", 2569), ("annual_report", "O26", 2568)),
        2568: (("analysis", "O27", 2568), ("annual_report", "O28", 2567)),
        2566: (("analysis", "O42", 2566), ("annual_report", "O43", 2565)),
        2565: (("analysis", "O42", 2565), ("annual_report", "O43", 2564)),
        2564: (("analysis", "O42", 2564), ("annual_report", "O43", 2563)),
    }
    for year, rows in expected.items():
        found = tuple((p.document, p.item, p.from_year) for p in shipped(year).publishes)
        assert found == rows, year


def test_the_2570_stub_works_for_the_current_year_without_items():
    stub = shipped(2570)
    assert stub.is_provisional and stub.oit_items() == [] and stub.questions == ()
    assert sum(t.weight for t in stub.tools) == 1


def test_oit_items_compare_across_years_only_through_the_mapping():
    cat = shipped(2569)
    assert cat.previous_codes("O20") == ("O21", "O22")  # merged
    assert cat.previous_codes("O25") == ("O27",)  # renumbered
    assert cat.previous_codes("O11") == ("O12",)
    assert cat.previous_codes("i3") == ("i3",)  # IIT/EIT questions keep their code
    # without a mapping (2568 against 2567), OIT items are not compared at all
    assert shipped(2568).previous_codes("O5") == ()


def test_the_analysis_compares_o20_with_the_mean_of_o21_and_o22_and_o25_with_o27():
    cat, old = shipped(2569), shipped(2568)
    now = figures(cat, to_scores(cat, {"O20": Decimal(100), "O25": Decimal(0)}))
    before = figures(
        old,
        to_scores(
            old, {"O21": Decimal(100), "O22": Decimal(50), "O25": Decimal(100), "O27": Decimal(0)}
        ),
    )
    rows = {r["code"]: r for r in analysis._items(cat, now, before, old)}
    assert rows["O20"]["previous"] == "75.00"
    assert "(O21)" in rows["O20"]["previous_text"] and "(O22)" in rows["O20"]["previous_text"]
    assert rows["O25"]["previous"] == "0.00"  # 2568's O27, not 2568's O25 (another item)
    assert rows["O25"]["change"] == "0.00"


@pytest.mark.parametrize(
    "score, strength, weakness",
    [("80.00", False, True), ("84.99", False, True), ("85.00", True, False)],
)
def test_an_indicator_with_one_scored_item_calls_a_low_one_a_weakness(score, strength, weakness):
    cat = shipped(2568)
    basis, strongest, weakest = analysis._extremes(cat, 8, {"e9": Decimal(score)})
    assert basis == "question"
    assert bool(strongest) is strength and bool(weakest) is weakness
    row = {"number": 8, "basis": basis, "strongest": strongest, "weakest": weakest,
           "band": wording.band(Decimal(score), cat), "score": score}  # fmt: skip
    if weakness:
        assert wording.strength(row, cat) == ""
        assert "(e9)" in wording.weakness(row, cat) and "ต่ำกว่าเกณฑ์" in wording.weakness(row, cat)


def test_a_level_in_latin_letters_is_set_apart():
    assert wording.level_phrase("E") == "ระดับ E"
    assert wording.level_phrase("AA") == "ระดับ AA"
    assert wording.level_phrase("ผ่านดี") == "ระดับผ่านดี"


def test_the_score_form_shows_the_ten_indicator_scores_on_one_open_section(app, client, srisuk):
    login(client, "nattanipa")
    page = body(client.get("/ita/2569/edit"))
    assert "ฉบับร่าง" in page
    first = page.split("<details")[1].split("</details>")[0]
    assert first.startswith(' class="card" open')
    for n in range(1, 11):
        assert f'name="s_{n}"' in first
    assert 'name="s_i1"' not in first  # the questions stay in their own sections


def test_the_official_catalogue_replaces_the_provisional_one(app, tmp_path):
    data = store.to_data(shipped(2569))
    data.update(status="official", provisional=[], title="ITA 2569 ฉบับทางการ")
    for q in data["questions"]:
        q["provisional"] = ""
    official = read_catalogue(data)
    assert not official.is_provisional
    path = tmp_path / "2569.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["ita", "import-catalogue", str(path), "--replace"])
    assert result.exit_code == 0, result.output
    assert "ใช้แทนไฟล์ที่มากับระบบ" in result.output
    with app.app_context():
        found = store.get_catalogue(2569)
        assert found.title == "ITA 2569 ฉบับทางการ" and not found.is_provisional
        assert found.previous_codes("O20") == ("O21", "O22")
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ItaCatalogue)) == 1


def test_a_provisional_file_must_say_where_its_parts_come_from():
    data = store.to_data(shipped(2570))
    data["provisional"] = []
    with pytest.raises(CatalogueError, match="แหล่งที่มา"):
        read_catalogue(data)
    data = store.to_data(shipped(2569))
    data["previous_items"] = {"O99": ["O1"]}
    with pytest.raises(CatalogueError, match="O99"):
        read_catalogue(data)


def test_the_admin_is_told_when_this_fiscal_year_has_no_catalogue(app, client, srisuk, monkeypatch):
    login(client, "admin")
    assert "ยังไม่มีแคตตาล็อก ITA ของปีงบประมาณปัจจุบัน" not in body(client.get("/admin/"))
    monkeypatch.setattr(store, "SHIPPED_DIR", store.SHIPPED_DIR.parent / "no-such-dir")
    assert "ยังไม่มีแคตตาล็อก ITA ของปีงบประมาณปัจจุบัน" in body(client.get("/admin/"))
