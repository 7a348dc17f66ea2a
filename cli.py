"""Flask CLI commands: `flask demo`, `flask create-org`, `flask audit verify`, `flask backup …`,
`flask pdf freeze`, `flask ita …` (the ITA catalogue). `flask notify …` lives with the outbox
(notifications/outbox/commands.py)."""

import getpass
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup

from extensions import db
from notifications.outbox import commands as notify_commands
from workflow.ita import store
from workflow.ita.catalogue import Catalogue
from workflow.ita.checks import CatalogueError


def register(app: Flask) -> None:
    app.cli.add_command(demo_command)
    app.cli.add_command(create_org_command)
    app.cli.add_command(reminders_group)
    app.cli.add_command(evidence_group)
    app.cli.add_command(search_group)
    app.cli.add_command(audit_group)
    app.cli.add_command(backup_group)
    app.cli.add_command(storage_group)
    app.cli.add_command(pdf_group)
    app.cli.add_command(ita_group)
    app.cli.add_command(notify_commands.notify_group)


@click.group("reminders")
def reminders_group() -> None:
    """Reminders of due reports, missing measure updates and documents waiting too long."""


@reminders_group.command("send")
def send_reminders() -> None:
    """Send what is due today (run daily from cron or a systemd timer); safe to run twice."""
    from notifications.reminders import run

    summary = run()
    click.echo(summary.describe())
    if summary.failed:  # cron and systemd report a non-zero exit; the sends retry next run
        raise SystemExit(1)


@click.group("evidence")
def evidence_group() -> None:
    """Evidence URLs of measures."""


@evidence_group.command("check")
def check_evidence() -> None:
    """Check every evidence URL and record its HTTP status and when it last worked."""
    from linkcheck import check_all

    summary = check_all(progress=click.echo)
    click.echo(summary.describe())


@click.group("search")
def search_group() -> None:
    """The search index of memos, reports and measures."""


@search_group.command("reindex")
def reindex_search() -> None:
    """Rebuild the whole search index (after an upgrade, or to repair it); safe to run again."""
    from search.index import rebuild

    click.echo(f"สร้างดัชนีค้นหาใหม่แล้ว {rebuild():,} รายการ")


@click.group("audit")
def audit_group() -> None:
    """The append-only, hash-chained decision log."""


@audit_group.command("verify")
@click.option("--org", "org", help="ตรวจเฉพาะองค์กรนี้ (รหัสหรือชื่อเต็ม)")
@click.option(
    "--anchor",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="ชุดสำรองข้อมูล (.tar.gz) ที่ใช้เทียบว่าบันทึกการพิจารณาหายไปหรือไม่ตั้งแต่วันสำรอง",
)
def verify_audit(org: str | None, anchor: Path | None) -> None:
    """Recompute every row's hash and link; report edited or deleted rows (exit 1 if any);
    with --anchor, also what the log lost since that backup; list gaps in the numbers."""
    from workflow import audit_anchor
    from workflow.audit_verify import verify

    org_id = _org_id(org) if org else None
    summary = verify(org_id, report=lambda p: click.echo(p.describe()), progress=_progress)
    if anchor is not None:
        try:
            lost = audit_anchor.compare(audit_anchor.read_anchor(anchor), org_id)
        except (ValueError, OSError, KeyError) as error:
            raise click.ClickException(f"อ่านหลักยึดจากชุดสำรองไม่ได้: {error}") from None
        for problem in lost:
            click.echo(problem.describe())
        summary.problems += len(lost)
        if lost:
            summary.kinds["erased"] = len(lost)
        else:
            click.echo(f"เทียบกับชุดสำรอง {anchor.name}: แถวล่าสุดของทุกเอกสารในวันสำรองยังอยู่ครบ")
    for line in audit_anchor.number_gaps(org_id):
        click.echo(f"เลขที่หนังสือขาดช่วง: {line}")
    click.echo(summary.describe())
    if not current_app.config["AUDIT_KEY"]:
        click.echo("หมายเหตุ: ไม่ได้ตั้ง AUDIT_KEY จึงไม่ได้ตรวจตราประทับ (ผู้มีสิทธิ์แก้ฐานข้อมูลคำนวณแฮชใหม่ได้)")
    if not summary.clean:
        raise SystemExit(1)


