"""The ITA catalogue is data: the shipped years, importing a new year, refusing a broken file."""

from decimal import Decimal

import pytest
import sqlalchemy as sa
from support.ita import shipped

from extensions import db
from models import ItaCatalogue
from workflow.ita import store
from workflow.ita.checks import CatalogueError

GOOD = """\
fiscal_year: 2570
title: ITA 2570
tools:
  - {code: IIT, name: ภายใน, weight: 0.5, indicators: [1]}
  - {code: OIT, name: เปิดเผยข้อมูล, weight: 0.5, indicators: [2]}
indicators:
  - {number: 1, name: การปฏิบัติหน้าที่}
  - {number: 2, name: การเปิดเผยข้อมูล}
questions:
  - {code: i1, indicator: 1, text: ข้อหนึ่ง}
levels:
  - {name: ผ่าน, min: 85}
  - {name: ไม่ผ่าน, min: 0}
"""


def test_2568_is_shipped_complete_from_seed_003():
    catalogue = shipped(2568)
    codes = [q.code for q in catalogue.questions]
    assert codes == [
        *(f"i{n}" for n in range(1, 16)),
        *(f"e{n}" for n in range(1, 10)),
        *(f"O{n}" for n in range(1, 29)),
    ]
    assert {t.code: t.weight for t in catalogue.tools} == {
        "IIT": Decimal("0.30"),
        "EIT1": Decimal("0.15"),
        "EIT2": Decimal("0.15"),
        "OIT": Decimal("0.40"),
    }
    assert [i.number for i in catalogue.indicators] == list(range(1, 11))
    assert catalogue.indicator(4).name == "การใช้ทรัพย์สินของราชการ"
    i10 = catalogue.item("i10")
    assert i10.indicator == 4
    assert i10.text.startswith("เจ้าหน้าที่ในหน่วยงานของท่าน มีการขอยืมหรือขอใช้ทรัพย์สินของหน่วยงาน")
    assert catalogue.item("O27").text == "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
    assert catalogue.item("O27").indicator == 10
    assert [t.code for t in catalogue.tools_of(6)] == ["EIT1", "EIT2"]
    assert catalogue.results_announced_on.isoformat() == "2025-08-15"
    assert catalogue.criteria_announced_on.isoformat() == "2024-09-26"
    assert all(q.suggestion or catalogue.suggestion_for(q.code) for q in catalogue.questions)


def test_2568_levels_are_the_table_seed_003_prints():
    catalogue = shipped(2568)
    printed = [
        (lv.name, lv.min, catalogue.level_max(lv), lv.every_tool_min) for lv in catalogue.levels
    ]
    assert printed == [
        ("ผ่านดีเยี่ยม", 95, 100, 95),
        ("ผ่านดี", 85, 100, 85),
        ("ผ่าน", 85, 100, None),
        ("ต้องปรับปรุง", 70, Decimal("84.99"), None),
        ("ต้องปรับปรุงโดยด่วน", 0, Decimal("69.99"), None),
    ]


@pytest.mark.parametrize("year", [2564, 2565, 2566])
def test_older_years_have_eit_as_one_tool_and_the_aa_to_f_scale(year):
    catalogue = shipped(year)
    assert {t.code: t.weight for t in catalogue.tools} == {
        "IIT": Decimal("0.30"),
        "EIT": Decimal("0.30"),
        "OIT": Decimal("0.40"),
    }
    assert [(lv.name, lv.min) for lv in catalogue.levels] == [
        ("AA", 95), ("A", 85), ("B", 75), ("C", 65), ("D", 55), ("E", 50), ("F", 0),
    ]  # fmt: skip
    assert catalogue.level_max(catalogue.levels[1]) == Decimal("94.99")


def test_2567_has_two_eit_parts_and_the_2568_levels():
    catalogue = shipped(2567)
    assert [t.code for t in catalogue.tools] == ["IIT", "EIT1", "EIT2", "OIT"]
    assert catalogue.levels == shipped(2568).levels
    assert catalogue.item("e9").text.startswith("ท่านเคยใช้งานระบบการให้บริการออนไลน์")


def test_every_shipped_year_is_listed(ctx):
    assert store.available_years() == [2570, 2569, 2568, 2567, 2566, 2565, 2564]
    assert store.get_catalogue(2568).source == store.SHIPPED_SOURCE
    assert store.get_catalogue(2599) is None


def test_a_stored_catalogue_reads_back_equal(ctx):
    catalogue = shipped(2568)
    from workflow.ita.checks import read_catalogue

    assert read_catalogue(store.to_data(catalogue)) == catalogue


def refusal(text: str) -> CatalogueError:
    with pytest.raises(CatalogueError) as caught:
        store.parse(text.encode(), "x.yaml")
    return caught.value


