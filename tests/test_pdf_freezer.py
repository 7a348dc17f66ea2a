"""PDF_FREEZE = "worker": the final approval fixes what the PDF prints and commits at once; the
freezer (`flask pdf freeze`) renders it after, as the approver, into the same hash chain. A
download that comes first renders it from the same content; whatever changes after the approval
(the organisation's digits, a replaced signature) does not reach the PDF; a failed render keeps
the approval and is retried later; two freezers at once render each PDF once."""

import hashlib
import io
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import PG_URL
from support.client import login
from support.factories import memo_content, user
from support.faults import log_rows, sign_up_to, verified_clean
from support.served import wait_for
from test_pdf_support import CHAIN, image_count, norm, pdf_text, png

import clock
import storage
from extensions import db
from maintenance.storage_files import orphans
from models import Action, DocState, Document, FrozenPdf, Organisation, PendingPdf
from pdf import freeze
from pdf.render import RenderFailed
from workflow import documents as service

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def worker_mode(app):
    app.config["PDF_FREEZE"] = "worker"
    return app


@pytest.fixture
def renders(monkeypatch) -> list[int]:
    """One entry per PDF rendered for freezing."""
    counted: list[int] = []
    original = freeze.render_pdf
    monkeypatch.setattr(freeze, "render_pdf", lambda data: counted.append(1) or original(data))
    return counted


def approve(app, memo_id: int) -> None:
    with app.app_context():
        sign_up_to(memo_id, len(CHAIN))


def freeze_pass(app, *args: str):
    return app.test_cli_runner().invoke(args=["pdf", "freeze", "--nice", "0", *args])


def set_digits(app, org_id: int, thai_digits: bool) -> None:
    with app.app_context():
        db.session.get(Organisation, org_id).thai_digits = thai_digits
        db.session.commit()


def pending_of(app, memo_id: int) -> PendingPdf | None:
    with app.app_context():
        row = db.session.get(PendingPdf, memo_id)
        db.session.expunge_all()
        return row


def test_the_approval_commits_without_rendering_and_the_freezer_renders_it_as_the_approver(
    worker_mode, client, srisuk, renders
):
    app, memo = worker_mode, srisuk.memo_id
    approve(app, memo)
    assert renders == []
    with app.app_context():
        assert db.session.get(Document, memo).state == DocState.APPROVED
        assert db.session.get(FrozenPdf, memo) is None
        assert log_rows(memo)[-1].action == Action.APPROVE
    pending = pending_of(app, memo)
    assert pending is not None and len(pending.verify_code) == freeze.CODE_LENGTH
    assert verified_clean(app)  # an approval whose PDF is still to come is whole

    login(client, "nakarin")
    page = client.get(f"/documents/{memo}").get_data(as_text=True)
    assert "ระบบกำลังจัดทำไฟล์ PDF ฉบับอนุมัติ" in page and "/v/" not in page

    result = freeze_pass(app)
    assert result.exit_code == 0, result.output
    assert "จัดทำไฟล์ PDF ฉบับอนุมัติ 1 ฉบับ" in result.output
    assert renders == [1]
    with app.app_context():
        frozen = db.session.get(FrozenPdf, memo)
        rows = log_rows(memo)
        assert db.session.get(PendingPdf, memo) is None
        assert frozen.verify_code == pending.verify_code
        assert [r.action for r in rows][-2:] == [Action.APPROVE, Action.FREEZE]
        assert rows[-1].actor_name == rows[-2].actor_name == "นายนครินทร์ สมัญญา"
        assert rows[-1].prev_hash == rows[-2].row_hash and frozen.sha256 in rows[-1].comment
        stored = storage.path_of(frozen.storage_key).read_bytes()
    assert verified_clean(app)

    download = client.get(f"/documents/{memo}/pdf")
    assert download.data == stored and hashlib.sha256(stored).hexdigest() == frozen.sha256
    assert frozen.verify_code in pdf_text(stored)
    assert client.get(f"/v/{frozen.verify_code}").status_code == 200
    page = client.get(f"/documents/{memo}").get_data(as_text=True)
    assert f"/v/{frozen.verify_code}" in page and "ระบบกำลังจัดทำ" not in page

    again = freeze_pass(app)
    assert "จัดทำไฟล์ PDF ฉบับอนุมัติ 0 ฉบับ" in again.output and renders == [1]


def test_the_pdf_prints_what_was_approved_though_the_organisation_changed_since(
    worker_mode, srisuk
):
    app, memo = worker_mode, srisuk.memo_id
    approve(app, memo)
    set_digits(app, srisuk.org_id, False)  # printed in Thai digits when approved; not any more
    assert freeze_pass(app).exit_code == 0
    with app.app_context():
        frozen = db.session.get(FrozenPdf, memo)
        text = pdf_text(storage.path_of(frozen.storage_key).read_bytes())
    arabic, thai = number_of(app, memo)
    assert norm(thai) in text and norm(arabic) not in text


