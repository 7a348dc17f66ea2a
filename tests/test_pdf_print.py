"""The printed memo held next to the seeds: TH Sarabun at the regulation's sizes, lines that end
between words, tables whose rows stay whole, and a text layer that copies as typed.

Text is read with poppler's `pdftotext`: `-raw` (content order) where a test follows lines, and
plain and `-layout` (poppler's reading order, what copy-paste and search in poppler-based viewers
give) where a test reads words.
"""

import copy
import io
import json
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image
from pypdf import PdfReader
from test_pdf_support import approve, fonts, move_unit

from extensions import db
from models import Document, User
from pdf.data import memo_data
from pdf.render import render_html, render_pdf
from pdf.words import ZWSP, breakable, segments

SEED_PROSE = Path(__file__).parent / "data" / "seed_prose.json"
pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
)
PAGE_NUMBER = re.compile(r"^- [๐-๙0-9]+ -$")


def pdftotext(
    pdf: bytes, first: int | None = None, last: int | None = None, mode: str = "-raw"
) -> str:
    """The PDF's text as poppler reads it: mode "-raw", "-layout", or "" (plain)."""
    args = ["pdftotext", *([mode] if mode else []), "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    done = subprocess.run([*args, "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode()


def lines_of(pdf: bytes, **pages) -> list[str]:
    return [line.strip() for line in pdftotext(pdf, **pages).splitlines() if line.strip()]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text.replace(ZWSP, ""))


def seed_memo(srisuk) -> dict:
    return memo_data(db.session.get(Document, srisuk.memo_id))


def with_paragraphs(data: dict, paragraphs: list[str]) -> dict:
    """The seed memo's header and blocks around other body text."""
    data = copy.deepcopy(data)
    data["sections"] = [{"heading": "", "paragraphs": paragraphs}]
    data["annexes"] = []
    return data


def approved(data: dict) -> dict:
    """The memo printed as approved: no draft banner, footer note or watermark."""
    return {**data, "draft": None}


def rendered_lines_of(paragraph: str, lines: list[str], start: int) -> tuple[list[str], int]:
    """The printed lines that make up `paragraph`, found from line `start` on."""
    target = squeeze(paragraph)
    for i in range(start, len(lines)):
        if not target.startswith(squeeze(lines[i])) or not squeeze(lines[i]):
            continue
        taken, j = "", i
        while j < len(lines) and target.startswith(taken + squeeze(lines[j])):
            taken += squeeze(lines[j])
            j += 1
            if taken == target:
                return lines[i:j], j
    raise AssertionError(f"paragraph not printed as one run of lines: {paragraph[:60]!r}")


def word_ends(paragraph: str) -> set[int]:
    """Offsets (in the text without white space) where a word of the segmentation ends."""
    ends, at = set(), 0
    for token in segments(paragraph):
        at += len(squeeze(token))
        ends.add(at)
    return ends


def seed_paragraphs(name: str) -> list[str]:
    """Long prose of a seed: tests/data/seed_prose.json holds, per seed, its first 14 paragraphs or
    table cells of 100+ characters of Thai (no headings, no markup, no URLs), taken from the seed
    documents (/work/shared/seeds/NNN_*.txt) by splitting lines at tabs."""
    return json.loads(SEED_PROSE.read_text())[name]


def test_the_fonts_are_th_sarabun_embedded(app, srisuk, ctx):
    used = fonts(render_pdf(seed_memo(srisuk)))
    assert set(used) == {"TH-Sarabun-New", "TH-Sarabun-New-Bold"}
    assert all(used.values())


