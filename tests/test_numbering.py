"""Document numbers (ที่): per organisation and fiscal year, given at first submission, never
reused, without gaps when a submission fails, and skipping numbers set by hand."""

from datetime import date

import pytest
import sqlalchemy as sa
from support.factories import FiveStepChain, five_step_chain, memo_content, other_organisation, user

import clock
from extensions import db
from models import Document, Organisation
from workflow import documents as service
from workflow import numbering

FORWARD = "เห็นควรเสนอเพื่อโปรดพิจารณา"


@pytest.fixture
def chain(app) -> FiveStepChain:
    """An organisation with no paper register: its numbers start at 1."""
    return five_step_chain(app)


@pytest.fixture
def on(monkeypatch):
    def move_to(day: date) -> None:
        monkeypatch.setattr(clock, "today", lambda: day)

    move_to(date(2025, 10, 27))  # fiscal year 2569
    return move_to


def _draft(drafter: str, subject: str) -> int:
    return service.create_draft(user(drafter), memo_content(subject)).id


def _submit(memo_id: int, drafter: str) -> tuple[int, int]:
    doc = service.submit(memo_id, user(drafter))
    db.session.commit()
    return doc.fiscal_year, doc.number_seq


def test_a_number_is_given_at_first_submission_in_sequence(app, chain, on):
    with app.app_context():
        memos = [_draft(chain.drafter, f"บันทึกที่ {i}") for i in (1, 2, 3)]
        db.session.commit()
        assert db.session.get(Document, memos[0]).number is None  # a draft has no number yet
        assert [_submit(m, chain.drafter) for m in memos] == [(2569, 1), (2569, 2), (2569, 3)]
        assert db.session.get(Document, memos[2]).number == "หข 1/3"


def test_the_seed_memo_continues_the_paper_register(srisuk, ctx):
    # อบต.ศรีสุข's paper register reached 1179 this fiscal year; seed 000's memo is ที่ ๑๑๘๐.
    _, seq = _submit(srisuk.memo_id, "nattanipa")
    assert seq == 1180
    assert db.session.get(Document, srisuk.memo_id).number == "สร 83201/1180"


def test_each_fiscal_year_starts_its_own_sequence(app, chain, on):
    with app.app_context():
        memos = [_draft(chain.drafter, f"บันทึกที่ {i}") for i in range(4)]
        db.session.commit()
        on(date(2025, 9, 30))  # last day of fiscal year 2568
        assert _submit(memos[0], chain.drafter) == (2568, 1)
        on(date(2025, 10, 1))  # first day of fiscal year 2569
        assert _submit(memos[1], chain.drafter) == (2569, 1)
        assert _submit(memos[2], chain.drafter) == (2569, 2)
        on(date(2025, 9, 1))  # a late submission dated in the old year continues its sequence
        assert _submit(memos[3], chain.drafter) == (2568, 2)


def test_organisations_have_independent_sequences(app, chain, on):
    b = other_organisation(app)  # its memo was submitted in the factory: its number 1
    with app.app_context():
        memo = _draft(chain.drafter, "บันทึกของ อบต.ห้าขั้น")
        db.session.commit()
        assert _submit(memo, chain.drafter) == (2569, 1)
        other = _draft(b.drafter, "บันทึกที่สองของหนองบัว")
        db.session.commit()
        assert _submit(other, b.drafter) == (2569, 2)


def test_no_gap_when_the_submitting_transaction_rolls_back(app, chain, on):
    with app.app_context():
        first, second = _draft(chain.drafter, "ฉบับแรก"), _draft(chain.drafter, "ฉบับที่สอง")
        db.session.commit()
        assert service.submit(first, user(chain.drafter)).number_seq == 1
        db.session.rollback()  # e.g. the request failed after the number was taken

        assert _submit(second, chain.drafter) == (2569, 1)  # the same number, no gap
        assert _submit(first, chain.drafter) == (2569, 2)
        assert numbering.last_used(chain.org_id, 2569) == 2


