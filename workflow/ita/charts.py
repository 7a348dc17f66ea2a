"""Server-rendered charts, the same markup in the page and in the PDF.

A chart is an HTML figure: an SVG with the shapes only (bars, axes, reference lines, bands) and
every word and number laid out as HTML text around it. Thai never goes into SVG <text>:
WeasyPrint draws SVG text code point by code point, losing a tone mark above an upper vowel
("ระดับดีเยียม"), while HTML text is shaped like the memo's body (and copies right). The axis
labels sit at percentages of the plot (static/css/charts.css, from the constants below), so they
follow the SVG when it scales to a phone's width, in a font size of their own (at least 12 px on
the page).

No scripts, no links, no external references, every text escaped. Black, white and greys only,
with dashes for the reference lines, so a black-and-white printout keeps every distinction.
Scores come in as "93.57" strings (the snapshot's form). Values are listed under the plot rather
than printed on the bars, where they would collide with the 85 and 95 lines.
"""

from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

import thai

WIDTH = 720
PLOT_TOP, PLOT_LEFT, PLOT_RIGHT = 10, 44, 16
PLOT_HEIGHT = 220
AXIS_ROOM = 30  # under the plot: the indicator numbers or the years
LINE_DASHES = {"pass": "8 4", "excellent": "2 3"}
LINE_LABELS = {"pass": "เกณฑ์ผ่าน", "excellent": "ระดับดีเยี่ยม"}
BAND_FILLS = ("#ffffff", "#ececec")
TICKS = (100, 80, 60, 40, 20, 0)  # static/css/charts.css places their labels


def indicator_chart(
    rows: list[dict], lines: dict, previous_year: int, fiscal_year: int, thai_digits: bool = True
) -> str:
    """Each indicator this year (black) against last year (white), with the 85 and 95 lines.

    `rows`: {"number", "name", "score", "previous"}; `lines`: {"pass": "85.00", ...}.
    """
    digits = _digits(thai_digits)
    height = PLOT_TOP + PLOT_HEIGHT + AXIS_ROOM
    plot_width = WIDTH - PLOT_LEFT - PLOT_RIGHT
    slot = plot_width / max(len(rows), 1)
    bar = min(22.0, slot / 3)
    shapes = _axis(plot_width)
    for i, row in enumerate(rows):
        left = PLOT_LEFT + i * slot + slot / 2 - bar
        shapes.append(_bar(left, bar, row["previous"], "previous", row["number"]))
        shapes.append(_bar(left + bar, bar, row["score"], "current", row["number"]))
    under = [digits(row["number"]) for row in rows]
    legend = [_key("current", digits(f"ปี {fiscal_year}"))]
    if any(row["previous"] is not None for row in rows):  # only what is drawn
        legend.insert(0, _key("previous", digits(f"ปี {previous_year}")))
    for name, label in LINE_LABELS.items():
        if lines.get(name):
            value = Decimal(lines[name])
            shapes.append(_reference_line(value, plot_width, name))
            legend.append(_key(name, digits(f"{label} ({value:.0f})")))
    notes = [
        digits(f"{row['number']} {row['name']}: {_score_text(row, previous_year)}") for row in rows
    ]
    title = digits(f"คะแนนรายตัวชี้วัด ปี {fiscal_year} เทียบกับปี {previous_year}")
    return _figure("indicators", title, height, shapes, under, legend, notes, digits)


def history_chart(points: list[dict], levels: list[dict], thai_digits: bool = True) -> str:
    """The overall score per year, over the bands of the levels of the latest year.

    `points`: {"year", "score"}; `levels`: {"name", "min", "every_tool_min"} from the highest.
    """
    digits = _digits(thai_digits)
    height = PLOT_TOP + PLOT_HEIGHT + AXIS_ROOM
    plot_width = WIDTH - PLOT_LEFT - PLOT_RIGHT
    bands = _bands(levels)
    shapes = [_band_rect(i, low, high, plot_width) for i, (low, high, _) in enumerate(bands)]
    shapes += _axis(plot_width)
    slot = plot_width / max(len(points), 1)
    bar = min(44.0, slot / 2)
    under = []
    for i, point in enumerate(points):
        centre = PLOT_LEFT + i * slot + slot / 2
        shapes.append(_bar(centre - bar / 2, bar, point["score"], "current", point["year"]))
        score = f" ({point['score']})" if point["score"] is not None else ""
        under.append(digits(f"{point['year']}{score}"))
    legend = [
        _key(f"band{i % 2}", digits(f"{' / '.join(names)} ({low:.0f}+)"))
        for i, (low, _, names) in enumerate(bands)
    ]
    notes = []
    if any(level.get("every_tool_min") for level in levels):
        notes.append("* ต้องมีคะแนนทุกเครื่องมือไม่น้อยกว่าเกณฑ์ของระดับนั้นด้วย")
    years = [p["year"] for p in points]
    span = f"{years[0]}-{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "")
    title = digits(f"คะแนนรวม ITA ปี {span} เทียบกับเกณฑ์ระดับผลการประเมิน")
    return _figure("history", title, height, shapes, under, legend, notes, digits)


def bar_height(score: str | Decimal | None) -> float:
    """The height a score's bar has: the plot is 0 to 100."""
    if score is None:
        return 0.0
    return round(float(Decimal(score)) * PLOT_HEIGHT / 100, 2)


def _y(score: Decimal) -> float:
    return round(PLOT_TOP + PLOT_HEIGHT - float(score) * PLOT_HEIGHT / 100, 2)