def test_a_16_cm_body_line_holds_about_93_characters_as_on_paper(app, srisuk, ctx):
    """A line ends before the word that does not fit, so a line's capacity lies between its
    length and its length with that word; the midpoint, averaged over full lines, is 93 ± 3."""
    data = seed_memo(srisuk)
    paragraphs = [p for s in data["sections"] for p in s["paragraphs"]]
    lines, at, estimates = lines_of(render_pdf(with_paragraphs(data, paragraphs))), 0, []
    for paragraph in paragraphs:
        printed, at = rendered_lines_of(paragraph, lines, at)
        for i in range(1, len(printed) - 1):  # not the indented first, not the short last line
            next_word = next(t for t in segments(printed[i + 1]) if not t.isspace())
            estimates.append(len(printed[i]) + (1 + len(next_word)) / 2)
    assert len(estimates) >= 8
    mean = sum(estimates) / len(estimates)
    assert 90 <= mean <= 96, mean


def test_the_seed_000_subject_takes_two_lines_and_breaks_after_khong_nuai_ngan(app, srisuk, ctx):
    lines = lines_of(render_pdf(seed_memo(srisuk)), last=1)
    first = next(i for i, line in enumerate(lines) if line.startswith("เรื่อง"))
    assert lines[first].endswith("ในการดำเนินงานของหน่วยงาน")
    assert lines[first + 1].startswith("ภาครัฐ (Integrity")
    assert lines[first + 1].endswith("ประจำปีงบประมาณ พ.ศ. ๒๕๖๘")
    assert lines[first + 2].startswith("เรียน")


@pytest.mark.parametrize("seed", ["000", "003", "004"])
def test_no_printed_line_ends_inside_a_word(app, srisuk, ctx, seed):
    paragraphs = seed_paragraphs(seed)
    assert len(paragraphs) >= 3
    pdf = render_pdf(with_paragraphs(seed_memo(srisuk), paragraphs))
    lines, at = lines_of(pdf), 0
    for paragraph in paragraphs:
        printed, at = rendered_lines_of(paragraph, lines, at)
        ends, offset = word_ends(paragraph), 0
        for line in printed[:-1]:
            offset += len(squeeze(line))
            assert offset in ends, f"line ends inside a word: …{line[-20:]!r}"


def test_names_positions_and_the_acting_phrase_never_break(app, srisuk, ctx):
    approve(srisuk.memo_id)
    html = render_html(seed_memo(srisuk))
    assert '<span class="nw">หัวหน้าฝ่ายบริหารงานทั่วไป รักษาราชการแทน</span>' in html
    assert '<span class="nw">(นางณัฐนิภา แสงมณี)</span>' in html
    # dates and years in the body print whole too, as on paper
    assert '<span class="nw">๓๑ มกราคม ๒๕๖๘</span>' in html
    assert '<span class="nw">พ.ศ. ๒๕๖๘</span>' in html


def test_the_text_layer_of_the_memo_and_its_annex_is_what_was_typed(app, srisuk, ctx):
    approve(srisuk.memo_id)
    data = seed_memo(srisuk)
    assert data["draft"] is None
    pdf = render_pdf(data)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    html = render_html(data)
    footer = _text_of(re.search(r'<div class="footer">.*?</div>', html, re.S).group(0))
    lines = [line for line in lines_of(pdf) if not PAGE_NUMBER.match(line)]
    # Every paragraph of the memo reads back exactly, line after line (across pages too) ...
    # (the footer, and the title drawn over the emblem, come last in a page's content)
    body = [line for line in lines if squeeze(line) not in (squeeze(footer), "บันทึกข้อความ")]
    at = 0
    for paragraph in [p for s in data["sections"] for p in s["paragraphs"]]:
        _, at = rendered_lines_of(paragraph, body, at)
    # ... and the whole document, the annex's table included (whose cells a reader takes across
    # columns in no fixed order), has the same letters, each as often as typed: ำ and า, every
    # tone mark. The footer prints on every page, the table's heading row on each of its pages.
    annex = data["annexes"][0]
    heading = "".join(column["heading"] for column in annex["columns"])
    annex_pages = sum(
        annex["columns"][0]["heading"] in lines_of(pdf, first=n, last=n)
        for n in range(1, pages + 1)
    )
    typed = (
        squeeze(_text_of(re.sub(r'<div class="footer">.*?</div>', "", html, flags=re.S)))
        + squeeze(footer) * pages
        + squeeze(heading) * (annex_pages - 1)
    )
    printed = Counter(squeeze("".join(lines)))
    assert printed == Counter(typed), (printed - Counter(typed), Counter(typed) - printed)
    assert "รายงาน" in pdftotext(pdf) and "รำยงำน" not in pdftotext(pdf)