@pytest.mark.parametrize(
    ("broken", "line", "reason"),
    [
        (GOOD.replace("weight: 0.5, indicators: [2]", "weight: 0.4, indicators: [2]"), 3,
         "น้ำหนักของเครื่องมือรวมกันได้ 0.9 ต้องรวมกันได้ 1 พอดี"),
        (GOOD.replace("{code: i1, indicator: 1,", "{code: i1, indicator: 7,"), 10,
         "ไม่มีตัวชี้วัดที่ 7"),
        (GOOD.replace("  - {number: 2, name: การเปิดเผยข้อมูล}\n", ""), 5, "ไม่มีตัวชี้วัดที่ 2"),
        (GOOD.replace("title: ITA 2570", "titel: ITA 2570"), 2, "ไม่รู้จักหัวข้อ “titel”"),
        (GOOD.replace("title: ITA 2570", "title: [ITA"), 3, "รูปแบบ YAML ไม่ถูกต้อง"),
        (GOOD.replace("  - {name: ไม่ผ่าน, min: 0}", "  - {name: ไม่ผ่าน, min: 10}"), 11,
         "ระดับสุดท้ายต้องมีคะแนนขั้นต่ำ"),
        (GOOD.replace("{name: ผ่าน, min: 85}", "{name: ผ่าน, min: 185}"), 12,
         "“min” ต้องอยู่ระหว่าง 0 ถึง 100"),
        (GOOD + "fiscal_year: 2571\n", 14, "หัวข้อ “fiscal_year” ซ้ำ"),
        (GOOD.replace("questions:\n", "questions:\n  - {code: I1, indicator: 1, text: ซ้ำ}\n"), 11,
         "รหัสข้อคำถาม i1 ซ้ำกับรหัสที่มีอยู่แล้ว"),
    ],
)  # fmt: skip
def test_a_malformed_file_is_refused_with_its_line_and_reason(broken, line, reason):
    error = refusal(broken)
    assert error.line == line, error.message
    assert reason in error.reason
    assert error.message.startswith(f"บรรทัดที่ {line}: ")


def test_a_file_that_is_not_utf8_is_refused_with_its_line():
    content = GOOD.replace("ข้อหนึ่ง", "ABC").encode() + "title2: ข้อ\n".encode("cp874")
    with pytest.raises(CatalogueError) as caught:
        store.parse(content, "x.yaml")
    assert caught.value.line == 14
    assert "UTF-8" in caught.value.reason


def import_file(app, tmp_path, text: str, *args: str):
    path = tmp_path / "catalogue.yaml"
    path.write_text(text, encoding="utf-8")
    return app.test_cli_runner().invoke(args=["ita", "import-catalogue", str(path), *args])


def test_the_cli_imports_a_new_year_and_refuses_to_overwrite_it_unless_asked(app, tmp_path):
    result = import_file(app, tmp_path, GOOD, "--by", "operator")
    assert result.exit_code == 0, result.output
    assert "นำเข้าแคตตาล็อก ITA ปี 2570 แล้ว" in result.output
    with app.app_context():
        catalogue = store.get_catalogue(2570)
        assert [t.code for t in catalogue.tools] == ["IIT", "OIT"]
        assert catalogue.source == "นำเข้าจาก catalogue.yaml"
        assert store.available_years()[0] == 2570
        assert db.session.get(ItaCatalogue, 2570).imported_by == "operator"
    again = import_file(app, tmp_path, GOOD.replace("ITA 2570", "ITA 2570 แก้ไข"))
    assert again.exit_code == 1
    assert "--replace" in again.output
    replaced = import_file(app, tmp_path, GOOD.replace("ITA 2570", "ITA 2570 แก้ไข"), "--replace")
    assert replaced.exit_code == 0, replaced.output
    with app.app_context():
        assert store.get_catalogue(2570).title == "ITA 2570 แก้ไข"


def test_an_imported_year_takes_the_place_of_the_shipped_file(app, tmp_path):
    text = (store.SHIPPED_DIR / "2566.yaml").read_text(encoding="utf-8")
    result = import_file(
        app,
        tmp_path,
        text.replace("weight: 0.30, indicators: [6", "weight: 0.25, indicators: [6").replace(
            "weight: 0.40", "weight: 0.45"
        ),
    )  # noqa: E501
    assert result.exit_code == 0, result.output
    assert "ใช้แทนไฟล์ที่มากับระบบ" in result.output
    with app.app_context():
        assert store.get_catalogue(2566).tool("OIT").weight == Decimal("0.45")


def test_the_cli_refuses_a_broken_file_and_stores_nothing(app, tmp_path):
    result = import_file(
        app, tmp_path, GOOD.replace("weight: 0.5, indicators: [2]", "weight: 0.4, indicators: [2]")
    )  # noqa: E501
    assert result.exit_code == 1
    assert "catalogue.yaml: บรรทัดที่ 3: น้ำหนักของเครื่องมือรวมกันได้ 0.9" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ItaCatalogue)) == 0


def test_check_catalogue_reads_without_importing(app, tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(GOOD.replace("2570", "2599"), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["ita", "check-catalogue", str(path)])
    assert result.exit_code == 0, result.output
    assert "ไฟล์ถูกต้อง: แคตตาล็อก ITA ปี 2599" in result.output
    with app.app_context():
        assert store.get_catalogue(2599) is None
    listing = app.test_cli_runner().invoke(args=["ita", "catalogues"])
    assert "2568  ไฟล์ที่มากับระบบ" in listing.output
