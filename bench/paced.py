"""Users who read before they click: one thread and one keep-alive connection per user, each
waiting 0.5-1.5 times the think time before every request, the first one included (wrk's
delay() does not delay a connection's first request, so its think-time runs began with every
user clicking at the same instant). Latency is measured from sending the request to the end of
the response, as wrk measures it.
"""

import http.client
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bench.driver import LoadSampler, WrkResult, load_average
from bench.sessions import AGENT


@dataclass
class Request:
    path: str
    cookie: str
    body: str | None = None  # a form POST when given
    doc_id: int = 0  # decisions: the memo, reported back with its status


@dataclass
class Outcome:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    sent: list[tuple[int, int]] = field(default_factory=list)  # (doc_id, status) of POSTs
    lock: threading.Lock = field(default_factory=threading.Lock)


def run(base: str | list[str], users: list[list[Request]], think_ms: int,
        seconds: float | None = None, ok=range(200, 300)) -> WrkResult:  # fmt: skip
    """Each user sends its requests in turn (round and round until `seconds` pass when given,
    else each once). `ok` is the range of statuses that count as success. With several bases
    (servers behind one name), user k talks to base k modulo their number."""
    bases = [base] if isinstance(base, str) else base
    outcome = Outcome()
    deadline = time.monotonic() + seconds if seconds else None
    sampler = LoadSampler()
    sampler.start()
    cpu = time.process_time()
    started = time.monotonic()
    threads = [
        threading.Thread(
            target=_user, args=(bases[k % len(bases)], requests, think_ms, deadline, outcome)
        )
        for k, requests in enumerate(users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    sampler.halt.set()
    found = sorted(outcome.latencies_ms) or [0.0]

    def pct(p: float) -> float:
        return found[min(len(found) - 1, int(len(found) * p / 100))]

    return WrkResult(
        requests=len(outcome.latencies_ms),
        seconds=elapsed,
        non2xx=sum(n for status, n in outcome.statuses.items() if status not in ok),
        statuses={str(k): v for k, v in outcome.statuses.items()},
        errors=dict(outcome.errors),
        mean_ms=sum(found) / len(found),
        p50_ms=pct(50),
        p90_ms=pct(90),
        p95_ms=pct(95),
        p99_ms=pct(99),
        max_ms=found[-1],
        load_max=max(sampler.samples or [load_average()]),
        load_end=load_average(),
        wrk_cpu=time.process_time() - cpu,
        sent=outcome.sent,
    )


def _user(base: str, requests: list[Request], think_ms: int, deadline, outcome: Outcome):
    host = urlsplit(base)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
    n = 0
    while requests and (n < len(requests) or deadline is not None):
        time.sleep(think_ms * (0.5 + random.random()) / 1000)
        if deadline is not None and time.monotonic() >= deadline:
            break
        request = requests[n % len(requests)]
        n += 1
        headers = {"Cookie": request.cookie, "User-Agent": AGENT}
        method = "GET"
        if request.body is not None:
            method = "POST"
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        began = time.perf_counter()
        try:
            conn.request(method, request.path, request.body, headers)
            response = conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as error:
            with outcome.lock:
                outcome.errors[type(error).__name__] += 1
            conn.close()
            conn = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
            continue
        elapsed = (time.perf_counter() - began) * 1000
        with outcome.lock:
            outcome.latencies_ms.append(elapsed)
            outcome.statuses[response.status] += 1
            if method == "POST":
                outcome.sent.append((request.doc_id, response.status))
    conn.close()
