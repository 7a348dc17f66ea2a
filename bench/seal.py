"""Cost of the organisation's e-seal per approved PDF, in one warm process (as the freezer is).

    python -m bench.seal [--runs 7]

Builds the demo in a throw-away SQLite file and takes seed 000's memo (6 pages with its annex)
and a 1-page memo. Measures, as median wall time and process CPU time: the render as plain PDF
and as PDF/A-3b, and the seal alone on the rendered PDF/A: B-B with the demo's ECDSA P-256 key,
B-B with an RSA-2048 key (what most CAs issue), and B-T with a timestamp from a TSA on loopback
(tests/factories_seal.py's fake; its own signing CPU is in another thread of this process, so
B-T's CPU figure includes the TSA's). Each seal draws its visible stamp (pdf/seal/stamp.py), whose
layout alone is measured too. Results: docs/benchmarks.md, "The organisation's e-seal".
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

CODE = "ABCDEFGHJK"  # the verification code the stamp shows


def _measure(runs: int, action) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000


def _cases() -> dict[str, dict]:
    import sqlalchemy as sa

    import demo
    from extensions import db
    from models import Document
    from pdf.data import memo_data

    demo.create_demo()
    db.session.flush()
    seed = memo_data(db.session.scalar(sa.select(Document).order_by(Document.id)))
    one_page = {**seed, "sections": seed["sections"][:1], "steps": [], "annexes": []}
    return {"1-page memo": one_page, "seed 000 memo with its annex": seed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
        os.environ["STORAGE_DIR"] = f"{scratch}/storage"
        from factories_seal import PASSWORD, FakeTsa, pki

        import clock
        from app import create_app
        from extensions import db
        from models import Organisation
        from pdf import render
        from pdf.seal import keys
        from pdf.seal.sign import seal_pdf
        from pdf.seal.stamp import Stamp

        app = create_app()
        tsa = FakeTsa().start()
        with app.app_context():
            db.create_all()
            cases = _cases()
            org_id = db.session.scalar(db.select(Organisation.id))
            rsa_seal = keys.load_pkcs12(pki().pkcs12(), PASSWORD)
            demo_seal = keys.demo_seal("อบต.ศรีสุข")
            for name, data in cases.items():
                for variant in (None, "pdf/a-3b"):
                    render.PDF_VARIANT = variant
                    render.render_pdf(data)  # warm
                    wall, cpu = _measure(args.runs, lambda d=data: render.render_pdf(d))
                    label = variant or "plain PDF"
                    print(f"{name}: render as {label}: {wall:.0f} ms wall, {cpu:.0f} ms CPU")
                pdf = render.render_pdf(data)
                for label, seal, tsa_url in (
                    ("B-B, ECDSA P-256 (demo)", demo_seal, ""),
                    ("B-B, RSA-2048", rsa_seal, ""),
                    ("B-T, RSA-2048, TSA on loopback", rsa_seal, tsa.url),
                ):
                    keys.store(org_id, seal, actor=None)
                    app.config["SEAL_TSA_URL"] = tsa_url
                    sealed, _ = seal_pdf(pdf, org_id, "bench", CODE)  # warm; the TSA's size probe
                    wall, cpu = _measure(
                        args.runs, lambda p=pdf: seal_pdf(p, org_id, "bench", CODE)
                    )
                    grown = (len(sealed) - len(pdf)) / 1024
                    print(
                        f"{name}: seal {label}: {wall:.0f} ms wall, {cpu:.0f} ms CPU, +{grown:.0f} KB"
                    )
            stamp = Stamp.of(db.session.get(Organisation, org_id), clock.now(), CODE, demo=True)
            stamp.page(700)  # warm
            wall, cpu = _measure(args.runs, lambda: stamp.page(700))
            print(f"the stamp's layout alone (WeasyPrint): {wall:.0f} ms wall, {cpu:.0f} ms CPU")
        tsa.stop()


if __name__ == "__main__":
    main()
