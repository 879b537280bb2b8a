"""The conversation store: DATABASE_URL moves it, events are redacted before they are written (SQLite and
the real PostgreSQL), the live conversation keeps the raw message, and Rasa loads it from endpoints.yml."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore, TrackerStore
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, EntitiesAdded, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy import create_engine, text

from bot.rasa_ext.tracker_store import ConversationStoreError, RedactingSQLTrackerStore, redact_events
from bot.settings import PROJECT_ROOT, Settings, load_settings
from bot.storage.database import make_engine
from bot.storage.retention import delete_conversation, purge_inactive
from bot.web.feedback import feedback_engine
from tests.db import drop_postgres, postgres_url

NOW = 1_800_000_000.0
DOMAIN = Domain.from_dict(
    {
        "intents": ["ehc_delay", "greet"],
        "entities": ["date", "school_type"],
        "slots": {
            "date": {"type": "text", "mappings": [{"type": "from_entity", "entity": "date"}]},
            "school_type": {"type": "text", "mappings": [{"type": "from_entity", "entity": "school_type"}]},
        },
    }
)

PERSONAL = "Hi I'm Sarah, my son Jack was born on 3/4/2015. The academy ignores us, call 07700 900123"
APPLIED = "We applied on 12/01/2026 and nothing has happened"
SECRETS = ("Sarah", "Jack", "3/4/2015", "07700", "900123")


def settings_for(url: str, pool_size: int = 5, max_overflow: int = 5) -> Settings:
    return Settings(
        database_url=url,
        knowledge_dir=PROJECT_ROOT / "knowledge",
        knowledge_refresh_seconds=0,
        db_pool_size=pool_size,
        db_max_overflow=max_overflow,
    )


def entity(message: str, name: str, words: str, value: str | None = None) -> dict[str, Any]:
    start = message.index(words)
    return {"entity": name, "start": start, "end": start + len(words), "value": value or words}


def user(message: str, intent: str, entities: list[dict[str, Any]], timestamp: float) -> UserUttered:
    return UserUttered(
        message,
        intent={"name": intent, "confidence": 0.93},
        entities=entities,
        parse_data={
            "text": message,
            "intent": {"name": intent, "confidence": 0.93},
            "entities": entities,
            "intent_ranking": [{"name": intent, "confidence": 0.93}],
        },
        timestamp=timestamp,
        metadata={"partner": "default"},
    )


def first_turn(timestamp: float = NOW) -> list[Event]:
    return [
        ActionExecuted("action_listen", timestamp=timestamp),
        user(
            PERSONAL,
            "ehc_delay",
            [entity(PERSONAL, "date", "3/4/2015"), entity(PERSONAL, "school_type", "academy")],
            timestamp + 1,
        ),
        SlotSet("date", "3/4/2015", timestamp=timestamp + 2),
        SlotSet("school_type", "academy", timestamp=timestamp + 2),
        ActionExecuted("action_answer_situation", timestamp=timestamp + 3),
        BotUttered("The council must send the plan within 20 weeks.", timestamp=timestamp + 3),
        ActionExecuted("action_listen", timestamp=timestamp + 4),
    ]


def second_turn(timestamp: float) -> list[Event]:
    return [
        user(APPLIED, "ehc_delay", [entity(APPLIED, "date", "12/01/2026")], timestamp),
        SlotSet("date", "12/01/2026", timestamp=timestamp + 1),
        ActionExecuted("action_answer_situation", timestamp=timestamp + 2),
        BotUttered("From what you say, the 20-week deadline is 1 June 2026.", timestamp=timestamp + 2),
        ActionExecuted("action_listen", timestamp=timestamp + 3),
    ]


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'conversations.db'}"
        return
    url = postgres_url()
    try:
        yield url
    finally:
        drop_postgres(url)


@pytest.fixture
def store(database_url: str) -> Iterator[RedactingSQLTrackerStore]:
    sql = RedactingSQLTrackerStore(DOMAIN, settings=settings_for(database_url))
    try:
        yield sql
    finally:
        sql.engine.dispose()


def stored_rows(database_url: str) -> list[dict[str, Any]]:
    """The events table read with plain SQL, as anyone with database access would see it."""
    engine = create_engine(database_url, future=True)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT sender_id, type_name, intent_name, data FROM events ORDER BY id")).all()
    finally:
        engine.dispose()
    return [
        {"sender_id": r.sender_id, "type": r.type_name, "intent": r.intent_name, **json.loads(r.data)} for r in rows
    ]


# --- what is written ---------------------------------------------------------------------------------


async def test_personal_data_never_reaches_the_database(store: RedactingSQLTrackerStore, database_url: str) -> None:
    await store.save(DialogueStateTracker.from_events("c1", first_turn(), DOMAIN.slots))
    rows = stored_rows(database_url)
    raw = json.dumps(rows)
    for secret in SECRETS:
        assert secret not in raw
    message = next(r for r in rows if r["type"] == "user")
    assert message["text"] == (
        "Hi I'm [name], my son [name] was born on [date of birth]. The academy ignores us, call [phone]"
    )
    assert message["parse_data"]["text"] == message["text"]
    assert [(e["entity"], e["value"]) for e in message["parse_data"]["entities"]] == [
        ("date", "[date of birth]"),
        ("school_type", "academy"),
    ]
    assert message["intent"] == "ehc_delay" and message["metadata"] == {"partner": "default"}
    slots = {r["name"]: r["value"] for r in rows if r["type"] == "slot"}
    assert slots == {"date": "[date of birth]", "school_type": "academy"}
    assert [r["text"] for r in rows if r["type"] == "bot"] == ["The council must send the plan within 20 weeks."]


async def test_the_conversation_reads_back_with_intents_slots_and_answers(store: RedactingSQLTrackerStore) -> None:
    await store.save(DialogueStateTracker.from_events("c1", first_turn(), DOMAIN.slots))
    tracker = await store.retrieve("c1")
    assert tracker is not None and len(tracker.events) == len(first_turn())
    assert tracker.latest_message.intent["name"] == "ehc_delay"
    assert "[name]" in tracker.latest_message.text and "Jack" not in tracker.latest_message.text
    assert tracker.get_slot("school_type") == "academy"
    assert tracker.latest_action_name == "action_listen"


async def test_the_live_conversation_keeps_the_raw_message(store: RedactingSQLTrackerStore) -> None:
    # NLU and this turn's actions already used the raw words; saving must not change them in memory.
    tracker = DialogueStateTracker.from_events("c1", first_turn(), DOMAIN.slots)
    await store.save(tracker)
    assert tracker.latest_message.text == PERSONAL
    assert tracker.latest_message.parse_data["text"] == PERSONAL
    assert tracker.latest_message.entities[0]["value"] == "3/4/2015"
    assert tracker.get_slot("date") == "3/4/2015"


async def test_a_second_turn_adds_only_its_own_events_and_keeps_the_dates_the_bot_needs(
    store: RedactingSQLTrackerStore, database_url: str
) -> None:
    await store.save(DialogueStateTracker.from_events("c1", first_turn(), DOMAIN.slots))
    # The next turn starts from the stored (redacted) conversation, as the Rasa server does.
    tracker = await store.retrieve("c1")
    assert tracker is not None
    for event in second_turn(NOW + 60):
        tracker.update(event)
    await store.save(tracker)

    rows = stored_rows(database_url)
    assert len(rows) == len(first_turn()) + len(second_turn(NOW))
    assert [r["text"] for r in rows if r["type"] == "user"] == [
        "Hi I'm [name], my son [name] was born on [date of birth]. The academy ignores us, call [phone]",
        APPLIED,
    ]
    assert [r["value"] for r in rows if r["type"] == "slot" and r["name"] == "date"] == [
        "[date of birth]",
        "12/01/2026",
    ]
    reread = await store.retrieve("c1")
    assert reread is not None and reread.get_slot("date") == "12/01/2026"


async def test_conversations_are_kept_apart(store: RedactingSQLTrackerStore) -> None:
    await store.save(DialogueStateTracker.from_events("c1", first_turn(), DOMAIN.slots))
    await store.save(DialogueStateTracker.from_events("c2", second_turn(NOW), DOMAIN.slots))
    assert set(await store.keys()) == {"c1", "c2"}
    other = await store.retrieve("c2")
    assert other is not None and other.latest_message.text == APPLIED


async def test_deleting_and_purging_still_work_through_rasas_wrappers(store: RedactingSQLTrackerStore) -> None:
    # bot/storage/retention.py recognises the store as an SQLTrackerStore, also inside Rasa's fail-safe wrapper.
    assert isinstance(store, SQLTrackerStore)
    await store.save(DialogueStateTracker.from_events("old", first_turn(NOW - 100 * 86_400), DOMAIN.slots))
    await store.save(DialogueStateTracker.from_events("recent", first_turn(NOW), DOMAIN.slots))
    await store.save(DialogueStateTracker.from_events("asked", first_turn(NOW), DOMAIN.slots))
    wrapped = FailSafeTrackerStore(store)
    assert delete_conversation(wrapped, "asked") == len(first_turn())
    assert purge_inactive(wrapped, NOW - 90 * 86_400) == 1
    assert set(await store.keys()) == {"recent"}


async def test_an_event_broker_gets_the_redacted_events_too(database_url: str) -> None:
    class Broker:
        def __init__(self) -> None:
            self.published: list[dict[str, Any]] = []

        def publish(self, event: dict[str, Any]) -> None:
            self.published.append(event)

    broker = Broker()
    store = RedactingSQLTrackerStore(DOMAIN, event_broker=broker, settings=settings_for(database_url))  # type: ignore[arg-type]
    try:
        await store.save(DialogueStateTracker.from_events("c1", first_turn(), DOMAIN.slots))
    finally:
        store.engine.dispose()
    assert len(broker.published) == len(first_turn())
    assert all(e["sender_id"] == "c1" for e in broker.published)
    for secret in SECRETS:
        assert secret not in json.dumps(broker.published)


# --- redact_events on its own ------------------------------------------------------------------------


def test_redact_events_leaves_its_input_alone_and_copies_only_what_it_changes() -> None:
    events = [e.as_dict() for e in first_turn()]
    before = json.dumps(events)
    redacted = redact_events(events)
    assert json.dumps(events) == before
    assert redacted[0] is events[0]  # action events hold no words of the parent's
    assert redacted[1] is not events[1]


def test_a_normalised_entity_value_is_redacted_by_where_it_came_from() -> None:
    message = "DOB: 3rd April 2015"
    events = [user(message, "greet", [entity(message, "date", "3rd April 2015", value="2015-04-03")], NOW).as_dict()]
    [redacted] = redact_events(events)
    assert redacted["parse_data"]["entities"][0]["value"] == "[date of birth]"


def test_slot_lists_and_entities_events_are_redacted_from_the_same_turn() -> None:
    message = "my daughters Mia and Ava"
    events = [
        user(message, "greet", [], NOW).as_dict(),
        SlotSet("date", ["Mia", "Ava", "Year 6"], timestamp=NOW).as_dict(),
        EntitiesAdded([{"entity": "school_type", "value": "Mia's academy"}], timestamp=NOW).as_dict(),
    ]
    _, slot, entities = redact_events(events)
    assert slot["value"] == ["[name]", "[name]", "Year 6"]
    assert entities["entities"][0]["value"] == "[name]'s academy"


# --- settings and loading ----------------------------------------------------------------------------


def test_database_url_moves_the_conversations_too(monkeypatch: pytest.MonkeyPatch) -> None:
    # Set but empty, so a developer's .env can't fill it in.
    monkeypatch.setenv("DATABASE_URL", "")
    unset = load_settings()
    assert unset.conversation_store_url == f"sqlite:///{PROJECT_ROOT / 'var' / 'tracker.db'}"
    assert unset.database_url == f"sqlite:///{PROJECT_ROOT / 'var' / 'send.db'}"
    monkeypatch.setenv("DATABASE_URL", "postgres://send:secret@db.internal:5432/send")
    moved = load_settings()
    # The "postgres://" spelling some hosts give is accepted (SQLAlchemy 1.4 wants "postgresql://").
    assert moved.conversation_store_url == moved.database_url == "postgresql://send:secret@db.internal:5432/send"


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("DB_POOL_SIZE", "many", "DB_POOL_SIZE must be a whole number"),
        ("DB_POOL_SIZE", "0", "DB_POOL_SIZE must be at least 1"),
        ("DB_MAX_OVERFLOW", "-1", "DB_MAX_OVERFLOW must be at least 0"),
        ("REDIS_URL", "127.0.0.1:6379", "REDIS_URL must start with redis://"),
    ],
)
def test_wrong_settings_are_explained(monkeypatch: pytest.MonkeyPatch, name: str, value: str, problem: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=problem):
        load_settings()


def test_pool_settings_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DB_POOL_SIZE", "3")
    monkeypatch.setenv("DB_MAX_OVERFLOW", "0")
    settings = load_settings()
    assert (settings.db_pool_size, settings.db_max_overflow) == (3, 0)


def test_rasa_loads_the_store_named_in_endpoints_yml(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("DB_POOL_SIZE", "3")
    monkeypatch.setenv("DB_MAX_OVERFLOW", "2")
    endpoints = AvailableEndpoints.read_endpoints(str(PROJECT_ROOT / "endpoints.yml"))
    store = TrackerStore.create(endpoints.tracker_store)
    try:
        assert type(store) is RedactingSQLTrackerStore
        assert store.engine.url.render_as_string(hide_password=False) == database_url
        if database_url.startswith("postgresql"):
            # Explicit pools, not Rasa's SQL_POOL_SIZE default of 50 + 100.
            assert (store.engine.pool.size(), store.engine.pool._max_overflow) == (3, 2)
    finally:
        store.engine.dispose()


def test_the_knowledge_index_engine_uses_the_same_pool_settings(database_url: str) -> None:
    engine = make_engine(database_url, 3, 2)
    try:
        if database_url.startswith("postgresql"):
            assert (engine.pool.size(), engine.pool._max_overflow) == (3, 2)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar_one() == 1
    finally:
        engine.dispose()


def test_an_unusable_database_url_fails_loudly_instead_of_falling_back_to_memory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Rasa swaps a custom store that raises ImportError for an in-memory one, which forgets everything.
    monkeypatch.setenv("DATABASE_URL", "mysql://someone@127.0.0.1/send")  # no MySQL driver installed
    with pytest.raises(ConversationStoreError):
        TrackerStore.create(EndpointConfig(type="bot.rasa_ext.tracker_store.RedactingSQLTrackerStore"))


def test_a_database_that_does_not_answer_is_reported() -> None:
    settings = settings_for("postgresql://postgres@127.0.0.1:9/nothing")
    with pytest.raises(ConversationStoreError, match="does not answer"):
        RedactingSQLTrackerStore(DOMAIN, settings=settings, connect_wait_seconds=0)


@pytest.mark.parametrize("config", [{"url": "postgresql://x@y/z"}, {"dialect": "sqlite", "db": "var/tracker.db"}])
def test_an_address_in_endpoints_yml_is_refused(tmp_path: Path, config: dict[str, str]) -> None:
    settings = settings_for(f"sqlite:///{tmp_path / 'c.db'}")
    host = config.pop("url", None)
    with pytest.raises(ConversationStoreError, match="set DATABASE_URL instead"):
        RedactingSQLTrackerStore(DOMAIN, host=host, settings=settings, **config)


async def test_sqlite_files_are_owner_only_like_the_secret(tmp_path: Path) -> None:
    # Issue 14, point 12: before, SQLite made the files with the process's umask (usually 0644: readable by
    # every user on the machine), while the web chat's secret beside them was 0600.
    old = os.umask(0o022)
    try:
        url = f"sqlite:///{tmp_path / 'var' / 'tracker.db'}"
        sql = RedactingSQLTrackerStore(DOMAIN, settings=settings_for(url))
        await sql.save(DialogueStateTracker.from_events("c1", first_turn(), DOMAIN.slots))
        sql.engine.dispose()
        assert stat.S_IMODE((tmp_path / "var" / "tracker.db").stat().st_mode) == 0o600
        feedback_db = tmp_path / "var" / "send.db"
        feedback_db.write_bytes(b"")
        os.chmod(feedback_db, 0o644)  # made earlier by someone else (the knowledge index): narrowed
        feedback_engine(f"sqlite:///{feedback_db}").dispose()
        assert stat.S_IMODE(feedback_db.stat().st_mode) == 0o600
    finally:
        os.umask(old)
