"""`flask backup create`: one .tar.gz holding the database, every stored file and a manifest.

SQLite is copied with its online backup API (a consistent snapshot while the app keeps
writing); PostgreSQL with `pg_dump --format=custom` when pg_dump is on PATH. The database is
copied before the files: files are only ever added (an image replaced is the one exception), so
every file the snapshot refers to is already in storage when the files are read.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

import clock
import storage
from config import BASE_DIR
from extensions import db
from maintenance.storage_files import keys_from, referenced_keys, stored_files
from workflow.audit_anchor import chain_anchor

FORMAT = "ita-workflow-backup/1"
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.dump"
STORAGE_PREFIX = "storage/"


class BackupError(RuntimeError):
    """A backup cannot be made or restored; the message is for the operator, in Thai."""


@dataclass
class Created:
    path: Path
    manifest: dict

    def describe(self) -> str:
        files = sum(1 for m in self.manifest["members"] if m.startswith(STORAGE_PREFIX))
        text = (
            f"สำรองข้อมูลแล้วที่ {self.path}: ฐานข้อมูล {self.manifest['database']}"
            f" (รุ่นโครงสร้าง {self.manifest['alembic_revision']}) และไฟล์ {files:,} ไฟล์"
        )
        missing = self.manifest["missing_files"]
        if missing:
            text += f"\nคำเตือน: มี {len(missing):,} ไฟล์ที่ฐานข้อมูลอ้างถึงแต่ไม่พบในที่เก็บไฟล์"
        return text


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def database_kind() -> str:
    return db.engine.url.get_backend_name()


def sqlite_path() -> Path:
    database = db.engine.url.database
    if not database or database == ":memory:":
        raise BackupError("ฐานข้อมูล SQLite ในหน่วยความจำสำรองไม่ได้")
    return Path(database)


def libpq_url() -> str:
    """The database URL as pg_dump and pg_restore take it (no SQLAlchemy driver suffix)."""
    return db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def require_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"ไม่พบคำสั่ง {name} ในเครื่องนี้ ติดตั้งแพ็กเกจ postgresql-client"
            " หรือสำรอง/กู้คืนฐานข้อมูล PostgreSQL ด้วย pg_dump/pg_restore ตาม docs/operations.md"
        )
    return found


def app_version() -> str:
    with (BASE_DIR / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["project"]["version"]


def create(target: Path) -> Created:
    """Write the archive to `target` (through a temporary name, so a failure leaves nothing)."""
    target = target.resolve()
    root = storage.root().resolve()
    if target.is_relative_to(root):
        raise BackupError("เก็บไฟล์สำรองไว้ในที่เก็บไฟล์ของระบบเองไม่ได้ กรุณาเลือกที่อื่น")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=target.parent) as work:
        work_dir = Path(work)
        db_member, revision, referenced = _snapshot_database(work_dir)
        anchor = chain_anchor()  # every head in it is committed, so in the snapshot or after
        files = {STORAGE_PREFIX + p.relative_to(root).as_posix(): p for p in stored_files(root)}
        members = {db_member.name: db_member, **files}
        partial = work_dir / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            described = {name: _add(archive, name, path) for name, path in members.items()}
            manifest = {
                "format": FORMAT,
                "app_version": app_version(),
                "alembic_revision": revision,
                "database": database_kind(),
                "created_at": clock.now().isoformat(),
                "members": described,
                "missing_files": sorted(k for k in referenced if STORAGE_PREFIX + k not in files),
                # The decision log's heads, kept outside the database (workflow/audit_anchor.py).
                "chain_anchor": anchor,
            }
            _add_bytes(archive, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
        partial.chmod(0o600)  # it holds every account's password hash
        os.replace(partial, target)
    return Created(target, manifest)


def _snapshot_database(work_dir: Path) -> tuple[Path, str, set[str]]:
    if database_kind() == "sqlite":
        return _sqlite_snapshot(work_dir / SQLITE_MEMBER)
    if database_kind() == "postgresql":
        return _pg_dump(work_dir / PG_MEMBER)
    raise BackupError(f"ไม่รองรับฐานข้อมูลชนิด {database_kind()}")


def _sqlite_snapshot(out: Path) -> tuple[Path, str, set[str]]:
    """sqlite3's online backup: one consistent copy even while other connections write."""
    source = sqlite3.connect(f"file:{sqlite_path()}?mode=ro", uri=True)
    copy = sqlite3.connect(out)
    try:
        source.backup(copy)
        revision = copy.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        referenced = keys_from(copy.execute)
    finally:
        copy.close()
        source.close()
    return out, revision, referenced


def _pg_dump(out: Path) -> tuple[Path, str, set[str]]:
    pg_dump = require_tool("pg_dump")
    command = [pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--file={out}"]
    schema = db.session.scalar(sa.text("SELECT current_schema()"))
    if schema != "public":  # an installation kept in its own schema: dump just that schema
        command.append(f"--schema={schema}")
    revision = db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))
    db.session.rollback()
    done = subprocess.run([*command, f"--dbname={libpq_url()}"], capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"pg_dump ล้มเหลว: {done.stderr.strip()}")
    # Keys are read after the dump, so a file added meanwhile is not reported as missing.
    referenced = referenced_keys(db.session)
    db.session.rollback()
    return out, revision, referenced


class _HashingReader:
    """Reads a file for tarfile and hashes exactly the bytes that go into the archive."""

    def __init__(self, f) -> None:
        self.f, self.digest = f, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.f.read(size)
        self.digest.update(chunk)
        return chunk


def _add(archive: tarfile.TarFile, name: str, path: Path) -> dict:
    """Add one file, hashing what is written (a file still being written is cut at its size)."""
    info = tarfile.TarInfo(name)
    info.size = path.stat().st_size
    info.mtime = int(path.stat().st_mtime)
    with path.open("rb") as f:
        reader = _HashingReader(f)
        archive.addfile(info, reader)
    return {"sha256": reader.digest.hexdigest(), "size": info.size}


def _add_bytes(archive: tarfile.TarFile, name: str, text: str) -> None:
    data = text.encode()
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(clock.now().timestamp())
    archive.addfile(info, io.BytesIO(data))
