"""Input at and past the limits gets a clear answer, never a 500: ids too large for the
database, numbers too large for a column, images declaring billions of pixels, budgets with
misplaced commas."""

import struct
import zlib

import pytest
from support.client import login
from support.pages import error_beside
from test_measures_support import field_error, measure_form, plan_id, unit_id
from test_pdf_images import key_of, upload

import clock
import thai
from forms.common import MAX_INTEGER

HUGE_IDS = [2**31, 2**63, 10**30]


def _id_rules(app):
    return [
        r
        for r in app.url_map.iter_rules()
        if r.arguments and all(f"<int:{name}>" in r.rule for name in r.arguments)
    ]


def test_every_id_too_large_for_the_database_is_a_404(app, client, srisuk):
    login(client, "admin")
    rules = _id_rules(app)
    assert len(rules) > 60  # the id-bearing routes of the whole app
    for rule in rules:
        for value in HUGE_IDS:
            path = rule.rule
            for name in rule.arguments:
                path = path.replace(f"<int:{name}>", str(value))
            method = "GET" if "GET" in rule.methods else "POST"
            response = client.get(path) if method == "GET" else client.post_form(path, {})
            assert response.status_code == 404, (path, method, response.status_code)


def test_a_sequence_number_too_large_is_a_field_error(app, client, srisuk):
    login(client, "admin")
    year = thai.fiscal_year(clock.today())
    response = client.post_form(f"/admin/numbers/{year}/next", {"next_seq": str(2**63)})
    assert response.status_code == 400
    assert any("มากเกินไป" in e for e in error_beside(response.get_data(as_text=True), "next_seq"))
    response = client.post_form(f"/admin/numbers/{year}/next", {"next_seq": f"{MAX_INTEGER + 1:,}"})
    assert any("มากเกินไป" in e for e in error_beside(response.get_data(as_text=True), "next_seq"))


def _png_header(width: int, height: int) -> bytes:
    """A PNG whose header declares this size (its pixels never arrive)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 16)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("side", [100_000, 12_000])  # Pillow refuses the first, warns on the second
def test_an_image_declaring_a_huge_size_gets_the_same_field_error(app, client, srisuk, side):
    login(client, "nattanipa")
    response = upload(client, "/pdf/signature", _png_header(side, side), "bomb.png")
    assert response.status_code == 400
    assert "ใหญ่เกินไป" in response.get_data(as_text=True)
    assert key_of(app, "nattanipa") is None


@pytest.mark.parametrize("typed", ["1,2,3", "12,50", "1,0000", ",500"])
def test_a_number_with_misplaced_commas_is_refused_not_guessed(typed):
    with pytest.raises(ValueError, match="สามหลัก"):
        thai.number_text(typed)


@pytest.mark.parametrize(
    ("typed", "plain"),
    [("12,500.50", "12500.50"), ("๑,๒๐๐", "1200"), ("1 000", "1000"), ("500", "500")],
)
def test_numbers_typed_the_usual_ways_are_understood(typed, plain):
    assert thai.number_text(typed) == plain


def test_a_budget_typed_1_2_3_is_refused_beside_the_budget(app, client, srisuk):
    login(client, "nattanipa")
    form = measure_form([unit_id(app, "กองคลัง")], budget="1,2,3", no_budget=None, person_ids=[])
    response = client.post_form(f"/measures/plans/{plan_id(app)}/measures/new", form)
    assert "สามหลัก" in field_error(response.get_data(as_text=True), "budget")
