"""Rasa's lock store for this project: Redis when REDIS_URL is set, in memory otherwise.

Rasa answers one message of a conversation at a time by holding a per-conversation lock. In memory, that
lock only works inside one process; with several Rasa processes (replicas or SANIC_WORKERS) they must
share it, in Redis. endpoints.yml names `bot.rasa_ext.lock_store.ConfiguredLockStore`, which reads REDIS_URL
through bot.settings (so `.env` works too) and builds the right store.

`AtomicRedisLockStore` is Rasa's `RedisLockStore` with each read-change-write of a lock done in one
Redis transaction (WATCH/MULTI). Rasa's own reads the lock, changes it in Python and writes it back, so
two processes issuing tickets at the same moment can both get the same ticket and answer together.
"""

from __future__ import annotations

import json
import logging
import math
import os
import time
from collections.abc import Callable
from typing import Any, TypeVar

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import (
    LOCK_LIFETIME,
    InMemoryLockStore,
    LockError,
    LockStore,
    RedisLockStore,
)
from rasa.utils.endpoints import EndpointConfig

from bot.rasa_ext.version import rasa_is_supported
from bot.settings import DEFAULT_REDIS_TIMEOUT_SECONDS, Settings, load_settings
from bot.storage.timeouts import redis_client

T = TypeVar("T")
KEY_PREFIX = "send"  # keys are "send:lock:<conversation id>", apart from anything else in the database
logger = logging.getLogger(__name__)


class LocksUnavailable(RuntimeError):
    """Redis, which holds the conversation locks, did not answer: no message can be answered safely."""


def _unavailable(exc: redis.RedisError) -> LocksUnavailable:
    logger.error(
        "conversation locks: Redis is unavailable (%s: %s); messages can't be answered", type(exc).__name__, exc
    )
    return LocksUnavailable(f"Redis is unavailable: {exc}")


class AtomicRedisLockStore(RedisLockStore):
    """Rasa's Redis lock store, with every change to a lock atomic across processes."""

    def __init__(
        self,
        url: str,
        key_prefix: str = KEY_PREFIX,
        socket_timeout: float = DEFAULT_REDIS_TIMEOUT_SECONDS,
        connect_timeout: float = DEFAULT_REDIS_TIMEOUT_SECONDS,
    ) -> None:
        rasa_is_supported("the Redis lock store (it replaces how RedisLockStore changes a lock)")
        super().__init__(key_prefix=key_prefix, socket_timeout=socket_timeout)
        # A URL carries everything (password, TLS with rediss://, database number) in one setting. A Redis
        # that stops answering fails a lock call within the timeouts (LocksUnavailable), never hangs it.
        self.red = redis_client(url, socket_timeout, connect_timeout)

    def _change(self, conversation_id: str, change: Callable[[TicketLock | None], tuple[TicketLock | None, T]]) -> T:
        """Apply `change` to the stored lock in one transaction, retrying if another process got there first.

        `change` gets the lock (None if there is none) and returns the lock to store (None: delete it)
        and a result.
        """
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(raw)) if raw else None
                    new_lock, result = change(lock)
                    pipe.multi()
                    if new_lock is None:
                        pipe.delete(key)
                    else:
                        # The key outlives its last ticket by nothing: a crashed process leaves no lock behind.
                        expires = max((t.expires for t in new_lock.tickets), default=time.time() + LOCK_LIFETIME)
                        pipe.set(key, new_lock.dumps(), px=max(1, math.ceil((expires - time.time()) * 1000)))
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue
                except redis.RedisError as exc:
                    raise _unavailable(exc) from exc

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        try:
            return super().get_lock(conversation_id)
        except redis.RedisError as exc:
            raise _unavailable(exc) from exc

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: TicketLock | None) -> tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except LocksUnavailable:
            raise
        except Exception as exc:
            raise LockError(f"Error while acquiring lock. Error:\n{exc}") from exc

    def update_lock(self, conversation_id: str) -> None:
        def remove_expired(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, remove_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def remove(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, remove)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # One transaction: a ticket issued between "nobody is waiting" and "delete" must not be lost.
        def remove_and_drop_if_idle(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, remove_and_drop_if_idle)


def lock_store_from_settings(settings: Settings) -> LockStore:
    """Redis when REDIS_URL is set; otherwise in memory, which refuses to pretend to serve several workers."""
    if settings.redis_url:
        return AtomicRedisLockStore(
            settings.redis_url,
            socket_timeout=settings.redis_socket_timeout_seconds,
            connect_timeout=settings.redis_connect_timeout_seconds,
        )
    try:
        workers = int(os.environ.get("SANIC_WORKERS") or 1)
    except ValueError:
        workers = 1  # Rasa itself falls back to one worker
    if workers > 1:
        # Rasa allows several workers whenever endpoints.yml names a custom lock store, so check here.
        raise ValueError(f"SANIC_WORKERS={workers} needs REDIS_URL: in-memory locks can't be shared by processes")
    return InMemoryLockStore()


class ConfiguredLockStore(LockStore):
    """What endpoints.yml names: constructing it returns the lock store the settings ask for.

    Rasa loads a custom lock store from a class path and calls it with `endpoint_config=`; it can't call
    a factory function, so this class's constructor is the factory.
    """

    def __new__(cls, endpoint_config: EndpointConfig | None = None, **_: Any) -> LockStore:
        return lock_store_from_settings(load_settings())
