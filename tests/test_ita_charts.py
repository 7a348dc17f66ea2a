"""The charts: an SVG of shapes with every label as HTML text (never Thai in SVG <text>, which
WeasyPrint misspells), self-contained, escaped, black and white, with the right bar heights."""

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from workflow.ita import charts

SVG = "{http://www.w3.org/2000/svg}"
ROWS = [
    {"number": 1, "name": "การปฏิบัติหน้าที่", "score": "93.69", "previous": "90.00"},
    {"number": 4, "name": "การใช้ทรัพย์สินของราชการ", "score": "76.31", "previous": None},
    {"number": 10, "name": 'การป้องกัน <ทุจริต> & "สินบน"', "score": "100.00", "previous": "0.00"},
]
LINES = {"pass": "85.00", "excellent": "95.00"}
LEVELS = [
    {"name": "ผ่านดีเยี่ยม", "min": "95.00", "every_tool_min": "95.00"},
    {"name": "ผ่านดี", "min": "85.00", "every_tool_min": "85.00"},
    {"name": "ผ่าน", "min": "85.00", "every_tool_min": None},
    {"name": "ต้องปรับปรุง", "min": "70.00", "every_tool_min": None},
    {"name": "ต้องปรับปรุงโดยด่วน", "min": "0.00", "every_tool_min": None},
]


def parse(chart: str) -> ET.Element:
    root = ET.fromstring(chart)  # raises on anything that is not well-formed XML
    assert root.tag == "figure"
    assert root.find(f".//{SVG}svg") is not None
    return root


def svg_of(root: ET.Element) -> ET.Element:
    return root.find(f"div[@class='chart-area']/{SVG}svg")


def texts(root: ET.Element) -> list[str]:
    """The HTML labels (not the SVG), each element's own text."""
    return [
        "".join(e.itertext()).strip()
        for e in root.iter()
        if e.tag in ("span", "li", "figcaption") and "".join(e.itertext()).strip()
    ]


def bars(root: ET.Element, kind: str) -> dict[str, ET.Element]:
    return {
        rect.get("data-key"): rect
        for rect in root.iter(f"{SVG}rect")
        if rect.get("class") == f"bar {kind}"
    }


def near(value: float):
    """Coordinates are written with two decimals."""
    return pytest.approx(value, abs=0.01)


def bottom() -> float:
    return charts.PLOT_TOP + charts.PLOT_HEIGHT


def test_indicator_bars_are_as_tall_as_their_scores_on_a_0_to_100_scale():
    root = parse(charts.indicator_chart(ROWS, LINES, 2567, 2568, thai_digits=False))
    current, previous = bars(root, "current"), bars(root, "previous")
    assert set(current) == {"1", "4", "10"}
    assert set(previous) == {"1", "10"}  # no bar where last year has no score
    for key, score in (("1", 93.69), ("4", 76.31), ("10", 100.0)):
        rect = current[key]
        height = float(rect.get("height"))
        assert height == near(score * charts.PLOT_HEIGHT / 100)
        assert float(rect.get("y")) + height == near(bottom())  # standing on the axis
        assert rect.get("fill") == "#000000"
    assert float(previous["1"].get("height")) == near(0.9 * charts.PLOT_HEIGHT)
    assert previous["1"].get("fill") == "#ffffff" and previous["1"].get("stroke") == "#000000"
    assert float(previous["10"].get("height")) == 0


def test_the_85_and_95_lines_sit_at_their_scores_and_differ_by_dash():
    root = parse(charts.indicator_chart(ROWS, LINES, 2567, 2568))
    lines = {line.get("class"): line for line in root.iter(f"{SVG}line") if line.get("class")}
    for name, score in (("line pass", 85), ("line excellent", 95)):
        y = float(lines[name].get("y1"))
        assert y == near(bottom() - score * charts.PLOT_HEIGHT / 100)
    assert lines["line pass"].get("stroke-dasharray") != lines["line excellent"].get(
        "stroke-dasharray"
    )


def test_thai_text_is_escaped_and_digits_follow_the_setting():
    chart = charts.indicator_chart(ROWS, LINES, 2567, 2568, thai_digits=True)
    root = parse(chart)
    labels = texts(root)
    assert '๑๐ การป้องกัน <ทุจริต> & "สินบน": ๑๐๐.๐๐ (ปี ๒๕๖๗: ๐.๐๐)' in labels
    assert "&lt;ทุจริต&gt; &amp;" in chart
    assert "๙๓.๖๙" in "".join(labels) and "93.69" not in "".join(labels)
    assert root.find("figcaption").text == "คะแนนรายตัวชี้วัด ปี ๒๕๖๘ เทียบกับปี ๒๕๖๗"
    assert root.get("role") == "img" and root.get("aria-label") == root.find("figcaption").text


