"""Server-rendered SVG charts, the same markup in the page and in the PDF.

Plain SVG strings: every text escaped, no scripts, no links, no external references, no fonts to
fetch. Black, white and greys only, with dashes for the reference lines, so a black-and-white
printout keeps every distinction. Scores come in as "93.57" strings (the snapshot's form).
"""

from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

import thai

FONT = "'TH Sarabun New', Sarabun, 'Noto Sans Thai', Tahoma, sans-serif"
WIDTH = 720
PLOT_TOP, PLOT_LEFT, PLOT_RIGHT = 40, 44, 40
PLOT_HEIGHT = 220
LINE_DASHES = {"pass": "8 4", "excellent": "2 3"}
BAND_FILLS = ("#ffffff", "#ececec")


def indicator_chart(
    rows: list[dict], lines: dict, previous_year: int, fiscal_year: int, thai_digits: bool = True
) -> str:
    """Each indicator this year (black) against last year (white), with the 85 and 95 lines.

    `rows`: {"number", "name", "score", "previous"}; `lines`: {"pass": "85.00", ...}.
    """
    digits = _digits(thai_digits)
    legend_rows = (len(rows) + 1) // 2
    height = PLOT_TOP + PLOT_HEIGHT + 30 + 18 * legend_rows + 10
    plot_width = WIDTH - PLOT_LEFT - PLOT_RIGHT
    slot = plot_width / max(len(rows), 1)
    bar = min(22.0, slot / 3)
    parts = [*_axis(plot_width, digits)]
    for i, row in enumerate(rows):
        left = PLOT_LEFT + i * slot + slot / 2 - bar
        parts.append(_bar(left, bar, row["previous"], "previous", row["number"], digits))
        parts.append(_bar(left + bar, bar, row["score"], "current", row["number"], digits))
        parts.append(
            _text(
                PLOT_LEFT + i * slot + slot / 2,
                PLOT_TOP + PLOT_HEIGHT + 16,
                digits(row["number"]),
                size=12,
                anchor="middle",
                bold=True,
            )
        )
    for name, label in (("pass", "เกณฑ์ผ่าน"), ("excellent", "ระดับดีเยี่ยม")):
        if lines.get(name):
            parts += _reference_line(Decimal(lines[name]), plot_width, name, label, digits)
    parts += _legend_keys(fiscal_year, previous_year, digits)
    parts += _indicator_names(rows, PLOT_TOP + PLOT_HEIGHT + 40, digits)
    title = f"คะแนนรายตัวชี้วัด ปี {fiscal_year} เทียบกับปี {previous_year}"
    return _svg(digits(title), height, parts)


def history_chart(points: list[dict], levels: list[dict], thai_digits: bool = True) -> str:
    """The overall score per year, over the bands of the levels of the latest year.

    `points`: {"year", "score"}; `levels`: {"name", "min", "every_tool_min"} from the highest.
    """
    digits = _digits(thai_digits)
    height = PLOT_TOP + PLOT_HEIGHT + 50
    plot_width = WIDTH - PLOT_LEFT - 170
    parts = _bands(levels, plot_width, digits)
    parts += _axis(plot_width, digits)
    slot = plot_width / max(len(points), 1)
    bar = min(44.0, slot / 2)
    for i, point in enumerate(points):
        centre = PLOT_LEFT + i * slot + slot / 2
        parts.append(_bar(centre - bar / 2, bar, point["score"], "current", point["year"], digits))
        parts.append(
            _text(
                centre, PLOT_TOP + PLOT_HEIGHT + 16, digits(point["year"]), size=12, anchor="middle"
            )
        )
    if any(level.get("every_tool_min") for level in levels):
        parts.append(
            _text(
                PLOT_LEFT,
                PLOT_TOP + PLOT_HEIGHT + 36,
                "* ต้องมีคะแนนทุกเครื่องมือไม่น้อยกว่าเกณฑ์ของระดับนั้นด้วย",
                size=10,
            )
        )
    years = [p["year"] for p in points]
    span = f"{years[0]}-{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "")
    return _svg(digits(f"คะแนนรวม ITA ปี {span} เทียบกับเกณฑ์ระดับผลการประเมิน"), height, parts)


def bar_height(score: str | Decimal | None) -> float:
    """The height a score's bar has: the plot is 0 to 100."""
    if score is None:
        return 0.0
    return round(float(Decimal(score)) * PLOT_HEIGHT / 100, 2)


def _y(score: Decimal) -> float:
    return round(PLOT_TOP + PLOT_HEIGHT - float(score) * PLOT_HEIGHT / 100, 2)


