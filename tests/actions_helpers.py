"""Hand-built trackers and a fixture knowledge service for action tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.content.service import KnowledgeService
from bot.storage.database import make_engine
from bot.understanding import facts
from tests.knowledge_fixtures import FIXTURE_INTENTS


def make_service(knowledge_dir: Path, db_path: Path) -> KnowledgeService:
    service = KnowledgeService(make_engine(f"sqlite:///{db_path}"), knowledge_dir, FIXTURE_INTENTS, refresh_seconds=0)
    service.build()
    return service


def said(texts: list[str], today: dt.date, slots: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The slots after these messages, the way a conversation fills them: the NLU pipeline's entities
    fill the slot of the same name (bot/rasa_ext/fact_extractor.py, domain.yml `from_entity`), and the answer to
    each message but the last keeps them consistent (actions/facts.slot_events: "another 2 days" added)."""
    values = dict(slots or {})
    for turn, text in enumerate(texts):
        if turn:  # the answer to the message before
            for name, value in facts.from_slots(values).slots().items():
                if not (value is None and values.get(name) in (None, facts.SKIPPED)):
                    values[name] = value
        for entity in facts.message_entities(text, today):
            values[str(entity["entity"])] = entity["value"]
    return values


def tracker(
    intent: str,
    text: str = "",
    slots: dict[str, Any] | None = None,
    ranking: list[dict[str, Any]] | None = None,
    entities: list[dict[str, Any]] | None = None,
    metadata: dict[str, Any] | None = None,
    channel: str | None = None,
) -> Tracker:
    """A tracker as the action server receives it; `metadata` is what the channel attached to the message,
    `channel` the input channel it came through (none: no user event, as in a bare tracker). The facts in
    `text` are in the slots, as the NLU pipeline's entities put them there (counted from today)."""
    if text and not text.startswith("/"):
        slots = {**(slots or {}), **{str(e["entity"]): e["value"] for e in facts.message_entities(text, _today())}}
    user_events = [{"event": "user", "text": text, "input_channel": channel}] if channel else []
    ranking = ranking if ranking is not None else [{"name": intent, "confidence": 0.95}]
    return Tracker(
        sender_id="test-conversation",
        slots=slots or {},
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": ranking[0]["confidence"] if ranking else 1.0},
            "intent_ranking": ranking,
            "entities": entities or [],
            "metadata": metadata or {},
        },
        events=user_events,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


async def run_action(action, tracker_: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker_, {})
    return dispatcher.messages, events


def texts(messages: list[dict[str, Any]]) -> list[str]:
    return [m.get("text") or "" for m in messages]


def payloads(messages: list[dict[str, Any]]) -> list[str]:
    return [b["payload"] for m in messages for b in (m.get("buttons") or [])]


def _today() -> dt.date:
    from bot.law.parent_dates import england_today

    return england_today()
