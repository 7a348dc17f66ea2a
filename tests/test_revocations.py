"""Cancelling and superseding an approved memo by a later memo that climbs the chain (issue 20)."""

import re
from urllib.parse import unquote

import pytest
import sqlalchemy as sa
import test_oit
from sqlalchemy.exc import IntegrityError
from support.client import login
from support.factories import other_organisation
from support.measures import make_plan
from support.pages import logout
from test_pdf_seal import upload
from test_pdf_support import CHAIN, approve, user
from test_reports_helpers import APRIL, at, round_of

import clock
import storage
import thai
from extensions import db
from models import (
    Action,
    AnalysisSnapshot,
    DecisionLog,
    DocState,
    DocType,
    Document,
    FrozenPdf,
    Notification,
    Revocation,
    RevocationKind,
    RoundKind,
)
from pdf.data import memo_data
from workflow import closing, reports, revocations
from workflow import documents as service
from workflow.audit_verify import verify
from workflow.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed

REASON = "ข้อมูลผลคะแนนที่ใช้วิเคราะห์คลาดเคลื่อน ต้องจัดทำใหม่"


@pytest.fixture
def approved(app, srisuk) -> int:
    with app.app_context():
        approve(srisuk.memo_id)
    return srisuk.memo_id


def sign_through(doc_id: int) -> None:
    """Submit a later memo as its drafter and approve it up the demo chain."""
    doc = db.session.get(Document, doc_id)
    service.submit(doc_id, doc.drafter)
    db.session.commit()
    for username, decision, comment in CHAIN:
        service.decide(doc_id, user(username), decision=decision, comment=comment)
        db.session.commit()


def page(client, url: str) -> str:
    return client.get(url).get_data(as_text=True)


def test_the_drafter_cancels_an_approved_memo_through_the_chain(app, client, approved):
    login(client, "nattanipa")
    memo = page(client, f"/documents/{approved}")
    assert f"/documents/{approved}/revoke" in memo

    # no reason: the error stands beside the field and no memo is drafted
    response = client.post_form(f"/documents/{approved}/revoke", {"kind": "cancel", "reason": " "})
    assert response.status_code == 400
    assert "กรุณาระบุเหตุผล" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Revocation)) == 0

    response = client.post_form(
        f"/documents/{approved}/revoke", {"kind": "cancel", "reason": REASON}
    )
    assert response.status_code == 302
    later_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    with app.app_context():
        later = db.session.get(Document, later_id)
        original = db.session.get(Document, approved)
        assert later.state == DocState.DRAFT and later.drafter.username == "nattanipa"
        assert later.subject.startswith("ขอยกเลิกบันทึกข้อความ ที่ สร 83201/1180")
        assert REASON in [s.body for s in later.sections]
        number_before = original.number
    assert "มีบันทึกขอยกเลิกบันทึกนี้" in page(client, f"/documents/{approved}")
    assert "บันทึกนี้ขอยกเลิกบันทึก" in page(client, f"/documents/{later_id}")
    # one at a time: the page is refused and says why
    refused = client.get(f"/documents/{approved}/revoke")
    assert refused.status_code == 403
    assert "ครั้งละหนึ่งฉบับ" in refused.get_data(as_text=True)

    with app.app_context():
        sign_through(later_id)
        later = db.session.get(Document, later_id)
        original = db.session.get(Document, approved)
        assert later.state == DocState.APPROVED
        assert original.state == DocState.APPROVED  # the state enum is untouched; it is marked
        assert original.number == number_before  # never reused, never changed
        assert later.number_seq == original.number_seq + 1
        rows = db.session.scalars(
            sa.select(DecisionLog).filter_by(document_id=approved).order_by(DecisionLog.id)
        ).all()
        assert rows[-1].action == Action.CANCEL and rows[-1].comment == REASON
        assert rows[-1].decision == f"ยกเลิกโดยบันทึก ที่ {later.number}"
        told = db.session.scalars(
            sa.select(Notification).filter_by(kind="revoked", user_id=original.drafter_id)
        ).all()
        assert len(told) == 1 and REASON in told[0].body
        code = db.session.get(FrozenPdf, approved).verify_code
        problems = []
        assert verify(report=problems.append).clean, problems  # the logs still verify

    memo = page(client, f"/documents/{approved}")
    assert "บันทึกนี้ถูกยกเลิกแล้ว" in memo and f'href="/documents/{later_id}"' in memo
    assert f"/documents/{approved}/revoke" not in memo
    logout(client)
    verification = page(client, f"/v/{code}")
    assert "เอกสารนี้ถูกยกเลิกแล้ว" in verification
    assert "๑๑๘๑" in verification  # the later memo's number, in the organisation's digits