@pytest.mark.parametrize("which", ["indicators", "history"])
def test_no_text_is_drawn_in_the_svg_so_thai_prints_as_typed(which):
    chart = (
        charts.indicator_chart(ROWS, LINES, 2567, 2568)
        if which == "indicators"
        else charts.history_chart([{"year": 2567, "score": "87.44"}], LEVELS)
    )
    root = parse(chart)
    for svg in root.iter(f"{SVG}svg"):
        assert svg.find(f".//{SVG}text") is None
        assert not "".join(svg.itertext()).strip()
    assert any("\u0e01" <= ch <= "\u0e5b" for ch in "".join(texts(root)))


def test_the_legend_lists_only_what_is_drawn_and_names_the_reference_lines():
    keys = lambda root: [  # noqa: E731
        "".join(li.itertext()).strip()
        for li in root.iter("li")
        if "chart-key" in (li.get("class") or "")
    ]
    with_previous = parse(charts.indicator_chart(ROWS, LINES, 2567, 2568, thai_digits=False))
    assert keys(with_previous) == [
        "ปี 2567", "ปี 2568", "เกณฑ์ผ่าน (85)", "ระดับดีเยี่ยม (95)"
    ]  # fmt: skip
    no_previous = [{**row, "previous": None} for row in ROWS]
    root = parse(charts.indicator_chart(no_previous, {"pass": "85.00"}, 2567, 2568, False))
    assert keys(root) == ["ปี 2568", "เกณฑ์ผ่าน (85)"]
    assert not [r for r in root.iter(f"{SVG}rect") if r.get("class") == "bar previous"]


def test_every_label_is_outside_the_plot_so_none_crosses_a_reference_line():
    """Values are listed under the chart and the lines are named in the legend; over the plot
    there is no text at all (the axis numbers sit left of it and under it)."""
    root = parse(charts.indicator_chart(ROWS, LINES, 2567, 2568))
    area = root.find("div[@class='chart-area']")
    assert [child.get("class") for child in area] == ["chart-plot", "chart-y", "chart-x"]
    assert [s.text for s in area.find("div[@class='chart-x']")] == ["๑", "๔", "๑๐"]
    css = Path("static/css/charts.css").read_text()
    left = 100 * charts.PLOT_LEFT / charts.WIDTH
    right = 100 * charts.PLOT_RIGHT / charts.WIDTH
    height = charts.PLOT_TOP + charts.PLOT_HEIGHT + charts.AXIS_ROOM
    assert f"width: {left:.3f}%" in css and f"left: {left:.3f}%; right: {right:.3f}%" in css
    for tick in charts.TICKS:  # each axis number at its line
        y = 100 * (charts.PLOT_TOP + charts.PLOT_HEIGHT * (1 - tick / 100)) / height
        assert f".chart-y .t{tick} {{ top: {y:.3f}%; }}" in css


@pytest.mark.parametrize("which", ["indicators", "history"])
def test_charts_are_self_contained_and_black_and_white(which):
    svg = (
        charts.indicator_chart(ROWS, LINES, 2567, 2568)
        if which == "indicators"
        else charts.history_chart([{"year": 2567, "score": "87.44"}], LEVELS)
    )
    for forbidden in ("href", "url(", "<image", "<script", "<foreignObject", "@import", "http:"):
        assert forbidden not in svg.replace("http://www.w3.org/2000/svg", "")
    assert "style=" not in svg  # the pages' CSP allows no inline style
    colours = {
        value
        for element in parse(svg).iter()
        for attr in ("fill", "stroke")
        if (value := element.get(attr))
    }
    assert colours <= {"#000000", "#ffffff", "#ececec", "#bbbbbb", "#999999"}


def test_history_bars_and_level_bands():
    points = [{"year": 2564, "score": "78.20"}, {"year": 2567, "score": "87.44"},
              {"year": 2568, "score": "93.57"}]  # fmt: skip
    root = parse(charts.history_chart(points, LEVELS, thai_digits=False))
    current = bars(root, "current")
    assert float(current["2568"].get("height")) == near(93.57 * charts.PLOT_HEIGHT / 100)
    assert float(current["2564"].get("height")) == near(78.20 * charts.PLOT_HEIGHT / 100)
    bands = [rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == "band"]
    assert [b.get("data-min") for b in bands] == ["95.00", "85.00", "70.00", "0.00"]
    top_band = bands[0]
    assert float(top_band.get("height")) == near(5 * charts.PLOT_HEIGHT / 100)
    labels = texts(root)
    assert "ผ่านดีเยี่ยม* (95+)" in labels
    assert "ผ่านดี* / ผ่าน (85+)" in labels
    assert "2568 (93.57)" in labels
    assert root.find("figcaption").text == "คะแนนรวม ITA ปี 2564-2568 เทียบกับเกณฑ์ระดับผลการประเมิน"