def number_of(app, memo_id: int) -> tuple[str, str]:
    """The memo's number in Arabic and in Thai digits."""
    with app.app_context():
        number = db.session.get(Document, memo_id).number
    assert any(c.isascii() and c.isdigit() for c in number)
    return number, number.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))


def test_a_download_before_the_freezer_renders_the_approved_content_once(
    worker_mode, client, srisuk, renders
):
    app, memo = worker_mode, srisuk.memo_id
    approve(app, memo)
    code = pending_of(app, memo).verify_code
    set_digits(app, srisuk.org_id, False)
    login(client, "chuttikan")
    first = client.get(f"/documents/{memo}/pdf")
    assert first.status_code == 200 and renders == [1]
    assert code in pdf_text(first.data) and norm(number_of(app, memo)[1]) in pdf_text(first.data)
    assert client.get(f"/documents/{memo}/pdf").data == first.data

    assert "จัดทำไฟล์ PDF ฉบับอนุมัติ 0 ฉบับ" in freeze_pass(app).output
    assert renders == [1]
    with app.app_context():
        assert db.session.get(PendingPdf, memo) is None
        assert db.session.get(FrozenPdf, memo).verify_code == code
        freezes = [r for r in log_rows(memo) if r.action == Action.FREEZE]
        assert len(freezes) == 1 and freezes[0].actor_name == "นายนครินทร์ สมัญญา"
    assert verified_clean(app)


def test_two_downloads_before_the_freezer_render_the_pdf_once(worker_mode, srisuk, monkeypatch):
    # a GET reads without a transaction (database.py); the late render begins one, so the
    # memo's row lock holds until the PDF is stored and the second download finds it done
    if not PG_URL:
        pytest.skip("needs PostgreSQL: set TEST_DATABASE_URL (row locks between connections)")
    app, memo = worker_mode, srisuk.memo_id
    approve(app, memo)
    rendered, original = [], freeze.render_pdf

    def slow(data):
        rendered.append(1)
        time.sleep(1)  # long enough for the other download to arrive meanwhile
        return original(data)

    monkeypatch.setattr(freeze, "render_pdf", slow)
    clients = [app.test_client() for _ in range(2)]
    for each in clients:
        login(each, "chuttikan")
    with ThreadPoolExecutor(2) as pool:
        responses = list(pool.map(lambda c: c.get(f"/documents/{memo}/pdf"), clients))
    assert [r.status_code for r in responses] == [200, 200]
    assert responses[0].data == responses[1].data
    assert rendered == [1]


def test_a_signature_replaced_before_the_render_still_prints_as_approved(
    worker_mode, client, srisuk
):
    app, memo = worker_mode, srisuk.memo_id
    login(client, "nakarin")
    client.fetch_csrf("/pdf/signature")
    sent = client.post_form("/pdf/signature", {"file": (io.BytesIO(png()), "sig.png")})
    assert sent.status_code == 302
    approve(app, memo)
    client.fetch_csrf("/pdf/signature")
    assert client.post_form("/pdf/signature/remove").status_code == 302
    with app.app_context():  # the removed image is still needed, and not listed as an orphan
        assert orphans(db.session, storage.root()) == []

    result = freeze_pass(app)
    assert result.exit_code == 0, result.output
    with app.app_context():
        frozen = db.session.get(FrozenPdf, memo)
        assert image_count(storage.path_of(frozen.storage_key).read_bytes()) == 1
        # The removed signature's file outlived the render; now nothing refers to it.
        assert len(orphans(db.session, storage.root())) == 1


def test_a_failed_render_keeps_the_approval_and_is_retried_later(worker_mode, srisuk, monkeypatch):
    app, memo = worker_mode, srisuk.memo_id
    approve(app, memo)
    files_before = sorted(storage_dir(app).iterdir())

    def broken(data):
        raise RenderFailed("ฟอนต์หาย")

    monkeypatch.setattr(freeze, "render_pdf", broken)
    result = freeze_pass(app)
    assert result.exit_code == 1
    assert "ไม่สำเร็จ 1 ฉบับ" in result.output and "ฟอนต์หาย" in result.output
    pending = pending_of(app, memo)
    assert pending.attempts == 1 and "RenderFailed" in pending.last_error
    assert pending.retry_at > clock.now()
    with app.app_context():
        assert db.session.get(Document, memo).state == DocState.APPROVED
        assert db.session.get(FrozenPdf, memo) is None
        assert log_rows(memo)[-1].action == Action.APPROVE
    assert sorted(storage_dir(app).iterdir()) == files_before
    listed = app.test_cli_runner().invoke(args=["pdf", "pending"])
    assert "ลองแล้ว 1 ครั้ง" in listed.output and "รอจัดทำไฟล์ PDF ฉบับอนุมัติ 1 ฉบับ" in listed.output

    monkeypatch.undo()
    assert "จัดทำไฟล์ PDF ฉบับอนุมัติ 0 ฉบับ" in freeze_pass(app).output  # not due yet
    later = clock.now() + timedelta(minutes=2)
    monkeypatch.setattr(clock, "now", lambda: later)
    retried = freeze_pass(app)
    assert retried.exit_code == 0 and "จัดทำไฟล์ PDF ฉบับอนุมัติ 1 ฉบับ" in retried.output
    assert pending_of(app, memo) is None
    assert verified_clean(app)