def test_superseding_drafts_a_copy_of_the_memo_that_replaces_it(app, client, approved, monkeypatch):
    at(monkeypatch, APRIL)  # a correction in the fiscal year of the original (2569)
    with app.app_context():
        later = revocations.start(
            approved, user("nattanipa"), kind="supersede", reason="ปรับปรุงข้อเสนอให้ครบถ้วน"
        )
        db.session.commit()
        original = db.session.get(Document, approved)
        assert later.subject == original.subject
        bodies = [s.body for s in later.sections]
        assert bodies[0].startswith("บันทึกฉบับนี้แทนที่บันทึกข้อความ ที่ สร 83201/1180")
        assert bodies[1:] == [s.body for s in original.sections]
        # an analysis memo: the new one is one too, and prints the same attached table (the
        # seed's memo has no snapshot: its table is the plan of its date's fiscal year)
        assert later.doc_type == original.doc_type == DocType.ANALYSIS
        annexes = memo_data(original)["annexes"]
        assert annexes and memo_data(later)["annexes"] == annexes
        sign_through(later.id)
        done = revocations.done_revocation(approved)
        assert done.kind == RevocationKind.SUPERSEDE and done.document_id == later.id
        with pytest.raises(InvalidTransition, match="ถูกแทนที่แล้ว"):
            revocations.start(approved, user("nattanipa"), kind="cancel", reason="อีกครั้ง")
    login(client, "chuttikan")
    assert "บันทึกนี้ถูกแทนที่แล้ว" in page(client, f"/documents/{approved}")


def test_who_may_start_and_what_may_be_cancelled(app, client, approved, srisuk):
    b = other_organisation(app)
    with app.app_context():
        # a signer who is not the drafter nor an admin: refused, nothing written
        with pytest.raises(NotAllowed):
            revocations.start(approved, user("chuttikan"), kind="cancel", reason=REASON)
        # another organisation's admin: the memo does not exist for them
        with pytest.raises(NotFound):
            revocations.start(approved, user(b.admin), kind="cancel", reason=REASON)
        # only approved memos: B's memo in review, from its own drafter
        with pytest.raises(InvalidTransition, match="เฉพาะบันทึกที่อนุมัติแล้ว"):
            revocations.start(b.memo_id, user(b.drafter), kind="cancel", reason=REASON)
        with pytest.raises(ValidationFailed) as error:
            revocations.start(approved, user("nattanipa"), kind="erase", reason=REASON)
        assert error.value.field == "kind"
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Revocation)) == 0
        # the organisation's admin may
        later = revocations.start(approved, user("admin"), kind="cancel", reason=REASON)
        db.session.commit()
        assert later.drafter.username == "admin"
    login(client, "chuttikan")
    assert f"/documents/{approved}/revoke" not in page(client, f"/documents/{approved}")
    assert (
        client.post_form(
            f"/documents/{approved}/revoke", {"kind": "cancel", "reason": REASON}
        ).status_code
        == 403
    )
    logout(client)
    login(client, b.admin)
    assert client.get(f"/documents/{approved}/revoke").status_code == 404


def test_a_rejected_cancellation_frees_the_memo_and_marks_nothing(app, approved):
    with app.app_context():
        later = revocations.start(approved, user("nattanipa"), kind="cancel", reason=REASON)
        db.session.commit()
        service.submit(later.id, user("nattanipa"))
        for username, decision, comment in CHAIN[:2]:
            service.decide(later.id, user(username), decision=decision, comment=comment)
        service.decide(later.id, user("nakarin"), decision="ไม่อนุมัติ", comment="ยังใช้บันทึกเดิม")
        db.session.commit()
        assert revocations.done_revocation(approved) is None
        assert revocations.open_revocation(approved) is None
        again = revocations.start(approved, user("nattanipa"), kind="cancel", reason=REASON)
        db.session.commit()
        assert again.id != later.id


def test_double_submission_drafts_one_later_memo(app, client, approved):
    login(client, "nattanipa")
    first = client.post_form(f"/documents/{approved}/revoke", {"kind": "cancel", "reason": REASON})
    second = client.post_form(f"/documents/{approved}/revoke", {"kind": "cancel", "reason": REASON})
    assert first.status_code == 302 and second.status_code == 403
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Revocation)) == 1


def test_the_database_refuses_a_second_completed_revocation(app, approved):
    with app.app_context():
        one = revocations.start(approved, user("nattanipa"), kind="cancel", reason=REASON)
        other = service.create_draft(user("nattanipa"), service.MemoContent(**_content(one)))
        db.session.commit()
        now, nakarin = clock.now(), user("nakarin")
        db.session.execute(
            sa.update(Revocation)
            .where(Revocation.document_id == one.id)
            .values(done_at=now, done_by_id=nakarin.id)
        )
        db.session.add(
            Revocation(
                org_id=one.org_id,
                document_id=other.id,
                target_id=approved,
                kind=RevocationKind.SUPERSEDE,
                reason="x",
                started_by_id=nakarin.id,
                done_at=now,
                done_by_id=nakarin.id,
            )
        )
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
        with pytest.raises(IntegrityError):  # a reason is required in the database too
            db.session.execute(
                sa.update(Revocation).where(Revocation.document_id == one.id).values(reason="")
            )
        db.session.rollback()


