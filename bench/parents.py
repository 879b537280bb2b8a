"""Simulated parents: scripted conversations sent through each assistant's real HTTP channel.

A conversation is what a parent does in the widget: describe the situation in their own words, click
one or two of the section buttons under the answer, then say thanks. The messages are written for
the benchmark and are not in the training data.

Ours is reached the way the widget reaches it (POST /webhooks/webchat/session for a signed token, then
POST /webhooks/webchat/message), the baseline through Rasa's REST channel (POST
/webhooks/rest/webhook). A click sends the offered button's payload to ours, as the widget does; the
stock bot offers no such buttons, so it gets the button's title as typed text.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import aiohttp

REQUEST_TIMEOUT_SECONDS = 120
# Replies our actions send when they caught an error: a 200 with words, but still a failure to count.
APOLOGY_MARKERS = ("something went wrong",)


@dataclass(frozen=True)
class Turn:
    text: str
    click: bool = False  # True: the parent clicks the button with this title instead of typing


def say(text: str) -> Turn:
    return Turn(text)


def click(title: str) -> Turn:
    return Turn(title, click=True)


LAW, NOW, ESCALATE, WHO = "What the law says", "What can I do now?", "If that doesn't work", "Who can help"

SITUATION_A = "they keep sending my son home early and calling it time to calm down but there's no exclusion letter"

SCRIPTS: list[list[Turn]] = [
    [say(SITUATION_A), click(LAW), click(NOW), say("thank you, that's really useful")],
    [
        say("we asked the council for an EHC needs assessment back in march and it's been 25 weeks with no decision"),
        click(NOW),
        click(WHO),
        say("thanks"),
    ],
    [
        say(
            "my daughter is so anxious she hasn't got through the school gate since half term and now they're talking about fines"
        ),
        click(LAW),
        click(ESCALATE),
        say("thanks so much"),
    ],
    [
        say(
            "the local authority have refused to assess him, they say sen support is enough but he's falling further behind"
        ),
        click(LAW),
        click(NOW),
        say("cheers, that helps"),
    ],
    [
        say("his EHCP says weekly speech and language therapy but he hasn't had a single session since september"),
        click(NOW),
        click(WHO),
        say("thank you"),
    ],
    [
        say("hi"),
        say("my son is only allowed in school for two hours a day and it's been going on since september"),
        click(LAW),
        click(ESCALATE),
        say("ok thanks"),
    ],
]

# One block of the long conversation. Seven turns, so turns 1, 8, 15 ... 50 are the same message and
# the only thing that changes between them is how long the conversation already is.
LONG_BLOCK: list[Turn] = [
    say(SITUATION_A),
    click(LAW),
    click(NOW),
    click(ESCALATE),
    click(WHO),
    say("thanks, that's helpful"),
    say("are you a real person?"),
]


def long_conversation(turns: int) -> list[Turn]:
    return [LONG_BLOCK[i % len(LONG_BLOCK)] for i in range(turns)]


def same_message_turns(turns: int) -> list[int]:
    """1-based turn numbers of the long conversation that repeat its first message."""
    return [i + 1 for i in range(turns) if i % len(LONG_BLOCK) == 0]


def parse_texts() -> list[str]:
    """Every distinct typed message, for the NLU-only timing."""
    seen: dict[str, None] = {}
    for turn in [t for script in SCRIPTS for t in script] + LONG_BLOCK:
        seen.setdefault(turn.text, None)
    return list(seen)


@dataclass
class TurnResult:
    conversation: int
    turn: int  # 1-based position in the conversation; 0 is getting ours' conversation token
    seconds: float
    status: int | None
    replies: int
    error: str | None = None
    text: str = ""
    clicked: bool = False
    click_missing: bool = False  # the button to click was not offered, so its title was typed instead
    apology: bool = False

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.replies > 0 and self.error is None and not self.apology


@dataclass
class Conversation:
    id: str
    token: str | None = None
    buttons: list[dict[str, str]] = field(default_factory=list)


class Channel:
    """How a simulated parent reaches one assistant."""

    name = "channel"

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    async def open(self, http: aiohttp.ClientSession) -> tuple[Conversation, int | None, str | None]:
        return Conversation(id=uuid.uuid4().hex), 200, None

    def body(self, conversation: Conversation, turn: Turn) -> tuple[dict[str, Any], bool]:
        raise NotImplementedError

    @property
    def message_url(self) -> str:
        raise NotImplementedError

    def headers(self) -> dict[str, str]:
        return {}

    @staticmethod
    def messages(data: Any) -> list[dict[str, Any]]:
        raise NotImplementedError

    async def send(self, http: aiohttp.ClientSession, conversation: Conversation, turn: Turn) -> TurnResult:
        body, missing = self.body(conversation, turn)
        start = time.perf_counter()
        status: int | None = None
        error: str | None = None
        messages: list[dict[str, Any]] = []
        try:
            async with http.post(self.message_url, json=body, headers=self.headers()) as reply:
                status = reply.status
                raw = await reply.read()
            elapsed = time.perf_counter() - start
            if status == 200:
                messages = self.messages(_json(raw))
            else:
                error = f"HTTP {status}: {raw[:200].decode('utf-8', 'replace')}"
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            elapsed = time.perf_counter() - start
            error = f"{type(exc).__name__}: {exc}"[:200]
        conversation.buttons = [b for m in messages for b in m.get("buttons") or []]
        texts = " ".join(str(m.get("text") or "") for m in messages).lower()
        return TurnResult(
            conversation=0,
            turn=0,
            seconds=elapsed,
            status=status,
            replies=len(messages),
            error=error,
            click_missing=missing,
            apology=any(marker in texts for marker in APOLOGY_MARKERS),
        )


def _json(raw: bytes) -> Any:
    return json.loads(raw or b"null")


class WebChat(Channel):
    """Our channel: a signed token per conversation, clicks sent as the payload the bot offered."""

    name = "webchat"

    def headers(self) -> dict[str, str]:
        # A browser on the demo page sends its own origin; the channel checks it on every request.
        return {"Origin": self.base_url}

    @property
    def message_url(self) -> str:
        return f"{self.base_url}/webhooks/webchat/message"

    async def open(self, http: aiohttp.ClientSession) -> tuple[Conversation, int | None, str | None]:
        try:
            async with http.post(f"{self.base_url}/webhooks/webchat/session", json={}, headers=self.headers()) as r:
                status = r.status
                data = _json(await r.read()) if status == 200 else None
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            return Conversation(id=""), None, f"{type(exc).__name__}: {exc}"[:200]
        if not isinstance(data, dict) or not data.get("token"):
            return Conversation(id=""), status, f"no token (HTTP {status})"
        return Conversation(id="", token=data["token"]), status, None

    def body(self, conversation: Conversation, turn: Turn) -> tuple[dict[str, Any], bool]:
        if turn.click:
            offered = {b.get("title"): b.get("payload") for b in conversation.buttons}
            if offered.get(turn.text):
                return {"token": conversation.token, "payload": offered[turn.text]}, False
            return {"token": conversation.token, "text": turn.text}, True
        return {"token": conversation.token, "text": turn.text}, False

    @staticmethod
    def messages(data: Any) -> list[dict[str, Any]]:
        return [m for m in (data or {}).get("messages") or [] if isinstance(m, dict) and m.get("text")]


class Rest(Channel):
    """Rasa's stock REST channel: the client names the conversation; a click is its title as text."""

    name = "rest"

    @property
    def message_url(self) -> str:
        return f"{self.base_url}/webhooks/rest/webhook"

    def body(self, conversation: Conversation, turn: Turn) -> tuple[dict[str, Any], bool]:
        return {"sender": conversation.id, "message": turn.text}, False

    @staticmethod
    def messages(data: Any) -> list[dict[str, Any]]:
        return [m for m in data or [] if isinstance(m, dict) and (m.get("text") or m.get("image"))]


