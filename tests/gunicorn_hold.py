"""gunicorn configuration for test_killed_worker.py (test code only; production has no hook).

When the file named by $HOLD_MARKER exists, the next POST to /documents/<id>/decide stops where
the request would commit: it removes the marker, writes its worker's pid to $HOLD_READY and
sleeps until the test kills it. Later requests (in the worker gunicorn starts instead) commit
as usual.
"""

import os
import time
from pathlib import Path

workers = 1
timeout = 300  # the held worker must be killed by the test, not by gunicorn's watchdog


def post_worker_init(worker) -> None:
    from flask import has_request_context, request
    from sqlalchemy.orm import Session

    marker, ready = Path(os.environ["HOLD_MARKER"]), Path(os.environ["HOLD_READY"])
    original = Session.commit

    def commit(self) -> None:
        deciding = has_request_context() and request.path.endswith("/decide")
        if deciding and request.method == "POST" and marker.exists():
            marker.unlink()
            partial = ready.with_suffix(".partial")
            partial.write_text(str(os.getpid()))
            partial.rename(ready)  # the test never reads a half-written pid
            time.sleep(600)
        original(self)

    Session.commit = commit