def _content(doc: Document) -> dict:
    return {
        "doc_type": doc.doc_type,
        "issuing_unit": doc.issuing_unit,
        "doc_date": doc.doc_date,
        "subject": "อีกฉบับ",
        "addressee": doc.addressee,
    }


@pytest.fixture
def new_org(app) -> dict:
    """A new organisation set up as in tests/test_oit.py, whose analysis memo fills O25."""
    return test_oit.new_org.__wrapped__(app)


def test_the_publication_and_the_oit_board_say_the_memo_was_cancelled(app, client, new_org):
    from workflow.oit import publish

    doc_id = test_oit.approved_analysis(client)  # a new organisation's 2569 analysis memo, approved
    with app.app_context():
        published = publish.publish(doc_id, user("bm_drafter"))
        db.session.commit()
        path = publish.public_path(new_org["slug"], published.fiscal_year, published.code)
        year = published.fiscal_year
    before = page(client, path)
    assert "ถูกยกเลิก" not in before and "เปิดเอกสารฉบับอนุมัติ (PDF" in before
    with app.app_context():
        later = revocations.start(doc_id, user("bm_drafter"), kind="cancel", reason=REASON)
        db.session.commit()
        service.submit(later.id, user("bm_drafter"))
        service.decide(later.id, user("bm_clerk"), decision="เห็นควรเสนอ")
        service.decide(later.id, user("bm_mayor"), decision="อนุมัติ")
        db.session.commit()
        number = later.number
    public = page(client, path)
    assert "เอกสารนี้ถูกยกเลิกแล้ว" in public and number in public  # B writes Arabic digits
    # the file says nothing of it (it is the sealed original), so its button does
    button = re.search(r'<a class="btn danger" id="public-pdf"[^>]*>([^<]*)</a>', public)
    assert button and button.group(1).startswith("เปิดเอกสารฉบับอนุมัติที่ถูกยกเลิกแล้ว (PDF")
    assert client.get(f"{path}/pdf").status_code == 200  # it stays published, marked
    login(client, "bm_mayor")
    board = page(client, f"/oit/{year}")
    assert "เอกสารนี้ถูกยกเลิกแล้ว" in board


def test_discarding_or_closing_the_later_memo_frees_the_original(app, approved):
    with app.app_context():
        drafter = user("nattanipa")
        later = revocations.start(approved, drafter, kind="cancel", reason=REASON)
        db.session.commit()
        closing.discard(later.id, drafter)
        db.session.commit()
        assert db.session.get(Document, later.id) is None
        assert revocations.open_revocation(approved) is None

        again = revocations.start(approved, drafter, kind="supersede", reason=REASON)
        db.session.commit()
        service.submit(again.id, drafter)
        service.return_for_revision(again.id, user("thanyarat"), reason="ยังไม่ต้องแทนที่")
        closing.close(again.id, drafter, reason="ใช้บันทึกฉบับเดิมต่อไป")
        db.session.commit()
        assert revocations.open_revocation(approved) is None
        assert revocations.done_revocation(approved) is None
        assert db.session.get(Document, approved).state == DocState.APPROVED


# -- the cancelled original's file, wherever it is checked --------------------------------------


def test_a_copy_of_the_cancelled_original_says_so_where_it_is_checked(app, client, approved):
    with app.app_context():
        frozen = db.session.get(FrozenPdf, approved)
        code, path = frozen.verify_code, storage.path_of(frozen.storage_key)
    original = path.read_bytes()
    assert "ถูกยกเลิก" not in upload(client, code, original)  # before: approved, nothing more

    with app.app_context():
        later = revocations.start(approved, user("nattanipa"), kind="cancel", reason=REASON)
        db.session.commit()
        sign_through(later.id)
        later_code = db.session.get(FrozenPdf, later.id).verify_code

    # /v: the file is still the approved one, and the reader is told it was cancelled, by which
    checked = upload(client, code, original)
    result = checked[checked.index('id="result"') :]
    assert "ตรงกัน:" in result and "แต่เอกสารฉบับนี้ถูกยกเลิกแล้ว" in result
    assert f'href="/v/{later_code}"' in result and "๑๑๘๑" in result
    assert 'class="flash flash-warning"' in checked  # not the green of a memo in force

    # offline: the same facts
    output = app.test_cli_runner().invoke(args=["pdf", "verify", str(path)])
    assert output.exit_code == 0 and "แต่เอกสารฉบับนี้ถูกยกเลิกแล้ว" in output.output
    assert later_code in output.output

    # the memo page labels the download, and the file's name says it too
    login(client, "nattanipa")
    memo = page(client, f"/documents/{approved}")
    assert "ดาวน์โหลด PDF ฉบับที่ถูกยกเลิกแล้ว" in memo
    download = client.get(f"/documents/{approved}/pdf")
    assert download.status_code == 200 and download.data == original
    assert "ถูกยกเลิกแล้ว-บันทึกข้อความ-" in unquote(download.headers["Content-Disposition"])


