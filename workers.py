"""Running a batch worker from the command line: once (cron catch-up) or watching (a service).

The PDF freezer (`flask pdf freeze`) and the notification sender (`flask notify work`) share
this: SIGTERM or Ctrl-C stops after the current item; one pass prints what it did, lists the
failures and exits 1 when any failed.
"""

import signal

import click


def run_worker(worker, *, watch: bool, interval: float, failure_label: str) -> None:
    """`worker` has run_once(stop=...) and watch(interval, stop=...), like pdf.freezer."""
    stopping: list[int] = []

    def stop_soon(signum, frame) -> None:
        stopping.append(signum)

    previous = {sig: signal.signal(sig, stop_soon) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        if watch:
            worker.watch(interval, stop=lambda: bool(stopping))
            return
        run = worker.run_once(stop=lambda: bool(stopping))
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    click.echo(run.describe())
    for item_id, error in run.failed.items():
        click.echo(f"  {failure_label} {item_id}: {error}", err=True)
    if run.failed:
        raise SystemExit(1)
