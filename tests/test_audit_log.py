"""The decision log: append-only in the ORM and in the database, hash-chained per document,
and recording the SHA-256 of exactly the content that was signed."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from support.factories import PDF, memo_content, user

from extensions import db
from models import Action, AppendOnlyViolation, DecisionLog, Document
from workflow import attachments, audit
from workflow import documents as service

FORWARD = "เห็นควรเสนอเพื่อโปรดพิจารณา"


def _rows(memo_id: int | None = None) -> list[DecisionLog]:
    stmt = sa.select(DecisionLog).order_by(DecisionLog.id)
    if memo_id is not None:
        stmt = stmt.where(DecisionLog.document_id == memo_id)
    return list(db.session.scalars(stmt))


def _two_rounds(memo_id: int) -> None:
    """Submit, forward, return, attach, resubmit, forward: five rows over two revisions."""
    service.submit(memo_id, user("nattanipa"))
    service.decide(memo_id, user("thanyarat"), decision=FORWARD, comment="ได้ตรวจสอบแล้ว")
    service.return_for_revision(memo_id, user("chuttikan"), reason="กรุณาแนบตารางคะแนน")
    attachments.add(memo_id, user("nattanipa"), "ตารางคะแนน.pdf", PDF)
    service.submit(memo_id, user("nattanipa"))
    service.decide(memo_id, user("thanyarat"), decision=FORWARD)
    db.session.commit()


@pytest.fixture
def logged(srisuk, ctx) -> int:
    _two_rounds(srisuk.memo_id)
    db.session.expire_all()
    return srisuk.memo_id


# -- append-only ------------------------------------------------------------------------------


def test_the_orm_refuses_to_change_a_log_row(logged):
    row = _rows(logged)[1]
    row.comment = "ความเห็นที่ถูกแก้ภายหลัง"
    with pytest.raises(AppendOnlyViolation):
        db.session.flush()
    db.session.rollback()
    assert _rows(logged)[1].comment == "ได้ตรวจสอบแล้ว"


def test_the_orm_refuses_to_delete_a_log_row(logged):
    db.session.delete(_rows(logged)[0])
    with pytest.raises(AppendOnlyViolation):
        db.session.flush()
    db.session.rollback()
    assert len(_rows(logged)) == 5


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE decision_log SET comment = 'แก้ไขด้วย SQL' WHERE id = (SELECT MIN(id) FROM decision_log)",
        "UPDATE decision_log SET actor_name = 'คนอื่น'",
        "DELETE FROM decision_log WHERE id = (SELECT MAX(id) FROM decision_log)",
        "DELETE FROM decision_log",
    ],
)
def test_the_database_refuses_raw_sql_updates_and_deletes(logged, statement):
    before = [(r.id, r.comment, r.actor_name, r.row_hash) for r in _rows()]
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        db.session.execute(sa.text(statement))
    db.session.rollback()
    assert [(r.id, r.comment, r.actor_name, r.row_hash) for r in _rows()] == before


def test_the_database_refuses_bulk_orm_statements_that_skip_the_flush_check(logged):
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        db.session.execute(sa.update(DecisionLog).values(comment="แก้ทั้งหมด"))
    db.session.rollback()
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        db.session.execute(sa.delete(DecisionLog).where(DecisionLog.document_id == logged))
    db.session.rollback()
    assert len(_rows(logged)) == 5


# -- the hash chain ---------------------------------------------------------------------------


def test_each_row_chains_to_the_previous_row_of_its_document(logged):
    rows = _rows(logged)
    assert [(r.revision, r.action) for r in rows] == [
        (1, Action.SUBMIT),
        (1, Action.FORWARD),
        (1, Action.RETURN),
        (2, Action.RESUBMIT),
        (2, Action.FORWARD),
    ]
    assert rows[0].prev_hash is None
    for previous, row in zip(rows, rows[1:], strict=False):
        assert row.prev_hash == previous.row_hash
    for row in rows:  # as read back from the database, every hash recomputes
        assert re.fullmatch("[0-9a-f]{64}", row.row_hash)
        assert row.row_hash == row.compute_hash()


def test_chains_are_per_document_even_when_decisions_interleave(srisuk, ctx):
    first = srisuk.memo_id
    second = service.create_draft(user("nattanipa"), memo_content("บันทึกฉบับที่สอง")).id
    service.submit(first, user("nattanipa"))
    service.submit(second, user("nattanipa"))
    service.decide(first, user("thanyarat"), decision=FORWARD)
    service.decide(second, user("thanyarat"), decision=FORWARD)
    service.decide(first, user("chuttikan"), decision="เห็นควรอนุมัติ")
    db.session.commit()
    db.session.expire_all()

    assert [r.document_id for r in _rows()] == [first, second, first, second, first]
    for memo in (first, second):
        rows = _rows(memo)
        assert rows[0].prev_hash is None
        assert [r.prev_hash for r in rows[1:]] == [r.row_hash for r in rows[:-1]]
        assert all(r.row_hash == r.compute_hash() for r in rows)


@pytest.mark.parametrize(
    ("fact", "forged"),
    [
        ("comment", "อนุมัติ (แก้ไขภายหลัง)"),
        ("decision", "ไม่อนุมัติ"),
        ("actor_name", "นายผู้อื่น ลงนามแทน"),
        ("actor_position", "ปลัด"),
        ("acting_for", None),
        ("step_no", 2),
        ("content_sha256", "0" * 64),
        ("prev_hash", "f" * 64),
    ],
)
def test_changing_any_signed_fact_breaks_the_rows_hash(logged, fact, forged):
    row = _rows(logged)[1]  # thanyarat's signature, acting for the section head
    assert row.row_hash == row.compute_hash()
    db.session.expunge(row)  # a forged copy, outside the database
    setattr(row, fact, forged)
    assert row.compute_hash() != row.row_hash


def test_moving_the_signing_time_breaks_the_rows_hash(logged):
    row = _rows(logged)[1]
    db.session.expunge(row)
    row.created_at = row.created_at - timedelta(days=1)
    assert row.compute_hash() != row.row_hash


# -- what was signed --------------------------------------------------------------------------


def test_the_content_hash_is_the_same_within_a_revision_and_changes_with_the_content(logged):
    rows = _rows(logged)
    first_round = {r.content_sha256 for r in rows if r.revision == 1}
    second_round = {r.content_sha256 for r in rows if r.revision == 2}
    assert len(first_round) == 1 and len(second_round) == 1  # everyone signed the same text
    assert first_round != second_round  # an attachment was added between the rounds
    # The memo as it stands now is what the second round signed.
    assert audit.content_digest(db.session.get(Document, logged)) == second_round.pop()


@pytest.mark.parametrize(
    "change",
    [
        {"subject": "เรื่องที่แก้ไขแล้ว"},
        {"addressee": "ปลัด"},
        {"sections": [("ข้อเท็จจริง", "เนื้อหาที่แก้ไขแล้ว")]},
        {"closing": "จึงเรียนมาเพื่อโปรดทราบ"},
    ],
)
def test_any_edit_between_revisions_changes_the_content_hash(srisuk, ctx, change):
    memo = srisuk.memo_id
    service.update_draft(memo, user("nattanipa"), memo_content())
    service.submit(memo, user("nattanipa"))
    service.return_for_revision(memo, user("thanyarat"), reason="กรุณาแก้ไข")
    service.update_draft(memo, user("nattanipa"), memo_content(**change))
    service.submit(memo, user("nattanipa"))
    db.session.commit()
    submitted = [r for r in _rows(memo) if r.action in (Action.SUBMIT, Action.RESUBMIT)]
    assert submitted[0].content_sha256 != submitted[1].content_sha256


def test_resubmitting_unchanged_content_signs_the_same_hash(srisuk, ctx):
    memo = srisuk.memo_id
    service.submit(memo, user("nattanipa"))
    service.return_for_revision(memo, user("thanyarat"), reason="ขอตรวจทานอีกครั้ง")
    service.submit(memo, user("nattanipa"))
    db.session.commit()
    submitted = [r for r in _rows(memo) if r.action in (Action.SUBMIT, Action.RESUBMIT)]
    assert submitted[0].content_sha256 == submitted[1].content_sha256