# -- superseding carries the attached table ------------------------------------------------------


@pytest.fixture
def approved_report(app, srisuk, monkeypatch) -> tuple[int, int]:
    """The 6-month report of 2569, approved: its id and its round's."""
    at(monkeypatch, APRIL)
    make_plan(app, srisuk.org_id)
    half = round_of(app, srisuk.org_id, RoundKind.HALF)
    with app.app_context():
        doc = reports.create_report(user("nattanipa"), 2569, RoundKind.HALF)
        db.session.commit()
        sign_through(doc.id)
        return doc.id, half


def standing_report(round_id: int) -> int | None:
    found = reports.current_report(reports.reports_of_rounds([round_id])[round_id])
    return found.id if found else None


def test_a_superseding_report_carries_the_table_and_becomes_the_rounds_report(
    app, client, approved_report
):
    original_id, half = approved_report
    with app.app_context():
        drafter = user("nattanipa")
        later = revocations.start(original_id, drafter, kind="supersede", reason=REASON)
        db.session.commit()
        later_id = later.id
        original = db.session.get(Document, original_id)
        assert later.doc_type == DocType.PROGRESS_REPORT
        copied, source = later.report_snapshot, original.report_snapshot
        assert copied.round_id == source.round_id == half and copied.data == source.data
        assert memo_data(later)["annexes"] == memo_data(original)["annexes"]
        assert standing_report(half) == original_id  # until the new one is approved
        # withdrawn and brought back: the report it replaces does not hold its round against it
        service.submit(later_id, drafter)
        service.withdraw(later_id, drafter)
        service.reopen(later_id, drafter)
        db.session.commit()
    login(client, "nattanipa")
    listed = page(client, "/reports/2569")
    assert "ฉบับใหม่:" in listed

    with app.app_context():
        sign_through(later_id)
        assert standing_report(half) == later_id
        number = db.session.get(Document, later_id).number
    listed = page(client, "/reports/2569")
    assert thai.digits(number, True) in listed and "ฉบับก่อน:" in listed


def test_a_cancelled_report_leaves_its_round_without_one(app, client, approved_report):
    original_id, half = approved_report
    with app.app_context():
        later = revocations.start(original_id, user("nattanipa"), kind="cancel", reason=REASON)
        db.session.commit()
        assert later.doc_type == DocType.GENERAL and later.report_snapshot is None
        sign_through(later.id)
        assert standing_report(half) is None
        again = reports.create_report(
            user("nattanipa"), 2569, RoundKind.HALF
        )  # the round needs a report anew
        db.session.commit()
        assert standing_report(half) == again.id


def test_a_superseding_analysis_memo_is_published_in_the_originals_place(app, client, new_org):
    from workflow.oit import publish

    doc_id = test_oit.approved_analysis(client)
    with app.app_context():
        drafter = user("bm_drafter")
        first = publish.publish(doc_id, drafter)
        db.session.commit()
        place = (first.fiscal_year, first.code)
        path = publish.public_path(new_org["slug"], *place)
        later = revocations.start(doc_id, drafter, kind="supersede", reason=REASON)
        db.session.commit()
        source = db.session.get(AnalysisSnapshot, doc_id)
        assert later.doc_type == DocType.ANALYSIS
        assert later.analysis_snapshot.data == source.data
        assert later.analysis_snapshot.fiscal_year == source.fiscal_year
        service.submit(later.id, drafter)
        service.decide(later.id, user("bm_clerk"), decision="เห็นควรเสนอ")
        service.decide(later.id, user("bm_mayor"), decision="อนุมัติ")
        db.session.commit()
        later_id = later.id
    # until the later memo is published in its place, the original stays there, marked
    meanwhile = page(client, path)
    assert "เปิดเอกสารฉบับอนุมัติที่ถูกแทนที่แล้ว (PDF" in meanwhile
    with app.app_context():
        drafter = user("bm_drafter")
        later = db.session.get(Document, later_id)
        second = publish.publish(later.id, drafter)
        db.session.commit()
        assert (second.fiscal_year, second.code) == place
        number = later.number
    public = page(client, path)
    assert number in public and "เอกสารนี้ถูกแทนที่แล้ว" not in public
