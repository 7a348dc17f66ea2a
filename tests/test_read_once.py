"""What a page asks twice is read once per GET (workflow/request_cache.py), and the app's
PostgreSQL sessions run without JIT compilation (database.py; docs/benchmarks.md says why)."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from support.client import login
from support.pages import StatementCounter

import clock
from extensions import db
from models import ActingAssignment, User
from workflow import documents, permissions


def statements_from(app, client, url: str, table: str) -> int:
    with StatementCounter(app) as counter:
        response = client.get(url)
        response.get_data()
    assert response.status_code == 200
    return sum(f"FROM {table}" in " ".join(s.split()) for s in counter.statements)


@pytest.mark.parametrize("url", ["/documents/pending", "/"])
def test_a_page_reads_the_posts_a_user_holds_once_with_the_user(app, client, srisuk, url):
    # The page's own list and the pending badge of the menu both ask who the user signs for;
    # the answer comes in the statement that loads the session's user (app.load_user).
    login(client, "thanyarat")
    client.get(url)
    with StatementCounter(app) as counter:
        assert client.get(url).status_code == 200
    reading = [s for s in counter.statements if "acting_assignments" in s]
    assert len(reading) == 1 and "FROM users" in reading[0]


@pytest.mark.parametrize("shift, listed", [(-1, False), (0, True)])
def test_the_acting_post_read_with_the_user_counts_from_its_first_to_its_last_day(
    app, client, srisuk, shift, listed
):
    """thanyarat acts as the section head: the memo waiting there is hers to decide while her
    order is in force, and not the day after it ended."""
    with app.app_context():
        drafter = db.session.scalars(sa.select(User).where(User.username == "nattanipa")).one()
        documents.submit(srisuk.memo_id, drafter)
        order = db.session.scalars(
            sa.select(ActingAssignment).where(ActingAssignment.user_id == permissions_user().id)
        ).one()
        order.end_date = clock.today() + timedelta(days=shift)
        db.session.commit()
    login(client, "thanyarat")
    html = client.get("/documents/pending").get_data(as_text=True)
    assert (f'href="/documents/{srisuk.memo_id}"' in html) is listed


def test_the_home_page_reads_days_off_and_report_periods_once(app, client, srisuk):
    login(client, "thanyarat")
    client.get("/")
    assert statements_from(app, client, "/", "holidays") <= 1
    assert statements_from(app, client, "/", "report_rounds WHERE report_rounds.org_id") <= 2


def test_outside_a_get_every_call_reads_afresh(app, srisuk):
    # a POST or a command may change an acting order and read it again: nothing is kept
    with app.app_context():
        user = permissions_user()
        with StatementCounter(app) as counter:
            permissions.positions_held(user)
            permissions.positions_held(user)
        assert sum("acting_assignments" in s for s in counter.statements) == 2


def permissions_user():
    return db.session.scalars(sa.select(User).where(User.username == "thanyarat")).one()


def test_postgresql_sessions_run_without_jit(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("JIT compilation is a PostgreSQL setting; SQLite has none")
        assert db.session.execute(sa.text("SHOW jit")).scalar() == "off"
