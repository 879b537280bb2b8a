"""Database fixtures: SQLite always; the local PostgreSQL and Redis when reachable (required in CI)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.slots import Slot
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, text

from bot.rasa_ext.tracker_store import RedactingSQLTrackerStore
from bot.settings import PROJECT_ROOT, Settings

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def postgres_url() -> str:
    """A fresh, empty PostgreSQL database for one test, or a skip (a failure when REQUIRE_POSTGRES=1)."""
    admin = create_engine(POSTGRES_ADMIN_URL, future=True, isolation_level="AUTOCOMMIT")
    name = f"send_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            raise
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}: {exc}")
    finally:
        admin.dispose()
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def drop_postgres(url: str) -> None:
    admin = create_engine(POSTGRES_ADMIN_URL, future=True, isolation_level="AUTOCOMMIT")
    name = url.rsplit("/", 1)[1]
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


# Database 15 by default, away from the 0 and 1 that `make run` and scripts/cluster.sh use; tests only
# touch keys under their own random prefix.
REDIS_TEST_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_url() -> str:
    """The local Redis for tests, or a skip (a failure when REQUIRE_REDIS=1)."""
    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL, socket_timeout=2)
    try:
        client.ping()
    except Exception as exc:
        if os.environ.get("REQUIRE_REDIS") == "1":
            raise
        pytest.skip(f"Redis not reachable at {REDIS_TEST_URL}: {exc}")
    finally:
        client.close()
    return REDIS_TEST_URL


def delete_redis_keys(url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_timeout=2)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def conversation_last_seen(sender_id: str, last_seen: float, slots: Iterable[Slot] = ()) -> DialogueStateTracker:
    """A three-event conversation whose last message is at `last_seen`, for retention and deletion tests."""
    return DialogueStateTracker.from_events(
        sender_id,
        [
            ActionExecuted("action_listen", timestamp=last_seen - 60),
            UserUttered("my child's plan is late", timestamp=last_seen - 30),
            BotUttered("The council must send the plan within 20 weeks.", timestamp=last_seen),
        ],
        list(slots),
    )


def sqlite_conversation_store(folder: Path, domain: Domain) -> RedactingSQLTrackerStore:
    """The project's conversation store on a fresh SQLite file in `folder` (dispose its engine after)."""
    settings = Settings(
        database_url=f"sqlite:///{folder / 'conversations.db'}",
        knowledge_dir=PROJECT_ROOT / "knowledge",
        knowledge_refresh_seconds=0,
    )
    return RedactingSQLTrackerStore(domain, settings=settings)