def _score_text(row: dict, previous_year: int) -> str:
    now = row["score"] if row["score"] is not None else "–"
    if row["previous"] is None:
        return now
    return f"{now} (ปี {previous_year}: {row['previous']})"


def _bar(left: float, width: float, score, kind: str, key) -> str:
    if score is None:
        return ""
    height = bar_height(score)
    top = round(PLOT_TOP + PLOT_HEIGHT - height, 2)
    fill = "#000000" if kind == "current" else "#ffffff"
    return (
        f'<rect class="bar {kind}" data-key={quoteattr(str(key))} data-score={quoteattr(score)}'
        f' x="{left:.2f}" y="{top}" width="{width:.2f}" height="{height}"'
        f' fill="{fill}" stroke="#000000" stroke-width="1"/>'
    )


def _axis(plot_width: float) -> list[str]:
    shapes = []
    for tick in TICKS:
        y = _y(Decimal(tick))
        shapes.append(
            f'<line x1="{PLOT_LEFT}" y1="{y}" x2="{PLOT_LEFT + plot_width:.2f}" y2="{y}"'
            ' stroke="#bbbbbb" stroke-width="0.5"/>'
        )
    bottom = PLOT_TOP + PLOT_HEIGHT
    shapes.append(
        f'<line x1="{PLOT_LEFT}" y1="{bottom}" x2="{PLOT_LEFT + plot_width:.2f}"'
        f' y2="{bottom}" stroke="#000000" stroke-width="1"/>'
    )
    return shapes


def _reference_line(value: Decimal, plot_width: float, name: str) -> str:
    y, right = _y(value), PLOT_LEFT + plot_width
    return (
        f'<line class="line {name}" data-score="{value:.2f}" x1="{PLOT_LEFT}" y1="{y}"'
        f' x2="{right:.2f}" y2="{y}" stroke="#000000" stroke-width="1.2"'
        f' stroke-dasharray="{LINE_DASHES[name]}"/>'
    )


def _bands(levels: list[dict]) -> list[tuple[Decimal, Decimal, list[str]]]:
    """One band per distinct minimum (levels that differ only by a tool condition share one)."""
    bands: list[tuple[Decimal, Decimal, list[str]]] = []
    for level in levels:
        low = Decimal(level["min"])
        name = f"{level['name']}*" if level.get("every_tool_min") else level["name"]
        if bands and bands[-1][0] == low:
            bands[-1][2].append(name)
        else:
            high = bands[-1][0] if bands else Decimal(100)
            bands.append((low, high, [name]))
    return bands


def _band_rect(i: int, low: Decimal, high: Decimal, plot_width: float) -> str:
    top, bottom = _y(high), _y(low)
    return (
        f'<rect class="band" data-min="{low:.2f}" x="{PLOT_LEFT}" y="{top}"'
        f' width="{plot_width:.2f}" height="{bottom - top:.2f}"'
        f' fill="{BAND_FILLS[i % 2]}" stroke="#999999" stroke-width="0.5"/>'
    )


def _key(kind: str, text: str) -> str:
    """A legend entry: a sample of what is drawn (a tiny SVG without text) and its name."""
    if kind in LINE_DASHES:
        sample = (
            f'<line x1="0" y1="6" x2="28" y2="6" stroke="#000000" stroke-width="1.5"'
            f' stroke-dasharray="{LINE_DASHES[kind]}"/>'
        )
        width = 28
    else:
        fill = {"current": "#000000", "previous": "#ffffff", "band0": BAND_FILLS[0]}.get(
            kind, BAND_FILLS[1]
        )
        sample = (
            f'<rect x="0.5" y="1.5" width="15" height="10" fill="{fill}"'
            ' stroke="#000000" stroke-width="1"/>'
        )
        width = 16
    return (
        f'<li class="chart-key {kind}"><svg xmlns="http://www.w3.org/2000/svg" width="{width}"'
        f' height="13" viewBox="0 0 {width} 13" aria-hidden="true">{sample}</svg>'
        f" {escape(text)}</li>"
    )


def _figure(
    kind: str,
    title: str,
    height: float,
    shapes: list[str],
    under: list[str],
    legend: list[str],
    notes: list[str],
    digits,
) -> str:
    """The figure; static/css/charts.css places the axis labels over the SVG (the plot's
    geometry is fixed, so the CSS holds every position and the page needs no inline style)."""
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-plot" aria-hidden="true"'
        f' width="{WIDTH}" height="{height:.0f}" viewBox="0 0 {WIDTH} {height:.0f}">'
        f'<rect x="0" y="0" width="{WIDTH}" height="{height:.0f}" fill="#ffffff"/>'
        + "".join(s for s in shapes if s)
        + "</svg>"
    )
    ticks = "".join(f'<span class="t{t}">{escape(digits(t))}</span>' for t in TICKS)
    names = "".join(f"<span>{escape(text)}</span>" for text in under)
    listed = "".join(f"<li>{escape(note)}</li>" for note in notes)
    return (
        f'<figure class="ita-chart {kind}" role="img" aria-label={quoteattr(title)}>'
        f'<figcaption class="chart-title">{escape(title)}</figcaption>'
        f'<ul class="chart-legend">{"".join(legend)}</ul>'
        f'<div class="chart-area">{svg}<div class="chart-y">{ticks}</div>'
        f'<div class="chart-x">{names}</div></div>'
        + (f'<ul class="chart-notes">{listed}</ul>' if notes else "")
        + "</figure>"
    )


def _digits(thai_digits: bool):
    return lambda text: thai.digits(str(text), thai_digits)
