"""An erased memo is found: each backup's manifest keeps the decision log's heads and counts
outside the database, and `flask audit verify --anchor BACKUP` compares them with the log;
gaps in the running numbers are listed for a person to check."""

import json
import tarfile

import sqlalchemy as sa
from support.faults import build_world, log_unlocked
from test_audit_verify import run_verify

from extensions import db
from models import Document


def _erase(doc_id: int) -> None:
    """Delete a memo with everything that refers to it, as an intruder with database rights
    would: its log rows and seals included, so every chain left is intact."""
    with log_unlocked():
        _delete_rows("documents", "id = :d", {"d": doc_id})
    db.session.commit()


def _delete_rows(table_name: str, where: str, params: dict) -> None:
    """Delete the rows of a table, after every row that refers to them, at any depth."""
    for table in db.metadata.sorted_tables:
        for key in table.foreign_keys:
            if key.column.table.name == table_name and table.name != table_name:
                inner = f"{key.parent.name} IN (SELECT {key.column.name} FROM {table_name} WHERE {where})"
                _delete_rows(table.name, inner, params)
    db.session.execute(sa.text(f"DELETE FROM {table_name} WHERE {where}"), params)


def test_a_memo_erased_after_a_backup_is_found_by_verify_with_the_anchor(app, srisuk, tmp_path):
    world = build_world(app, srisuk.org_id, srisuk.memo_id)
    archive = tmp_path / "ita.tar.gz"
    with app.app_context():
        made = app.test_cli_runner().invoke(args=["backup", "create", str(archive)])
    assert made.exit_code == 0, made.output
    with tarfile.open(archive, "r:gz") as backup:
        manifest = json.load(backup.extractfile("manifest.json"))
    heads = manifest["chain_anchor"][str(srisuk.org_id)]["heads"]
    assert str(world.in_review) in heads

    clean = run_verify(app, "--anchor", str(archive))
    assert clean.exit_code == 0, clean.output
    assert "ยังอยู่ครบ" in clean.output

    with app.app_context():
        number = db.session.get(Document, world.in_review).number_seq
        _erase(world.in_review)
    plain = run_verify(app)
    assert plain.exit_code == 0  # every chain left is intact: without the anchor, nothing shows
    anchored = run_verify(app, "--anchor", str(archive))
    assert anchored.exit_code == 1, anchored.output
    assert f"เอกสาร #{world.in_review}" in anchored.output and "ถูกลบทั้งฉบับ" in anchored.output
    assert "น้อยกว่า" in anchored.output  # fewer rows than at the backup
    assert number is not None  # it was numbered: a gap, unless it was the last one


def test_gaps_in_the_running_numbers_are_listed(app, srisuk):
    world = build_world(app, srisuk.org_id, srisuk.memo_id)
    with app.app_context():
        numbers = sorted(
            db.session.scalars(
                sa.select(Document.number_seq).where(Document.number_seq.is_not(None))
            )
        )
        erased = db.session.get(Document, world.returned).number_seq
        assert numbers[0] < erased < numbers[-1]  # a memo numbered between two others
        _erase(world.returned)
    result = run_verify(app)
    assert f"ไม่มีเอกสารเลขที่ {erased}" in result.output
