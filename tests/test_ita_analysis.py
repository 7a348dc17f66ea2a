"""What the analysis says: changes against last year, what falls under 85 and 95, and per
indicator the strongest and the weakest question, checked against seeds 000 and 003."""

from decimal import Decimal

import pytest
from support.ita import other_org_with_results
from test_pdf_support import user

from extensions import db
from models import User
from workflow.ita import overview


@pytest.fixture
def lopburi(app, srisuk, ctx) -> dict:
    """อบจ.ลพบุรี's 2568 analysis (seed 003), computed by the app."""
    ids = other_org_with_results(app)
    return overview.collect(db.session.get(User, ids["user_id"]), 2568)


@pytest.fixture
def srisuk_2568(app, srisuk, ctx) -> dict:
    """อบต.ศรีสุข's 2568 analysis (seed 000, the demo's results), computed by the app."""
    return overview.collect(user("nattanipa"), 2568)


def by(rows: list[dict], key: str) -> dict:
    return {row[key]: row for row in rows}


def test_lopburi_changes_per_tool_indicator_and_question_are_seed_003s(lopburi):
    assert lopburi["overall"] == {
        "score": "97.86",
        "level": "ผ่านดี",
        "previous": "91.54",
        "previous_level": "ผ่านดี",
        "change": "6.32",
    }
    tools = by(lopburi["tools"], "code")
    assert [tools[c]["change"] for c in ("IIT", "EIT1", "EIT2")] == ["-0.49", "7.12", "7.11"]
    # Seed 003 prints +10.59 for OIT; 100 - 89.71 (its own 2567 figure) is 10.29.
    assert tools["OIT"]["change"] == "10.29"
    changes = [i["change"] for i in lopburi["indicators"]]
    assert changes == ["-1.13", "0.63", "1.16", "-1.67", "-1.41", "2.75", "3.14", "15.46",
                       "13.33", "8.33"]  # fmt: skip
    items = by(lopburi["items"], "code")
    assert (items["i10"]["previous"], items["i10"]["score"], items["i10"]["change"]) == (
        "90.52", "84.47", "-6.05",
    )  # fmt: skip
    assert items["e9"]["change"] == "35.34"
    assert items["e9"]["previous_text"].startswith("ท่านเคยใช้งานระบบการให้บริการออนไลน์")
    assert items["O1"]["previous"] is None and items["O1"]["change"] is None
    assert lopburi["discrepancies"] == []  # 2568 adds up; 2567's typo is its own year's warning


def test_lopburi_under_85_and_under_95_are_what_seed_003_names(lopburi):
    below = lopburi["below"]
    assert [b["label"].split()[0] for b in below["pass"]] == ["i10"]
    under_95 = [b["label"].split()[0] for b in below["excellent"]]
    assert under_95[:2] == ["EIT", "ตัวชี้วัดที่"]  # EIT part 1 (93.26), indicator 4 (92.66)
    questions = [code for code in under_95 if code[0] in "ie"]
    assert questions == ["e1", "e2", "e4", "e5", "e6", "e7", "e8", "e9"]  # all but e3


def test_lopburi_strongest_and_weakest_per_indicator(lopburi):
    indicators = by(lopburi["indicators"], "number")
    four = indicators[4]
    assert [(w["code"], w["score"]) for w in four["weakest"]] == [("i10", "84.47")]
    assert [(s["code"], s["score"]) for s in four["strongest"]] == [("i11", "98.44")]
    assert four["band"] == "improve"
    assert [s["code"] for s in indicators[3]["strongest"]] == ["i9"]
    nine = indicators[9]
    assert len(nine["strongest"]) == 20 and nine["weakest"] == []  # every item scored 100
    assert nine["strength"].startswith("20 ข้อ ได้แก่ O1, O2")
    assert nine["weakness"] == ""


def test_srisuk_weakest_question_of_indicator_4_is_i10_with_its_text(srisuk_2568):
    four = by(srisuk_2568["indicators"], "number")[4]
    assert four["score"] == "76.31" and four["band"] == "urgent"
    assert four["weakness"].startswith(
        "หัวข้อ (i10) เจ้าหน้าที่ในหน่วยงานของท่าน มีการขอยืมหรือขอใช้ทรัพย์สินของหน่วยงาน"
        " อย่างถูกต้องตามขั้นตอน/แนวปฏิบัติ มากน้อยเพียงใด ระดับคะแนนที่ได้ 43.68 คะแนน"
        " ต่ำกว่าเกณฑ์ 85 คะแนน ต้องปรับปรุงโดยเร่งด่วน โดยระบุขั้นตอนและแนวทางในการขอยืมทรัพย์สิน"
    )
    assert four["strength"].startswith("หัวข้อ (i11) เจ้าหน้าที่ในหน่วยงานของท่าน เคยนำทรัพย์สิน")
    assert "ระดับคะแนนที่ได้ 98.42 คะแนน ควรรักษาระดับคะแนนในส่วนนี้ไว้ให้ได้ตลอดไป" in four["strength"]


