"""A parent's side of the web chat for the integration tests, and what PostgreSQL holds afterwards."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import requests
from sqlalchemy import create_engine, text

from bot.web.tokens import TokenSigner

WEBCHAT_SECRET = "integration-only-secret-5c1e8a3f9b2d7e4c6a0f1b8d3e5c7a9f"
PARTNER = "example-charity"  # has a helpline, so the apology can be checked for its number
HELPLINE_PHONE = "01632 960123"
# Short, so the "action server hangs" test doesn't wait long; still far above a normal action's time.
ACTION_TIMEOUT_S = 5

SIGNER = TokenSigner(WEBCHAT_SECRET.encode("utf-8"))


@dataclass
class Reply:
    status: int
    body: dict[str, Any]
    seconds: float

    @property
    def texts(self) -> list[str]:
        return [m.get("text", "") for m in self.body.get("messages", [])]

    @property
    def all_text(self) -> str:
        return "\n".join(self.texts)

    @property
    def payloads(self) -> list[str]:
        return [b["payload"] for m in self.body.get("messages", []) for b in m.get("buttons") or []]


@dataclass
class Chat:
    """One conversation through the web chat routes, on `base` (nginx or one Rasa server)."""

    base: str
    partner: str = PARTNER
    token: str = ""

    def __post_init__(self) -> None:
        reply = requests.post(self.url("/session"), json={"partner": self.partner}, timeout=30)
        assert reply.status_code == 200, reply.text
        self.token = reply.json()["token"]

    @property
    def conversation_id(self) -> str:
        conversation = SIGNER.verify(self.token)
        assert conversation is not None
        return conversation.id

    def url(self, path: str) -> str:
        return f"{self.base}/webhooks/webchat{path}"

    def say(self, text: str | None = None, payload: str | None = None, timeout: float = 90) -> Reply:
        body: dict[str, Any] = {"token": self.token}
        body.update({"payload": payload} if payload is not None else {"text": text})
        # A new connection each time: messages of one conversation may be sent from several threads.
        reply = requests.post(self.url("/message"), json=body, timeout=timeout)
        try:
            content = reply.json()
        except ValueError:
            content = {"raw": reply.text}
        return Reply(reply.status_code, content, reply.elapsed.total_seconds())


def stored_events(database_url: str, conversation_id: str) -> list[dict[str, Any]]:
    """Rasa's rows for one conversation, in id order, each with its id and its event as stored."""
    engine = create_engine(database_url, future=True)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT id, type_name, timestamp, data FROM events WHERE sender_id = :c ORDER BY id"),
                {"c": conversation_id},
            ).all()
    finally:
        engine.dispose()
    return [{"id": r.id, "type": r.type_name, "row_timestamp": r.timestamp, **json.loads(r.data)} for r in rows]


def user_texts(events: list[dict[str, Any]]) -> list[str]:
    return [e["text"] for e in events if e["event"] == "user"]