def test_numbers_are_never_reused_after_withdrawal_or_rejection(app, chain, on):
    with app.app_context():
        withdrawn, rejected, later = (_draft(chain.drafter, s) for s in ("ถอน", "ไม่อนุมัติ", "ถัดไป"))
        db.session.commit()
        assert _submit(withdrawn, chain.drafter) == (2569, 1)
        service.withdraw(withdrawn, user(chain.drafter))
        assert _submit(rejected, chain.drafter) == (2569, 2)
        for signer in chain.signers[:-1]:
            service.decide(rejected, user(signer), decision="เห็นควรเสนอ")
        service.decide(rejected, user(chain.signers[-1]), decision="ไม่อนุมัติ", comment="ไม่คุ้มค่า")
        db.session.commit()

        assert _submit(later, chain.drafter) == (2569, 3)
        assert db.session.get(Document, withdrawn).number_seq == 1
        assert db.session.get(Document, rejected).number_seq == 2


def test_resubmission_keeps_the_number_even_in_a_new_fiscal_year(app, chain, on):
    with app.app_context():
        memo = _draft(chain.drafter, "ส่งคืนแก้ไขข้ามปี")
        db.session.commit()
        on(date(2025, 9, 29))
        assert _submit(memo, chain.drafter) == (2568, 1)
        service.return_for_revision(memo, user(chain.signers[0]), reason="กรุณาแก้ไข")
        db.session.commit()
        on(date(2025, 10, 2))
        assert _submit(memo, chain.drafter) == (2568, 1)
        doc = db.session.get(Document, memo)
        assert (doc.revision, doc.number) == (2, "หข 1/1")

        service.withdraw(memo, user(chain.drafter))
        service.reopen(memo, user(chain.drafter))
        assert _submit(memo, chain.drafter) == (2568, 1)


def test_the_number_keeps_the_prefix_it_was_given_with(app, chain, on):
    with app.app_context():
        memo = _draft(chain.drafter, "เปลี่ยนรหัสหน่วยงาน")
        db.session.commit()
        _submit(memo, chain.drafter)
        db.session.get(Organisation, chain.org_id).doc_prefix = "หข 2"
        db.session.commit()
        assert db.session.get(Document, memo).number == "หข 1/1"


def test_a_number_set_by_hand_is_skipped(app, chain, on):
    with app.app_context():
        memos = [_draft(chain.drafter, f"บันทึกที่ {i}") for i in range(4)]
        # An earlier paper memo was entered with its own number, 2, by hand.
        by_hand = db.session.get(Document, memos[0])
        by_hand.fiscal_year, by_hand.number_seq, by_hand.number_prefix = 2569, 2, "หข 1"
        db.session.commit()

        assert [_submit(m, chain.drafter)[1] for m in memos[1:]] == [1, 3, 4]
        assert _submit(memos[0], chain.drafter) == (2569, 2)  # it keeps the number it was given


def test_the_counter_moves_forward_for_a_paper_register_never_back(app, chain):
    with app.app_context():
        numbering.move_counter_forward(chain.org_id, 2569, 501)
        assert numbering.last_used(chain.org_id, 2569) == 500
        with pytest.raises(ValueError, match="เลขที่หนังสือใช้ซ้ำไม่ได้"):
            numbering.move_counter_forward(chain.org_id, 2569, 500)
        assert numbering.allocate(chain.org_id, 2569) == 501


def test_the_database_refuses_a_number_twice_in_one_organisation_and_year(app, chain, on):
    with app.app_context():
        first, second = _draft(chain.drafter, "ฉบับแรก"), _draft(chain.drafter, "ฉบับที่สอง")
        db.session.commit()
        _submit(first, chain.drafter)
        duplicate = db.session.get(Document, second)
        duplicate.fiscal_year, duplicate.number_seq = 2569, 1
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()
        db.session.rollback()
