"""Web chat test helpers: partner files, a stand-in for Rasa's agent, and a real server on a free port.

The server is Rasa's own app (`rasa.core.run.configure_app`, without the HTTP API, as `rasa run` builds
it), with our channel registered through `rasa.core.channels.channel.register`. Only the agent is a
stand-in: it answers from a script instead of a trained model, and keeps conversations in Rasa's
`InMemoryTrackerStore` like the real one would.
"""

from __future__ import annotations

import asyncio
import json as json_lib
import socket
import textwrap
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from rasa.core.channels.channel import UserMessage
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from sanic import Sanic

from bot.content.partners import PartnerBook
from bot.dialogue.answers import article_mark
from bot.settings import Settings
from bot.web.channel import WebChatInput
from bot.web.limits import RateLimiter, parse_rate
from bot.web.tokens import TokenSigner

SECRET = b"test-secret-that-is-long-enough-for-hmac-0123456789"

DEFAULT_PARTNER_YML = textwrap.dedent(
    """\
    id: default
    display_name: "SEND rights assistant (demo)"
    colours: {primary: "#1d4f91", on_primary: "#ffffff", accent: "#ffdd00"}
    welcome: Hello.
    allowed_origins: [http://127.0.0.1:5005, http://localhost:5005]
    helpline:
      time_zone: Europe/London
      hours: {mon-fri: "09:00-17:00"}
    national_services:
      - service: ipsea
        what: Free helplines with legally based advice.
    """
)

CHARITY_PARTNER_YML = textwrap.dedent(
    """\
    id: charity
    display_name: Sampleshire Family Support
    colours: {primary: "#5b2a86", on_primary: "#ffffff", accent: "#f2b134"}
    welcome: Hello from Sampleshire.
    area: [Sampleshire]
    allowed_origins: [https://www.example.org]
    helpline:
      phone: "01632 960123"
      email: help@example.org
      web_form: https://www.example.org/contact-us
      time_zone: Europe/London
      hours:
        mon-thu: "09:30-16:30"
        fri: ["09:30-12:30", "13:30-16:00"]
      closed_dates: [2026-12-25, 2026-12-28]
    national_services:
      - service: sendiass
        what: Your council's free, impartial advice service.
      - service: contact
        what: A national charity for families with disabled children.
    """
)

SITE = "https://www.example.org"  # the charity's website
OTHER_SITE = "https://evil.example.net"

DOMAIN = Domain.from_dict(
    {
        "slots": {
            "article_id": {"type": "text", "influence_conversation": False, "mappings": [{"type": "custom"}]},
        }
    }
)


