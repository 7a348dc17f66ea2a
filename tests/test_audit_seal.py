"""Sealing the decision log with AUDIT_KEY: someone with full database rights rewrites a
decision and recomputes every hash after it; the hash chain alone then verifies clean, the seals
do not. A removed seal, a wrong key and an installation that sets its key later are handled."""

import sqlalchemy as sa
from support.faults import build_world, log_rows, tamper
from test_audit_verify import problems, run_verify

from extensions import db
from models import Action, DecisionLog, DecisionSeal
from workflow.audit import seal_mac

KEY = "a-key-kept-outside-the-database-0123456789"


def sealed_world(app, srisuk):
    app.config["AUDIT_KEY"] = KEY
    return build_world(app, srisuk.org_id, srisuk.memo_id)


def rewrite_decision(doc_id: int) -> int:
    """As an intruder with database rights: the first FORWARD now says "ไม่เห็นด้วย", and that
    row's hash and every later hash of the memo are recomputed, so the chain holds together."""
    rows = log_rows(doc_id)
    first = next(i for i, r in enumerate(rows) if r.action == Action.FORWARD)
    for row in rows:
        db.session.expunge(row)
    rows[first].comment = "ไม่เห็นด้วย"
    for i in range(first, len(rows)):
        if i > first:
            rows[i].prev_hash = rows[i - 1].row_hash
        rows[i].row_hash = rows[i].compute_hash()
    tamper(
        *[
            f"UPDATE decision_log SET comment = :c{i}, prev_hash = :p{i}, row_hash = :h{i}"
            f" WHERE id = :id{i}"
            for i in range(first, len(rows))
        ],
        **{
            key: value
            for i in range(first, len(rows))
            for key, value in (
                (f"c{i}", rows[i].comment),
                (f"p{i}", rows[i].prev_hash),
                (f"h{i}", rows[i].row_hash),
                (f"id{i}", rows[i].id),
            )
        },
    )
    return rows[first].id


def test_every_decision_is_sealed_under_the_key_and_the_log_verifies_clean(app, srisuk):
    sealed_world(app, srisuk)
    with app.app_context():
        rows = log_rows()
        seals = {
            i: mac
            for i, mac in db.session.execute(sa.select(DecisionSeal.row_id, DecisionSeal.mac))
        }
        assert rows and sorted(seals) == [r.id for r in rows]
        assert all(seals[r.id] == seal_mac(KEY.encode(), r.row_hash) for r in rows)
    result = run_verify(app)
    assert result.exit_code == 0 and "ถูกต้องครบถ้วน" in result.output, result.output
    assert "ไม่ได้ตั้ง AUDIT_KEY" not in result.output


def test_a_decision_rewritten_with_every_hash_recomputed_is_found_by_its_seals(app, srisuk):
    world = sealed_world(app, srisuk)
    with app.app_context():
        rewritten = rewrite_decision(world.approved)
        app.config["AUDIT_KEY"] = ""
        assert problems() == [], "the hash chain alone cannot tell"
        app.config["AUDIT_KEY"] = KEY
        found = problems()
        after = [r.id for r in log_rows(world.approved) if r.id >= rewritten]
    assert [(p.row_id, p.kind) for p in found] == [(row, "forged") for row in after]
    result = run_verify(app)
    assert result.exit_code == 1
    assert f"แถวบันทึก #{rewritten}" in result.output and "ผู้ไม่มีกุญแจ AUDIT_KEY" in result.output


def test_a_removed_seal_and_a_wrong_key_are_reported(app, srisuk):
    world = sealed_world(app, srisuk)
    with app.app_context():
        row = log_rows(world.returned)[0].id
        db.session.execute(sa.delete(DecisionSeal).where(DecisionSeal.row_id == row))
        db.session.commit()
        assert [(p.row_id, p.kind) for p in problems()] == [(row, "unsealed")]
        app.config["AUDIT_KEY"] = "another-key"
        found = problems()
        count = db.session.scalar(sa.select(sa.func.count(DecisionLog.id)))
    assert {p.kind for p in found} == {"forged", "unsealed"} and len(found) == count


def test_a_key_set_later_seals_the_existing_log_once(app, srisuk):
    build_world(app, srisuk.org_id, srisuk.memo_id)  # made without a key: nothing sealed
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(DecisionSeal)) == 0
        app.config["AUDIT_KEY"] = KEY
        assert {p.kind for p in problems()} == {"unsealed"}
        result = app.test_cli_runner().invoke(args=["audit", "seal"])
        count = db.session.scalar(sa.select(sa.func.count(DecisionLog.id)))
    assert result.exit_code == 0, result.output
    assert f"ประทับตราบันทึกการพิจารณาแล้ว {count:,} แถว" in result.output
    assert run_verify(app).exit_code == 0

    with app.app_context():
        again = app.test_cli_runner().invoke(args=["audit", "seal"])
    assert again.exit_code != 0 and "ถูกประทับตราไว้แล้ว" in again.output


def test_a_log_with_problems_or_no_key_is_not_sealed(app, srisuk):
    world = build_world(app, srisuk.org_id, srisuk.memo_id)
    with app.app_context():
        no_key = app.test_cli_runner().invoke(args=["audit", "seal"])
        assert no_key.exit_code != 0 and "ยังไม่ได้ตั้ง AUDIT_KEY" in no_key.output
        signed = log_rows(world.approved)[1].id
        tamper("UPDATE decision_log SET comment = 'แก้' WHERE id = :id", id=signed)
        app.config["AUDIT_KEY"] = KEY
        refused = app.test_cli_runner().invoke(args=["audit", "seal"])
        assert refused.exit_code != 0 and "มีปัญหา" in refused.output
        assert db.session.scalar(sa.select(sa.func.count()).select_from(DecisionSeal)) == 0
