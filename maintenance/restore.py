"""`flask backup restore`: check the whole archive before touching anything, then replace the
database and the stored files.

The archive is unpacked next to the storage directory and every member's SHA-256 is checked
against the manifest first; a damaged archive is refused with nothing changed. SQLite is then
written with the online backup API in the other direction (one transaction: readers see the old
database or the new one, never a mix); PostgreSQL with `pg_restore --single-transaction`. The
files are staged on the same disk and swapped in with a rename; any old files are kept aside.
"""

import json
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory

import clock
import storage
from config import BASE_DIR
from extensions import db
from maintenance.backup import (
    FORMAT,
    MANIFEST,
    PG_MEMBER,
    SQLITE_MEMBER,
    STORAGE_PREFIX,
    BackupError,
    database_kind,
    libpq_url,
    require_tool,
    sha256_of,
    sqlite_path,
)

DAMAGED = "ไฟล์สำรอง {path} ใช้ไม่ได้ จึงไม่ได้กู้คืนและไม่ได้เปลี่ยนแปลงข้อมูลใด: "


@dataclass
class Restored:
    manifest: dict
    kept_storage: Path | None
    behind_code: bool

    def describe(self) -> str:
        files = sum(1 for m in self.manifest["members"] if m.startswith(STORAGE_PREFIX))
        lines = [
            f"กู้คืนข้อมูลจากชุดสำรองเมื่อ {self.manifest['created_at']} แล้ว:"
            f" ฐานข้อมูล (รุ่นโครงสร้าง {self.manifest['alembic_revision']}) และไฟล์ {files:,} ไฟล์"
        ]
        if self.kept_storage:
            lines.append(f"ไฟล์เดิมในที่เก็บไฟล์ถูกย้ายไปเก็บไว้ที่ {self.kept_storage}")
        if self.behind_code:
            lines.append("ชุดสำรองมาจากโปรแกรมรุ่นก่อน: ให้รัน flask --app app db upgrade ก่อน")
        lines.append("ขั้นต่อไป: flask --app app search reindex แล้ว flask --app app audit verify")
        return "\n".join(lines)


def restore(archive: Path, *, force: bool = False) -> Restored:
    """Restore `archive` over this installation; refuse a non-empty one unless `force`."""
    root = storage.root().resolve()
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=root.parent) as work:
        unpacked = Path(work) / "unpacked"
        manifest = _unpack_checked(archive, unpacked)
        behind_code = _check_revision(manifest["alembic_revision"])
        if not force:
            _require_empty(root)
        _restore_database(unpacked, manifest["database"])
        kept = _swap_storage(unpacked / STORAGE_PREFIX.rstrip("/"), root)
    return Restored(manifest, kept, behind_code)


def _unpack_checked(archive: Path, out: Path) -> dict:
    """Unpack and check every member against the manifest; raise BackupError if anything is off."""
    damaged = DAMAGED.format(path=archive)
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(out, filter="data")
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, tarfile.TarError, EOFError, zlib.error, ValueError) as error:
        raise BackupError(damaged + f"อ่านไฟล์ไม่ได้หรือไฟล์ไม่ครบ ({error})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(damaged + "ไม่ใช่ไฟล์สำรองของระบบนี้")
    listed = set(manifest["members"])
    found = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} - {MANIFEST}
    if found != listed:
        raise BackupError(damaged + f"รายการไฟล์ไม่ตรงกับบัญชีรายการ ({len(listed ^ found)} ไฟล์)")
    for name, facts in sorted(manifest["members"].items()):
        if sha256_of(out / name) != facts["sha256"]:
            raise BackupError(damaged + f"ไฟล์ {name} เสียหาย ค่า SHA-256 ไม่ตรงกับบัญชีรายการ")
    _check_database_file(out, manifest["database"], damaged)
    return manifest


