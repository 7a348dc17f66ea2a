"""The sentences of the per-indicator analysis, in the style of seed 000:

    จุดเด่น หัวข้อ (i3) <question> ระดับคะแนนที่ได้ 100.00 คะแนน ควรรักษาระดับคะแนนในส่วนนี้ไว้…
    จุดที่ควรพัฒนา หัวข้อ (i10) <question> ระดับคะแนนที่ได้ 43.68 คะแนน ต่ำกว่าเกณฑ์… <improvement>

Arabic digits; the drafter edits them freely in the draft.
"""

from decimal import Decimal

from workflow.ita.catalogue import Catalogue

KEEP = "ควรรักษาระดับคะแนนในส่วนนี้ไว้ให้ได้ตลอดไป"
MAX_LISTED = 3  # beyond this many tied items, name them by code only


def level_phrase(name: str) -> str:
    """'ระดับผ่านดี', 'ระดับ E': a level named in Latin letters is set apart by a space."""
    return f"ระดับ {name}" if name[:1].isascii() else f"ระดับ{name}"


def band(score: Decimal | None, cat: Catalogue) -> str:
    """excellent (95 and up), improve (85 to 94.99), urgent (under 85), or "" when unknown."""
    if score is None:
        return ""
    if score >= cat.excellent_line:
        return "excellent"
    return "improve" if score >= cat.pass_line else "urgent"


def advice(score: Decimal, cat: Catalogue, improvement: str) -> str:
    """How urgent the improvement is, by the score, followed by the improvement to make."""
    if score < cat.pass_line:
        lead = f"ต่ำกว่าเกณฑ์ {cat.pass_line:.0f} คะแนน ต้องปรับปรุงโดยเร่งด่วน"
    elif score < cat.excellent_line:
        lead = f"ยังต่ำกว่าระดับดีเยี่ยม ({cat.excellent_line:.0f} คะแนน) ควรปรับปรุง"
    else:
        lead = "ควรพัฒนาให้ดียิ่งขึ้น"
    return f"{lead} โดย{improvement}" if improvement else lead


def strength(row: dict, cat: Catalogue) -> str:
    """จุดเด่น: the best items, or the indicator itself when it is excellent and has no items."""
    if row["strongest"]:
        return f"{_items(row['strongest'], row['basis'])} {KEEP}"
    if row["band"] == "excellent":
        return (
            f"ได้คะแนน {row['score']} คะแนน อยู่ในระดับดีเยี่ยม"
            " ควรรักษามาตรฐานการดำเนินงานในส่วนนี้ไว้อย่างต่อเนื่อง"
        )
    return ""


def weakness(row: dict, cat: Catalogue) -> str:
    """จุดที่ควรพัฒนา: the weakest items with what to improve, or the indicator's own advice when
    it is under excellent and has no item scores."""
    if row["weakest"]:
        weakest = row["weakest"]
        score = Decimal(weakest[0]["score"])
        improvement = weakest[0]["suggestion"] or cat.indicator(row["number"]).suggestion
        return f"{_items(weakest, row['basis'])} {advice(score, cat, improvement)}"
    if row["score"] is not None and row["band"] != "excellent" and not row["strongest"]:
        score = Decimal(row["score"])
        improvement = cat.indicator(row["number"]).suggestion
        return f"ได้คะแนน {row['score']} คะแนน {advice(score, cat, improvement)}"
    return ""


def _items(items: list[dict], basis: str) -> str:
    if len(items) > MAX_LISTED:
        codes = ", ".join(i["code"] for i in items)
        return f"{len(items)} ข้อ ได้แก่ {codes} ได้คะแนนเท่ากันที่ {items[0]['score']} คะแนน"
    return " และ".join(_item(i, basis) for i in items)


def _item(item: dict, basis: str) -> str:
    if basis == "sub_indicator":
        return f"{item['text']} ระดับคะแนนที่ได้ {item['score']} คะแนน"
    return f"หัวข้อ ({item['code']}) {item['text']} ระดับคะแนนที่ได้ {item['score']} คะแนน"