def write_partners(folder: Path, files: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (files or {"default": DEFAULT_PARTNER_YML, "charity": CHARITY_PARTNER_YML}).items():
        (folder / f"{name}.yml").write_text(text, encoding="utf-8")
    return folder


@dataclass
class Reply:
    text: str
    buttons: list[dict[str, str]] | None = None


Script = Callable[[UserMessage], tuple[list[Reply], str | None]]


def default_script(message: UserMessage) -> tuple[list[Reply], str | None]:
    """Echo the text; offer two section buttons; answer from 'ehc-delay' when the text mentions a delay."""
    article = "ehc-delay" if "delay" in (message.text or "") else None
    return (
        [
            Reply(f"You said: {message.text}"),
            Reply(
                "What would you like to know next?",
                [
                    {"title": "What the law says", "payload": "/section_law"},
                    {"title": "Who can help", "payload": "/section_who_can_help"},
                ],
            ),
        ],
        article,
    )


class FakeAgent:
    """What the channel uses of Rasa's Agent: handle_message, is_ready, tracker_store and lock_store."""

    def __init__(self, script: Script = default_script) -> None:
        self.script = script
        self.tracker_store = InMemoryTrackerStore(DOMAIN)
        self.lock_store = InMemoryLockStore()
        self.received: list[UserMessage] = []

    def is_ready(self) -> bool:
        return True

    async def handle_message(self, message: UserMessage) -> None:
        self.received.append(message)
        tracker = await self.tracker_store.get_or_create_tracker(message.sender_id)
        tracker.update(UserUttered(message.text, metadata=message.metadata))
        replies, article_id = self.script(message)
        for reply in replies:
            payload: dict[str, Any] = {"text": reply.text}
            if reply.buttons:
                payload["buttons"] = reply.buttons
            await message.output_channel.send_response(message.sender_id, dict(payload))
            tracker.update(BotUttered(reply.text, data={"buttons": reply.buttons} if reply.buttons else {}))
        if article_id:
            # As the real answer action does: an action event, the slot it sets, and the article's mark.
            tracker.update(ActionExecuted("action_answer_situation"))
            tracker.update(SlotSet("article_id", article_id))
            mark = article_mark(article_id)
            await message.output_channel.send_response(message.sender_id, {"custom": mark})
            tracker.update(BotUttered(None, data={"custom": mark}))
        await self.tracker_store.save(tracker)


class ManualClock:
    """A clock tests move by hand, so no test depends on real time passing."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def make_channel(
    tmp_path: Path,
    per_conversation: str = "100/minute",
    per_address: str = "1000/minute",
    widget_dir: Path | None = None,
    clock: ManualClock | None = None,
    database_url: str | None = None,
) -> WebChatInput:
    clock = clock or ManualClock()
    settings = Settings(
        database_url=database_url or f"sqlite:///{tmp_path / 'send.db'}",
        knowledge_dir=tmp_path / "knowledge",
        knowledge_refresh_seconds=0,
        retention_days=90,
    )
    write_partners(settings.partners_dir)
    return WebChatInput(
        settings=settings,
        partners=PartnerBook(settings.partners_dir, refresh_seconds=0),
        signer=TokenSigner(SECRET, max_age_seconds=90 * 86_400, clock=clock),
        per_conversation=RateLimiter(parse_rate(per_conversation), clock=clock),
        per_address=RateLimiter(parse_rate(per_address), clock=clock),
        widget_dir=widget_dir or tmp_path / "widget",
        clock=clock,
    )


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@dataclass
class Server:
    base: str  # http://127.0.0.1:<port>/webhooks/webchat
    origin: str  # the server's own origin, as its demo page would send it
    agent: FakeAgent
    channel: WebChatInput
    http: aiohttp.ClientSession
    app: Sanic

    async def call(
        self, method: str, path: str, json: Any = None, origin: str | None = None, **kwargs: Any
    ) -> tuple[int, dict[str, str], Any]:
        headers = dict(kwargs.pop("headers", {}))
        if origin:
            headers["Origin"] = origin
        async with self.http.request(method, self.base + path, json=json, headers=headers, **kwargs) as reply:
            body = await reply.read()
            if reply.content_type == "application/json":
                content: Any = json_lib.loads(body)
            else:
                content = body.decode("utf-8")
            return reply.status, dict(reply.headers), content

    async def post(self, path: str, body: Any, origin: str | None = None, **kwargs: Any):
        return await self.call("POST", path, json=body, origin=origin, **kwargs)

    async def session(self, partner: str = "default", origin: str | None = None) -> str:
        status, _, body = await self.post("/session", {"partner": partner}, origin=origin)
        assert status == 200, body
        return body["token"]

    async def raw(self, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> int:
        """Send a request's head and only `body` (however long its Content-Length says it is), and return
        the status of the answer. Fails if none comes within 5 s: the server is waiting to read the rest."""
        host, port = self.origin.removeprefix("http://").split(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            head = "".join(f"{name}: {value}\r\n" for name, value in {"Host": f"{host}:{port}", **headers}.items())
            writer.write(f"{method} {self.base.removeprefix(self.origin)}{path} HTTP/1.1\r\n{head}\r\n".encode())
            writer.write(body)
            await writer.drain()
            try:
                status_line = await asyncio.wait_for(reader.readline(), 5)
            except asyncio.TimeoutError:
                raise AssertionError(f"no answer to {method} {path}: the server waited for the body") from None
            return int(status_line.split()[1])
        finally:
            writer.close()


@asynccontextmanager
async def running(channel: WebChatInput, agent: FakeAgent | None = None) -> AsyncIterator[Server]:
    """Rasa's app with the web chat channel, serving on a free loopback port."""
    from rasa.core.run import configure_app

    Sanic.test_mode = True  # allows one app per test with Rasa's fixed app name
    agent = agent or FakeAgent()
    app = configure_app([channel], cors=None, enable_api=False, route="/webhooks/")
    app.ctx.agent = agent
    sock = free_socket()
    port = sock.getsockname()[1]
    server = await app.create_server(sock=sock, return_asyncio_server=True, access_log=False)
    await server.startup()
    await server.before_start()
    await server.start_serving()
    await server.after_start()
    try:
        async with aiohttp.ClientSession() as http:
            base = f"http://127.0.0.1:{port}"
            yield Server(f"{base}/webhooks/webchat", base, agent, channel, http, app)
    finally:
        await server.before_stop()
        closing = server.close()
        if closing is not None:
            await closing
        await server.after_stop()
        sock.close()
