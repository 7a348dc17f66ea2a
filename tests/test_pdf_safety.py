"""The renderer is locked down: user text prints as text, and nothing is fetched but our assets."""

import pytest
import sqlalchemy as sa
from support.client import login
from test_pdf_support import norm, pdf_text, png
from test_pdf_support import raw_text as raw

import storage
from extensions import db
from models import Document, DocumentSection
from pdf import render
from pdf.data import memo_data
from pdf.render import LockedFetcher, RefusedURL, RenderFailed, render_html, render_pdf

HOSTILE = [
    "<img src=file:///etc/passwd>",
    '<link rel="stylesheet" href="http://attacker.example/steal.css">',
    "<style>body { display: none } @import url(http://attacker.example/x.css);</style>",
    "<p style=\"background: url('file:///etc/shadow')\">ข้อความ</p>",
]


@pytest.fixture
def fetched(monkeypatch) -> list[str]:
    """Every URL WeasyPrint asks the fetcher for."""
    asked: list[str] = []
    original = LockedFetcher.fetch

    def spy(self, url, headers=None):
        asked.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(LockedFetcher, "fetch", spy)
    return asked


def test_html_and_css_in_a_memo_print_as_text_and_are_never_fetched(app, client, srisuk, fetched):
    with app.app_context():
        doc = db.session.get(Document, srisuk.memo_id)
        doc.subject = "เรื่อง <b>ตัวหนา</b> & <script>alert(1)</script>"
        doc.sections.append(
            DocumentSection(position=99, heading="<h1>หัวข้อ</h1>", body="\n".join(HOSTILE))
        )
        db.session.commit()
    login(client, "nattanipa")
    pdf = client.get(f"/documents/{srisuk.memo_id}/pdf").data

    printed = raw(pdf)
    for line in HOSTILE:
        assert norm(line) in norm(printed), line
    assert norm("<h๑>หัวข้อ</h๑>") in pdf_text(pdf)  # digits follow the organisation's setting
    assert set(fetched) <= {f"asset:{name}" for name in render.ASSETS}, fetched
    assert not [u for u in fetched if "passwd" in u or "shadow" in u or "attacker" in u]


def test_the_template_escapes_what_it_is_given(app, srisuk, ctx):
    data = memo_data(db.session.get(Document, srisuk.memo_id))
    data["header"]["subject"] = "<img src=file:///etc/passwd>"
    html = render_html(data)
    assert "&lt;img src=file:///etc/passwd&gt;" in html
    assert "<img src=file:///etc/passwd>" not in html


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://attacker.example/x.css",
        "https://attacker.example/font.ttf",
        "asset:../config.py",
        "asset:fonts/../../config.py",
        "storage:0123456789abcdef0123456789abcdef",
        "data:text/css,body{}",
    ],
)
def test_the_fetcher_refuses_anything_but_its_assets_and_listed_images(app, url):
    with app.app_context(), pytest.raises(RefusedURL):
        LockedFetcher([]).fetch(url)


def test_the_fetcher_serves_the_fonts_and_the_images_it_was_given(app):
    with app.app_context():
        key = storage.save(png())
        font = LockedFetcher([]).fetch("asset:fonts/THSarabunNew-Regular.ttf")
        image = LockedFetcher([key]).fetch(f"storage:{key}")
        assert font.content_type == "font/ttf" and font.read()[:4] == b"\x00\x01\x00\x00"
        assert image.content_type == "image/png"
        with pytest.raises(RefusedURL):
            LockedFetcher([]).fetch(f"storage:{key}")  # stored, but not listed for this memo


def test_a_resource_that_cannot_be_fetched_stops_the_rendering(app, srisuk, ctx, monkeypatch):
    """A missing font must fail loudly, never fall back to another font."""
    missing = render.ASSETS["fonts/THSarabunNew-Regular.ttf"][0].with_name("Missing.ttf")
    monkeypatch.setitem(render.ASSETS, "fonts/THSarabunNew-Regular.ttf", (missing, "font/ttf"))
    with pytest.raises(RenderFailed):
        render_pdf(memo_data(db.session.get(Document, srisuk.memo_id)))


def test_the_template_gets_plain_data_only(app, srisuk, ctx):
    doc = db.session.scalars(sa.select(Document)).first()
    with pytest.raises(TypeError, match="not plain data"):
        render_pdf({"header": {"subject": doc}})
