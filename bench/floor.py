"""The floor under a page: the SQL statements one request runs, replayed straight by pgbench.

`capture` opens the page once per user through Flask's test client against the bench schema and
records every statement with its parameters (SQLAlchemy's before_cursor_execute) and whether the
request ran them in a transaction. `replay` writes one pgbench script per user (the statements
with their parameters inlined, between BEGIN and ROLLBACK when the request had them: a GET reads
in autocommit mode, database.py) and runs pgbench from N connections for a fixed time: one
script run is one request-equivalent, with no Python, templates or HTTP around it.
"""

import glob
import os
import statistics
import subprocess
import time
from dataclasses import dataclass, field

import psycopg
import sqlalchemy as sa
from sqlalchemy import event

from bench.common import connect
from extensions import db

Statements = list[tuple[str, object]]


@dataclass
class Request:
    statements: Statements = field(default_factory=list)
    in_transaction: bool = False  # its statements ran between a BEGIN and a ROLLBACK


def capture(app, user_ids: list[int], path: str) -> list[Request]:
    """The statements of one GET of `path` for each user, in order."""
    captured: list[Request] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        captured[-1].statements.append((statement, parameters))
        captured[-1].in_transaction |= not cursor.connection.autocommit

    with app.app_context():
        engine = db.engine
        keys = session_keys(user_ids)
    event.listen(engine, "before_cursor_execute", record)
    try:
        client = app.test_client()
        for user_id in user_ids:
            with client.session_transaction() as session:
                session["_user_id"] = keys[user_id]
                session["_fresh"] = True
            captured.append(Request())
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code} for user {user_id}")
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return captured


def session_keys(user_ids: list[int]) -> dict[int, str]:
    """What Flask-Login keeps in the session for each user: the id and the session version."""
    from models import User

    users = db.session.scalars(sa.select(User).where(User.id.in_(user_ids)))
    keys = {user.id: user.get_id() for user in users}
    db.session.remove()
    return keys


@dataclass
class FloorResult:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    pg_cpu_ms: float = 0.0  # PostgreSQL CPU per request-equivalent (its backends, sampled)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def scripts(url: str, schema: str, per_user: list[Request], workdir: str) -> list[str]:
    """One pgbench script file per user: the statements with literal values, between BEGIN and
    ROLLBACK when the request ran them in a transaction."""
    files = []
    with connect(url, schema) as conn:
        cursor = psycopg.ClientCursor(conn)
        for n, request in enumerate(per_user):
            lines = [
                f"{cursor.mogrify(sql, parameters)};\n" for sql, parameters in request.statements
            ]
            if request.in_transaction:
                lines = ["BEGIN;\n", *lines, "ROLLBACK;\n"]
            path = os.path.join(workdir, f"floor-{n:03}.sql")
            with open(path, "w") as out:
                out.write("".join(lines))
            files.append(path)
    return files


def replay(url: str, schema: str, per_user: list[Request], clients: int, seconds: int,
           workdir: str, protocol: str = "simple") -> FloorResult:  # fmt: skip
    """pgbench -c clients -T seconds over the users' scripts (each picked at random per turn),
    in pgbench's `protocol` (simple: each statement parsed and planned every time; prepared:
    once per connection, as psycopg does for a statement run five times on a connection)."""
    for old in glob.glob(os.path.join(workdir, "pgbench_log*")):
        os.unlink(old)
    command = ["pgbench", "-n", "-M", protocol, "-c", str(clients), "-j", "2", "-T", str(seconds)]
    command += ["-l"]
    command += ["--log-prefix", os.path.join(workdir, "pgbench_log")]
    for path in scripts(url, schema, per_user, workdir):
        command += ["-f", path]
    # The session settings of the app's own connections (database.py: no JIT).
    env = {**os.environ, "PGOPTIONS": f"-c search_path={schema} -c jit=off"}
    running = subprocess.Popen(
        [*command, url], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    # PostgreSQL's CPU while pgbench runs, sampled inside the run (its backends end with it).
    time.sleep(min(2, seconds / 4))
    window = time.monotonic()
    before = _backends_cpu(url)
    time.sleep(max(0.5, seconds - 2 * min(2, seconds / 4)))
    after = _backends_cpu(url)
    window = time.monotonic() - window
    stdout, stderr = running.communicate()
    if running.returncode != 0:
        raise SystemExit(f"pgbench failed:\n{stdout}\n{stderr}")
    latencies = []  # per transaction: client, number, latency in µs, script, epoch s, µs
    for log in glob.glob(os.path.join(workdir, "pgbench_log*")):
        with open(log) as found:
            latencies += [int(line.split()[2]) / 1000 for line in found]
    cuts = statistics.quantiles(sorted(latencies), n=100, method="inclusive")
    used = sum(t - before.get(pid, t) for pid, t in after.items())
    pg_ms = used / (len(latencies) * window / seconds) * 1000 if latencies else 0.0
    return FloorResult(len(latencies), float(seconds), cuts[49], cuts[94], cuts[98], pg_ms)


def _backends_cpu(url: str) -> dict[int, float]:
    from bench.server import cpu_seconds

    with connect(url, autocommit=True) as conn:
        pids = [p for (p,) in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = 'pgbench'"
        )]  # fmt: skip
    return {pid: cpu_seconds(pid) for pid in pids}