async def run_conversation(
    http: aiohttp.ClientSession, channel: Channel, turns: list[Turn], number: int, think_seconds: float = 0.0
) -> list[TurnResult]:
    """One parent's whole conversation; a failed start counts as one failed turn (turn 0)."""
    start = time.perf_counter()
    conversation, status, error = await channel.open(http)
    results: list[TurnResult] = []
    if error:
        results.append(TurnResult(number, 0, time.perf_counter() - start, status, 0, error))
        return results
    for position, turn in enumerate(turns, start=1):
        result = await channel.send(http, conversation, turn)
        result.conversation, result.turn, result.text, result.clicked = number, position, turn.text, turn.click
        results.append(result)
        if think_seconds:
            await asyncio.sleep(think_seconds)
    return results


def client_session(concurrency: int) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS),
        connector=aiohttp.TCPConnector(limit=max(100, concurrency * 2)),
    )


async def run_level(
    channel: Channel,
    concurrency: int,
    conversations_per_parent: int,
    scripts: list[list[Turn]] = SCRIPTS,
    think_seconds: float = 0.0,
) -> tuple[list[TurnResult], float]:
    """`concurrency` parents at once, each holding conversations back to back; (results, wall seconds)."""
    async with client_session(concurrency) as http:

        async def parent(index: int) -> list[TurnResult]:
            done: list[TurnResult] = []
            for k in range(conversations_per_parent):
                script = scripts[(index + k) % len(scripts)]
                done += await run_conversation(http, channel, script, index * 1000 + k, think_seconds)
            return done

        start = time.perf_counter()
        per_parent = await asyncio.gather(*(parent(i) for i in range(concurrency)))
        wall = time.perf_counter() - start
    return [r for results in per_parent for r in results], wall


async def first_reply(channel: Channel, text: str = "hello") -> tuple[bool, str | None]:
    """One short conversation; whether it got a non-empty 200 reply (used to tell when a server is ready)."""
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as http:
        results = await run_conversation(http, channel, [say(text)], number=-1)
    last = results[-1]
    return last.ok, last.error
