"""The organisation admin installs the e-seal certificate: a PKCS#12 file and its password.
The key is kept only encrypted (not in the database in clear, not in a backup in clear), the
password not at all; a wrong password or a wrong file is a Thai error beside its field."""

import base64
import io
import tarfile

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from support.client import login
from support.seal import PASSWORD, SEAL_NAME, pki
from test_backup import cli, needs_pg_tools

from extensions import db
from models import OrgSeal
from pdf.seal import keys


def upload(client, data: bytes, password: str = PASSWORD, name: str = "seal.p12"):
    client.fetch_csrf("/admin/seal")
    return client.post_form("/admin/seal", {"file": (io.BytesIO(data), name), "password": password})


def secrets_in_clear() -> list[bytes]:
    """The private key as it could appear anywhere: DER, its base64 (PEM body), the password."""
    der = pki().seal_key_der()
    return [der, base64.b64encode(der)[:60], PASSWORD.encode()]


def test_the_admin_installs_the_certificate_and_sees_who_it_names(app, client, srisuk):
    login(client, "admin")
    response = upload(client, pki().pkcs12())
    assert response.status_code == 302
    page = client.get("/admin/seal").get_data(as_text=True)
    assert SEAL_NAME in page and "Test CA" in page and keys.fingerprint(pki().seal) in page
    assert "ใบรับรองทดลอง" not in page  # the demo's mark went with the demo's certificate
    with app.app_context():
        row = db.session.get(OrgSeal, srisuk.org_id)
        assert row.fingerprint == keys.fingerprint(pki().seal) and not row.demo
        stored = keys.seal_key(row)
    assert stored.key.private_numbers() == pki().seal_key.private_numbers()


def test_a_wrong_password_is_an_error_beside_the_password_and_changes_nothing(app, client, srisuk):
    with app.app_context():
        before = db.session.get(OrgSeal, srisuk.org_id).fingerprint
    login(client, "admin")
    response = upload(client, pki().pkcs12(), password="ผิด")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    error = page.split('name="password"')[1].split("</div>")[0]
    assert "รหัสผ่านไม่ถูกต้อง" in error
    with app.app_context():
        assert db.session.get(OrgSeal, srisuk.org_id).fingerprint == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7 not a certificate", "ไม่ใช่ไฟล์ใบรับรองแบบ PKCS#12"),
        (b"\x30" + b"\x00" * (70 * 1024), "ไฟล์ใหญ่เกินกว่าไฟล์ใบรับรอง"),
    ],
)
def test_a_file_that_is_not_a_certificate_is_refused_beside_the_file(client, srisuk, data, message):
    login(client, "admin")
    response = upload(client, data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True).split('name="file"')[1].split("</div>")[0]


def test_only_the_admin_may_install_and_the_form_needs_its_csrf_token(app, client, srisuk):
    with app.app_context():
        before = db.session.get(OrgSeal, srisuk.org_id).fingerprint
    login(client, "nattanipa")
    assert client.get("/admin/seal").status_code == 403
    assert upload_without_page(client, pki().pkcs12()).status_code in (400, 403)
    client.post_form("/logout")
    login(client, "admin")
    response = client.post(
        "/admin/seal", data={"file": (io.BytesIO(pki().pkcs12()), "s.p12"), "password": PASSWORD}
    )
    assert response.status_code == 400  # no CSRF token
    with app.app_context():
        assert db.session.get(OrgSeal, srisuk.org_id).fingerprint == before


def upload_without_page(client, data: bytes):
    return client.post_form(
        "/admin/seal", {"file": (io.BytesIO(data), "seal.p12"), "password": PASSWORD}
    )


def test_removing_the_certificate_leaves_later_pdfs_unsealed(app, client, srisuk):
    login(client, "admin")
    client.fetch_csrf("/admin/seal")
    assert client.post_form("/admin/seal/remove").status_code == 302
    with app.app_context():
        assert db.session.get(OrgSeal, srisuk.org_id) is None
    assert "ยังไม่ได้ติดตั้งใบรับรอง" in client.get("/admin/seal").get_data(as_text=True)


def test_without_seal_secret_key_no_certificate_can_be_installed(app, client, srisuk):
    app.config["SEAL_SECRET_KEY"] = ""
    login(client, "admin")
    response = upload(client, pki().pkcs12())
    assert response.status_code == 400
    assert "ยังไม่ได้ตั้งค่า SEAL_SECRET_KEY" in response.get_data(as_text=True)


def test_the_key_is_not_readable_from_the_database(app, client, srisuk):
    login(client, "admin")
    assert upload(client, pki().pkcs12()).status_code == 302
    with app.app_context():
        rows = db.session.execute(sa.text("SELECT * FROM org_seals")).all()
    dumped = repr(rows).encode() + b"".join(
        v.encode() if isinstance(v, str) else bytes(v) if isinstance(v, bytes) else b""
        for row in rows
        for v in row
    )
    for secret in secrets_in_clear():
        assert secret not in dumped
    app.config["SEAL_SECRET_KEY"] = Fernet.generate_key().decode()  # another installation
    with app.app_context(), pytest.raises(keys.NotConfigured):
        keys.seal_key(db.session.get(OrgSeal, srisuk.org_id))


@needs_pg_tools
def test_the_key_is_not_readable_from_a_backup(app, client, srisuk, tmp_path):
    login(client, "admin")
    assert upload(client, pki().pkcs12()).status_code == 302
    archive = tmp_path / "ita.tar.gz"
    assert cli(app, "backup", "create", str(archive)).exit_code == 0
    with tarfile.open(archive) as tar:
        members = [tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()]
    assert any(b"org_seals" in m for m in members), "the backup holds the seal's table"
    for secret in secrets_in_clear():
        assert not any(secret in m for m in members)
