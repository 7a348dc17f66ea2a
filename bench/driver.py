"""Run wrk with one of the Lua scripts of bench/wrk/ and read its exact percentiles back, with the
load average sampled while it runs and wrk's own CPU time."""

import json
import os
import resource
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent / "wrk"


@dataclass
class WrkResult:
    requests: int
    seconds: float
    non2xx: int
    statuses: dict[str, int]
    errors: dict[str, int]
    mean_ms: float
    p50_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    load_max: float = 0.0  # highest 1-minute load average seen during the run
    load_end: float = 0.0
    wrk_cpu: float = 0.0  # the load generator's CPU seconds (wrk, or bench/paced.py's threads)
    output: str = field(default="", repr=False)
    sent: list[tuple[int, int]] = field(default_factory=list, repr=False)  # paced POSTs

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def failed(self) -> int:
        """Responses that were not 2xx (3xx for decisions) plus socket errors and timeouts."""
        return self.non2xx + sum(n for kind, n in self.errors.items() if kind != "status")


class LoadSampler(threading.Thread):
    """Reads /proc/loadavg every two seconds until stopped."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.wait(2):
            self.samples.append(load_average())


def load_average() -> float:
    with open("/proc/loadavg") as loadavg:
        return float(loadavg.read().split()[0])


def run(script: str, base: str, *, connections: int, threads: int, seconds: int, env: dict,
        workdir: str, stop_when_finished: bool = False) -> WrkResult:  # fmt: skip
    """wrk -t threads -c connections -d seconds --latency with the script; its JSON result.

    With stop_when_finished, wrk is interrupted (and reports) once every thread has appended
    its line to ITA_WRK_FINISHED: wrk itself would wait out the whole duration."""
    result_file = os.path.join(workdir, f"{script}.json")
    finished = os.path.join(workdir, f"{script}.finished")
    if os.path.exists(finished):
        os.unlink(finished)
    env = {**os.environ, **env, "ITA_WRK_DIR": str(SCRIPTS), "ITA_WRK_RESULT": result_file}
    env["ITA_WRK_FINISHED"] = finished
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s"]
    command += ["--timeout", "60s", "--latency", "-s", str(SCRIPTS / f"{script}.lua"), base]
    sampler = LoadSampler()
    sampler.start()
    cpu_before = _children_cpu()
    wrk = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    while stop_when_finished and wrk.poll() is None:
        if _lines(finished) >= threads:
            wrk.send_signal(signal.SIGINT)
            break
        time.sleep(0.05)
    stdout, stderr = wrk.communicate()
    sampler.halt.set()
    if wrk.returncode != 0 or not os.path.exists(result_file):
        raise SystemExit(f"wrk failed ({wrk.returncode}):\n{stdout}\n{stderr}")
    with open(result_file) as found:
        data = json.load(found)
    os.unlink(result_file)
    return WrkResult(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        non2xx=data["non2xx"],
        statuses=data["statuses"],
        errors=data["errors"],
        mean_ms=data["mean_us"] / 1000,
        **{f"{k}_ms": data[f"{k}_us"] / 1000 for k in ("p50", "p90", "p95", "p99", "max")},
        load_max=max(sampler.samples or [load_average()]),
        load_end=load_average(),
        wrk_cpu=_children_cpu() - cpu_before,
        output=stdout,
    )


def _lines(path: str) -> int:
    try:
        with open(path) as found:
            return sum(1 for _ in found)
    except FileNotFoundError:
        return 0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
