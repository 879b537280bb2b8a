"""Shared set-up for the staff console tests: a database with real stored conversations and feedback."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.console.pages import Context
from bot.console.tables import console_engine
from bot.rasa_ext.tracker_store import RedactingSQLTrackerStore
from bot.settings import Settings
from bot.web.feedback import feedback_engine, store_feedback

NOW = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.timezone.utc).timestamp()
DAY = 86_400
ROOT = Path(__file__).resolve().parent.parent


def turn(
    text: str,
    intent: str,
    confidence: float,
    actions: list[str],
    at: float,
    partner: str = "default",
    article: str | None = None,
) -> list:
    """One stored turn: the parent's message, the actions that ran, and the answer mark if answered."""
    events: list = [
        UserUttered(
            text,
            intent={"name": intent, "confidence": confidence},
            parse_data={"intent": {"name": intent, "confidence": confidence}, "entities": [], "text": text},
            metadata={"partner": partner},
            timestamp=at,
        )
    ]
    events += [ActionExecuted(name, timestamp=at + 0.1 * (i + 1)) for i, name in enumerate(actions)]
    if article:
        events.append(BotUttered("(answer)", data={"custom": {"answered_from_article": article}}, timestamp=at + 0.9))
    events.append(ActionExecuted("action_listen", timestamp=at + 0.95))
    return events


def settings_for(database_url: str) -> Settings:
    return Settings(database_url=database_url, knowledge_dir=ROOT / "knowledge", knowledge_refresh_seconds=1)


async def store_conversation(database_url: str, sender_id: str, events: list) -> None:
    store = RedactingSQLTrackerStore(settings=settings_for(database_url), connect_wait_seconds=0)
    try:
        await store.save(
            DialogueStateTracker.from_events(
                sender_id, [ActionExecuted("action_listen", timestamp=events[0].timestamp - 1), *events]
            )
        )
    finally:
        store.engine.dispose()


def make_context(database_url: str, tmp_path: Path, knowledge_dir: Path | None = None) -> Context:
    feedback_engine(database_url).dispose()
    engine = console_engine(database_url)
    return Context(
        engine=engine,
        conversations=engine,
        knowledge_dir=knowledge_dir or ROOT / "knowledge",
        review_file=tmp_path / "data" / "nlu" / "review" / "from-console.yml",
        clock=lambda: NOW,
    )


def rate(
    ctx: Context,
    article: str,
    helpful: bool,
    at: float,
    reason_code=None,
    comment=None,
    answered_at=None,
    partner="default",
):
    store_feedback(
        ctx.engine,
        article,
        helpful,
        comment,
        partner,
        now=dt.datetime.fromtimestamp(at, dt.timezone.utc),
        reason_code=reason_code,
        answered_at=answered_at,
    )
