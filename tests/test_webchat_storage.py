"""Deleting conversations from Rasa's tracker stores: SQLite, PostgreSQL and in memory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from rasa.core.tracker_store import (
    AwaitableTrackerStore,
    FailSafeTrackerStore,
    InMemoryTrackerStore,
    SQLTrackerStore,
    TrackerStore,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.storage.retention import UnsupportedTrackerStore, delete_conversation, purge_inactive
from tests.db import conversation_last_seen, drop_postgres, postgres_url
from tests.webchat_helpers import DOMAIN

NOW = 1_800_000_000.0
DAY = 86_400.0


def tracker(sender_id: str, last_seen: float) -> DialogueStateTracker:
    return conversation_last_seen(sender_id, last_seen, DOMAIN.slots)


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def store(request, tmp_path: Path) -> Iterator[TrackerStore]:
    if request.param == "memory":
        yield InMemoryTrackerStore(DOMAIN)
        return
    if request.param == "sqlite":
        sql = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db"))
        yield sql
        sql.engine.dispose()
        return
    url = postgres_url()
    parts = urlsplit(url)
    sql = SQLTrackerStore(
        DOMAIN,
        dialect="postgresql",
        host=parts.hostname,
        port=parts.port,
        db=parts.path.lstrip("/"),
        username=parts.username,
        password=parts.password,
    )
    try:
        yield sql
    finally:
        sql.engine.dispose()
        drop_postgres(url)


async def test_delete_conversation_removes_only_that_conversation(store: TrackerStore) -> None:
    await store.save(tracker("keep", NOW))
    await store.save(tracker("delete-me", NOW))
    # Rasa wraps the configured store like this when it loads an agent.
    wrapped = FailSafeTrackerStore(AwaitableTrackerStore(store))
    assert delete_conversation(wrapped, "delete-me") > 0
    assert set(await store.keys()) == {"keep"}
    assert await store.retrieve("delete-me") is None
    kept = await store.retrieve("keep")
    assert kept is not None and len(kept.events) == 3
    assert delete_conversation(wrapped, "never-existed") == 0


async def test_purge_deletes_conversations_silent_for_longer_than_retention(store: TrackerStore) -> None:
    await store.save(tracker("recent", NOW - 89 * DAY))
    await store.save(tracker("old", NOW - 91 * DAY))
    await store.save(tracker("older", NOW - 400 * DAY))
    assert purge_inactive(FailSafeTrackerStore(store), NOW - 90 * DAY) == 2
    assert set(await store.keys()) == {"recent"}
    assert purge_inactive(store, NOW - 90 * DAY) == 0


def test_other_tracker_stores_are_refused_rather_than_pretending() -> None:
    class OtherStore(TrackerStore):
        pass

    with pytest.raises(UnsupportedTrackerStore):
        delete_conversation(OtherStore(DOMAIN), "someone")
    with pytest.raises(UnsupportedTrackerStore):
        purge_inactive(FailSafeTrackerStore(OtherStore(DOMAIN)), NOW)
