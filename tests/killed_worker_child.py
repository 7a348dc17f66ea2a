"""Child process of test_killed_worker.py: one decision, stopped inside its transaction.

Usage: python tests/killed_worker_child.py ACTION DOC_ID USERNAME
  ACTION is `submit` (takes the memo's number), `approve` (the final step: freezes the PDF) or
  `freeze` (the freezer rendering an approval's PDF; USERNAME is not used).
Environment: DATABASE_URL (the test database) and STORAGE_DIR.

The service runs to the end and flushes, as in a request; then, where the request would commit,
this script prints one line on stdout ("flushed <log rows seen inside the transaction>
<frozen PDFs seen>") and sleeps until the test kills it. Test code only: production code has
no hook for this.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import sqlalchemy as sa  # noqa: E402
from conftest import make_config  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from app import create_app  # noqa: E402
from extensions import db  # noqa: E402
from models import DecisionLog, FrozenPdf, User  # noqa: E402
from pdf import freezer  # noqa: E402
from workflow import documents as service  # noqa: E402


def hold_instead_of_commit(session: Session) -> None:
    rows = session.scalar(sa.select(sa.func.count(DecisionLog.id)))
    frozen = session.scalar(sa.select(sa.func.count()).select_from(FrozenPdf))
    print(f"flushed {rows} {frozen}", flush=True)
    time.sleep(600)


def main(action: str, doc_id: int, username: str) -> None:
    app = create_app(make_config(os.environ["DATABASE_URL"], os.environ["STORAGE_DIR"]))
    with app.app_context():
        if action == "freeze":
            Session.commit = hold_instead_of_commit  # freeze_one commits once the PDF is stored
            freezer.freeze_one(doc_id)
            return
        actor = db.session.scalars(sa.select(User).where(User.username == username)).one()
        if action == "submit":
            service.submit(doc_id, actor)
        else:
            service.decide(doc_id, actor, decision="อนุมัติ", comment="อนุมัติตามเสนอ")
        Session.commit = hold_instead_of_commit
        db.session.commit()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
