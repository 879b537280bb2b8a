"""Rate limits: a token bucket per conversation and per client address.

A bucket holds up to `rate` requests and refills at `rate` per period, so a parent typing normally
never meets it, while a script hammering the server is slowed to the configured pace.

With REDIS_URL set (as it must be with more than one Rasa process), the buckets live in Redis
(`RedisRateLimiter`): every replica draws from the same bucket, and a restart doesn't refill it. One
Lua script reads, refills, takes from and writes a bucket, so that is atomic across processes. Without
Redis (one process, `make run`), they are kept in memory (`RateLimiter`) and start afresh on restart.
"""

from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import redis

from bot.settings import DEFAULT_REDIS_TIMEOUT_SECONDS, Settings
from bot.storage.timeouts import redis_client

logger = logging.getLogger(__name__)

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


class Limiter(Protocol):
    rate: Rate

    def check(self, key: str) -> tuple[bool, int]: ...


# KEYS[1]: the bucket. ARGV: capacity, refill per second, now (seconds). Returns {1, "0"} when a request
# is allowed, else {0, seconds to wait}: the wait as a string, as Redis turns Lua numbers into integers.
TOKEN_BUCKET = """
local capacity, per_second, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local tokens, updated = tonumber(bucket[1]) or capacity, tonumber(bucket[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - updated) * per_second)
local allowed = 0
if tokens >= 1 then
  tokens, allowed = tokens - 1, 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'updated', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / per_second * 1000))
if allowed == 1 then
  return {1, '0'}
end
return {0, tostring((1 - tokens) / per_second)}
"""
KEY_PREFIX = "send:rate:"  # apart from the conversation locks ("send:lock:") in the same database


class RedisRateLimiter:
    """Token buckets in Redis, shared by every Rasa process. If Redis doesn't answer, requests are let
    through (the conversation locks, also in Redis, then refuse messages with a kind notice anyway)."""

    def __init__(
        self,
        rate: Rate,
        url: str,
        name: str,
        clock: Callable[[], float] = time.time,
        timeout_seconds: float = DEFAULT_REDIS_TIMEOUT_SECONDS,
        connect_timeout_seconds: float = DEFAULT_REDIS_TIMEOUT_SECONDS,
    ) -> None:
        self.rate = rate
        self._clock = clock
        self._prefix = f"{KEY_PREFIX}{name}:"
        client = redis_client(url, timeout_seconds, connect_timeout_seconds)
        self._bucket = client.register_script(TOKEN_BUCKET)

    def check(self, key: str) -> tuple[bool, int]:
        """(allowed, seconds to wait before the next request would be allowed)."""
        try:
            allowed, wait = self._bucket(
                keys=[self._prefix + key], args=[self.rate.requests, self.rate.per_second, self._clock()]
            )
        except redis.RedisError as exc:
            logger.error(
                "rate limits: Redis is unavailable (%s: %s); this request is not limited", type(exc).__name__, exc
            )
            return True, 0
        return (True, 0) if allowed else (False, max(1, math.ceil(float(wait))))


def make_limiter(rate: Rate, redis_url: str | None, name: str, settings: Settings | None = None) -> Limiter:
    """In Redis when there is one (shared by every process), else in this process's memory. `settings`
    gives the Redis timeouts (REDIS_SOCKET_TIMEOUT_SECONDS, REDIS_CONNECT_TIMEOUT_SECONDS)."""
    if not redis_url:
        return RateLimiter(rate)
    timeouts = {}
    if settings is not None:
        timeouts = {
            "timeout_seconds": settings.redis_socket_timeout_seconds,
            "connect_timeout_seconds": settings.redis_connect_timeout_seconds,
        }
    return RedisRateLimiter(rate, redis_url, name, **timeouts)
