"""`python -m bot conversations purge | delete` on the configured store: SQLite and the real PostgreSQL."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.cli.main import main
from bot.rasa_ext.lock_store import KEY_PREFIX, AtomicRedisLockStore
from bot.rasa_ext.tracker_store import store_from_settings
from tests.db import conversation_last_seen, drop_postgres, postgres_url, redis_url

DAY = 86_400.0


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """DATABASE_URL for the commands, with no Redis and the default retention period."""
    url = f"sqlite:///{tmp_path / 'send.db'}" if request.param == "sqlite" else postgres_url()
    monkeypatch.setenv("DATABASE_URL", url)
    # Set but empty, so a developer's .env can't fill them in.
    monkeypatch.setenv("REDIS_URL", "")
    monkeypatch.setenv("RETENTION_DAYS", "")
    try:
        yield url
    finally:
        if request.param == "postgresql":
            drop_postgres(url)


async def save_conversations(ages_in_days: dict[str, float]) -> None:
    """Conversations whose last message was that many days ago, saved through the configured store."""
    store = store_from_settings()
    try:
        for sender_id, days in ages_in_days.items():
            await store.save(conversation_last_seen(sender_id, time.time() - days * DAY))
    finally:
        store.engine.dispose()


def seed(ages_in_days: dict[str, float]) -> None:
    # The commands run their own event loop, so the tests that call them are not async.
    asyncio.run(save_conversations(ages_in_days))


def rows_per_conversation(database_url: str) -> dict[str, int]:
    engine = create_engine(database_url, future=True)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT sender_id, COUNT(*) FROM events GROUP BY sender_id")).all()
    finally:
        engine.dispose()
    return {sender_id: count for sender_id, count in rows}


def test_purge_deletes_conversations_silent_for_longer_than_retention(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    seed({"today": 0, "last-month": 30, "just-kept": 89, "just-gone": 91, "last-year": 400})
    assert main(["conversations", "purge"]) == 0
    assert rows_per_conversation(database_url) == {"today": 3, "last-month": 3, "just-kept": 3}
    assert "deleted 2 conversation(s) silent for more than 90 day(s)" in capsys.readouterr().out

    assert main(["conversations", "purge", "--days", "7"]) == 0
    assert rows_per_conversation(database_url) == {"today": 3}
    assert main(["conversations", "purge", "--days", "7"]) == 0  # nothing left to delete is not an error


def test_purge_takes_its_default_from_retention_days(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    seed({"today": 0, "last-month": 30, "last-week": 7})
    monkeypatch.setenv("RETENTION_DAYS", "14")
    assert main(["conversations", "purge"]) == 0
    assert set(rows_per_conversation(database_url)) == {"today", "last-week"}


def test_delete_removes_one_conversation_only(database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    seed({"asked-to-delete": 1, "someone-else": 1})
    assert main(["conversations", "delete", "asked-to-delete"]) == 0
    assert "deleted conversation 'asked-to-delete' (3 event(s))" in capsys.readouterr().out
    assert rows_per_conversation(database_url) == {"someone-else": 3}
    # Asking again (or a mistyped id) says nothing was deleted, so staff notice.
    assert main(["conversations", "delete", "asked-to-delete"]) == 1
    assert "nothing deleted" in capsys.readouterr().out


def test_the_password_is_never_printed(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    url = postgres_url()
    try:
        user_and_password = url.replace("postgresql://postgres@", "postgresql://postgres:hunter2@")
        monkeypatch.setenv("DATABASE_URL", user_and_password)  # trust auth ignores the password
        monkeypatch.setenv("REDIS_URL", "")
        assert main(["conversations", "purge"]) == 0
        out = capsys.readouterr().out
        assert "hunter2" not in out and "***" in out
    finally:
        drop_postgres(url)


@pytest.mark.parametrize("days", ["0", "-3", "ninety"])
def test_wrong_days_are_refused(days: str) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["conversations", "purge", "--days", days])
    assert exit_info.value.code == 2


async def test_delete_waits_for_a_reply_in_progress_when_locks_are_in_redis(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = redis_url()
    monkeypatch.setenv("REDIS_URL", url)
    sender_id = f"mid-reply-{uuid.uuid4().hex[:8]}"
    await save_conversations({sender_id: 0})
    rasa_process = AtomicRedisLockStore(url, key_prefix=KEY_PREFIX)  # what the Rasa server uses

    async with rasa_process.lock(sender_id):
        deleting = asyncio.create_task(asyncio.to_thread(main, ["conversations", "delete", sender_id]))
        await asyncio.sleep(0.5)
        assert not deleting.done()
        assert rows_per_conversation(database_url) == {sender_id: 3}
    assert await asyncio.wait_for(deleting, timeout=10) == 0
    assert rows_per_conversation(database_url) == {}
    assert rasa_process.get_lock(sender_id) is None