@audit_group.command("seal")
def seal_audit() -> None:
    """Seal the existing log once, when AUDIT_KEY is first set (docs/operations.md)."""
    from workflow.audit_verify import SealRefused, seal_existing

    try:
        sealed = seal_existing()
    except SealRefused as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(f"ประทับตราบันทึกการพิจารณาแล้ว {sealed:,} แถว")


def _progress(summary) -> None:
    click.echo(f"… ตรวจแล้ว {summary.documents:,} เอกสาร {summary.rows:,} แถว", err=True)


def _org_id(org: str) -> int:
    from models import Organisation

    match = Organisation.id == int(org) if org.isdigit() else Organisation.name == org
    found = db.session.scalar(sa.select(Organisation.id).where(match))
    if found is None:
        raise click.ClickException(f"ไม่พบองค์กร {org}")
    return found


@click.group("backup")
def backup_group() -> None:
    """Back up and restore the database and every stored file (see docs/operations.md)."""


@backup_group.command("create")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def create_backup(path: Path) -> None:
    """Write one .tar.gz: the database (online copy), every stored file, and a manifest."""
    from maintenance.backup import BackupError, create

    try:
        click.echo(create(path).describe())
    except BackupError as error:
        raise click.ClickException(str(error)) from None


@backup_group.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="เขียนทับฐานข้อมูลและไฟล์ที่มีอยู่แล้ว")
def restore_backup(path: Path, force: bool) -> None:
    """Restore a backup made by `backup create`; the whole archive is checked first."""
    from maintenance.backup import BackupError
    from maintenance.restore import restore

    try:
        click.echo(restore(path, force=force).describe())
    except BackupError as error:
        raise click.ClickException(str(error)) from None


@click.group("storage")
def storage_group() -> None:
    """Stored files (attachments, frozen PDFs, images)."""


@storage_group.command("orphans")
def list_orphans() -> None:
    """List stored files that no row refers to (left by a rolled-back or killed request)."""
    import storage
    from maintenance.storage_files import orphans

    found = orphans(db.session, storage.root())
    for path in found:
        click.echo(str(path.resolve()))
    click.echo(f"พบไฟล์ที่ไม่มีข้อมูลใดอ้างถึง {len(found):,} ไฟล์ (ลบได้โดยไม่กระทบเอกสารใด)")


pdf_group = AppGroup("pdf", help="Approved memos' PDFs.")  # commands run in an app context


@pdf_group.command("freeze")
@click.option("--watch", is_flag=True, help="Keep running and render each approval as it comes.")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between looks when idle.")
@click.option(
    "--nice",
    "niceness",
    default=10,
    show_default=True,
    help="Lower this process's CPU priority by this much, so web requests go first.",
)
def freeze_pdfs(watch: bool, interval: float, niceness: int) -> None:
    """Render the PDFs of approved memos (PDF_FREEZE=worker): once, or with --watch as a service.

    Stops after the current PDF on SIGTERM or Ctrl-C. One pass exits 1 when a render failed.
    """
    import os

    from pdf import freezer
    from workers import run_worker

    if niceness > 0:
        os.nice(niceness)
    if watch:  # a service: load fonts and the dictionary before the first approval waits on them
        from pdf.render import warm_up

        warm_up()
    run_worker(freezer, watch=watch, interval=interval, failure_label="เอกสาร")


@pdf_group.command("pending")
def list_pending_pdfs() -> None:
    """List approved memos whose PDF is not rendered yet, with failed attempts."""
    from pdf import freezer

    rows = freezer.pending()
    for row in rows:
        line = f"เอกสาร {row.document_id} อนุมัติเมื่อ {row.created_at:%Y-%m-%d %H:%M:%S}"
        if row.attempts:
            line += f" · ลองแล้ว {row.attempts} ครั้ง: {row.last_error}"
        click.echo(line)
    click.echo(f"รอจัดทำไฟล์ PDF ฉบับอนุมัติ {len(rows):,} ฉบับ")


