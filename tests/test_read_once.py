"""What a page asks twice is read once per GET (workflow/request_cache.py), and the app's
PostgreSQL sessions run without JIT compilation (database.py; docs/benchmarks.md says why)."""

import pytest
import sqlalchemy as sa
from support.client import login
from support.pages import StatementCounter

from extensions import db
from workflow import permissions


def statements_from(app, client, url: str, table: str) -> int:
    with StatementCounter(app) as counter:
        response = client.get(url)
        response.get_data()
    assert response.status_code == 200
    return sum(f"FROM {table}" in " ".join(s.split()) for s in counter.statements)


@pytest.mark.parametrize("url", ["/documents/pending", "/"])
def test_a_page_reads_the_posts_a_user_holds_once(app, client, srisuk, url):
    # the page's own list and the pending badge of the menu both ask who the user signs for
    login(client, "thanyarat")
    client.get(url)
    assert statements_from(app, client, url, "acting_assignments WHERE") == 1


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
    from models import User

    return db.session.scalars(sa.select(User).where(User.username == "thanyarat")).one()


def test_postgresql_sessions_run_without_jit(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("JIT compilation is a PostgreSQL setting; SQLite has none")
        assert db.session.execute(sa.text("SHOW jit")).scalar() == "off"
