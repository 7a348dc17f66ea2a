"""Uploading the images printed on memos: one's own signature, the organisation's Garuda emblem."""

import io

from support.client import login
from test_pdf_support import image_count, png

import storage
from extensions import db
from models import Organisation, User
from pdf import images


def upload(client, url: str, data: bytes, name: str = "image.png"):
    client.fetch_csrf(url)
    return client.post_form(url, {"file": (io.BytesIO(data), name)})


def key_of(app, username: str) -> str | None:
    with app.app_context():
        return db.session.query(User).filter_by(username=username).one().signature_key


def test_a_person_uploads_sees_and_removes_their_signature(app, client, srisuk):
    login(client, "nattanipa")
    page = client.get("/pdf/signature").get_data(as_text=True)
    assert "ยังไม่มีภาพ" in page and "พิมพ์ชื่อของคุณแทนลายมือชื่อ" in page
    assert upload(client, "/pdf/signature", png()).status_code == 302
    key = key_of(app, "nattanipa")
    assert key is not None
    preview = client.get("/pdf/signature/image")
    assert (
        preview.mimetype == "image/png" and preview.headers["X-Content-Type-Options"] == "nosniff"
    )

    assert image_count(client.get(f"/documents/{srisuk.memo_id}/pdf").data) == 0  # unsigned yet
    client.post_form(f"/documents/{srisuk.memo_id}/submit")
    assert image_count(client.get(f"/documents/{srisuk.memo_id}/pdf").data) == 1
    client.fetch_csrf("/pdf/signature")
    assert client.post_form("/pdf/signature/remove").status_code == 302
    assert key_of(app, "nattanipa") is None
    with app.app_context():
        assert not storage.path_of(key).exists()
    assert client.get("/pdf/signature/image").status_code == 404


def test_only_real_png_or_jpeg_images_of_modest_size_are_accepted(app, client, srisuk, monkeypatch):
    monkeypatch.setattr(images, "MAX_IMAGE_BYTES", 4000)  # the test client spools big bodies
    login(client, "nattanipa")
    for data, name in [
        (b"not an image at all", "sig.png"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "broken.png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 50, "broken.jpg"),
        (b"GIF89a" + b"\x00" * 50, "sig.gif"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "sig.svg"),
        (png(2000, 2000, "white") + b"\x00" * 4000, "huge.png"),
        (png(5000, 2, "white"), "too-wide.png"),
    ]:
        response = upload(client, "/pdf/signature", data, name)
        assert response.status_code == 400, name
        page = response.get_data(as_text=True)
        assert "PNG หรือ JPEG" in page or "ใหญ่เกินไป" in page, name
    assert key_of(app, "nattanipa") is None


def test_uploads_need_the_csrf_token(app, client, srisuk):
    login(client, "nattanipa")
    response = client.post("/pdf/signature", data={"file": (io.BytesIO(png()), "s.png")})
    assert response.status_code == 400
    assert key_of(app, "nattanipa") is None


def test_the_garuda_emblem_is_set_by_the_organisation_admin_only(app, client, srisuk):
    login(client, "nattanipa")
    assert client.get("/pdf/garuda").status_code == 403
    client.post_form("/logout")
    login(client, "admin")
    assert "ยังไม่มีภาพ" in client.get("/pdf/garuda").get_data(as_text=True)
    assert upload(client, "/pdf/garuda", png(150, 150, "darkred")).status_code == 302
    with app.app_context():
        assert db.session.get(Organisation, srisuk.org_id).garuda_key is not None
    client.post_form("/logout")
    login(client, "nattanipa")
    pdf = client.get(f"/documents/{srisuk.memo_id}/pdf").data
    assert image_count(pdf) == 1
