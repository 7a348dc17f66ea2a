"""`flask notify work [--watch]`, `flask notify pending`, `flask notify digest`."""

import click
from flask.cli import AppGroup

notify_group = AppGroup("notify", help="Instant notifications of memo events (e-mail, LINE).")


@notify_group.command("work")
@click.option("--watch", is_flag=True, help="Keep running and send each event as it comes.")
@click.option("--interval", default=1.0, show_default=True, help="Seconds between looks when idle.")
def work(watch: bool, interval: float) -> None:
    """Send due e-mail and LINE deliveries: once (cron catch-up) or with --watch as a service.

    Stops after the current delivery on SIGTERM or Ctrl-C. One pass exits 1 when a send failed.
    """
    from notifications.outbox import sender
    from workers import run_worker

    run_worker(sender, watch=watch, interval=interval, failure_label="การส่ง")


@notify_group.command("pending")
def pending() -> None:
    """List deliveries that wait (to send, or for a digest) or gave up, with their errors."""
    from notifications.outbox import sender

    rows = sender.pending()
    labels = {"pending": "รอส่ง", "digest": "รอสรุปประจำวัน", "failed": "ส่งไม่สำเร็จ (เลิกลองแล้ว)"}
    for delivery, event, user in rows:
        line = (
            f"{delivery.id} {delivery.channel} ถึง {user.username}: {event.kind}"
            f" เอกสาร {event.document_id} · {labels[delivery.status]}"
        )
        if delivery.attempts:
            line += f" · ลองแล้ว {delivery.attempts} ครั้ง: {delivery.last_error}"
        if delivery.retry_at and delivery.status == "pending":
            line += f" · ลองใหม่ {delivery.retry_at:%Y-%m-%d %H:%M:%S} UTC"
        click.echo(line)
    click.echo(f"การแจ้งเตือนที่ค้างอยู่ {len(rows):,} รายการ")


@notify_group.command("digest")
def send_digest() -> None:
    """Send today's morning digests (from 07:30 Bangkok on working days); safe to run often."""
    from notifications.outbox import digest

    summary = digest.run()
    click.echo(summary.describe())
    if summary.failed:
        raise SystemExit(1)
