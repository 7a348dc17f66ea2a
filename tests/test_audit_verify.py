"""`flask audit verify`: an untouched log verifies clean; an edited row, a row deleted in the
middle or at the start, and rows deleted at the end are each reported, naming the document,
its organisation and the exact row, and the command exits 1."""

import pytest
import sqlalchemy as sa
from support.factories import make_user
from support.faults import build_world, log_rows, tamper

from extensions import db
from models import Action, Organisation, OrgKind
from workflow.audit_verify import verify

ORG = "องค์การบริหารส่วนตำบลศรีสุข"


@pytest.fixture
def world(app, srisuk):
    return build_world(app, srisuk.org_id, srisuk.memo_id)


def run_verify(app, *args: str):
    """The command as `flask audit verify` runs it (the flask CLI provides the app context)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=["audit", "verify", *args])


def problems(batch: int = 500, org_id: int | None = None) -> list:
    found = []
    verify(org_id, report=found.append, batch=batch)
    return found


def test_an_untouched_log_verifies_clean(app, world):
    result = run_verify(app)
    assert result.exit_code == 0, result.output
    assert "ถูกต้องครบถ้วน" in result.output
    assert "พบปัญหา" not in result.output
    with app.app_context():
        assert problems(batch=1) == []  # one document per batch: the keyset walks them all
        assert len({r.document_id for r in log_rows()}) == 4


def test_an_edited_row_is_reported_with_its_document_and_row(app, world):
    with app.app_context():
        signed = [r.id for r in log_rows(world.approved) if r.action == Action.FORWARD][0]
        tamper("UPDATE decision_log SET comment = 'ไม่เห็นด้วย' WHERE id = :id", id=signed)
        doc_number = signed_number(world.approved)

    result = run_verify(app)
    assert result.exit_code == 1
    line = one_line_naming(result.output, f"แถวบันทึก #{signed}")
    assert f"เอกสาร #{world.approved} ที่ {doc_number}" in line and ORG in line
    assert "ถูกแก้ไข" in line
    assert "พบปัญหา 1 รายการ" in result.output


def test_an_edited_row_whose_hash_was_recomputed_breaks_the_next_link(app, world):
    with app.app_context():
        rows = row_ids(world.approved)
        forged = log_rows(world.approved)[1]
        db.session.expunge(forged)
        forged.comment = "ไม่เห็นด้วย"
        tamper(
            "UPDATE decision_log SET comment = :comment, row_hash = :hash WHERE id = :id",
            comment=forged.comment,
            hash=forged.compute_hash(),
            id=rows[1],
        )
        found = problems()
    assert [(p.row_id, p.kind) for p in found] == [(rows[2], "broken_link")]
    assert f"#{rows[1]}" in found[0].describe()


def test_a_row_deleted_in_the_middle_is_reported_at_the_row_after_it(app, world):
    with app.app_context():
        rows = row_ids(world.approved)
        tamper("DELETE FROM decision_log WHERE id = :id", id=rows[2])
        found = problems()
    assert [(p.document_id, p.row_id, p.kind) for p in found] == [
        (world.approved, rows[3], "broken_link")
    ]
    assert f"ไม่ได้ต่อจากแถว #{rows[1]}" in found[0].detail


def test_the_first_row_deleted_is_reported(app, world):
    with app.app_context():
        rows = row_ids(world.returned)
        tamper("DELETE FROM decision_log WHERE id = :id", id=rows[0])
        found = problems()
    assert [(p.row_id, p.kind) for p in found] == [(rows[1], "broken_link")]
    assert "แถวแรกของเอกสารถูกลบ" in found[0].detail


@pytest.mark.parametrize(
    ("which", "deleted"),
    [
        ("approved", 1),  # the frozen PDF's row
        ("approved", 2),  # the final approval and the frozen PDF's row
        ("returned", 1),  # the return: the log now ends with a forward
        ("in_review", 1),  # the forward to step 2: the log says it still waits at step 1
        ("report", 1),  # its only row: a submitted report with no log at all
    ],
)
def test_rows_deleted_at_the_end_are_caught(app, world, which, deleted):
    doc_id = getattr(world, which)
    with app.app_context():
        rows = row_ids(doc_id)
        for row in rows[-deleted:]:
            tamper("DELETE FROM decision_log WHERE id = :id", id=row)
        found = problems()
    assert found, "a shortened log must not verify clean"
    assert {p.document_id for p in found} == {doc_id}
    assert "missing_tail" in {p.kind for p in found}
    remaining = rows[:-deleted]
    expected_row = remaining[-1] if remaining else None
    assert expected_row in {p.row_id for p in found if p.kind == "missing_tail"}

    result = run_verify(app)
    assert result.exit_code == 1
    assert "แถวล่าสุดถูกลบ" in result.output or "ไม่มีบันทึกการพิจารณาเหลืออยู่" in result.output


def test_the_signed_content_changed_behind_the_log_is_reported(app, world):
    with app.app_context():
        db.session.execute(
            sa.text("UPDATE documents SET subject = 'เรื่องที่ถูกแก้' WHERE id = :id"),
            {"id": world.approved},
        )
        db.session.commit()
        last = row_ids(world.approved)[-1]
        found = problems()
    assert [(p.document_id, p.row_id, p.kind) for p in found] == [
        (world.approved, last, "content_changed")
    ]


def test_org_limits_the_check_to_one_organisation(app, world):
    with app.app_context():
        other = Organisation(name="เทศบาลตำบลทดสอบ", kind=OrgKind.MUNICIPALITY)
        make_user(other, "other_admin", "ผู้ดูแลเทศบาล", is_admin=True)
        db.session.commit()
        other_id = other.id
        tamper("UPDATE decision_log SET comment = 'แก้' WHERE id = :id", id=log_rows()[0].id)

    clean = run_verify(app, "--org", str(other_id))
    assert clean.exit_code == 0 and "ตรวจบันทึกการพิจารณา 0 เอกสาร" in clean.output
    assert run_verify(app, "--org", ORG).exit_code == 1
    assert run_verify(app, "--org", "ไม่มีองค์กรนี้").exit_code != 0


def test_progress_goes_to_stderr_and_the_report_to_stdout(app, world):
    result = run_verify(app)
    assert "ตรวจแล้ว 4 เอกสาร" in result.stderr
    assert "ตรวจแล้ว" not in result.stdout


def row_ids(doc_id: int) -> list[int]:
    return [r.id for r in log_rows(doc_id)]


def signed_number(doc_id: int) -> str:
    from models import Document

    return db.session.get(Document, doc_id).number


def one_line_naming(output: str, needle: str) -> str:
    lines = [line for line in output.splitlines() if needle in line]
    assert len(lines) == 1, output
    return lines[0]


def test_an_approved_pdf_swapped_or_removed_on_disk_is_reported(app, world):
    import storage
    from models import FrozenPdf

    with app.app_context():
        frozen = db.session.get(FrozenPdf, world.approved)
        assert frozen is not None, "the world's approved memo has its PDF"
        path = storage.path_of(frozen.storage_key)
        assert problems() == []
    path.write_bytes(b"%PDF-1.7 another document altogether\n")
    result = run_verify(app)
    assert result.exit_code == 1
    line = one_line_naming(result.output, f"เอกสาร #{world.approved}")
    assert "ไฟล์ PDF ฉบับอนุมัติในที่เก็บไฟล์ถูกเปลี่ยน" in line
    path.unlink()
    with app.app_context():
        assert [(p.document_id, p.kind) for p in problems()] == [(world.approved, "file_changed")]
