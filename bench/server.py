"""Gunicorn for the load benchmark, with the PDF freezer beside it as in production: start them on
the bench schema, and read the workers' memory and the CPU time of their processes, of the
freezer and of the PostgreSQL backends that serve them."""

import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.common import app_url, connect

APPLICATION_NAME = "ita-load"  # marks the app's PostgreSQL backends in pg_stat_activity
TICKS = os.sysconf("SC_CLK_TCK")
CONFIG = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


@dataclass
class Server:
    process: subprocess.Popen
    base: str  # http://127.0.0.1:port
    settings: str  # the gunicorn options, as reported
    storage: str  # STORAGE_DIR: the PDFs frozen by approvals, removed at the end
    freezer: subprocess.Popen  # `flask pdf freeze --watch` (nice 10), rendering approved PDFs

    def workers(self) -> list[int]:
        pid = self.process.pid
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            return [int(p) for p in children.read().split()]

    def drain(self) -> None:
        """Wait until the requests wrk left behind are served: a sync worker finishes every
        connection it accepted, so the next run would otherwise start behind a queue."""
        with urllib.request.urlopen(self.base + "/login", timeout=900) as response:
            response.read()

    def stop(self) -> None:
        self.freezer.terminate()  # finishes the PDF it is rendering
        self.process.send_signal(signal.SIGQUIT)  # gunicorn's quick shutdown
        for process in (self.process, self.freezer):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(self.storage, ignore_errors=True)


def start(
    url: str, schema: str, today: str, workers: int, worker_class: str, threads: int, port: int
):
    """Gunicorn serving bench.served:app under the production configuration."""
    storage = tempfile.mkdtemp(prefix="ita-load-storage-")
    env = {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": f"{app_url(url, schema)}&application_name={APPLICATION_NAME}",
        "STORAGE_DIR": storage,
        "BENCH_TODAY": today,
        "BASE_URL": f"http://127.0.0.1:{port}",  # production refuses to start without its address
    }
    options = ["--workers", str(workers), "--worker-class", worker_class, "--threads", str(threads)]
    options += ["--bind", f"127.0.0.1:{port}", "--backlog", "2048", "--timeout", "120"]
    # The production settings file: the app preloaded with its Thai dictionary, and connections
    # kept open 30 s (gunicorn's own 2 s would close them between a user's clicks).
    options += ["--config", str(CONFIG)]
    command = [sys.executable, "-m", "gunicorn", *options, "--log-level", "warning"]
    process = subprocess.Popen([*command, "bench.served:app"], env=env)
    freeze = ["pdf", "freeze", "--watch", "--interval", "1"]  # nice 10: requests go first
    freezer = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "bench.served:app", *freeze], env=env
    )
    server = Server(process, f"http://127.0.0.1:{port}", " ".join(options), storage, freezer)
    try:
        _wait_until_up(server)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_until_up(server: Server, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit("gunicorn exited at start-up")
        try:
            with urllib.request.urlopen(server.base + "/login", timeout=30) as response:
                if response.status == 200:
                    return
        except OSError:  # refused while the workers boot; URLError is one
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer within {timeout:.0f} s")


def memory_kib(pid: int) -> dict[str, int]:
    """Rss and Pss of a process, in KiB (/proc/<pid>/smaps_rollup)."""
    found = {}
    with open(f"/proc/{pid}/smaps_rollup") as rollup:
        for line in rollup:
            key, _, rest = line.partition(":")
            if key in ("Rss", "Pss"):
                found[key.lower()] = int(rest.split()[0])
    return found


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rpartition(")")[2].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def backend_pids(url: str) -> list[int]:
    with connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s", (APPLICATION_NAME,)
        )
        return [pid for (pid,) in rows]


class CpuMeter:
    """CPU seconds of the gunicorn processes, of the freezer and of the app's PostgreSQL backends
    over a run."""

    def __init__(self, server: Server, url: str):
        self.server, self.url = server, url
        self.before = self._sample()

    def _sample(self) -> dict[str, dict[int, float]]:
        pids = [self.server.process.pid, *self.server.workers()]
        return {
            "gunicorn": {pid: cpu_seconds(pid) for pid in pids},
            "freezer": {self.server.freezer.pid: cpu_seconds(self.server.freezer.pid)},
            "postgres": {pid: cpu_seconds(pid) for pid in backend_pids(self.url)},
        }

    def used(self) -> dict[str, float]:
        after = self._sample()
        return {
            side: sum(t - self.before[side].get(pid, 0.0) for pid, t in after[side].items())
            for side in after
        }
