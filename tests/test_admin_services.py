"""The admin services check the admin right and the organisation themselves, whatever view
calls them: a non-admin is refused, another organisation's records are not found."""

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from test_admin_helpers import OtherOrg, other_org

import clock
from extensions import db
from models import ActingKind, ChainStep, DocType, Document, OrgKind, User
from workflow import admin
from workflow.admin import acting, chains, common, numbers, org, overview, people, positions
from workflow.errors import NotAllowed, NotFound

Call = Callable[[User], object]


def user(username: str) -> User:
    return db.session.scalars(sa.select(User).where(User.username == username)).one()


def own_org_calls() -> dict[str, Call]:
    """Services that act on the caller's own organisation as a whole."""
    settings = org.OrgSettings(name="x", kind=OrgKind.SAO)
    return {
        "summary": overview.summary,
        "organisation": org.organisation,
        "update_organisation": lambda a: org.update_organisation(a, settings),
        "list_units": org.list_units,
        "create_unit": lambda a: org.create_unit(a, "x"),
        "list_positions": positions.list_positions,
        "create_position": lambda a: positions.create_position(a, "x"),
        "find_or_create": lambda a: positions.find_or_create(a, "x"),
        "list_people": people.list_people,
        "chains": chains.chains,
        "apply_default_chain": lambda a: chains.apply_default_chain(a, "general"),
        "copy_chain": lambda a: chains.copy_chain(a, "general"),
        "register": acting.register,
        "years": numbers.years,
        "numbered_documents": lambda a: numbers.numbered_documents(a, 2569),
        "set_next_number": lambda a: numbers.set_next_number(a, 2569, 5000),
    }


def record_calls(o: OtherOrg) -> dict[str, Call]:
    """Services aimed at one record, or naming records in their data, all of organisation `o`."""
    step = chains.StepData(position_id=o.position_id, heading="x", forward_decisions=["ok"])
    person = people.PersonData(
        title="นาย", full_name="x", username="x_new", password="12345678", position_id=o.position_id
    )
    entry = acting.ActingData(
        user_id=o.user_id,
        position_id=o.position_id,
        kind=ActingKind.ACTING,
        start_date=clock.today(),
    )
    return {
        "get_unit": lambda a: org.get_unit(o.unit_id, a),
        "update_unit": lambda a: org.update_unit(o.unit_id, a, "x"),
        "delete_unit": lambda a: org.delete_unit(o.unit_id, a),
        "get_position": lambda a: positions.get_position(o.position_id, a),
        "update_position": lambda a: positions.update_position(o.position_id, a, "x"),
        "delete_position": lambda a: positions.delete_position(o.position_id, a),
        "create_person": lambda a: people.create_person(a, person),
        "get_person": lambda a: people.get_person(o.user_id, a),
        "update_person": lambda a: people.update_person(o.user_id, a, person),
        "set_active": lambda a: people.set_active(o.user_id, a, False),
        "add_step": lambda a: chains.add_step(a, "general", step),
        "get_step": lambda a: chains.get_step(o.step_id, a),
        "update_step": lambda a: chains.update_step(o.step_id, a, step),
        "delete_step": lambda a: chains.delete_step(o.step_id, a),
        "move_step": lambda a: chains.move_step(o.step_id, a, 1),
        "create_assignment": lambda a: acting.create_assignment(a, entry),
        "get_assignment": lambda a: acting.get_assignment(o.assignment_id, a),
        "update_assignment": lambda a: acting.update_assignment(o.assignment_id, a, entry),
        "end_assignment": lambda a: acting.end_assignment(o.assignment_id, a, clock.today()),
        "delete_assignment": lambda a: acting.delete_assignment(o.assignment_id, a),
        "numbered_document": lambda a: numbers.numbered_document(o.doc_id, a),
        "renumber_document": lambda a: admin.renumber_document(o.doc_id, a, 7),
    }


@pytest.fixture
def other(app, srisuk) -> OtherOrg:
    return other_org(app)


def test_every_service_refuses_someone_who_is_not_an_admin(app, ctx, other):
    clerk = user("nattanipa")
    for name, call in {**own_org_calls(), **record_calls(other)}.items():
        with pytest.raises(NotAllowed):
            call(clerk)
            pytest.fail(name)
        db.session.rollback()


def test_records_of_another_organisation_are_not_found(app, ctx, other):
    srisuk_admin = user("admin")
    for name, call in record_calls(other).items():
        with pytest.raises(NotFound):
            call(srisuk_admin)
            pytest.fail(name)
        db.session.rollback()
    steps = db.session.scalars(sa.select(ChainStep).where(ChainStep.org_id == other.org_id)).all()
    assert [(s.step_no, s.heading) for s in steps] == [(1, "ความเห็นนายกเทศมนตรี")]
    assert db.session.get(Document, other.doc_id).number_seq == 1


def test_an_unknown_document_type_is_not_found(app, ctx, srisuk):
    with pytest.raises(NotFound):
        chains.add_step(user("admin"), "memo", chains.StepData(position_id=None, heading="x"))
    assert chains.doc_type_of("general") is DocType.GENERAL


def test_deleting_counts_references_from_every_table_not_only_the_known_ones(app, ctx, srisuk):
    """A table another area adds later still blocks a delete, with a generic reason."""
    unit = org.create_unit(user("admin"), "กองสวัสดิการสังคม")
    assert common.references(unit, {}) == []
    user("nattanipa").unit_id = unit.id
    db.session.flush()
    assert common.references(unit, {}) == ["มีข้อมูลอื่นอ้างถึงอยู่ 1 รายการ (users)"]
    assert common.references(unit, org.UNIT_USES) == ["บุคลากรสังกัดหน่วยงานนี้ 1 คน"]
