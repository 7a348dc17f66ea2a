"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py wsgi:app` (README, step 5).

The app is loaded once in the master and the workers are forked from it (preload_app), after the
Thai dictionary the search index cuts words with has been loaded: about 200 MiB that every
worker would otherwise load for itself, seconds into its first decision or search. The workers
share those pages copy-on-write; each worker then loads the PDF fonts before its first request.
Nothing else is shared between workers or requests.
"""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Behind nginx, connections are reused between requests; gunicorn's default of 2 s would close
# them between a user's clicks.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "30"))
timeout = 120  # a long PDF or export still finishes; a hung worker is replaced
preload_app = True


def on_starting(server):
    from search.tokens import warm_up

    warm_up()


def post_worker_init(worker):
    """Pango and the fonts are per process: each worker loads them before its first request."""
    from pdf.render import warm_up

    warm_up()


def post_fork(server, worker):
    """Each worker opens its own database connections, never the master's; and collects
    garbage a tenth as often: at Python's default (a young-generation collection per 700 new
    objects) collections were 1.7 % of a pending page's instructions (docs/benchmarks.md).
    Garbage in cycles waits a little longer; nothing else changes."""
    gc.set_threshold(7000, 10, 10)
    from extensions import db

    app = server.app.callable
    if app is not None:
        with app.app_context():
            for engine in db.engines.values():
                engine.dispose(close=False)
