"""Hand-built trackers and a fixture knowledge service for action tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot import index
from bot.service import KnowledgeService
from tests.conftest import FIXTURE_INTENTS


def make_service(knowledge_dir: Path, db_path: Path) -> KnowledgeService:
    service = KnowledgeService(
        index.make_engine(f"sqlite:///{db_path}"), knowledge_dir, FIXTURE_INTENTS, refresh_seconds=0
    )
    service.build()
    return service


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
    `channel` the input channel it came through (none: no user event, as in a bare tracker)."""
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
