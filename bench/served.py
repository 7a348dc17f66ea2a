"""The app as the load benchmark serves it: `gunicorn bench.served:app`.

Production configuration (APP_ENV=production, SECRET_KEY and DATABASE_URL from the environment,
its start-up checks included). The clock is moved to the day the dataset was built around
(BENCH_TODAY), keeping the time of day, so the pages show what they would have shown that day.
"""

import os
from datetime import date, timedelta

import clock
from app import create_app


def move_clock(today: date) -> None:
    """Shift clock.now by whole days so that today (in Bangkok) is `today`; time still runs."""
    real_now = clock.now
    shift = timedelta(days=(today - clock.today()).days)
    clock.now = lambda: real_now() + shift


if os.environ.get("BENCH_TODAY"):
    move_clock(date.fromisoformat(os.environ["BENCH_TODAY"]))
app = create_app()
