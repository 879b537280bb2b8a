"""Conversation locks: in memory without REDIS_URL, the real Redis with it, and one reply at a time per
conversation even when separate processes (here: separate connections and threads) ask at once."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from rasa.core.lock_store import InMemoryLockStore, LockStore
from rasa.core.utils import AvailableEndpoints, number_of_sanic_workers

from bot.rasa_ext.lock_store import AtomicRedisLockStore, ConfiguredLockStore, LocksUnavailable
from bot.settings import PROJECT_ROOT
from tests.db import delete_redis_keys, redis_url
from tests.integration.proxy import TcpProxy
from tests.servers import free_ports

ENDPOINTS = str(PROJECT_ROOT / "endpoints.yml")


@pytest.fixture
def redis() -> Iterator[tuple[str, str]]:
    """The test Redis and a key prefix of this test's own (removed afterwards)."""
    url = redis_url()
    prefix = f"test{uuid.uuid4().hex[:10]}"
    try:
        yield url, prefix
    finally:
        delete_redis_keys(url, prefix)


def lock_store(redis: tuple[str, str]) -> AtomicRedisLockStore:
    """A store with a connection of its own, as each Rasa process has."""
    url, prefix = redis
    return AtomicRedisLockStore(url, key_prefix=prefix)


# --- which store -------------------------------------------------------------------------------------


def test_without_redis_url_the_locks_are_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "")
    monkeypatch.delenv("SANIC_WORKERS", raising=False)
    endpoints = AvailableEndpoints.read_endpoints(ENDPOINTS)
    assert type(LockStore.create(endpoints.lock_store)) is InMemoryLockStore


def test_several_workers_without_redis_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # Rasa would start them, each with its own in-memory locks: two replies to one conversation at once.
    monkeypatch.setenv("REDIS_URL", "")
    monkeypatch.setenv("SANIC_WORKERS", "3")
    with pytest.raises(ValueError, match="SANIC_WORKERS=3 needs REDIS_URL"):
        ConfiguredLockStore()


def test_redis_url_turns_on_the_redis_lock_store(monkeypatch: pytest.MonkeyPatch, redis: tuple[str, str]) -> None:
    url, _ = redis
    monkeypatch.setenv("REDIS_URL", url)
    monkeypatch.setenv("SANIC_WORKERS", "3")
    endpoints = AvailableEndpoints.read_endpoints(ENDPOINTS)
    store = LockStore.create(endpoints.lock_store)
    assert isinstance(store, AtomicRedisLockStore)
    store.red.ping()
    assert number_of_sanic_workers(endpoints.lock_store) == 3


# --- serialising ----------------------------------------------------------------------------------


async def test_a_second_attempt_waits_until_the_first_is_finished(redis: tuple[str, str]) -> None:
    first, second = lock_store(redis), lock_store(redis)
    conversation = "conversation-1"
    log: list[tuple[str, str, float]] = []
    holding = asyncio.Event()

    async def answer(store: AtomicRedisLockStore, name: str, seconds: float) -> None:
        async with store.lock(conversation, wait_time_in_seconds=0.02):
            log.append(("start", name, time.monotonic()))
            holding.set()
            await asyncio.sleep(seconds)
            log.append(("end", name, time.monotonic()))

    task_a = asyncio.create_task(answer(first, "a", 0.4))
    await holding.wait()
    task_b = asyncio.create_task(answer(second, "b", 0.01))
    await asyncio.sleep(0.15)
    # b holds a ticket in Redis and waits; it has not started.
    assert [entry[:2] for entry in log] == [("start", "a")]
    waiting = second.get_lock(conversation)
    assert waiting is not None and len(waiting.tickets) == 2
    await asyncio.gather(task_a, task_b)

    assert [entry[:2] for entry in log] == [("start", "a"), ("end", "a"), ("start", "b"), ("end", "b")]
    assert log[2][2] >= log[1][2]
    # Nobody waiting: the lock is gone from Redis.
    assert first.get_lock(conversation) is None