def test_srisuk_strengths_and_weaknesses_follow_seed_000(srisuk_2568):
    rows = by(srisuk_2568["indicators"], "number")
    assert [(s["code"], s["score"]) for s in rows[1]["strongest"]] == [("i3", "100.00")]
    assert [(w["code"], w["score"]) for w in rows[1]["weakest"]] == [("i1", "88.95")]
    assert [s["code"] for s in rows[3]["strongest"]] == ["i8", "i9"]
    assert " และหัวข้อ (i9) การบริหารงานบุคคลในหน่วยงานของท่าน" in rows[3]["strength"]
    assert [w["code"] for w in rows[3]["weakest"]] == ["i7"]
    assert [
        (s["code"], w["code"])
        for s, w in zip(rows[5]["strongest"], rows[5]["weakest"], strict=True)
    ] == [("i13", "i15")]
    assert [
        (s["code"], w["code"])
        for s, w in zip(rows[7]["strongest"], rows[7]["weakest"], strict=True)
    ] == [("e6", "e4")]


def test_indicator_9_without_question_scores_uses_its_sub_indicators(srisuk_2568):
    nine = by(srisuk_2568["indicators"], "number")[9]
    assert nine["basis"] == "sub_indicator"
    assert nine["strength"].startswith("การบริหารงานและการใช้จ่ายงบประมาณ ระดับคะแนนที่ได้ 100.00 คะแนน")
    assert nine["weakness"].startswith("การจัดซื้อจัดจ้าง ระดับคะแนนที่ได้ 50.00 คะแนน ต่ำกว่าเกณฑ์ 85 คะแนน")
    assert "แผนและผลการจัดซื้อจัดจ้าง" in nine["weakness"]


def test_an_indicator_without_any_item_score_is_judged_by_its_own_score(srisuk_2568):
    ten = by(srisuk_2568["indicators"], "number")[10]
    assert ten["basis"] == "" and ten["strongest"] == [] and ten["weakest"] == []
    assert ten["strength"].startswith("ได้คะแนน 100.00 คะแนน อยู่ในระดับดีเยี่ยม")
    assert ten["weakness"] == ""


def test_tied_questions_are_all_strong_and_none_weakest(srisuk_2568):
    two = by(srisuk_2568["indicators"], "number")[2]  # the seed gives i4 and i6, both 95.26
    assert [s["code"] for s in two["strongest"]] == ["i4", "i6"]
    assert two["weakest"] == [] and two["weakness"] == ""


def test_srisuk_overall_change_and_history(srisuk_2568):
    overall = srisuk_2568["overall"]
    assert (overall["score"], overall["level"], overall["change"]) == ("93.57", "ผ่านดี", "6.13")
    assert overall["previous_level"] is None  # 87.44 alone: the tool condition cannot be checked
    assert srisuk_2568["history"] == [
        {"year": 2567, "score": "87.44", "level": None},
        {"year": 2568, "score": "93.57", "level": "ผ่านดี"},
    ]


def test_the_improvement_plan_is_the_next_years_measures(srisuk_2568):
    plan = srisuk_2568["plan"]
    assert plan["fiscal_year"] == 2569
    assert len(plan["rows"]) == 10
    first = plan["rows"][0]
    assert first["indicators"] == [4] and first["codes"] == ["i10"]
    assert first["title"] == "มาตรการปรับปรุงแนวปฏิบัติการใช้ทรัพย์สินของทางราชการ"
    assert first["budget"] == "ไม่ใช้งบประมาณ"
    assert first["units"] == ["กองคลัง"]
    assert first["period"] == "ต.ค.68 – ก.ย.69"


def test_a_year_without_results_has_no_analysis(app, srisuk, ctx):
    assert overview.overview(user("nattanipa"), 2566) is None
    assert Decimal(overview.collect(user("nattanipa"), 2567)["overall"]["score"]) == Decimal(
        "87.44"
    )
