"""A per-address request budget for the public pages (the verification code check, /v).

Counted in each worker process's memory (a sliding window per address): no database write on a
public GET, and nothing to clean up. With N worker processes an address gets at most N times the
budget per window, which still turns the 261 guesses a second the probe measured into a handful a
minute; login throttling, which must be exact, lives in the database (workflow/login_throttle.py).
"""

import math
import threading
import time
from collections import OrderedDict, deque

MAX_ADDRESSES = 10_000  # the oldest address is forgotten first beyond this


class Window:
    """At most `limit` hits per `seconds` per address."""

    def __init__(self, limit: int, seconds: float, clock=time.monotonic) -> None:
        self.limit, self.seconds, self.clock = limit, seconds, clock
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, address: str) -> int | None:
        """Count one request; None if it is within the budget, else seconds until it would be."""
        now = self.clock()
        with self._lock:
            hits = self._hits.pop(address, None) or deque()
            while hits and hits[0] <= now - self.seconds:
                hits.popleft()
            self._hits[address] = hits
            if len(self._hits) > MAX_ADDRESSES:
                self._hits.popitem(last=False)
            if len(hits) >= self.limit:
                return max(1, math.ceil(hits[0] + self.seconds - now))
            hits.append(now)
            return None