@pdf_group.command("verify")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def verify_pdf_file(path: str) -> None:
    """Check a PDF file offline: its e-seal, and which approved memo of this database it is.

    Exits 0 when the file is an approved PDF (or one extended after sealing), 1 otherwise; a
    memo cancelled or superseded since is still its approved PDF, and the output says so.
    """
    from pathlib import Path

    from pdf import verify

    data = Path(path).read_bytes()
    frozen = verify.find_by_file(data)
    if frozen is None:
        report = verify.inspect(data)
        click.echo(_seal_lines(report))
        click.echo("ไม่พบไฟล์นี้ (หรือฉบับที่ประทับตราซึ่งไฟล์นี้ต่อท้าย) ในเอกสารที่อนุมัติของฐานข้อมูลนี้")
        raise SystemExit(1)
    result = verify.check_file(data, frozen)
    click.echo(f"เอกสาร {frozen.document_id} รหัสตรวจสอบ {frozen.verify_code}")
    click.echo(result.message)
    if result.revoked:
        r = result.revoked
        click.echo(
            f"แต่เอกสารฉบับนี้ถูก{r['label']}แล้ว เมื่อ {r['when']} โดยบันทึก ที่ {r['number']}"
            f" เรื่อง {r['subject']}" + (f" (รหัสตรวจสอบ {r['code']})" if r["code"] else "")
        )
    click.echo(_seal_lines(result.seal))
    raise SystemExit(0 if result.genuine else 1)


def _seal_lines(report) -> str:
    if not report.signed:
        return "ตราอิเล็กทรอนิกส์: ไม่มี"
    if not report.intact:
        return "ตราอิเล็กทรอนิกส์: ไม่ถูกต้อง (ไฟล์ถูกแก้ไขหรือบันทึกใหม่หลังประทับตรา)"
    lines = [
        f"ตราอิเล็กทรอนิกส์: ถูกต้อง ผู้ประทับตรา {report.signer}",
        "ครอบคลุมทั้งไฟล์" if report.whole_file else "มีข้อมูลเพิ่มต่อท้ายหลังประทับตรา",
        f"SHA-256 ของใบรับรอง: {report.fingerprint}",
        f"ระดับ: {report.level_text}",
    ]
    if report.signed_at:
        lines.append(f"เวลาที่ประทับ (ตามเครื่องผู้ประทับ): {report.signed_at.isoformat()}")
    if report.timestamp_at:
        state = "ถูกต้อง" if report.timestamp_intact else "ตรวจไม่ผ่าน"
        lines.append(f"ตราประทับเวลา (TSA): {report.timestamp_at.isoformat()} ({state})")
    else:
        lines.append("ตราประทับเวลา (TSA): ไม่มี")
    return "\n".join(lines)


@click.command("demo")
def demo_command() -> None:
    """Create the demo organisation of seed 000 (อบต.ศรีสุข) if it is not there yet."""
    import demo

    created = demo.create_demo()
    db.session.commit()
    if created:
        click.echo("สร้างข้อมูลตัวอย่าง อบต.ศรีสุข แล้ว รหัสผ่านทุกบัญชี: " + demo.PASSWORD)
        for username, name, position in demo.LOGINS:
            click.echo(f"  {username:<12} {name} ({position})")
    else:
        click.echo("มีข้อมูลตัวอย่าง อบต.ศรีสุข อยู่แล้ว ไม่ได้สร้างซ้ำ")


