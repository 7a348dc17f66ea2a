"""Render CPU of the official PDF: a 1-page memo, seed 000's memo with its annex, and the analysis
memo drafted from the demo's ITA results (14 pages), in one warm process.

    python -m bench.render [--runs 5]

Builds the demo in a throw-away SQLite file, takes each memo's print data once, warms the process
as gunicorn's workers and the freezer do (`pdf.render.warm_up`) and renders all three twice (a
long-running freezer's caches are warm), then each `--runs` times, and prints the
median process CPU time (docs/benchmarks.md, "PDF rendering").
"""

import argparse
import io
import os
import statistics
import tempfile
import time

from pypdf import PdfReader


def _cases() -> dict[str, dict]:
    import sqlalchemy as sa

    import demo
    from extensions import db
    from models import Document, User
    from pdf.data import memo_data
    from workflow.ita import memo as ita_memo

    demo.create_demo()
    db.session.flush()
    seed = db.session.scalar(sa.select(Document).order_by(Document.id))
    drafter = db.session.scalar(sa.select(User).where(User.username == "nattanipa"))
    announcement = ita_memo.default_announcement(drafter, 2568)
    analysis = ita_memo.draft_analysis(drafter, 2568, announcement)
    seed_data = memo_data(seed)
    one_page = {
        **seed_data,
        "sections": seed_data["sections"][:1],
        "steps": [],
        "annexes": [],
    }
    return {
        "1-page memo": one_page,
        "seed 000 memo with its annex": seed_data,
        "analysis memo (demo ITA results)": memo_data(analysis),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
        os.environ["STORAGE_DIR"] = f"{scratch}/storage"
        from app import create_app
        from extensions import db
        from pdf.render import render_pdf, warm_up

        app = create_app()
        with app.app_context():
            db.create_all()
            cases = _cases()
            warm_up()  # as each gunicorn worker and the freezer do before their first PDF
            pdfs = {}
            for _ in range(2):  # warm: fonts, Pango's caches, templates, the dictionary
                for name, data in cases.items():
                    pdfs[name] = render_pdf(data)
            for name, data in cases.items():
                pdf = pdfs[name]
                times = []
                for _ in range(args.runs):
                    start = time.process_time()
                    render_pdf(data)
                    times.append(time.process_time() - start)
                pages = len(PdfReader(io.BytesIO(pdf)).pages)
                print(f"{name}: {pages} pages, median {statistics.median(times) * 1000:.0f} ms CPU")


if __name__ == "__main__":
    main()
