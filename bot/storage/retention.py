"""Deleting conversations from Rasa's tracker store: one on request, and all those past retention.

Works with the stores this project uses: `SQLTrackerStore`, including our redacting subclass
(bot/rasa_ext/tracker_store.py: SQLite by default, PostgreSQL with DATABASE_URL), and `InMemoryTrackerStore`
(tests), also when Rasa wraps them in its fail-safe and awaitable wrappers. Any other store raises
`UnsupportedTrackerStore`, so nothing claims a deletion that did not happen.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore
from sqlalchemy import func

logger = logging.getLogger(__name__)


class UnsupportedTrackerStore(TypeError):
    """The tracker store has no deletion support here."""


def _stores(tracker_store: Any) -> Iterator[Any]:
    """The real stores behind Rasa's wrappers, including a fail-safe store's in-memory fallback."""
    pending = [tracker_store]
    while pending:
        store = pending.pop()
        if store is None:
            continue
        inner = getattr(store, "_tracker_store", None)
        if inner is not None:
            pending.append(inner)
            pending.append(getattr(store, "_fallback_tracker_store", None))
        else:
            yield store


def _check(store: Any) -> None:
    if not isinstance(store, (SQLTrackerStore, InMemoryTrackerStore)):
        raise UnsupportedTrackerStore(f"deleting conversations is not supported for {type(store).__name__}")


def delete_conversation(tracker_store: Any, sender_id: str) -> int:
    """Delete every stored event of one conversation; returns how many events (SQL) or trackers went."""
    deleted = 0
    for store in _stores(tracker_store):
        _check(store)
        if isinstance(store, InMemoryTrackerStore):
            deleted += 1 if store.store.pop(sender_id, None) is not None else 0
            continue
        event = store.SQLEvent
        with store.session_scope() as session:
            deleted += session.query(event).filter(event.sender_id == sender_id).delete(synchronize_session=False)
            session.commit()
    return deleted


def _last_timestamp(store: InMemoryTrackerStore, sender_id: str) -> float:
    tracker = store.deserialise_tracker(sender_id, store.store[sender_id])
    stamps = [e.timestamp for e in tracker.events] if tracker else []
    return max(stamps, default=0.0)


def purge_inactive(tracker_store: Any, cutoff_timestamp: float) -> int:
    """Delete every conversation whose latest event is older than the cutoff; returns how many."""
    purged = 0
    for store in _stores(tracker_store):
        _check(store)
        if isinstance(store, InMemoryTrackerStore):
            stale = [s for s in list(store.store) if _last_timestamp(store, s) < cutoff_timestamp]
        else:
            event = store.SQLEvent
            with store.session_scope() as session:
                rows = (
                    session.query(event.sender_id)
                    .group_by(event.sender_id)
                    .having(func.max(event.timestamp) < cutoff_timestamp)
                    .all()
                )
            stale = [sender_id for (sender_id,) in rows]
        for sender_id in stale:
            delete_conversation(store, sender_id)
        purged += len(stale)
    if purged:
        logger.info("deleted %d conversation(s) past the retention period", purged)
    return purged
