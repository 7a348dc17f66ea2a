"""The search index is kept in step because the app factory says so, not because some module
happened to be imported: a script's own session indexes too."""

import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from extensions import db
from models import Measure, SearchEntry

ROOT = Path(__file__).resolve().parent.parent


def test_importing_the_search_package_wires_nothing_until_init_app():
    script = (
        "import sqlalchemy as sa\n"
        "from sqlalchemy.orm import Session\n"
        "from flask import Flask\n"
        "import search\n"
        "from search import index\n"
        "wired = lambda: sa.event.contains(Session, 'before_commit', index._apply_changes)\n"
        "assert not wired(), 'importing the package registered listeners'\n"
        "search.init_app(Flask('x'))\n"
        "search.init_app(Flask('y'))\n"
        "assert wired()\n"
        "print('ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_a_script_style_session_still_indexes_what_it_commits(app, ctx, srisuk):
    with Session(db.engine) as session:  # not Flask-SQLAlchemy's session, no request, no views
        measure = session.scalars(sa.select(Measure).order_by(Measure.id)).first()
        measure.title = "มาตรการจากสคริปต์เรื่องกล้องวงจรปิด"
        session.commit()
        measure_id = measure.id
    entry = db.session.scalars(
        sa.select(SearchEntry).where(
            SearchEntry.kind == "measure", SearchEntry.item_id == measure_id
        )
    ).one()
    assert entry.title == "มาตรการจากสคริปต์เรื่องกล้องวงจรปิด"
