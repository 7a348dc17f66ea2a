"""Where a page's Python time goes: cProfile over many GETs of one page in one process, e.g.

    .venv/bin/python -m bench.profile --schema ita_national --path /documents/pending

The app is built as gunicorn builds it for the load benchmark (APP_ENV=production, the clock
moved to the dataset's day, bench/served.py) and the page is requested through Flask's test
client as the first --users executives of bench.load, round and round, after one warm-up pass.
No HTTP server and no network: what is left is the request inside Flask (routing, the session,
Flask-Login's user load, the view, SQLAlchemy, the PostgreSQL round trips, Jinja). Prints the
SQL statements and ORM objects per request (one pass over the users), the CPU time per request
(this process: Python, not PostgreSQL), the profile's own CPU time summed by where the code
lives (package, or the app's module) and the functions with the most time of their own and in
total.
"""

import cProfile
import os
import pstats
import secrets
import subprocess
import sys
import time
from collections import Counter
from contextlib import contextmanager

from bench import sessions
from bench.common import app_url, argument_parser, checked_schema, connect, read_meta
from bench.floor import session_keys


def main(argv: list[str] | None = None) -> None:
    parser = argument_parser("bench.profile", __doc__, "ita_national")
    parser.add_argument("--path", default="/documents/pending")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--out", help="also write the raw profile here (pstats / snakeviz)")
    parser.add_argument(
        "--passes",
        type=int,
        default=1,
        help="time the GETs this many times and report the fastest pass"
        " (on a shared machine, the one least slowed by its neighbours)",
    )
    parser.add_argument("--no-profile", action="store_true", help="only the timed passes")
    args = parser.parse_args(argv)
    if "BENCH_PROFILE_USERS" not in os.environ:
        # The configuration is read from the environment when `config` is imported: set it,
        # then run the profile in a fresh interpreter.
        schema = checked_schema(args.schema)
        with connect(args.database_url, schema) as conn:
            meta = read_meta(conn, schema)
            users = [uid for uid, _, _ in sessions.executives(conn, args.users)]
        env = {
            **os.environ,
            "APP_ENV": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": app_url(args.database_url, schema),
            "BASE_URL": "https://ita.bench.example.go.th",
            "BENCH_TODAY": meta["today"],
            "BENCH_PROFILE_USERS": ",".join(map(str, users)),
        }
        command = [sys.executable, "-m", "bench.profile", *(argv or sys.argv[1:])]
        raise SystemExit(subprocess.run(command, env=env, check=False).returncode)
    users = [int(u) for u in os.environ["BENCH_PROFILE_USERS"].split(",")]
    from bench.served import app

    # The test client speaks http; production cookies are Secure (https only).
    app.config.update(SESSION_COOKIE_SECURE=False, REMEMBER_COOKIE_SECURE=False)
    client = app.test_client()
    cookies = logged_in(app, client, users, args.path)

    def get(n: int) -> None:
        client.set_cookie("session", cookies[n % len(users)])
        response = client.get(args.path)
        if response.status_code != 200:
            raise SystemExit(f"{args.path} answered {response.status_code}")

    with counting(app) as counts:
        for n in range(len(users)):
            get(n)
    passes = []
    for _ in range(args.passes):
        started, cpu = time.perf_counter(), time.process_time()
        for n in range(args.requests):
            get(n)
        # CPU time, not wall time: on a busy machine the wall clock also counts the moments
        # this process waits for a core or for PostgreSQL, and would charge them to whatever
        # ran then.
        passes.append(((time.process_time() - cpu), time.perf_counter() - started))
    plain_cpu, plain = (seconds / args.requests * 1000 for seconds in min(passes))
    each = " ".join(f"{cpu / args.requests * 1000:.2f}" for cpu, _ in passes)
    print(f"{args.path}: {plain_cpu:.2f} ms of Python CPU ({plain:.1f} ms wall) per request"
          f" without the profiler ({args.requests} GETs, {len(users)} users,"
          f" load {os.getloadavg()[0]:.1f}; fastest of passes {each})")  # fmt: skip
    print(f"per request: {counts['statements'] / len(users):.1f} SQL statements,"
          f" {counts['objects'] / len(users):.1f} ORM objects loaded")  # fmt: skip
    if args.no_profile:
        return
    profile = cProfile.Profile(time.process_time)
    profile.enable()
    for n in range(args.requests):
        get(n)
    profile.disable()
    stats = pstats.Stats(profile)
    print_by_place(stats, args.requests)
    for key in ("tottime", "cumulative"):
        print(f"\n-- by {key}, ms per request")
        print_top(stats, key, args.top, args.requests)
    if args.out:
        stats.dump_stats(args.out)


