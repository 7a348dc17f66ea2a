"""`flask backup create` and `flask backup restore`: a backup restored into a fresh instance has
every document, every decision row (and the log verifies clean) and every stored file with the
same SHA-256; a backup taken while someone writes is consistent; a damaged archive is refused
and nothing changes. On PostgreSQL the same tests go through pg_dump and pg_restore, restoring
into a second database."""

import hashlib
import io
import json
import os
import tarfile
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import PG_SCHEMA, PG_URL, make_config
from support.client import Client, login
from support.factories import memo_content, user
from support.faults import build_world, sign_up_to, verified_clean
from test_pdf_support import CHAIN, image_count, png

import storage
from app import create_app
from config import database_url
from extensions import db
from maintenance import backup as backup_module
from maintenance.storage_files import stored_files
from models import Attachment, DecisionLog, Document, FrozenPdf, NumberCounter, PendingPdf, User
from pdf import images
from workflow import documents as service

needs_pg_tools = pytest.mark.skipif(
    bool(PG_URL)
    and not (backup_module.shutil.which("pg_dump") and backup_module.shutil.which("pg_restore")),
    reason="PostgreSQL backups need pg_dump and pg_restore on PATH (Debian: postgresql-client)",
)
pytestmark = needs_pg_tools


def cli(app, *args: str):
    """A command as `flask …` runs it (the flask CLI provides the app context)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


@contextmanager
def fresh_instance(tmp_path: Path):
    """A second installation: its own empty database and storage directory."""
    home = tmp_path / "restored"
    home.mkdir()
    storage = str(home / "storage")
    if not PG_URL:
        restored = create_app(make_config(f"sqlite:///{home / 'db.sqlite3'}", storage))
        yield restored
        with restored.app_context():
            db.engine.dispose()
        return
    name = f"ita_restore_{os.getpid()}"
    _pg_admin(f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}")
    url = sa.engine.make_url(database_url(PG_URL)).set(
        database=name, query={"options": f"-csearch_path={PG_SCHEMA}"}
    )
    restored = create_app(make_config(url.render_as_string(hide_password=False), storage))
    try:
        yield restored
    finally:
        with restored.app_context():
            db.engine.dispose()
        _pg_admin(f"DROP DATABASE IF EXISTS {name}")


def _pg_admin(*statements: str) -> None:
    engine = sa.create_engine(database_url(PG_URL), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        for statement in statements:
            conn.execute(sa.text(statement))
    engine.dispose()


def facts(app) -> dict:
    """Everything a restore must bring back, as plain values."""
    with app.app_context():
        root = Path(app.config["STORAGE_DIR"])
        files = {p.relative_to(root).as_posix(): _sha(p) for p in stored_files(root)}
        found = {
            "documents": _all(Document, "id", "state", "revision", "current_step", "subject"),
            "numbers": [(d.id, d.number) for d in db.session.scalars(sa.select(Document))],
            "log": _all(DecisionLog, "id", "document_id", "action", "row_hash"),
            "attachments": _all(Attachment, "id", "storage_key", "sha256"),
            "frozen": _all(FrozenPdf, "document_id", "storage_key", "sha256", "verify_code"),
            "counters": _all(NumberCounter, "org_id", "fiscal_year", "last_seq"),
            "users": _all(User, "id", "username", "password_hash"),
            "files": files,
        }
        db.session.rollback()
    return found


def _all(model, *columns: str) -> list[tuple]:
    selected = [getattr(model, c) for c in columns]
    rows = db.session.execute(sa.select(*selected).order_by(*selected))
    return [tuple(row) for row in rows]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def world(app, srisuk):
    return build_world(app, srisuk.org_id, srisuk.memo_id)


def test_a_restored_backup_has_every_document_decision_and_file(app, world, tmp_path):
    before = facts(app)
    assert len(before["frozen"]) == 1 and len(before["attachments"]) == 2
    assert {sha for _, _, sha in before["attachments"]} <= set(before["files"].values())
    archive = tmp_path / "backups" / "ita.tar.gz"

    made = cli(app, "backup", "create", str(archive))
    assert made.exit_code == 0, made.output
    assert "สำรองข้อมูลแล้ว" in made.output and "ไฟล์ 3 ไฟล์" in made.output
    assert oct(archive.stat().st_mode & 0o777) == "0o600"  # it holds password hashes

    with fresh_instance(tmp_path) as restored:
        done = cli(restored, "backup", "restore", str(archive))
        assert done.exit_code == 0, done.output
        assert "audit verify" in done.output
        assert facts(restored) == before
        assert verified_clean(restored)
        verified = cli(restored, "audit", "verify")
        assert verified.exit_code == 0 and "ถูกต้องครบถ้วน" in verified.output
        assert _pdf_served(restored, world.approved)  # from the restored files, byte for byte


def test_a_pdf_still_pending_at_backup_time_is_rendered_after_the_restore_as_approved(
    app, srisuk, tmp_path
):
    app.config["PDF_FREEZE"] = "worker"
    memo = srisuk.memo_id
    with app.app_context():
        images.set_signature(user("nakarin"), png())
        db.session.commit()
        sign_up_to(memo, len(CHAIN))
        code = db.session.get(PendingPdf, memo).verify_code
        images.remove_signature(user("nakarin"))  # after the approval: the PDF still prints it
        db.session.commit()
    archive = tmp_path / "ita.tar.gz"
    made = cli(app, "backup", "create", str(archive))
    assert made.exit_code == 0 and "ไม่พบในที่เก็บไฟล์" not in made.output, made.output
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["missing_files"] == []

    with fresh_instance(tmp_path) as restored:
        assert cli(restored, "backup", "restore", str(archive)).exit_code == 0
        rendered = cli(restored, "pdf", "freeze", "--nice", "0")
        assert "จัดทำไฟล์ PDF ฉบับอนุมัติ 1 ฉบับ" in rendered.output, rendered.output
        with restored.app_context():
            frozen = db.session.get(FrozenPdf, memo)
            assert frozen.verify_code == code
            assert image_count(storage.path_of(frozen.storage_key).read_bytes()) == 1
        assert verified_clean(restored)


def _pdf_served(app, doc_id: int) -> bool:
    app.test_client_class = Client
    client = login(app.test_client(), "nakarin")
    response = client.get(f"/documents/{doc_id}/pdf")
    with app.app_context():
        frozen = db.session.get(FrozenPdf, doc_id)
        return response.status_code == 200 and _digest(response.data) == frozen.sha256


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_restore_refuses_a_non_empty_installation_unless_forced(app, world, tmp_path):
    archive = tmp_path / "ita.tar.gz"
    assert cli(app, "backup", "create", str(archive)).exit_code == 0
    before = facts(app)

    refused = cli(app, "backup", "restore", str(archive))
    assert refused.exit_code != 0
    assert "มีข้อมูลอยู่แล้ว" in refused.output and "--force" in refused.output
    assert facts(app) == before

    forced = cli(app, "backup", "restore", "--force", str(archive))
    assert forced.exit_code == 0, forced.output
    assert "ไฟล์เดิมในที่เก็บไฟล์ถูกย้ายไปเก็บไว้ที่" in forced.output
    assert facts(app) == before
    kept = list(Path(app.config["STORAGE_DIR"]).parent.glob("storage.before-restore-*"))
    assert len(kept) == 1 and len(list(kept[0].iterdir())) == len(before["files"])


def _flip_a_byte(archive: Path) -> None:
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    archive.write_bytes(bytes(data))


def _truncate(archive: Path) -> None:
    archive.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])


def _swap_a_stored_file(archive: Path) -> None:
    """A well-formed archive whose attachment was replaced after the manifest was written."""
    rebuilt = archive.with_suffix(".new")
    with tarfile.open(archive) as source, tarfile.open(rebuilt, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("storage/") and b"%PDF-1.4" in data:
                data = data.replace(b"Catalog", b"Catalogue")
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    rebuilt.replace(archive)


def _drop_the_database(archive: Path) -> None:
    rebuilt = archive.with_suffix(".new")
    with tarfile.open(archive) as source, tarfile.open(rebuilt, "w:gz") as target:
        for member in source.getmembers():
            if not member.name.startswith("database."):
                target.addfile(member, source.extractfile(member))
    rebuilt.replace(archive)


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (_flip_a_byte, "ใช้ไม่ได้"),  # caught by gzip or by a member's SHA-256
        (_truncate, "อ่านไฟล์ไม่ได้"),
        (_swap_a_stored_file, "ค่า SHA-256 ไม่ตรงกับบัญชีรายการ"),
        (_drop_the_database, "รายการไฟล์ไม่ตรงกับบัญชีรายการ"),
    ],
)
def test_a_damaged_archive_is_refused_and_nothing_changes(app, world, tmp_path, damage, reason):
    archive = tmp_path / "ita.tar.gz"
    assert cli(app, "backup", "create", str(archive)).exit_code == 0
    with app.app_context():  # the installation moves on after the backup
        service.decide(world.in_review, user("chuttikan"), decision="เห็นควรอนุมัติ")
        db.session.commit()
    before = facts(app)
    damage(archive)

    refused = cli(app, "backup", "restore", "--force", str(archive))
    assert refused.exit_code != 0
    assert "ไม่ได้กู้คืนและไม่ได้เปลี่ยนแปลงข้อมูลใด" in refused.output
    assert reason in refused.output
    assert facts(app) == before
    storage_dir = Path(app.config["STORAGE_DIR"])
    assert [p.name for p in storage_dir.parent.iterdir() if p.name.startswith(".restore-")] == []


def test_a_backup_taken_while_another_thread_writes_is_consistent(app, srisuk, tmp_path):
    written = []
    stop = threading.Event()
    three = threading.Event()

    def write() -> None:  # a drafter sending memo after memo, each in its own transaction
        with app.app_context():
            while not stop.is_set():
                memo = service.create_draft(user("nattanipa"), memo_content("บันทึกระหว่างสำรอง"))
                service.submit(memo.id, user("nattanipa"))
                db.session.commit()
                written.append(memo.id)
                if len(written) >= 3:
                    three.set()
            db.session.remove()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert three.wait(timeout=60), "the writer made no progress"
        made = cli(app, "backup", "create", str(tmp_path / "busy.tar.gz"))
        during = len(written)
    finally:
        stop.set()
        writer.join(timeout=60)
    assert made.exit_code == 0, made.output
    assert len(written) >= during >= 3

    with fresh_instance(tmp_path) as restored:
        assert cli(restored, "backup", "restore", str(tmp_path / "busy.tar.gz")).exit_code == 0
        assert verified_clean(restored)
        with restored.app_context():
            submitted = db.session.scalars(
                sa.select(Document).where(Document.subject == "บันทึกระหว่างสำรอง")
            ).all()
            # Every memo in the copy is whole: submitted, numbered, with its log row.
            assert 3 <= len(submitted) <= len(written)
            assert all(d.number_seq and d.state.value == "in_review" for d in submitted)
            for counter in db.session.scalars(sa.select(NumberCounter)):
                highest = db.session.scalar(
                    sa.select(sa.func.max(Document.number_seq)).where(
                        Document.org_id == counter.org_id,
                        Document.fiscal_year == counter.fiscal_year,
                    )
                )
                assert counter.last_seq == highest  # no number lost or handed out twice


def test_the_manifest_names_the_schema_revision_and_every_member(app, world, tmp_path):
    archive = tmp_path / "ita.tar.gz"
    assert cli(app, "backup", "create", str(archive)).exit_code == 0
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        names = set(tar.getnames())
    with app.app_context():
        revision = db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))
    assert manifest["alembic_revision"] == revision
    assert manifest["database"] == ("postgresql" if PG_URL else "sqlite")
    assert set(manifest["members"]) | {"manifest.json"} == names
    assert manifest["missing_files"] == []


@pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (TEST_DATABASE_URL): pg_dump's absence")
def test_without_pg_dump_the_command_says_what_to_install_and_where_the_steps_are(
    app, srisuk, tmp_path, monkeypatch
):
    monkeypatch.setattr(backup_module.shutil, "which", lambda name: None)
    result = cli(app, "backup", "create", str(tmp_path / "ita.tar.gz"))
    assert result.exit_code != 0
    assert "pg_dump" in result.output and "docs/operations.md" in result.output
    assert not (tmp_path / "ita.tar.gz").exists()
