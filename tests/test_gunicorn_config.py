"""The production gunicorn settings (gunicorn.conf.py): the app is loaded once in the master with
its Thai dictionary and forked into workers, which must each open their own database connections
and load the PDF fonts themselves. Served that way, two workers take logins, pages and a final
approval that freezes the PDF, and the log verifies clean."""

from concurrent.futures import ThreadPoolExecutor

from support.faults import sign_up_to, verified_clean
from support.served import ROOT, Browser, gunicorn

from extensions import db
from models import DocState, Document, FrozenPdf


def test_preloaded_workers_serve_pages_and_a_final_approval(app, srisuk, tmp_path):
    with app.app_context():
        sign_up_to(srisuk.memo_id, 2)  # the mayor's turn
    workers = {"GUNICORN_WORKERS": "2"}
    with gunicorn(app, tmp_path, ROOT / "gunicorn.conf.py", workers) as served:
        people = {name: Browser(served.base) for name in ("nattanipa", "thanyarat", "nakarin")}
        for name, browser in people.items():
            browser.login(name)
        # Many requests at once land on both workers; a connection inherited from the master
        # and shared by two processes would garble the protocol and fail some of them.
        with ThreadPoolExecutor(8) as pool:
            pages = list(pool.map(lambda b: b.get("/documents/pending"), [*people.values()] * 8))
        assert all("รอพิจารณา" in page for page in pages)
        assert people["nakarin"].decide(srisuk.memo_id, "อนุมัติ") == 200
    errors = served.log.read_text()
    assert "Traceback" not in errors, errors
    with app.app_context():
        doc = db.session.get(Document, srisuk.memo_id)
        assert doc.state == DocState.APPROVED
        assert db.session.get(FrozenPdf, srisuk.memo_id) is not None
    assert verified_clean(app)