def logged_in(app, client, users: list[int], path: str) -> list[str]:
    """Each user's session cookie as a browser keeps it after logging in: the user, Flask-Login's
    identifier of this client and the CSRF token of the first page drawn. Sent as it is, each
    GET then reads the session and writes none (no Set-Cookie), as in production; setting it
    once per request is all the loop adds to the request's own work. The pass that makes the
    cookies also warms the templates, caches and connections."""
    from flask_login.utils import _create_identifier

    with app.app_context():
        keys = session_keys(users)
    with app.test_request_context(environ_base=client.environ_base):
        identifier = _create_identifier()
    cookies = []
    for user_id in users:
        client.delete_cookie("session")
        with client.session_transaction() as session:
            session.update(_user_id=keys[user_id], _fresh=True, _id=identifier)
        if client.get(path).status_code != 200:
            raise SystemExit(f"{path} answered an error for user {user_id}")
        cookies.append(client.get_cookie("session").value)
    client.set_cookie("session", cookies[0])
    if "Set-Cookie" in client.get(path).headers:
        raise SystemExit(f"{path} wrote the session of a logged-in user: not a reading page")
    return cookies


@contextmanager
def counting(app):
    """Counts the SQL statements run and the ORM objects loaded while the block runs."""
    from sqlalchemy import event
    from sqlalchemy.orm import Mapper

    from extensions import db

    counts = Counter()

    def statement(*_):
        counts["statements"] += 1

    def loaded(*_):
        counts["objects"] += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", statement)
    event.listen(Mapper, "load", loaded)
    try:
        yield counts
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(Mapper, "load", loaded)


def place(filename: str) -> str:
    """Where a function lives: the installed package's name, or the app's top-level module."""
    if "site-packages/" in filename:
        return filename.split("site-packages/")[1].split("/")[0].removesuffix(".py")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + "/"
    if filename.startswith(root):
        parts = filename[len(root) :].split("/")
        return "/".join(parts[:2]) if len(parts) > 2 else parts[0]
    if filename.startswith("<template>") or filename.endswith(".html"):
        return "templates (Jinja)"
    if filename in ("~", "") or filename.startswith("<"):
        return "builtins"
    return "stdlib"


def print_by_place(stats: pstats.Stats, requests: int) -> None:
    own = Counter()
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():
        own[place(filename)] += tottime
    total = sum(own.values())
    print(
        f"\nprofiled: {total / requests * 1000:.2f} ms CPU per request (the profiler adds its own)"
    )
    print("| where | ms per request | share |\n|---|---:|---:|")
    for name, seconds in own.most_common(20):
        print(f"| {name} | {seconds / requests * 1000:.2f} | {seconds / total:.0%} |")


def print_top(stats: pstats.Stats, key: str, top: int, requests: int) -> None:
    index = {"tottime": 2, "cumulative": 3}[key]
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][index], reverse=True)[:top]
    for (filename, line, name), values in rows:
        where = filename.split("site-packages/")[-1].replace(os.getcwd() + "/", "")
        print(f"{values[index] / requests * 1000:8.3f}  {values[1]:>7}  {where}:{line} {name}")


if __name__ == "__main__":
    main()