def storage_dir(app) -> Path:
    root = Path(app.config["STORAGE_DIR"])
    root.mkdir(parents=True, exist_ok=True)
    return root


def freezer_env(app, instance: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": str(app.config["SQLALCHEMY_DATABASE_URI"]),
        "STORAGE_DIR": app.config["STORAGE_DIR"],
        "INSTANCE_PATH": str(instance),
        "APP_ENV": "development",
    }


FREEZE = [sys.executable, "-m", "flask", "--app", "app", "pdf", "freeze", "--nice", "0"]


def test_the_freezer_service_renders_approvals_as_they_come_and_stops_on_sigterm(
    worker_mode, srisuk, tmp_path
):
    app, memo = worker_mode, srisuk.memo_id
    service_env = freezer_env(app, tmp_path)
    command = [*FREEZE, "--watch", "--interval", "0.2"]
    freezer = subprocess.Popen(
        command, cwd=ROOT, env=service_env, stderr=subprocess.PIPE, text=True
    )
    try:
        approve(app, memo)  # while the freezer is already watching

        def frozen() -> bool:
            with app.app_context():
                found = db.session.get(FrozenPdf, memo) is not None
                db.session.rollback()
                return found

        wait_for(frozen, "the freezer never rendered the approved memo")
        assert freezer.poll() is None, "the service keeps running"
        freezer.send_signal(signal.SIGTERM)
        assert freezer.wait(timeout=60) == 0
    finally:
        if freezer.poll() is None:
            freezer.kill()
        freezer.wait()
        freezer.stderr.close()
    with app.app_context():
        assert db.session.get(PendingPdf, memo) is None
        assert [r.action for r in log_rows(memo)][-2:] == [Action.APPROVE, Action.FREEZE]
    assert verified_clean(app)


@pytest.mark.skipif(
    not PG_URL,
    reason="needs PostgreSQL (TEST_DATABASE_URL): two processes at once against one database",
)
def test_two_freezers_at_once_render_each_pdf_exactly_once(worker_mode, srisuk, tmp_path):
    app = worker_mode
    with app.app_context():
        memos = [srisuk.memo_id]
        for i in range(7):
            memos.append(service.create_draft(user("nattanipa"), memo_content(f"เรื่องที่ {i}")).id)
            db.session.commit()
        for memo in memos:
            sign_up_to(memo, len(CHAIN))
    env = freezer_env(app, tmp_path)
    runs = [
        subprocess.Popen(FREEZE, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs

    counts = [int(out.split("อนุมัติ")[1].split()[0]) for out in outputs]
    assert sum(counts) == len(memos), outputs
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PendingPdf)) == 0
        frozen = db.session.scalars(sa.select(FrozenPdf.document_id)).all()
        assert sorted(frozen) == sorted(memos)
        freezes = [r.document_id for r in log_rows() if r.action == Action.FREEZE]
        assert sorted(freezes) == sorted(memos)
        assert orphans(db.session, storage.root()) == []
    assert verified_clean(app)


def test_the_admin_is_told_when_approved_pdfs_wait_too_long(
    worker_mode, client, srisuk, monkeypatch
):
    app, memo = worker_mode, srisuk.memo_id
    approve(app, memo)
    login(client, "admin")
    assert "late-pdfs" not in client.get("/admin/").get_data(as_text=True)  # just approved

    later = clock.now() + timedelta(minutes=20)  # and no freezer ran since
    monkeypatch.setattr(clock, "now", lambda: later)
    page = client.get("/admin/").get_data(as_text=True)
    assert 'id="late-pdfs"' in page and "ไฟล์ PDF ฉบับอนุมัติ ๑ ฉบับยังไม่ได้จัดทำ" in page

    assert freeze_pass(app).exit_code == 0
    assert "late-pdfs" not in client.get("/admin/").get_data(as_text=True)
