"""Rate limits: a token bucket per conversation and per client address, kept in memory.

A bucket holds up to `rate` requests and refills at `rate` per period, so a parent typing normally
never meets it, while a script hammering the server is slowed to the configured pace. Limits are per
server process (Rasa runs one by default) and start afresh on restart.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

WAIT_MESSAGE = "You're sending messages a little fast. Please wait a few seconds, then try again."
PERIODS = {"second": 1.0, "minute": 60.0, "hour": 3600.0}
RATE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:/\s*(second|minute|hour)s?)?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Rate:
    requests: float
    per_seconds: float

    @property
    def per_second(self) -> float:
        return self.requests / self.per_seconds


def parse_rate(text: str, name: str = "rate") -> Rate:
    """'12' (per minute), '12/minute', '300/hour' or '2/second'."""
    match = RATE.match(str(text))
    if not match or float(match.group(1)) <= 0:
        raise ValueError(f"{name} must look like '12/minute', '300/hour' or '2/second'; it is '{text}'")
    return Rate(float(match.group(1)), PERIODS[(match.group(2) or "minute").lower()])


class RateLimiter:
    """Token buckets by key. `check` takes one token if there is one; otherwise says how long to wait."""

    def __init__(self, rate: Rate, clock: Callable[[], float] = time.monotonic, max_keys: int = 50_000) -> None:
        self.rate = rate
        self._clock = clock
        self._max_keys = max_keys
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, time of last update)

    def check(self, key: str) -> tuple[bool, int]:
        """(allowed, seconds to wait before the next request would be allowed)."""
        now = self._clock()
        capacity = self.rate.requests
        tokens, updated = self._buckets.get(key, (capacity, now))
        tokens = min(capacity, tokens + (now - updated) * self.rate.per_second)
        if tokens >= 1:
            self._buckets[key] = (tokens - 1, now)
            self._prune(now)
            return True, 0
        self._buckets[key] = (tokens, now)
        return False, max(1, math.ceil((1 - tokens) / self.rate.per_second))

    def _prune(self, now: float) -> None:
        """Forget buckets that have refilled completely: they behave exactly like new ones."""
        if len(self._buckets) <= self._max_keys:
            return
        full_after = self.rate.per_seconds
        self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < full_after}
