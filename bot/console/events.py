"""Turns read back from Rasa's stored conversations (the `events` table), already redacted.

A turn is one message from the parent and what the assistant did about it: the intent and confidence
the model gave, the actions that ran, the article it answered from (the web chat's answer mark) and the
partner whose website it came through. Read only; the console never writes to conversations.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, inspect, select
from sqlalchemy.engine import Engine

from bot.content.partners import DEFAULT_PARTNER
from bot.dialogue.answers import marked_article

_metadata = MetaData()
# The columns of Rasa's SQLTrackerStore table that the console reads (rasa/core/tracker_store.py).
events_table = Table(
    "events",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("type_name", String(255)),
    Column("timestamp", Float),
    Column("data", Text),
)


@dataclass
class Turn:
    sender_id: str
    at: float
    text: str
    intent: str | None
    confidence: float
    partner: str
    actions: list[str] = field(default_factory=list)
    article: str | None = None
    # When the answer mark was stored: how an unhelpful rating finds its question (bot/web/feedback.py).
    answered_at: float | None = None

    @property
    def typed(self) -> bool:
        """Typed by the parent, not a button's "/intent" payload."""
        return not self.text.startswith("/")


def load_turns(engine: Engine, since: float, until: float | None = None) -> list[Turn]:
    """Every turn whose message arrived in [since, until), conversation by conversation, in order."""
    if not inspect(engine).has_table("events"):
        return []
    query = select(events_table.c.sender_id, events_table.c.data).where(events_table.c.timestamp >= since)
    if until is not None:
        query = query.where(events_table.c.timestamp < until)
    query = query.order_by(events_table.c.sender_id, events_table.c.id)
    turns: list[Turn] = []
    current: Turn | None = None
    with engine.connect() as conn:
        for sender_id, raw in conn.execute(query):
            try:
                data = json.loads(raw)
            except (TypeError, ValueError):
                continue
            if current is not None and current.sender_id != sender_id:
                current = None
            kind = data.get("event")
            if kind == "user":
                current = _turn(sender_id, data)
                turns.append(current)
            elif current is None:
                continue
            elif kind == "action" and isinstance(data.get("name"), str):
                current.actions.append(data["name"])
            elif kind == "bot":
                article = marked_article((data.get("data") or {}).get("custom"))
                if article:
                    current.article, current.answered_at = article, data.get("timestamp")
    return turns


def _turn(sender_id: str, data: dict) -> Turn:
    parse_data = data.get("parse_data") or {}
    intent = parse_data.get("intent") or {}
    metadata = data.get("metadata") or {}
    partner = metadata.get("partner") if isinstance(metadata.get("partner"), str) else DEFAULT_PARTNER
    try:
        confidence = float(intent.get("confidence") or 0.0)
    except (TypeError, ValueError):
        confidence = 0.0
    return Turn(
        sender_id=sender_id,
        at=float(data.get("timestamp") or 0.0),
        text=str(data.get("text") or ""),
        intent=intent.get("name") if isinstance(intent.get("name"), str) else None,
        confidence=confidence,
        partner=partner,
    )
