"""bench/ still runs: a tiny national dataset, then each driver briefly, each reporting numbers.

The benchmarks themselves (docs/benchmarks.md) take minutes to hours on 7,850 organisations;
this only proves that the generator still fits the schema the migrations build and that every
driver completes and prints its table. No timing is asserted (README: speed is measured in
bench/, never in timed tests). bench/ runs on PostgreSQL, except bench.render.
"""

import os
import re
import socket
import subprocess
import sys

import pytest
import sqlalchemy as sa
from conftest import PG_URL
from support.served import ROOT

from config import database_url

SCHEMA = f"ita_bench_smoke_{os.getpid()}"
NEEDS_POSTGRES = "bench/ generates its dataset on PostgreSQL: set TEST_DATABASE_URL"
# Every test here shares one dataset and bench.linkcheck's fixed evidence port: one worker.
pytestmark = pytest.mark.xdist_group("bench")
NUMBER = r"\d[\d,]*(?:\.\d+)?"


def bench(*args: str, timeout: float = 900) -> str:
    """`python -m bench.<args>` as a user runs it; its output, after checking it succeeded.
    The timeout only stops a hung driver (a loaded 2-core machine needs minutes for some)."""
    done = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def parsed(output: str) -> list[list[str]]:
    """The cells of every row of the Markdown tables printed."""
    lines = [line.strip() for line in output.splitlines()]
    return [[c.strip() for c in line.strip("|").split("|")] for line in lines if line[:1] == "|"]


def table_rows(output: str, first: str) -> list[list[str]]:
    """The rows whose first cell is `first`."""
    return [r for r in parsed(output) if r[0] == first]


@pytest.fixture(scope="module")
def dataset():
    """Two organisations of the national dataset (every memo state, reports, evidence URLs)."""
    if not PG_URL:
        pytest.skip(NEEDS_POSTGRES)
    url = PG_URL
    output = bench(
        "bench.generate", "--database-url", url, "--schema", SCHEMA, "--national",
        "--orgs", "2", "--years", "1", "--documents", "6", "--measures", "2",
    )  # fmt: skip
    yield url, output
    engine = sa.create_engine(database_url(url))
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    engine.dispose()


def test_the_generator_builds_the_tiny_dataset_and_its_log_checks(dataset):
    _, output = dataset
    assert re.search(rf"^documents\s+{NUMBER}\s+{NUMBER} s$", output, re.M), output
    assert re.search(
        r"decision log sample: [1-9]\d* rows of [1-9]\d* memos, 0 with a wrong", output
    )
    assert re.search(rf"^total {NUMBER} s; schema {SCHEMA}", output, re.M), output


def test_the_reminder_run_reports_its_time_and_the_reminders_it_sent(dataset):
    url, _ = dataset
    output = bench("bench.reminders", "--database-url", url, "--schema", SCHEMA, "--runs", "1")
    (run,) = table_rows(output, "1")[:1]
    assert run[1] == "log" and all(re.fullmatch(NUMBER, cell) for cell in run[2:9]), output
    sent = {r[1]: int(r[3]) for r in table_rows(output, "1")[1:] if r[3]}
    assert sum(sent.values()) == int(run[7]) > 0, output


def test_the_audit_verification_reports_rows_per_second_and_no_problem(dataset):
    url, _ = dataset
    output = bench("bench.audit", "--database-url", url, "--schema", SCHEMA)
    (row,) = [r for r in parsed(output) if r[0].isdigit()]
    documents, rows, problems, wall, rate = row[:5]
    assert int(documents) > 0 and int(rows) > 0 and problems == "0", output
    assert re.fullmatch(NUMBER, wall) and re.fullmatch(NUMBER, rate), output


def test_the_link_check_finds_each_evidence_url_as_it_was_served(dataset):
    url, _ = dataset
    output = bench(
        "bench.linkcheck", "--database-url", url, "--schema", SCHEMA,
        "--timeout", "0.5", "--workers", "2",
    )  # fmt: skip
    assert re.search(r"[1-9]\d* evidence rows", output), output
    assert re.search(rf"{NUMBER} URLs?/s|URLs per second|urls/s", output, re.I), output


def test_pages_and_decisions_under_paced_users_without_wrk(dataset):
    """bench.load's pieces that need no wrk: gunicorn, logging in, users reading between
    clicks (bench/paced.py) on both pages, and one memo forwarded and one approved, its PDF
    sealed by the freezer with the certificate the run gives the organisation."""
    url, _ = dataset
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    output = bench(
        "bench.load", "--database-url", url, "--schema", SCHEMA, "--servers", "sync:1",
        "--users", "2", "--connections", "2", "--duration", "1", "--warmup", "0",
        "--think-ms", "10", "--decisions", "1", "--decision-think-ms", "10", "--no-floor",
        "--port", str(port), "--seal",
    )  # fmt: skip
    assert "'approved': 1, 'frozen': 1, 'sealed': 1," in output, output
    for page in ("pending", "home", "forward", "approve"):
        (row,) = table_rows(output, page)
        assert re.fullmatch(NUMBER, row[1]) and float(row[1]) > 0, output  # requests per second
        assert re.fullmatch(rf"0 of {NUMBER}", row[6]), output  # none failed


def test_the_pdf_render_benchmark_reports_each_memo_s_pages_and_cpu():
    """bench.render builds the demo in its own SQLite file: it runs on either database."""
    output = bench("bench.render", "--runs", "1")
    found = re.findall(r"^(.+): (\d+) pages, median (\d+) ms CPU$", output, re.M)
    assert len(found) == 3 and all(int(pages) > 0 for _, pages, _ in found), output