def _text_of(html: str) -> str:
    from html import unescape

    html = re.sub(r"<style>.*?</style>|<title>.*?</title>", "", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", "", html))


READING_MODES = pytest.mark.parametrize(
    "mode", ["-raw", "", "-layout"], ids=["raw", "plain", "layout"]
)


@READING_MODES
def test_copy_keeps_sara_am_and_tone_marks_in_any_order_of_first_use(app, srisuk, ctx, mode):
    words = "ค่ำ ที่ คำ น้ำ นี้ ต่ำ ก๋ำ ซ้ำ ทำ นา รายงาน ประจำ การสื่อสาร ระดับดีเยี่ยม"
    pdf = render_pdf(approved(with_paragraphs(seed_memo(srisuk), [words])))
    assert words in " ".join(pdftotext(pdf, mode=mode).split())


@READING_MODES
def test_a_mark_before_the_next_letter_copies_in_its_place(app, srisuk, ctx, mode):
    """Poppler orders a line's letters by where they start: a vowel or tone mark drawn with no
    advance must start before the letter after it ("ตามที่องค์การ", not "ตามทีอ่ งค์การ"), also
    where two marks stack and where a word ends on a mark."""
    words = (
        "ตามที่องค์การบริหารส่วนตำบล เพื่อความเท่าเทียม อนุมัติตามเสนอ เจ้าหน้าที่ผู้รับผิดชอบ "
        "ข้อมูลที่เข้าใจง่าย ตามรอบที่กำหนด ระดับดีเยี่ยม การสื่อสาร น้ำใจ ผู้ใหญ่บ้าน ก็ได้ "
        "ศักดิ์สิทธิ์ ปั่นป่วน ญี่ปุ่น ฟื้นฟู เนื่องจาก"
    )
    pdf = render_pdf(approved(with_paragraphs(seed_memo(srisuk), [words])))
    assert words in " ".join(pdftotext(pdf, mode=mode).split())


def printed_words(pdf: bytes, mode: str) -> list[str]:
    """The words (runs between spaces) poppler reads, page numbers ("- ๒ -") left out."""
    found = []
    for line in pdftotext(pdf, mode=mode).splitlines():
        if PAGE_NUMBER.match(line.strip()):
            continue
        # plain mode may run a page number into the first line below it ("-๒เจ้าหน้าที่...")
        line = re.sub(r"^\s*- ?[๐-๙0-9]+ ?-?(?=\S)", "", line)
        found += [word.replace(ZWSP, "") for word in line.split()]
    return [word for word in found if word]


@pytest.mark.parametrize("mode", ["", "-layout"], ids=["plain", "layout"])
def test_reading_order_text_of_the_memo_and_its_annex_is_what_was_typed(app, srisuk, ctx, mode):
    """Plain and -layout pdftotext (copy-paste, search, screen readers of poppler-based viewers)
    read tables across columns, so the order of cells differs from what was typed; every word
    they read is typed text, whole, and no letter is lost or added."""
    approve(srisuk.memo_id)
    data = seed_memo(srisuk)
    pdf = render_pdf(data)
    typed = squeeze(_text_of(render_html(data)))
    words = printed_words(pdf, mode)
    assert len(words) > 500
    assert [word for word in words if word not in typed] == []
    # the same letters as the content order (whose letters test_the_text_layer_... counts against
    # what was typed), but for the dashes around page numbers, which plain mode may drop
    raw = Counter(squeeze(pdftotext(pdf, mode="-raw")).replace("-", ""))
    assert Counter(squeeze(pdftotext(pdf, mode=mode)).replace("-", "")) == raw


def test_a_url_breaks_only_after_a_slash_and_stays_a_link():
    html = str(breakable("หลักฐาน https://srisuk.example.go.th/ita/o10?id=5&x=1 ครบ"))
    assert 'href="https://srisuk.example.go.th/ita/o10?id=5&amp;x=1"' in html
    shown = re.search(r'<a class="url"[^>]*>(.*?)</a>', html).group(1)
    assert shown.split(ZWSP) == [
        f'<span class="w">{piece}</span>'
        for piece in ("https://srisuk.example.go.th/", "ita/", "o10?", "id=5&amp;", "x=1")
    ]


def test_a_table_row_is_never_split_across_pages_and_the_heading_repeats(app, srisuk, ctx):
    data = seed_memo(srisuk)
    annex = data["annexes"][0]
    long_cell = [f"ขั้นตอนที่ {i} ประชาสัมพันธ์มาตรการให้บุคลากรทราบและถือปฏิบัติ" for i in range(3)]
    annex["rows"] = [
        [[f"เริ่มแถว{n}."], *row[1:-1], [*long_cell, f"จบแถว{n}."]]
        for n, row in enumerate(annex["rows"] * 2)
    ]
    pdf = render_pdf(data)
    page_texts = [
        squeeze(pdftotext(pdf, first=n, last=n))
        for n in range(1, len(PdfReader(io.BytesIO(pdf)).pages) + 1)
    ]
    for n in range(len(annex["rows"])):
        starts = [i for i, t in enumerate(page_texts) if f"เริ่มแถว{n}." in t]
        ends = [i for i, t in enumerate(page_texts) if f"จบแถว{n}." in t]
        assert starts == ends and len(starts) == 1, f"row {n} split: pages {starts} / {ends}"
    annex_pages = [t for t in page_texts if "เริ่มแถว" in t]
    assert len(annex_pages) >= 3
    heading = squeeze(annex["columns"][1]["heading"])
    assert all(heading in t for t in annex_pages)


def test_the_measures_annex_prints_indicator_names_follow_up_and_units_in_the_orgs_order(
    app, srisuk, ctx
):
    annex = seed_memo(srisuk)["annexes"][0]
    headings = [column["heading"] for column in annex["columns"]]
    assert headings[0] == "ตัวชี้วัด" and headings[-1] == "การติดตามผล"
    first = annex["rows"][0]
    assert first[0][0] == "ตัวชี้วัดที่ ๔ การใช้ทรัพย์สินของราชการ"
    assert first[-1] == ["รายงานผลการดำเนินงานต่อผู้บริหารทุกไตรมาส"]
    units = [cell[6] for cell in annex["rows"] if "สำนักปลัด" in cell[6] and "กองคลัง" in cell[6]]
    assert units and all(cell.index("สำนักปลัด") < cell.index("กองคลัง") for cell in units)


def test_the_plan_page_shows_the_follow_up_column(app, client, srisuk):
    from support.client import login

    login(client, "nattanipa")
    page = client.get("/measures/years/2569").get_data(as_text=True)
    assert '<th scope="col">การกำกับติดตาม</th>' in page
    assert "รายงานผลการดำเนินงานต่อผู้บริหารทุกไตรมาส" in page


def test_a_standard_heading_left_empty_is_not_printed(app, srisuk, ctx):
    data = seed_memo(srisuk)
    data["sections"].insert(1, {"heading": "ข้อกฎหมาย", "paragraphs": []})
    html = render_html(data)
    assert "ข้อกฎหมาย" not in _text_of(html).replace(ZWSP, "")
    assert html.count("<h2>") == len(data["sections"]) - 1


def test_the_longest_position_with_its_acting_line_fits_the_signature_column(app, srisuk, ctx):
    data = seed_memo(srisuk)
    line = "ผู้อำนวยการกองการศึกษา ศาสนาและวัฒนธรรม รักษาราชการแทน"
    data["drafter"]["positions"] = [line, "ปลัดองค์การบริหารส่วนจังหวัดพระนครศรีอยุธยา"]
    pdf = render_pdf(data)
    printed = lines_of(pdf)
    assert line in printed and "ปลัดองค์การบริหารส่วนจังหวัดพระนครศรีอยุธยา" in printed
    # and it stays inside the right margin: no glyph beyond 19 cm from the page's left edge
    done = subprocess.run(
        ["pdftotext", "-bbox", "-f", "2", "-l", "2", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    right_edges = [float(x) for x in re.findall(r'xMax="([0-9.]+)"', done.stdout.decode())]
    assert right_edges and max(right_edges) <= 19 / 2.54 * 72 + 1


def test_a_printed_url_is_a_clickable_link_to_the_whole_address(app, srisuk, ctx):
    url = "https://srisuk.example.go.th/ita/2570/evidence/no-gift-policy?year=2570&part=1"
    pdf = render_pdf(with_paragraphs(seed_memo(srisuk), [f"หลักฐานการดำเนินงาน {url}"]))
    links = [
        annotation.get_object()["/A"]["/URI"]
        for page in PdfReader(io.BytesIO(pdf)).pages
        for annotation in page.get("/Annots", [])
    ]
    assert url in links
    assert squeeze(url) in squeeze(pdftotext(pdf))


def test_reading_order_text_of_the_analysis_memo_is_what_was_typed(app, srisuk, ctx):
    """The analysis memo (14 pages: charts, tables of questions) read by plain pdftotext."""
    from workflow.ita import memo as ita_memo

    drafter = db.session.scalars(sa.select(User).where(User.username == "nattanipa")).one()
    announcement = ita_memo.default_announcement(drafter, 2568)
    data = memo_data(ita_memo.draft_analysis(drafter, 2568, announcement))
    pdf = render_pdf(data)
    typed = squeeze(_text_of(render_html(data)))
    words = printed_words(pdf, "")
    assert len(words) > 1000
    assert [word for word in words if word not in typed] == []


def test_no_line_of_an_annex_cell_ends_inside_a_word(app, srisuk, ctx):
    """A cell of one line holds its text without a paragraph of its own (the print templates):
    its lines still end only between words, in a column narrower than the body's."""
    paragraphs = seed_paragraphs("003")[:4]
    annex = {
        "title": ["ตารางทดสอบ"],
        "columns": [{"heading": "ก", "width": "30%"}, {"heading": "ข", "width": "70%"}],
        "rows": [[[paragraph], []] for paragraph in paragraphs],
    }
    pdf = render_pdf(
        {**with_paragraphs(seed_memo(srisuk), ["ตามเอกสารแนบท้าย"]), "annexes": [annex]}
    )
    lines, at = lines_of(pdf), 0
    for paragraph in paragraphs:
        printed, at = rendered_lines_of(paragraph, lines, at)
        assert len(printed) >= 3
        ends, offset = word_ends(paragraph), 0
        for line in printed[:-1]:
            offset += len(squeeze(line))
            assert offset in ends, f"line ends inside a word: …{line[-20:]!r}"
    assert 'td class="tw"' in render_html({**seed_memo(srisuk), "annexes": [annex]})


def test_keep_all_keeps_thai_runs_whole_only_where_the_memo_asks_for_it():
    """`word-break: keep-all` (pdf/keep_all.py): a line ends inside Thai text only at a
    zero-width space or a space; text not styled so still breaks where Pango's libthai says."""
    from weasyprint import HTML

    from pdf.render import LockedFetcher

    phrase = "การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ"
    marked = ZWSP.join(["การประเมิน", "คุณธรรม", "และ", "ความโปร่งใส", "ใน", "การดำเนินงาน"])
    style = (
        '@font-face { font-family: S; src: url("asset:fonts/THSarabunNew-Regular.ttf"); }'
        "p { font-family: S; font-size: 16pt; width: 4cm; margin: 0 0 1cm }"
        ".tw { word-break: keep-all }"
    )
    body = (
        f'<p><span class="tw">{phrase}</span></p>'  # keep-all, no marked break: one line
        f'<p><span class="tw">{marked}</span></p>'  # keep-all: breaks only at the marks
        f"<p>{phrase}</p>"  # not styled: libthai's breaks
    )
    pdf = HTML(string=f"<style>{style}</style>{body}", url_fetcher=LockedFetcher([])).write_pdf()
    lines = [line.replace(ZWSP, "") for line in lines_of(pdf)]
    assert lines[0] == phrase
    words, at, printed = marked.split(ZWSP), 1, []
    while len("".join(printed)) < len("".join(words)):
        printed.append(lines[at])
        at += 1
    assert "".join(printed) == "".join(words) and len(printed) >= 3
    ends = {len("".join(words[: i + 1])) for i in range(len(words))}
    assert {len("".join(printed[: i + 1])) for i in range(len(printed))} <= ends
    unstyled = lines[at:]
    assert "".join(unstyled) == phrase and len(unstyled) >= 3


def printed_unit_order(srisuk) -> list[str]:
    """สำนักปลัด and กองคลัง in the order the measures annex prints them for a measure of both
    (its units cell printed alone, so no other cell's text can come between)."""
    data = approved(seed_memo(srisuk))
    annex = copy.deepcopy(data["annexes"][0])
    row = next(
        row
        for row in annex["rows"]
        if isinstance(row, list) and "สำนักปลัด" in row[6] and "กองคลัง" in row[6]
    )
    annex["rows"] = [[cell if i == 6 else [] for i, cell in enumerate(row)]]
    pdf = render_pdf({**with_paragraphs(data, ["ตามเอกสารแนบท้าย"]), "annexes": [annex]})
    last = len(PdfReader(io.BytesIO(pdf)).pages)
    text = squeeze(pdftotext(pdf, first=last, last=last))
    return sorted(["สำนักปลัด", "กองคลัง"], key=text.index)


def test_the_annex_prints_units_in_the_order_the_admin_sets(app, srisuk, ctx):
    assert printed_unit_order(srisuk) == ["สำนักปลัด", "กองคลัง"]  # the demo: the seeds' order
    move_unit("กองคลัง", -1)
    assert printed_unit_order(srisuk) == ["กองคลัง", "สำนักปลัด"]


def rasterised(pdf: bytes, dpi: int = 30) -> list[Image.Image]:
    """Each page as an RGB picture (poppler's pdftoppm)."""
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-png", "-", f"{out}/page"], input=pdf, check=True
        )
        return [Image.open(p).convert("RGB") for p in sorted(Path(out).glob("page*.png"))]


def faint_red(page: Image.Image) -> int:
    """Pixels of the watermark's faint red on white paper, in the middle of the page (below the
    draft banner, above the footer)."""
    width, height = page.size
    band = page.crop((0, height // 4, width, height * 4 // 5)).tobytes()
    pixels = zip(band[0::3], band[1::3], band[2::3], strict=True)
    return sum(1 for r, g, b in pixels if r > 225 and r - g > 12 and abs(g - b) < 8)


def test_the_draft_watermark_shows_on_every_page_but_stays_out_of_the_text(app, srisuk, ctx):
    """The word ร่าง across each page is drawn, not printed as text: copying the memo, pdftotext
    and search give the memo's words without it (as text it came out as "่ราง" in -layout)."""
    data = seed_memo(srisuk)
    assert data["draft"]  # the demo's memo is a draft
    draft, final = render_pdf(data), render_pdf(approved(data))
    mark = data["draft"]
    printed_marks = [f"{mark['banner']} (สถานะ: {mark['state']})", mark["banner"]]
    for mode in ("-layout", "-raw", ""):
        text = squeeze(pdftotext(draft, mode=mode))
        assert "\u0e48\u0e23\u0e32\u0e07" not in text  # "่ราง"
        for printed in printed_marks:  # the banner on page 1 and the footer of every page
            text = text.replace(squeeze(printed), "")
        assert "ร่าง" not in text, mode
    marked, plain = rasterised(draft), rasterised(final)
    assert len(marked) == len(plain) >= 3
    assert all(faint_red(page) > 100 for page in marked)
    assert all(faint_red(page) == 0 for page in plain)
