"""A long conversation is answered from its start, the slot changes that matter and its recent turns
(bot/rasa_ext/tracker_store.recent_events), while everything stays stored and the downloads read it all."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.dialogue.guided_replies import last_answers, previous_question
from bot.rasa_ext.tracker_store import RECENT_TURNS, RedactingSQLTrackerStore, recent_events
from tests.db import sqlite_conversation_store

DOMAIN = Domain.from_dict(
    {
        "intents": ["ehc_delay", "section_law", "check_deadlines"],
        "slots": {
            name: {"type": "any", "influence_conversation": False, "mappings": [{"type": "custom"}]}
            for name in ("article_id", "deadline_date", "deadline_kind", "requested_slot", "school_type")
        },
        "forms": {"deadline_form": {"required_slots": ["deadline_kind", "deadline_date"]}},
        "actions": ["action_answer_situation"],
    }
)
T0 = 1_800_000_000.0


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


def session_start(clock: Clock) -> list[Event]:
    return [
        SessionStarted(timestamp=clock()),
        SlotSet("school_type", "academy", timestamp=clock()),
        ActionExecuted("action_listen", timestamp=clock()),
    ]


def turn(clock: Clock, text: str, *extra: Event) -> list[Event]:
    return [
        UserUttered(text, intent={"name": "ehc_delay", "confidence": 0.9}, timestamp=clock()),
        ActionExecuted("action_answer_situation", timestamp=clock()),
        *extra,
        BotUttered(f"answer to {text}", timestamp=clock()),
        ActionExecuted("action_listen", timestamp=clock()),
    ]


def rows(events: list[Event]) -> list[tuple[str, str]]:
    return [(e.type_name, json.dumps(e.as_dict())) for e in events]


def tracker(events: list[dict[str, Any]]) -> DialogueStateTracker:
    return DialogueStateTracker.from_dict("parent", events, DOMAIN.slots)


def deadline_form_asked_twice(clock: Clock) -> list[Event]:
    """The deadline form started, its first question answered and its second asked."""
    return turn(
        clock,
        "check my deadlines",
        ActiveLoop("deadline_form", timestamp=clock()),
        SlotSet("requested_slot", "deadline_kind", timestamp=clock()),
    ) + turn(clock, "the assessment", SlotSet("requested_slot", "deadline_date", timestamp=clock()))


def long_conversation(turns: int) -> list[Event]:
    clock = Clock()
    events = session_start(clock)
    events += turn(clock, "asked in march", SlotSet("article_id", "ehc_delay", timestamp=clock()))
    # A form that finished long ago: its answers were cleared, the letters still need the date.
    events += deadline_form_asked_twice(clock)
    events += turn(
        clock,
        "3 march",
        SlotSet("deadline_date", "2026-03-03", timestamp=clock()),
        ActiveLoop(None, timestamp=clock()),
        SlotSet("requested_slot", None, timestamp=clock()),
        SlotSet("deadline_date", None, timestamp=clock()),
    )
    for number in range(turns - 4):
        events += turn(clock, f"message {number}", SlotSet("article_id", f"article-{number % 3}", timestamp=clock()))
    return events


def test_a_short_conversation_is_read_whole() -> None:
    events = long_conversation(RECENT_TURNS)
    assert recent_events(rows(events)) == [e.as_dict() for e in events]


def test_a_long_conversation_keeps_its_start_its_slots_and_its_recent_turns() -> None:
    events = long_conversation(40)
    whole = tracker([e.as_dict() for e in events])
    kept = recent_events(rows(events))
    short = tracker(kept)

    assert len(kept) < len(events) / 3
    assert [e["text"] for e in kept if e["event"] == "user"] == [e.text for e in events if isinstance(e, UserUttered)][
        -RECENT_TURNS:
    ]
    assert kept[:3] == [e.as_dict() for e in events[:3]]  # the session's start
    assert short.current_slot_values() == whole.current_slot_values()
    assert last_answers(kept, ["deadline_date"]) == {"deadline_date": "2026-03-03"}
    assert short.latest_message.text == whole.latest_message.text
    assert short.latest_action_name == whole.latest_action_name
    assert short.active_loop_name is None
    stored = [e.as_dict() for e in events]
    assert all(e in stored for e in kept)  # nothing made up
    assert [stored.index(e) for e in kept] == sorted(stored.index(e) for e in kept)


def test_a_form_running_at_the_cut_is_kept_from_the_message_that_started_it() -> None:
    clock = Clock()
    events = session_start(clock) + turn(clock, "hello")
    events += deadline_form_asked_twice(clock)
    for number in range(RECENT_TURNS + 3):
        events += turn(clock, f"not sure {number}")
    kept = recent_events(rows(events))

    users = [e["text"] for e in kept if e["event"] == "user"]
    assert users[0] == "check my deadlines" and users[-1] == f"not sure {RECENT_TURNS + 2}"
    assert tracker(kept).active_loop_name == "deadline_form"
    order = ["deadline_kind", "deadline_date"]
    assert previous_question(kept, "deadline_date", order) == "deadline_kind"


def test_a_restart_before_the_recent_turns_means_the_whole_session_is_read() -> None:
    clock = Clock()
    events = session_start(clock) + turn(clock, "hello", Restarted(timestamp=clock()))
    for number in range(RECENT_TURNS + 5):
        events += turn(clock, f"message {number}")
    assert recent_events(rows(events)) == [e.as_dict() for e in events]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[RedactingSQLTrackerStore]:
    store = sqlite_conversation_store(tmp_path, DOMAIN)
    yield store
    store.engine.dispose()


async def test_turn_after_turn_every_event_is_stored_once_and_the_downloads_read_them_all(
    store: RedactingSQLTrackerStore,
) -> None:
    clock = Clock()
    await store.save(DialogueStateTracker.from_events("parent", session_start(clock), DOMAIN.slots))
    sent: list[str] = []
    for number in range(3 * RECENT_TURNS):
        live = await store.retrieve("parent")
        text = f"message {number}"
        for event in turn(clock, text, SlotSet("article_id", f"article-{number}", timestamp=clock())):
            live.update(event)
        await store.save(live)
        sent.append(text)

    answering = await store.retrieve("parent")
    assert [e.text for e in answering.events if isinstance(e, UserUttered)] == sent[-RECENT_TURNS:]
    assert answering.get_slot("article_id") == f"article-{3 * RECENT_TURNS - 1}"
    assert answering.get_slot("school_type") == "academy"
    full = await store.retrieve_full_tracker("parent")
    assert [e.text for e in full.events if isinstance(e, UserUttered)] == sent
    assert len(full.events) == len(set((e.type_name, e.timestamp) for e in full.events))


async def test_a_tracker_that_does_not_hold_the_newest_stored_event_is_still_not_written(
    store: RedactingSQLTrackerStore,
) -> None:
    clock = Clock()
    stored = session_start(clock) + turn(clock, "first")
    await store.save(DialogueStateTracker.from_events("parent", stored, DOMAIN.slots))
    made_afresh = DialogueStateTracker.from_events("parent", session_start(clock) + turn(clock, "again"), DOMAIN.slots)
    await store.save(made_afresh)
    full = await store.retrieve_full_tracker("parent")
    assert [e.text for e in full.events if isinstance(e, UserUttered)] == ["first"]
