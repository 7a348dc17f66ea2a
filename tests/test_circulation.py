"""Circulation with acknowledgement (แจ้งเวียน) of an approved memo (issue 20, part 6)."""

import csv
import io
from datetime import date

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from support.client import login
from support.factories import make_user, other_organisation
from support.pages import body, logout
from test_pdf_support import approve, user

from extensions import db
from models import (
    Action,
    CirculationRecipient,
    DecisionLog,
    DocType,
    Document,
    Notification,
    NotifyDelivery,
    Organisation,
    Unit,
)
from workflow import circulation
from workflow import documents as service
from workflow.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from workflow.permissions import can_view, visible_documents

FINANCE = "หน่วยตรวจสอบภายใน (ทดสอบแจ้งเวียน)"


@pytest.fixture
def world(app, srisuk) -> dict:
    """The demo memo approved; two people of the organisation outside its chain, in a unit of their own."""
    with app.app_context():
        approve(srisuk.memo_id)
        org = db.session.get(Organisation, srisuk.org_id)
        unit = Unit(organisation=org, name=FINANCE)
        db.session.add(unit)
        somchai = make_user(org, "somchai", "สมชาย ใจดี")
        somsri = make_user(org, "somsri", "สมศรี มีสุข", title="นาง")
        somchai.unit = somsri.unit = unit
        somchai.email = "somchai@srisuk.example.go.th"
        db.session.commit()
        return {"memo": srisuk.memo_id, "unit": unit.id, "somchai": somchai.id, "somsri": somsri.id}


def test_the_drafter_circulates_and_each_recipient_acknowledges_once(app, client, world):
    memo = world["memo"]
    login(client, "somchai")
    assert client.get(f"/documents/{memo}").status_code == 403  # not in the chain, not sent yet
    logout(client)

    login(client, "nattanipa")
    assert f"/documents/{memo}/circulate" in body(client.get(f"/documents/{memo}"))
    empty = client.post_form(f"/documents/{memo}/circulate", {})
    assert empty.status_code == 400
    assert "อย่างน้อยหนึ่งรายการ" in body(empty)
    response = client.post_form(f"/documents/{memo}/circulate", {"unit_ids": [str(world["unit"])]})
    assert response.status_code == 302
    page = body(client.get(f"/documents/{memo}"))
    assert "รับทราบแล้ว <strong>๐</strong> จาก ๒ คน" in page
    assert "นายสมชาย ใจดี" in page and "นางสมศรี มีสุข" in page
    logout(client)

    with app.app_context():
        rows = db.session.scalars(
            sa.select(CirculationRecipient).order_by(CirculationRecipient.user_id)
        ).all()
        assert [r.user_id for r in rows] == sorted([world["somchai"], world["somsri"]])
        assert all(r.unit_id == world["unit"] and r.acknowledged_at is None for r in rows)
        told = db.session.scalars(sa.select(Notification).filter_by(kind="circulated")).all()
        assert sorted(n.user_id for n in told) == sorted([world["somchai"], world["somsri"]])
        assert told[0].url == f"/documents/{memo}"
        mails = db.session.scalars(sa.select(NotifyDelivery).filter_by(channel="email")).all()
        assert world["somchai"] in [m.user_id for m in mails]  # e-mail per his preferences
        log = db.session.scalars(
            sa.select(DecisionLog).filter_by(document_id=memo, action=Action.CIRCULATE)
        ).all()
        assert len(log) == 1 and "แจ้งเวียนถึง 2 คน" in log[0].comment

    login(client, "somchai")
    assert 'href="/circulated"' in body(client.get("/"))
    assert "ยังไม่รับทราบ" in body(client.get("/circulated"))
    page = body(client.get(f"/documents/{memo}"))
    assert "รับทราบ</button>" in page
    listed = body(client.get("/lists/documents"))
    assert "การนำผลการประเมิน" in listed or f"/documents/{memo}" in listed
    assert client.post_form(f"/documents/{memo}/acknowledge").status_code == 302
    with app.app_context():
        first = db.session.scalars(
            sa.select(CirculationRecipient.acknowledged_at).filter_by(user_id=world["somchai"])
        ).one()
    assert client.post_form(f"/documents/{memo}/acknowledge").status_code == 302  # double click
    with app.app_context():
        again = db.session.scalars(
            sa.select(CirculationRecipient.acknowledged_at).filter_by(user_id=world["somchai"])
        ).one()
    assert first is not None and again == first
    assert "คุณรับทราบแล้วเมื่อ" in body(client.get(f"/documents/{memo}"))


def test_the_acknowledgement_list_exports_with_thai_dates_and_a_frozen_header(app, client, world):
    with app.app_context():
        circulation.send(
            world["memo"],
            user("nattanipa"),
            user_ids=[world["somchai"], world["somsri"]],
            unit_ids=[],
        )
        circulation.acknowledge(world["memo"], user("somchai"))
        db.session.commit()
    login(client, "nattanipa")
    sheet = load_workbook(
        io.BytesIO(client.get(f"/documents/{world['memo']}/circulation.xlsx").data)
    ).active
    assert sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "ชื่อ-สกุล" and len(rows) == 3
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["นางสมศรี มีสุข"][5] == "ยังไม่รับทราบ" and by_name["นางสมศรี มีสุข"][6] is None
    acked = by_name["นายสมชาย ใจดี"]
    assert acked[5] == "รับทราบแล้ว" and acked[6].date() >= date(2026, 1, 1)
    assert (
        "107041E" in sheet.cell(row=2, column=7).number_format
        or "107041E" in sheet.cell(row=3, column=7).number_format
    )
    response = client.get(f"/documents/{world['memo']}/circulation.csv")
    table = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert table[0][:3] == ["ชื่อ-สกุล", "ตำแหน่ง", "หน่วยงาน"]
    assert any("25" in row[3] and " " in row[3] for row in table[1:])  # '5 ธันวาคม 2569'
    assert client.get(f"/documents/{world['memo']}/circulation.pdf").status_code == 404