@click.command("create-org")
@click.option("--name", required=True, help="ชื่อเต็ม เช่น องค์การบริหารส่วนตำบลศรีสุข")
@click.option("--kind", type=click.Choice(["sao", "municipality", "pao"]), required=True)
@click.option("--admin-username", required=True)
@click.option("--admin-name", required=True, help="ชื่อ-นามสกุลผู้ดูแลระบบ")
@click.option("--admin-title", default="นาย")
@click.option(
    "--slug",
    default=None,
    help="ส่วนของที่อยู่สาธารณะ /p/<slug>/… (a-z 0-9 และ -) เช่น srisuk ค่าเริ่มต้น org-<เลขที่>",
)
@click.password_option("--admin-password")
def create_org_command(
    name, kind, admin_username, admin_name, admin_title, slug, admin_password
) -> None:
    """Create a real organisation and its first admin, who then sets up the rest on the web."""
    import re

    from models import Organisation, OrgKind, User

    if slug is not None and not re.fullmatch(r"[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?", slug):
        raise click.ClickException("slug ใช้ได้เฉพาะ a-z 0-9 และ - (ไม่ขึ้นต้นหรือลงท้ายด้วย -)")
    if slug and db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug)):
        raise click.ClickException(f"slug {slug} ถูกใช้แล้ว")

    if db.session.scalar(sa.select(Organisation).where(Organisation.name == name)):
        raise click.ClickException(f"มีองค์กรชื่อ {name} อยู่แล้ว")
    if db.session.scalar(sa.select(User).where(User.username == admin_username)):
        raise click.ClickException(f"ชื่อผู้ใช้ {admin_username} ถูกใช้แล้ว")
    org = Organisation(name=name, kind=OrgKind(kind))
    admin = User(
        organisation=org,
        username=admin_username,
        title=admin_title,
        full_name=admin_name,
        is_admin=True,
    )
    admin.set_password(admin_password)
    db.session.add_all([org, admin])
    db.session.flush()
    org.slug = slug or f"org-{org.id}"
    db.session.commit()
    click.echo(f"สร้าง {name} และผู้ดูแลระบบ {admin_username} แล้ว")


# -- the ITA catalogue ---------------------------------------------------------------------
# Shared by every organisation, so only whoever runs the server (the operator, this app's one
# "superuser") imports it; no web page can change it.

ita_group = AppGroup(
    "ita", help="ITA catalogues: import a year's catalogue from a YAML file, check one, list them."
)


@ita_group.command("import-catalogue")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="แทนที่แคตตาล็อกของปีเดียวกันที่นำเข้าไว้ก่อน")
@click.option("--by", "imported_by", default=None, help="ชื่อผู้นำเข้า (ค่าเริ่มต้น: ผู้ใช้ของระบบ)")
def import_catalogue(file: Path, replace: bool, imported_by: str | None) -> None:
    """Check FILE and store it as its year's catalogue; a malformed file changes nothing."""
    try:
        catalogue, replaced = store.import_catalogue(
            file.read_bytes(),
            file.name,
            replace=replace,
            imported_by=imported_by or _operator_name(),
        )
        db.session.commit()
    except CatalogueError as error:
        db.session.rollback()
        raise click.ClickException(f"{file.name}: {error.message}") from None
    note = {"import": " (แทนที่ฉบับที่นำเข้าไว้ก่อน)", "shipped": " (ใช้แทนไฟล์ที่มากับระบบ)"}
    click.echo(f"นำเข้าแคตตาล็อก ITA ปี {catalogue.fiscal_year} แล้ว{note.get(replaced, '')}")
    click.echo(_catalogue_summary(catalogue))


@ita_group.command("check-catalogue")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def check_catalogue(file: Path) -> None:
    """Check FILE without importing it."""
    try:
        catalogue = store.parse(file.read_bytes(), file.name)
    except CatalogueError as error:
        raise click.ClickException(f"{file.name}: {error.message}") from None
    click.echo(f"ไฟล์ถูกต้อง: แคตตาล็อก ITA ปี {catalogue.fiscal_year}")
    click.echo(_catalogue_summary(catalogue))


@ita_group.command("catalogues")
def list_catalogues() -> None:
    """List every year with a catalogue and where it comes from."""
    for year in store.available_years():
        catalogue = store.get_catalogue(year)
        click.echo(f"{year}  {catalogue.source}  {_catalogue_summary(catalogue)}")


def _catalogue_summary(catalogue: Catalogue) -> str:
    tools = ", ".join(f"{t.code} {t.weight}" for t in catalogue.tools)
    return (
        f"เครื่องมือ {tools} · ตัวชี้วัด {len(catalogue.indicators)}"
        f" · ข้อคำถาม {len(catalogue.questions)} · ระดับ {len(catalogue.levels)}"
    )


def _operator_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
