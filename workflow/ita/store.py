"""Where a year's catalogue comes from: the YAML files shipped in data/catalogue/, or a file an
operator imported with `flask ita import-catalogue` (kept in ita_catalogues; it then takes the
shipped file's place). A new year needs a file, never a code change.

Importing is for the server's operator only (the CLI): the catalogue is the same for every
organisation, so no organisation's admin may change it from the web.
"""

import hashlib
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
import yaml
from flask import g

import clock
import thai
from extensions import db, read_columns
from models import ItaCatalogue
from workflow.ita.catalogue import Catalogue
from workflow.ita.checks import CatalogueError, read_catalogue
from workflow.request_cache import per_request

SHIPPED_DIR = Path(__file__).resolve().parents[2] / "data" / "catalogue"
SHIPPED_SOURCE = "ไฟล์ที่มากับระบบ"
MAX_FILE_BYTES = 1_000_000
_IMPORTED = "ita_imported_catalogues"  # flask.g: the imported years of this request


class _Mapping(dict):
    """A mapping of the file that remembers its line and the line of each key (1-based)."""

    line: int | None = None
    key_lines: dict


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _Mapping:
    loader.flatten_mapping(node)
    mapping = _Mapping()
    mapping.line, mapping.key_lines = node.start_mark.line + 1, {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str | int) or isinstance(key, bool):
            raise CatalogueError("หัวข้อต้องเป็นข้อความ", line)
        if key in mapping:
            raise CatalogueError(f"หัวข้อ “{key}” ซ้ำในชุดเดียวกัน", line)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse(content: bytes, source: str = "") -> Catalogue:
    """A catalogue from the bytes of a YAML file, or CatalogueError with the line and reason."""
    if len(content) > MAX_FILE_BYTES:
        raise CatalogueError(f"ไฟล์ใหญ่เกิน {MAX_FILE_BYTES // 1000:,} KB")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise CatalogueError("ไฟล์ต้องบันทึกเป็น UTF-8", line) from None
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        raise CatalogueError(
            f"รูปแบบ YAML ไม่ถูกต้อง ({error.problem or error.context})", line
        ) from None
    except yaml.YAMLError as error:
        raise CatalogueError(f"รูปแบบ YAML ไม่ถูกต้อง ({error})") from None
    return read_catalogue(data, source)


def to_data(catalogue: Catalogue) -> dict:
    """The catalogue as JSON data in the file's own shape (read back by `read_catalogue`)."""

    def plain(value):
        if isinstance(value, Decimal):
            return str(value)
        return value.isoformat() if hasattr(value, "isoformat") else value

    return {
        "fiscal_year": catalogue.fiscal_year,
        "title": catalogue.title,
        "criteria_announced_on": plain(catalogue.criteria_announced_on),
        "results_announced_on": plain(catalogue.results_announced_on),
        "pass_line": plain(catalogue.pass_line),
        "excellent_line": plain(catalogue.excellent_line),
        "tools": [
            {**vars(t), "weight": plain(t.weight), "indicators": list(t.indicators)}
            for t in catalogue.tools
        ],
        "indicators": [vars(i) for i in catalogue.indicators],
        "sub_indicators": [vars(s) for s in catalogue.sub_indicators],
        "questions": [vars(q) for q in catalogue.questions],
        "levels": [
            {"name": lv.name, "min": plain(lv.min), "every_tool_min": plain(lv.every_tool_min)}
            for lv in catalogue.levels
        ],
        "status": "provisional" if catalogue.provisional else "official",
        "provisional": [vars(p) for p in catalogue.provisional],
        "publishes": [vars(p) for p in catalogue.publishes],
        **(
            {"previous_items": {k: list(v) for k, v in catalogue.previous_items.items()}}
            if catalogue.previous_items is not None
            else {}
        ),
    }


def import_catalogue(content: bytes, source: str, *, replace: bool, imported_by: str = ""):
    """Store a checked catalogue for its year; refuse to overwrite an import unless `replace`.

    Returns (catalogue, what it replaced: "import", "shipped" or None). The caller commits.
    """
    catalogue = parse(content, source)
    year = catalogue.fiscal_year
    row = db.session.get(ItaCatalogue, year, with_for_update=True)
    if row is not None and not replace:
        raise CatalogueError(
            f"มีแคตตาล็อกปี {year} ที่นำเข้าไว้แล้ว (จาก {row.source_name})"
            " หากต้องการแทนที่ให้สั่งใหม่พร้อม --replace"
        )
    replaced = "import" if row is not None else ("shipped" if _shipped_path(year) else None)
    row = row or ItaCatalogue(fiscal_year=year)
    row.source_name, row.data = source[:255], to_data(catalogue)
    row.sha256 = hashlib.sha256(content).hexdigest()
    row.imported_by, row.imported_at = imported_by[:200], clock.now()
    db.session.add(row)
    db.session.flush()
    g.pop(_IMPORTED, None)
    return catalogue, replaced


def get_catalogue(fiscal_year: int) -> Catalogue | None:
    """The catalogue of a year: the imported one, else the shipped file, else None. Looked up
    once per GET (the home asks for each year it shows several times)."""
    return per_request(("catalogue", fiscal_year), lambda: _catalogue(fiscal_year))


def _catalogue(fiscal_year: int) -> Catalogue | None:
    digest = _imported().get(fiscal_year)
    if digest is not None:
        return _imported_catalogue(fiscal_year, digest)
    path = _shipped_path(fiscal_year)
    return _shipped(str(path), path.stat().st_mtime_ns) if path else None


def missing_current_year() -> int | None:
    """This fiscal year, when it has no catalogue at all (the admin home says so)."""
    year = thai.fiscal_year(clock.today())
    return None if get_catalogue(year) else year


def available_years() -> list[int]:
    """Every year with a catalogue, newest first."""
    imported = set(_imported())
    shipped = {int(p.stem) for p in SHIPPED_DIR.glob("*.yaml") if p.stem.isdigit()}
    return sorted(imported | shipped, reverse=True)


def _imported() -> dict[int, str]:
    """{year: SHA-256} of the imported catalogues: one small statement per request, however many
    years a page shows."""
    found = g.get(_IMPORTED)
    if found is None:
        found = {year: digest for year, digest in read_columns(_DIGESTS)}
        setattr(g, _IMPORTED, found)
    return found


_DIGESTS = sa.select(ItaCatalogue.fiscal_year, ItaCatalogue.sha256)  # built once


@lru_cache(maxsize=32)
def _imported_catalogue(fiscal_year: int, sha256: str) -> Catalogue:  # parsed once per import
    row = db.session.get(ItaCatalogue, fiscal_year)
    return read_catalogue(row.data, f"นำเข้าจาก {row.source_name}")


def _shipped_path(fiscal_year: int) -> Path | None:
    path = SHIPPED_DIR / f"{fiscal_year}.yaml"
    return path if path.is_file() else None


@lru_cache(maxsize=32)
def _shipped(path: str, mtime_ns: int) -> Catalogue:  # mtime in the key: an edited file reloads
    catalogue = parse(Path(path).read_bytes(), SHIPPED_SOURCE)
    if f"{catalogue.fiscal_year}.yaml" != Path(path).name:
        raise CatalogueError(f"ไฟล์ {Path(path).name} เป็นแคตตาล็อกของปี {catalogue.fiscal_year}")
    return catalogue
