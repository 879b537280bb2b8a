"""A PostgreSQL or Redis that stops answering on an open connection (issue 14, point 4).

Rasa calls the conversation store and the lock store on its event loop, so a server that goes silent
(the line stays open, nothing comes back: a stuck proxy or load balancer, a half-dead network path)
used to hold every conversation of the process for ever. Here the real local PostgreSQL and Redis sit
behind a small proxy that can stop forwarding on the connections it already has, as such a line does.
Each store call must fail within its timeouts, the parent get the web chat's kind reply, and the next
message after the line comes back be answered as usual.

tests/integration/proxy.py can't do this: its `hang()` resets the open connections first, so a client
sees a broken line at once and reconnects; only new connections hang.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg2.extensions
import pytest
from rasa.core.channels.channel import UserMessage
from rasa.core.lock_store import LockStore
from rasa.core.tracker_store import FailSafeTrackerStore, TrackerStore
from rasa.core.utils import AvailableEndpoints
from sqlalchemy import create_engine, text

from bot.rasa_ext.tracker_store import RedactingSQLTrackerStore
from bot.settings import PROJECT_ROOT, load_settings
from bot.storage.timeouts import KEEPALIVES
from bot.web.limits import Rate, RedisRateLimiter
from bot.web.resilience import ACTIONS_DOWN, STORE_DOWN
from bot.web.tokens import SqlRevocations
from tests.db import delete_redis_keys, drop_postgres, postgres_url, redis_url
from tests.webchat_helpers import DOMAIN, FakeAgent, make_channel, running

CHUNK = 65_536
# Short timeouts keep the test quick; the defaults (docs/configuration.md#timeouts) are longer.
DB_CONNECT_SECONDS = 1
DB_STATEMENT_SECONDS = 1
REDIS_SECONDS = 0.5
RATE_NAME = "test-stall"
# The longest the first store call may now take on a silent line: a pooled connection's check (its
# statement timeout and the second of grace in bot/storage/timeouts.py), then a new connection's connect timeout.
# Later calls in the turn open a new connection each (the pool was emptied): the connect timeout.
DB_CALL_BUDGET = DB_STATEMENT_SECONDS + 1 + DB_CONNECT_SECONDS
# Rasa reads the conversation, saves the tracker it makes instead, and saves the turn.
DB_TURN_BUDGET = DB_CALL_BUDGET + 2 * DB_CONNECT_SECONDS


class StallingProxy:
    """A TCP proxy on its own thread and event loop. `stall()` stops forwarding in both directions on the
    open connections and new ones alike (the bytes wait in the proxy); `resume()` forwards again."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="stalling-proxy", daemon=True)
        self._writers: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task] = set()
        self._forwarding = asyncio.Event()
        self._server: asyncio.AbstractServer | None = None
        self.port = 0

    def __enter__(self) -> StallingProxy:
        self._thread.start()
        self._call(self._listen())
        return self

    def __exit__(self, *_: object) -> None:
        self._call(self._close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def stall(self) -> None:
        self._loop.call_soon_threadsafe(self._forwarding.clear)

    def resume(self) -> None:
        self._loop.call_soon_threadsafe(self._forwarding.set)

    def _call(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=10)

    async def _listen(self) -> None:
        self._forwarding.set()
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _close(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        pair = {writer, upstream_writer}
        self._writers |= pair
        await asyncio.gather(self._pipe(reader, upstream_writer), self._pipe(upstream_reader, writer))
        self._writers -= pair

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(CHUNK):
                await self._forwarding.wait()
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()


def through(proxy: StallingProxy, url: str) -> str:
    """`url` with its host and port replaced by the proxy's."""
    parts = urlsplit(url)
    credentials = parts.netloc.rpartition("@")[0]
    return urlunsplit(parts._replace(netloc=f"{credentials}@127.0.0.1:{proxy.port}".lstrip("@")))


@pytest.fixture
def postgres() -> Iterator[str]:
    url = postgres_url()
    yield url
    drop_postgres(url)


@pytest.fixture
def redis_db() -> Iterator[str]:
    url = redis_url()
    yield url
    # Only this file's buckets: other tests may be using the same database. Conversation locks expire.
    delete_redis_keys(url, f"send:rate:{RATE_NAME}:")


def proxy_for(url: str) -> StallingProxy:
    parts = urlsplit(url)
    return StallingProxy(parts.hostname or "127.0.0.1", parts.port or 0)


class LockingAgent(FakeAgent):
    """Answers as Rasa's Agent does: under the conversation's lock, with the stores endpoints.yml names."""

    def __init__(self, tracker_store: Any, lock_store: LockStore) -> None:
        super().__init__()
        self.tracker_store = tracker_store
        self.lock_store = lock_store

    async def handle_message(self, message: UserMessage) -> None:
        async with self.lock_store.lock(message.sender_id):
            await super().handle_message(message)


def stores_from_endpoints() -> tuple[Any, LockStore]:
    """The tracker and lock stores exactly as `rasa run` builds them from endpoints.yml and the settings."""
    endpoints = AvailableEndpoints.read_endpoints(str(PROJECT_ROOT / "endpoints.yml"))
    tracker_store = FailSafeTrackerStore(TrackerStore.create(endpoints.tracker_store, DOMAIN))
    return tracker_store, LockStore.create(endpoints.lock_store)


@contextlib.asynccontextmanager
async def timed() -> AsyncIterator[list[float]]:
    """Seconds the block took on this loop (the web chat server runs on it too)."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    elapsed: list[float] = []
    yield elapsed
    elapsed.append(loop.time() - started)


def timeout_settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> None:
    for name, value in {
        "DB_CONNECT_TIMEOUT_SECONDS": str(DB_CONNECT_SECONDS),
        "DB_STATEMENT_TIMEOUT_SECONDS": str(DB_STATEMENT_SECONDS),
        "REDIS_CONNECT_TIMEOUT_SECONDS": str(REDIS_SECONDS),
        "REDIS_SOCKET_TIMEOUT_SECONDS": str(REDIS_SECONDS),
        **env,
    }.items():
        monkeypatch.setenv(name, value)


# --- the web chat, end to end ------------------------------------------------------------------------


async def test_a_silent_database_gives_the_kind_reply_within_the_timeouts_then_recovers(
    tmp_path: Path, postgres: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with proxy_for(postgres) as proxy:
        timeout_settings(monkeypatch, DATABASE_URL=through(proxy, postgres))
        monkeypatch.delenv("REDIS_URL", raising=False)
        tracker_store, lock_store = stores_from_endpoints()
        async with running(make_channel(tmp_path), LockingAgent(tracker_store, lock_store)) as server:
            token = await server.session()
            status, _, first = await server.post("/message", {"token": token, "text": "a delay"})
            assert status == 200 and "degraded" not in first

            proxy.stall()
            async with timed() as elapsed:
                status, _, stalled = await server.post("/message", {"token": token, "text": "still waiting"})
            print(f"a turn on a silent database took {elapsed[0]:.2f} s")
            assert elapsed[0] < DB_TURN_BUDGET + 1, f"the stalled turn took {elapsed[0]:.1f} s"
            assert status == 200 and stalled["degraded"] == ["storage"]
            assert stalled["messages"][-1]["text"].startswith(STORE_DOWN)

            proxy.resume()
            async with timed() as elapsed:
                status, _, after = await server.post("/message", {"token": token, "text": "a delay again"})
            assert elapsed[0] < 1.0
            assert status == 200 and "degraded" not in after

        stored = await tracker_store.retrieve(server.agent.received[0].sender_id)
        said = [e.text for e in stored.events if getattr(e, "text", None) and e.type_name == "user"]
        # The turn nobody could read or save is not in the conversation; the ones around it are.
        assert said == ["a delay", "a delay again"]


async def test_a_silent_redis_refuses_the_message_kindly_within_the_timeout_then_recovers(
    tmp_path: Path, redis_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with proxy_for(redis_db) as proxy:
        timeout_settings(monkeypatch, REDIS_URL=through(proxy, redis_db), DATABASE_URL=f"sqlite:///{tmp_path}/c.db")
        tracker_store, lock_store = stores_from_endpoints()
        async with running(make_channel(tmp_path), LockingAgent(tracker_store, lock_store)) as server:
            token = await server.session()
            status, _, _ = await server.post("/message", {"token": token, "text": "a delay"})
            assert status == 200

            proxy.stall()
            async with timed() as elapsed:
                status, _, refused = await server.post("/message", {"token": token, "text": "hello?"})
            print(f"a turn on a silent Redis took {elapsed[0]:.2f} s")
            assert elapsed[0] < REDIS_SECONDS + 0.5, f"the stalled turn took {elapsed[0]:.1f} s"
            assert status == 503 and refused["error"] == "unavailable"
            assert refused["messages"][0]["text"].startswith(ACTIONS_DOWN)

            proxy.resume()
            status, _, after = await server.post("/message", {"token": token, "text": "a delay again"})
            assert status == 200 and "degraded" not in after
    assert [m.text for m in server.agent.received] == ["a delay", "a delay again"]


# --- the other clients -------------------------------------------------------------------------------


def test_rate_limits_let_requests_through_when_redis_goes_silent_and_count_again_after(redis_db: str) -> None:
    with proxy_for(redis_db) as proxy:
        limiter = RedisRateLimiter(Rate(1, 60), through(proxy, redis_db), RATE_NAME, timeout_seconds=REDIS_SECONDS)
        assert limiter.check("a") == (True, 0)
        proxy.stall()
        result = assert_answers(lambda: limiter.check("a"), REDIS_SECONDS + 0.5)
        assert result == (True, 0)  # not limited, and not held past the timeout
        proxy.resume()
        assert limiter.check("a")[0] is False  # the bucket in Redis counts again


def in_thread(call: Any) -> tuple[threading.Thread, list[Any]]:
    """`call()` started in a thread; the list gets its result or exception when it ends."""
    outcome: list[Any] = []

    def attempt() -> None:
        try:
            outcome.append(call())
        except Exception as exc:
            outcome.append(exc)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    return worker, outcome


def assert_answers(call: Any, seconds: float) -> Any:
    """`call()`'s result or exception; fails if it gives none within `seconds`."""
    worker, outcome = in_thread(call)
    worker.join(seconds)
    assert outcome, f"no answer within {seconds:g} s"
    return outcome[0]


def test_without_the_deadline_a_silent_line_holds_a_query_for_ever(postgres: str) -> None:
    # What the other limits alone (before) did: statement_timeout is the server's, and the server never
    # sees the query; the keepalives are answered by the proxy's end of the line.
    wait_callback = psycopg2.extensions.get_wait_callback()
    psycopg2.extensions.set_wait_callback(None)
    try:
        with proxy_for(postgres) as proxy:
            args = {"options": "-c statement_timeout=1000", "connect_timeout": 1, **KEEPALIVES}
            engine = create_engine(through(proxy, postgres), future=True, connect_args=args)
            with engine.connect() as conn:
                proxy.stall()
                worker, outcome = in_thread(lambda: conn.execute(text("SELECT 1")).scalar())
                worker.join(DB_CALL_BUDGET + 1)
                assert worker.is_alive(), f"answered on a silent line: {outcome}"
                proxy.resume()  # the query is answered now, and the thread ends
                worker.join(10)
                assert outcome == [1]
            engine.dispose()
    finally:
        psycopg2.extensions.set_wait_callback(wait_callback)


def test_every_engine_of_the_rasa_process_carries_the_limits(postgres: str, monkeypatch: pytest.MonkeyPatch) -> None:
    timeout_settings(monkeypatch, DATABASE_URL=postgres)
    settings = load_settings()
    store = RedactingSQLTrackerStore(settings=settings)
    revocations = SqlRevocations(lambda: create_engine(postgres, future=True), settings)
    revocations.is_revoked("nobody")
    for engine in (store.engine, revocations._ready()):
        with engine.connect() as conn:
            assert conn.execute(text("SHOW statement_timeout")).scalar() == f"{DB_STATEMENT_SECONDS}s"
            parameters = conn.connection.dbapi_connection.info.dsn_parameters
            assert parameters["connect_timeout"] == str(DB_CONNECT_SECONDS) and parameters["keepalives"] == "1"
        engine.dispose()


# --- the settings ------------------------------------------------------------------------------------


def test_timeout_settings_have_safe_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "DB_CONNECT_TIMEOUT_SECONDS",
        "DB_STATEMENT_TIMEOUT_SECONDS",
        "REDIS_CONNECT_TIMEOUT_SECONDS",
        "REDIS_SOCKET_TIMEOUT_SECONDS",
    ):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert (settings.db_connect_timeout_seconds, settings.db_statement_timeout_seconds) == (3, 5)
    assert (settings.redis_connect_timeout_seconds, settings.redis_socket_timeout_seconds) == (2.0, 2.0)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DB_STATEMENT_TIMEOUT_SECONDS", "0", "at least 1"),
        ("DB_CONNECT_TIMEOUT_SECONDS", "soon", "whole number"),
        ("REDIS_SOCKET_TIMEOUT_SECONDS", "0", "between 0.1 and 60"),
        ("REDIS_CONNECT_TIMEOUT_SECONDS", "a while", "number of seconds"),
    ],
)
def test_a_wrong_timeout_setting_is_refused_with_the_reason(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=message):
        load_settings()