def _check_database_file(out: Path, kind: str, damaged: str) -> None:
    if kind != database_kind():
        raise BackupError(f"ชุดสำรองนี้เป็นฐานข้อมูล {kind} แต่ระบบนี้ใช้ {database_kind()} จึงกู้คืนตรง ๆ ไม่ได้")
    if kind == "sqlite":
        check = sqlite3.connect(f"file:{out / SQLITE_MEMBER}?mode=ro", uri=True)
        try:
            result = check.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as error:
            result = str(error)
        finally:
            check.close()
        if result != "ok":
            raise BackupError(damaged + f"ฐานข้อมูลในชุดสำรองเสียหาย ({result})")
    else:
        listing = [require_tool("pg_restore"), "--list", str(out / PG_MEMBER)]
        if subprocess.run(listing, capture_output=True).returncode != 0:
            raise BackupError(damaged + "pg_restore อ่านไฟล์ฐานข้อมูลในชุดสำรองไม่ได้")


def _check_revision(revision: str) -> bool:
    """True when the backup's schema is older than this code; refuse one from newer code."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(BASE_DIR / "migrations"))
    scripts = ScriptDirectory.from_config(config)
    known = {script.revision for script in scripts.walk_revisions()}
    if revision not in known:
        raise BackupError(
            f"ชุดสำรองมาจากโปรแกรมรุ่นที่ใหม่กว่านี้ (รุ่นโครงสร้าง {revision})"
            " กรุณาติดตั้งโปรแกรมรุ่นเดียวกันหรือใหม่กว่าก่อนกู้คืน"
        )
    return revision not in scripts.get_heads()


def _require_empty(root: Path) -> None:
    inspector = sa.inspect(db.engine)
    if inspector.has_table("organisations"):
        count = db.session.scalar(sa.text("SELECT count(*) FROM organisations"))
        db.session.rollback()
        if count:
            raise BackupError(
                f"ฐานข้อมูลปลายทางมีข้อมูลอยู่แล้ว ({count:,} องค์กร) การกู้คืนจะเขียนทับทั้งหมด"
                " หากต้องการเช่นนั้นจริง ให้สั่งใหม่พร้อม --force"
            )
    if root.is_dir() and any(root.iterdir()):
        raise BackupError(
            f"ที่เก็บไฟล์ {root} มีไฟล์อยู่แล้ว การกู้คืนจะแทนที่ทั้งหมด"
            " หากต้องการเช่นนั้นจริง ให้สั่งใหม่พร้อม --force (ไฟล์เดิมจะถูกย้ายไปเก็บไว้)"
        )


def _restore_database(unpacked: Path, kind: str) -> None:
    db.session.remove()
    db.engine.dispose()
    if kind == "sqlite":
        source = sqlite3.connect(f"file:{unpacked / SQLITE_MEMBER}?mode=ro", uri=True)
        target = sqlite3.connect(sqlite_path(), timeout=30)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        return
    _create_extensions()
    command = [
        require_tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={libpq_url()}",
        str(unpacked / PG_MEMBER),
    ]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"pg_restore ล้มเหลว ฐานข้อมูลไม่ถูกเปลี่ยนแปลง: {done.stderr.strip()}")


def _create_extensions() -> None:
    """pg_trgm, which the search index's fragment index needs (migration i18a00000002), in the
    public schema. A dump of an installation kept in its own schema does not carry extensions,
    so a restore into a new database creates it first (harmless when it is there)."""
    with db.engine.begin() as conn:
        conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
    db.engine.dispose()


def _swap_storage(staged: Path, root: Path) -> Path | None:
    """Put the restored files in place with renames; keep any old files aside, never delete."""
    staged.mkdir(parents=True, exist_ok=True)
    kept = None
    if root.is_dir() and any(root.iterdir()):
        stamp = clock.now().strftime("%Y%m%dT%H%M%S")
        kept = root.with_name(f"{root.name}.before-restore-{stamp}")
        root.rename(kept)
    elif root.is_dir():
        root.rmdir()
    staged.rename(root)
    return kept