def test_sending_twice_sends_nobody_twice(app, client, world):
    with app.app_context():
        first = circulation.send(
            world["memo"], user("nattanipa"), user_ids=[world["somchai"]], unit_ids=[]
        )
        db.session.commit()
        second = circulation.send(
            world["memo"], user("nakarin"), user_ids=[world["somchai"]], unit_ids=[world["unit"]]
        )
        db.session.commit()
        assert len(first) == 1 and [r.user_id for r in second] == [world["somsri"]]
        again = circulation.send(
            world["memo"], user("nattanipa"), user_ids=[world["somchai"]], unit_ids=[]
        )
        assert again == []
        count = sa.select(sa.func.count()).select_from(Notification).filter_by(kind="circulated")
        assert db.session.scalar(count) == 2
    login(client, "nattanipa")
    for _ in range(2):  # a double click on the form
        response = client.post_form(
            f"/documents/{world['memo']}/circulate", {"person_ids": [str(world["somchai"])]}
        )
        assert response.status_code == 302
    assert "ไม่ได้ส่งซ้ำ" in body(client.get(f"/documents/{world['memo']}"))


def test_who_may_circulate_and_only_an_approved_memo(app, world):
    with app.app_context():
        with pytest.raises(NotAllowed):  # neither drafter, signer nor admin
            circulation.send(
                world["memo"], user("somsri"), user_ids=[world["somchai"]], unit_ids=[]
            )
        for sender in ("thanyarat", "admin"):  # a signer, the organisation's admin
            assert circulation.may_send(user(sender), db.session.get(Document, world["memo"]))
        draft = service.create_draft(user("nattanipa"), _content())
        db.session.commit()
        with pytest.raises(InvalidTransition, match="เฉพาะบันทึกที่อนุมัติแล้ว"):
            circulation.send(draft.id, user("nattanipa"), user_ids=[world["somchai"]], unit_ids=[])
        with pytest.raises(ValidationFailed):  # the sender alone is nobody to tell
            circulation.send(
                world["memo"], user("nattanipa"), user_ids=[user("nattanipa").id], unit_ids=[]
            )


def test_another_organisation_can_neither_send_see_nor_acknowledge(app, client, world):
    b = other_organisation(app)
    with app.app_context():
        b_user = user(b.drafter)
        with pytest.raises(ValidationFailed):  # B's person is not on A's list
            circulation.send(world["memo"], user("nattanipa"), user_ids=[b_user.id], unit_ids=[])
        with pytest.raises(ValidationFailed):  # nor is B's unit
            circulation.send(world["memo"], user("nattanipa"), user_ids=[], unit_ids=[b.unit_id])
        db.session.rollback()
        with pytest.raises(NotFound):
            circulation.send(world["memo"], user(b.admin), user_ids=[b_user.id], unit_ids=[])
        with pytest.raises(NotFound):
            circulation.acknowledge(world["memo"], user(b.admin))
        circulation.send(world["memo"], user("nattanipa"), user_ids=[world["somchai"]], unit_ids=[])
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CirculationRecipient)) == 1
    login(client, b.admin)
    for url in (
        f"/documents/{world['memo']}",
        f"/documents/{world['memo']}/circulate",
        f"/documents/{world['memo']}/circulation.xlsx",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post_form(f"/documents/{world['memo']}/acknowledge").status_code == 404
    assert "นายสมชาย" not in body(client.get("/circulated"))
    logout(client)
    login(client, "somsri")  # of the organisation but not sent it: may not acknowledge
    assert client.post_form(f"/documents/{world['memo']}/acknowledge").status_code == 403
    with app.app_context():
        acks = (
            sa.select(sa.func.count())
            .select_from(CirculationRecipient)
            .where(CirculationRecipient.acknowledged_at.is_not(None))
        )
        assert db.session.scalar(acks) == 0


def test_can_view_and_its_sql_twin_agree_for_every_person_and_memo(app, world):
    b = other_organisation(app)
    with app.app_context():
        circulation.send(world["memo"], user("nattanipa"), user_ids=[world["somchai"]], unit_ids=[])
        service.create_draft(user("nattanipa"), _content())
        sent = service.create_draft(user("nattanipa"), _content("ส่งแล้วรอพิจารณา"))
        db.session.flush()
        service.submit(sent.id, user("nattanipa"))
        db.session.commit()
        people = [
            "nattanipa",
            "thanyarat",
            "chuttikan",
            "nakarin",
            "admin",
            "somchai",
            "somsri",
            b.admin,
            b.drafter,
        ]
        docs = db.session.scalars(sa.select(Document)).all()
        assert len(docs) >= 4
        for username in people:
            person = user(username)
            visible = set(
                db.session.scalars(sa.select(Document.id).where(visible_documents(person)))
            )
            by_python = {d.id for d in docs if can_view(person, d)}
            assert visible == by_python, username
        somchai = user("somchai")
        assert world["memo"] in {d.id for d in docs if can_view(somchai, d)}
        assert not any(can_view(user("somsri"), d) for d in docs)


def _content(subject: str = "ร่างที่ยังไม่อนุมัติ") -> service.MemoContent:
    return service.MemoContent(
        doc_type=DocType.GENERAL,
        issuing_unit="สำนักปลัด",
        doc_date=date(2026, 12, 1),
        subject=subject,
        addressee="นายก",
    )