def test_many_processes_at_once_never_overlap(redis: tuple[str, str]) -> None:
    """Threads with their own connection and event loop, like Rasa processes, all on one conversation."""
    conversation = "busy-conversation"
    inside = 0
    most_inside = 0
    entries = 0
    counter_guard = threading.Lock()
    errors: list[BaseException] = []

    async def answer_several(store: AtomicRedisLockStore) -> None:
        nonlocal inside, most_inside, entries
        for _ in range(8):
            async with store.lock(conversation, wait_time_in_seconds=0.005):
                with counter_guard:
                    inside += 1
                    entries += 1
                    most_inside = max(most_inside, inside)
                await asyncio.sleep(0.003)
                with counter_guard:
                    inside -= 1

    def process() -> None:
        try:
            asyncio.run(answer_several(lock_store(redis)))
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=process) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert entries == 5 * 8
    assert most_inside == 1


def test_tickets_are_unique_when_issued_at_the_same_moment(redis: tuple[str, str]) -> None:
    # Rasa's own Redis store reads, changes and writes the lock in three steps; two processes in between
    # could both get the same ticket. Here each issue is one transaction.
    conversation = "same-moment"
    tickets: list[int] = []
    start = threading.Barrier(6)

    def issue() -> None:
        store = lock_store(redis)
        start.wait()
        for _ in range(10):
            tickets.append(store.issue_ticket(conversation, lock_lifetime=30))

    threads = [threading.Thread(target=issue) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(tickets) == list(range(60))


def test_a_lock_left_by_a_crashed_process_expires(redis: tuple[str, str]) -> None:
    store = lock_store(redis)
    store.issue_ticket("crashed", lock_lifetime=0.3)
    assert store.get_lock("crashed") is not None
    assert 0 < store.red.pttl(store.key_prefix + "crashed") <= 300
    time.sleep(0.4)
    assert store.get_lock("crashed") is None


def test_in_memory_locks_still_serialise_within_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "")
    monkeypatch.delenv("SANIC_WORKERS", raising=False)
    store = ConfiguredLockStore()
    assert isinstance(store, InMemoryLockStore)
    order: list[str] = []

    async def answer(name: str) -> None:
        async with store.lock("c", wait_time_in_seconds=0.01):
            order.append(f"{name} start")
            await asyncio.sleep(0.05)
            order.append(f"{name} end")

    async def both() -> None:
        await asyncio.gather(answer("a"), answer("b"))

    asyncio.run(both())
    assert order == ["a start", "a end", "b start", "b end"]


# --- Redis unavailable --------------------------------------------------------------------------------


def test_redis_that_does_not_answer_is_reported_as_locks_unavailable(caplog: pytest.LogCaptureFixture) -> None:
    (port,) = free_ports(1)  # nothing listens there: connections are refused
    store = AtomicRedisLockStore(f"redis://127.0.0.1:{port}/15", socket_timeout=1)
    with pytest.raises(LocksUnavailable):
        store.issue_ticket("no-redis")
    with pytest.raises(LocksUnavailable):
        store.get_lock("no-redis")

    async def answer() -> None:
        async with store.lock("no-redis", wait_time_in_seconds=0.01):
            raise AssertionError("a message must not be answered without its lock")

    with pytest.raises(LocksUnavailable):
        asyncio.run(answer())
    assert "conversation locks: Redis is unavailable" in caplog.text


def test_locks_work_again_when_redis_comes_back(redis: tuple[str, str]) -> None:
    url, prefix = redis
    real = urlsplit(url)
    line = TcpProxy(real.hostname or "127.0.0.1", real.port or 6379, "redis-line").start()
    try:
        store = AtomicRedisLockStore(f"redis://{line.address}{real.path}", key_prefix=prefix, socket_timeout=1)
        ticket = store.issue_ticket("comes-back")
        line.cut()
        with pytest.raises(LocksUnavailable):
            store.cleanup("comes-back", ticket)  # giving the lock back fails: it expires by itself
        line.restore()
        store.cleanup("comes-back", ticket)
        assert store.get_lock("comes-back") is None
        assert store.issue_ticket("comes-back") == 0
    finally:
        line.close()
