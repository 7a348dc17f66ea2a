"""`flask ita …`: the server operator's commands for the ITA catalogue.

The catalogue is shared by every organisation, so only whoever runs the server (the operator,
this app's one "superuser") imports it; no web page can change it.
"""

import getpass
from pathlib import Path

import click
from flask.cli import AppGroup

from extensions import db
from workflow.ita import store
from workflow.ita.catalogue import Catalogue
from workflow.ita.checks import CatalogueError

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
            file.read_bytes(), file.name, replace=replace, imported_by=imported_by or _who()
        )
        db.session.commit()
    except CatalogueError as error:
        db.session.rollback()
        raise click.ClickException(f"{file.name}: {error.message}") from None
    note = {"import": " (แทนที่ฉบับที่นำเข้าไว้ก่อน)", "shipped": " (ใช้แทนไฟล์ที่มากับระบบ)"}
    click.echo(f"นำเข้าแคตตาล็อก ITA ปี {catalogue.fiscal_year} แล้ว{note.get(replaced, '')}")
    click.echo(_summary(catalogue))


@ita_group.command("check-catalogue")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def check_catalogue(file: Path) -> None:
    """Check FILE without importing it."""
    try:
        catalogue = store.parse(file.read_bytes(), file.name)
    except CatalogueError as error:
        raise click.ClickException(f"{file.name}: {error.message}") from None
    click.echo(f"ไฟล์ถูกต้อง: แคตตาล็อก ITA ปี {catalogue.fiscal_year}")
    click.echo(_summary(catalogue))


@ita_group.command("catalogues")
def list_catalogues() -> None:
    """List every year with a catalogue and where it comes from."""
    for year in store.available_years():
        catalogue = store.get_catalogue(year)
        click.echo(f"{year}  {catalogue.source}  {_summary(catalogue)}")


def _summary(catalogue: Catalogue) -> str:
    tools = ", ".join(f"{t.code} {t.weight}" for t in catalogue.tools)
    return (
        f"เครื่องมือ {tools} · ตัวชี้วัด {len(catalogue.indicators)}"
        f" · ข้อคำถาม {len(catalogue.questions)} · ระดับ {len(catalogue.levels)}"
    )


def _who() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