def _bar(left: float, width: float, score, kind: str, key, digits) -> str:
    if score is None:
        return ""
    height = bar_height(score)
    top = round(PLOT_TOP + PLOT_HEIGHT - height, 2)
    fill = "#000000" if kind == "current" else "#ffffff"
    rect = (
        f'<rect class="bar {kind}" data-key={quoteattr(str(key))} data-score={quoteattr(score)}'
        f' x="{left:.2f}" y="{top}" width="{width:.2f}" height="{height}"'
        f' fill="{fill}" stroke="#000000" stroke-width="1"/>'
    )
    if kind != "current":  # last year's values are in the tables; two labels would collide
        return rect
    return rect + _text(left + width / 2, top - 3, digits(score), size=9, anchor="middle")


def _axis(plot_width: float, digits) -> list[str]:
    parts = []
    for tick in range(0, 101, 20):
        y = _y(Decimal(tick))
        parts.append(
            f'<line x1="{PLOT_LEFT}" y1="{y}" x2="{PLOT_LEFT + plot_width:.2f}" y2="{y}"'
            ' stroke="#bbbbbb" stroke-width="0.5"/>'
        )
        parts.append(_text(PLOT_LEFT - 6, y + 4, digits(tick), size=10, anchor="end"))
    bottom = PLOT_TOP + PLOT_HEIGHT
    parts.append(
        f'<line x1="{PLOT_LEFT}" y1="{bottom}" x2="{PLOT_LEFT + plot_width:.2f}"'
        f' y2="{bottom}" stroke="#000000" stroke-width="1"/>'
    )
    return parts


def _reference_line(value: Decimal, plot_width: float, name: str, label: str, digits) -> list[str]:
    y, right = _y(value), PLOT_LEFT + plot_width
    return [
        f'<line class="line {name}" data-score="{value:.2f}" x1="{PLOT_LEFT}" y1="{y}"'
        f' x2="{right:.2f}" y2="{y}" stroke="#000000" stroke-width="1.2"'
        f' stroke-dasharray="{LINE_DASHES[name]}"/>',
        _text(right + 3, y + 4, digits(f"{value:.0f}"), size=10),
        _text(right + 3, y + 15, label, size=8),
    ]


def _bands(levels: list[dict], plot_width: float, digits) -> list[str]:
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
    parts = []
    for i, (low, high, names) in enumerate(bands):
        top, bottom = _y(high), _y(low)
        parts.append(
            f'<rect class="band" data-min="{low:.2f}" x="{PLOT_LEFT}" y="{top}"'
            f' width="{plot_width:.2f}" height="{bottom - top:.2f}"'
            f' fill="{BAND_FILLS[i % 2]}" stroke="#999999" stroke-width="0.5"/>'
        )
        label = f"{' / '.join(names)} ({low:.0f}+)"
        parts.append(
            _text(PLOT_LEFT + plot_width + 6, (top + bottom) / 2 + 4, digits(label), size=10)
        )
    return parts


def _legend_keys(year: int, previous_year: int, digits) -> list[str]:
    keys = []
    for i, (kind, label) in enumerate(
        (("previous", f"ปี {previous_year}"), ("current", f"ปี {year}"))
    ):
        x = PLOT_LEFT + i * 110
        fill = "#000000" if kind == "current" else "#ffffff"
        keys.append(
            f'<rect x="{x}" y="10" width="14" height="10" fill="{fill}"'
            ' stroke="#000000" stroke-width="1"/>'
        )
        keys.append(_text(x + 19, 19, digits(label), size=11))
    return keys


def _indicator_names(rows: list[dict], top: float, digits) -> list[str]:
    """Indicator numbers under the bars are explained below the plot, in two columns."""
    half = (len(rows) + 1) // 2
    return [
        _text(
            PLOT_LEFT + (i // half) * 330,
            top + (i % half) * 18,
            digits(f"{row['number']} {row['name']}"),
            size=11,
        )
        for i, row in enumerate(rows)
    ]


def _text(
    x: float, y: float, content: str, size: int = 11, anchor: str = "start", bold: bool = False
) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{x:.2f}" y="{y:.2f}" font-size="{size}" text-anchor="{anchor}"{weight}>'
        f"{escape(str(content))}</text>"
    )


def _svg(title: str, height: float, parts: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ita-chart" role="img"'
        f' aria-label={quoteattr(title)} width="{WIDTH}" height="{height:.0f}"'
        f' viewBox="0 0 {WIDTH} {height:.0f}" font-family="{FONT}" fill="#000000">'
        f"<title>{escape(title)}</title>"
        f'<rect x="0" y="0" width="{WIDTH}" height="{height:.0f}" fill="#ffffff"/>'
        + "".join(p for p in parts if p)
        + "</svg>"
    )


def _digits(thai_digits: bool):
    return lambda text: thai.digits(str(text), thai_digits)
