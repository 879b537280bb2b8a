"""The web chat channel: `bot.web.channel.WebChatInput`, registered in credentials.yml.

Rasa mounts it at /webhooks/webchat/. The widget (widget/) talks to these routes:

    GET  /widget.js, /demo        the widget script and a demo page that embeds it
    GET  /partner/<id>            a partner's public settings (colours, helpline, privacy notice)
    POST /session                 a new signed conversation token
    POST /message                 one message in, the assistant's replies out
    POST /feedback                "was this helpful?" for an answer, stored anonymously
    POST /clear                   delete the conversation; returns a new token
    GET  /summary[?format=docx]   a summary of the conversation to keep (plain text, or Word)
    GET  /download/letter/<id>.docx|.txt   a letter filled from this conversation (Word or plain text)
    GET  /download/deadlines.ics  the deadlines worked out in this conversation, as a calendar file
    GET  /documents/kinds, POST /documents/check   the plan and letter checker (bot/documents/web.py)

The server chooses every conversation id (inside a signed token), so a browser can neither pick nor
guess someone else's conversation. Requests are checked in this order: the website (origin), the rate
limit for the client address, the body (read only then, and never more than MAX_BODY_BYTES of it), the
token, the rate limit for the conversation, then the message. Whole-server limits and headers are in
`hardening.py`.

When the action server or the conversation database fails during a turn, the reply still comes, ending
with an apology and the partner's helpline; emergency help never waits for the action server
(`resilience.py`, docs/architecture.md#resilience).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import datetime as dt
import hashlib
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable, Iterable
from functools import wraps
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.exceptions import PayloadTooLarge
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import origins
from bot.content.partners import DEFAULT_PARTNER, Partner, PartnerBook, public_config
from bot.content.validation import ID_PATTERN
from bot.dialogue import answers
from bot.documents import web as documents_web
from bot.law.parent_dates import england_today
from bot.rasa_ext import speedups
from bot.rasa_ext.action_endpoint import (
    CRISIS_RESPONSE,
    TurnOutput,
    action_timeout_seconds,
    guard_action_endpoint,
    noting_action_failures,
)
from bot.rasa_ext.lock_store import LocksUnavailable
from bot.rasa_ext.tracker_store import noting_store_problems
from bot.settings import PROJECT_ROOT, Settings, load_settings
from bot.storage.redact import names_in
from bot.storage.retention import UnsupportedTrackerStore, delete_conversation, purge_inactive
from bot.understanding.safety import shows_immediate_risk
from bot.web import CHANNEL_NAME, downloads, feedback, guard, hardening
from bot.web.limits import WAIT_MESSAGE, Limiter, make_limiter, parse_rate
from bot.web.resilience import apology
from bot.web.tokens import Conversation, SqlRevocations, TokenSigner, load_secret

logger = logging.getLogger(__name__)

Handler = Callable[..., Awaitable[HTTPResponse]]

MAX_BODY_BYTES = 16_384
PURGE_EVERY_SECONDS = 3600
TOKEN_HEADER = "X-Conversation-Token"

INLINE_STYLE = re.compile(rb"<style[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)

ORIGIN_REFUSED = "Sorry, this chat can't be used from this website."
BAD_REQUEST = "Sorry, I couldn't read that request. Please reload the page and try again."
BAD_TOKEN = "This chat has expired or isn't valid any more. Please start a new chat."
UNKNOWN_PARTNER = "Sorry, this chat isn't set up for this website yet."
NOT_READY = "The assistant is just starting up. Please try again in a minute."
SORRY = (
    "Sorry, something went wrong on my side. Please try again in a moment. If it keeps happening, "
    "the services listed under 'Who can help' can talk things through with you."
)
# Only if the domain can't be read: the first line of `utter_crisis`.
EMERGENCY_FALLBACK = "If anyone is in immediate danger, call 999 now."
NOT_DELETED = "Sorry, I couldn't delete this conversation just now. Please try again in a moment."
FEEDBACK_NOT_HERE = "Thanks, but I can only take feedback on answers given in this chat."
FEEDBACK_TOO_LONG = f"Thanks! Please keep the reason under {feedback.MAX_REASON_CHARS} characters."
UNKNOWN_LETTER = "Sorry, I can't find that letter. Please ask for it again in the chat."
NO_DEADLINES = "There are no dates to add yet. Ask me to work out your deadlines in the chat first."


class Refused(Exception):
    """A request the chat turns down, with the kind words the widget shows."""

    def __init__(self, status: int, kind: str, text: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(kind)
        self.status, self.kind, self.text, self.headers = status, kind, text, headers or {}


def html_security_headers(html: bytes) -> dict[str, str]:
    """Headers for an HTML page we serve: it may load scripts, styles, images and data from this server
    only. The page's own inline <style> blocks are allowed by their hashes, so nothing injected is."""
    hashes = "".join(
        f" 'sha256-{base64.b64encode(hashlib.sha256(block).digest()).decode()}'" for block in INLINE_STYLE.findall(html)
    )
    policy = (
        f"default-src 'self'; style-src 'self'{hashes}; base-uri 'none'; object-src 'none'; "
        "frame-ancestors 'none'; form-action 'self'"
    )
    return {"Content-Security-Policy": policy}


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> HTTPResponse:
    return response.json(
        body,
        status=status,
        headers={"Cache-Control": "no-store", **(headers or {})},
        content_type="application/json; charset=utf-8",
        dumps=lambda data: json.dumps(data, ensure_ascii=False, separators=(",", ":")),
    )


def refusal_response(refused: Refused) -> HTTPResponse:
    body = {"messages": [{"text": refused.text, "buttons": []}], "error": refused.kind}
    return json_response(body, refused.status, refused.headers)


def refusals(handler: Callable[..., Awaitable[HTTPResponse]]) -> Callable[..., Awaitable[HTTPResponse]]:
    """Turn a `Refused` raised anywhere in a handler into its JSON reply."""

    @wraps(handler)
    async def wrapped(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
        try:
            return await handler(request, *args, **kwargs)
        except Refused as refused:
            return refusal_response(refused)

    return wrapped


def client_address(request: Request) -> str:
    """The client's address; behind a proxy, set SANIC_PROXIES_COUNT (or SANIC_REAL_IP_HEADER)."""
    return request.remote_addr or request.ip or "unknown"


def tracker_events(tracker: Any) -> list[dict[str, Any]]:
    return [event.as_dict() for event in tracker.events] if tracker is not None else []


def bot_messages(collected: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rasa's collected output as the widget's {text, buttons}: text only, buttons as title and payload."""
    messages = []
    for message in collected:
        text = message.get("text")
        if not isinstance(text, str) or not text:
            continue
        buttons = [
            {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
            for b in message.get("buttons") or []
            if isinstance(b, dict) and b.get("payload")
        ]
        messages.append({"text": text, "buttons": buttons})
    return messages


def download(file: downloads.File) -> HTTPResponse:
    return response.raw(
        file.content,
        content_type=file.content_type,
        headers={"Content-Disposition": f'attachment; filename="{file.filename}"', "Cache-Control": "no-store"},
    )


def article_answered(collected: list[dict[str, Any]]) -> str | None:
    """The article this turn answered from (the answer actions' mark), or None when none answered."""
    marked = [answers.marked_article(message.get("custom")) for message in collected]
    return next((article_id for article_id in reversed(marked) if article_id), None)


def with_crisis_help(agent: Any, text: str | None, reply: str) -> str:
    """`reply` for a turn that could not run, after emergency help when the words show immediate risk.

    A crisis answer normally comes from Rasa (the domain's `utter_crisis`); when the turn fails before
    Rasa answers, the channel sends that same text itself, so safety never depends on the rest working.
    """
    if not text or not shows_immediate_risk(text):
        return reply
    responses = (getattr(getattr(agent, "domain", None), "responses", None) or {}).get(CRISIS_RESPONSE) or []
    crisis = next((r["text"] for r in responses if isinstance(r, dict) and isinstance(r.get("text"), str)), None)
    return f"{crisis or EMERGENCY_FALLBACK}\n\n{reply}"


def article_ids_given(events: list[dict[str, Any]]) -> set[str]:
    """Articles the assistant answered from in this conversation (the `article_id` slot's values)."""
    return {
        e["value"]
        for e in events
        if e.get("event") == "slot" and e.get("name") == "article_id" and isinstance(e.get("value"), str)
    }


def answer_time(events: list[dict[str, Any]], article_id: str) -> float | None:
    """When the latest answer from this article was sent (its answer mark): the staff console finds the
    parent's question with it, while the conversation is kept (bot/web/feedback.py)."""
    marks = [
        e.get("timestamp")
        for e in events
        if e.get("event") == "bot" and answers.marked_article((e.get("data") or {}).get("custom")) == article_id
    ]
    return marks[-1] if marks else None


class WebChatInput(InputChannel):
    """Rasa input channel for the embeddable web chat widget."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WebChatInput:
        # Everything is configured through settings (.env), so credentials.yml needs no values here.
        return cls()

    def __init__(
        self,
        settings: Settings | None = None,
        partners: PartnerBook | None = None,
        signer: TokenSigner | None = None,
        per_conversation: Limiter | None = None,
        per_address: Limiter | None = None,
        feedback_engine: Any = None,
        widget_dir: Path | None = None,
        clock: Callable[[], float] = time.time,
        action_timeout: float | None = None,
    ) -> None:
        self.settings = settings or load_settings()
        # Read after load_settings, so a value in .env counts too.
        self.action_timeout = action_timeout or action_timeout_seconds()
        retention_seconds = self.settings.retention_days * 86_400
        self.partners = partners or PartnerBook(self.settings.partners_dir)
        self.signer = signer or TokenSigner(
            load_secret(self.settings.webchat_secret),
            retention_seconds,
            revocations=SqlRevocations(self.feedback_engine, self.settings),
        )
        self.per_conversation = per_conversation or make_limiter(
            parse_rate(self.settings.webchat_rate_per_conversation, "WEBCHAT_RATE_PER_CONVERSATION"),
            self.settings.redis_url,
            "conversation",
            self.settings,
        )
        self.per_address = per_address or make_limiter(
            parse_rate(self.settings.webchat_rate_per_address, "WEBCHAT_RATE_PER_ADDRESS"),
            self.settings.redis_url,
            "address",
            self.settings,
        )
        self._feedback_engine = feedback_engine
        self.widget_dir = widget_dir or PROJECT_ROOT / "widget"
        self.clock = clock
        self._purge_task: asyncio.Task | None = None
        self.partners.all()
        for problem in self.partners.problems:
            logger.error("partners: %s", problem)

    # -- checks shared by the routes ------------------------------------------------------------

    def now(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.clock(), dt.timezone.utc)

    def feedback_engine(self) -> Any:
        if self._feedback_engine is None:
            self._feedback_engine = feedback.feedback_engine(
                self.settings.database_url, self.settings.db_pool_size, self.settings.db_max_overflow
            )
        return self._feedback_engine

    def _known_origins(self) -> set[str]:
        return {origin for partner in self.partners.all().values() for origin in partner.allowed_origins}

    @staticmethod
    def site_allowed(request: Request, allowed_origins: Iterable[str]) -> bool:
        """Whether the request's website is one of these, or the demo page on this machine (known from the
        socket the request came in on, never from its Host header)."""
        origin = request.headers.get("origin")
        sockname = request.conn_info.sockname if request.conn_info else None
        return origins.is_allowed(origin, allowed_origins) or origins.from_this_machine(origin, sockname)

    def check_site(self, request: Request) -> None:
        """Refuse a browser on a website no partner allows; otherwise let it read our replies (CORS)."""
        if not self.site_allowed(request, self._known_origins()):
            raise Refused(403, "origin_not_allowed", ORIGIN_REFUSED)
        if request.headers.get("origin"):
            request.ctx.cors_origin = request.headers["origin"]

    def check_partner_site(self, request: Request, partner: Partner) -> None:
        if not self.site_allowed(request, partner.allowed_origins):
            raise Refused(403, "origin_not_allowed", ORIGIN_REFUSED)

    @staticmethod
    def _limit(limiter: Limiter, key: str) -> None:
        allowed, wait = limiter.check(key)
        if not allowed:
            raise Refused(429, "rate_limited", WAIT_MESSAGE, {"Retry-After": str(wait)})

    def check_visitor(self, request: Request) -> None:
        """What every route but the static files checks first: the website, then the address's rate."""
        self.check_site(request)
        self._limit(self.per_address, client_address(request))

    @staticmethod
    async def body(request: Request) -> dict[str, Any]:
        """The JSON object a POST sent, read only now (its route streams: Sanic hasn't read it) and never
        more than MAX_BODY_BYTES: a longer declared length is refused unread, a chunked body at the limit."""
        declared = request.headers.get("content-length", "0")
        if not declared.isdigit() or int(declared) > MAX_BODY_BYTES:
            raise Refused(413, "too_large", guard.TOO_LONG)
        if request.stream is not None:
            request.stream.request_max_size = MAX_BODY_BYTES
        try:
            await request.receive_body()
            # RecursionError: JSON nested hundreds of levels deep (issue 14, point 6).
            data = json.loads(request.body or b"{}")
        except PayloadTooLarge:
            raise Refused(413, "too_large", guard.TOO_LONG) from None
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise Refused(400, "bad_request", BAD_REQUEST) from None
        if not isinstance(data, dict):
            raise Refused(400, "bad_request", BAD_REQUEST)
        return data

    async def caller(self, request: Request, read_body: bool = False) -> tuple[Conversation, Partner, dict[str, Any]]:
        """What every conversation route checks first, in this order: the website, the address's rate,
        the JSON body (for a POST), then the token. Returns the conversation, its partner and the body."""
        self.check_visitor(request)
        body = await self.body(request) if read_body else {}
        conversation, partner = self.conversation(request, body)
        return conversation, partner, body

    def conversation(self, request: Request, body: dict[str, Any]) -> tuple[Conversation, Partner]:
        """The conversation a token names (body, header or, for GET, the query string), rate-limited."""
        token = body.get("token") or request.headers.get(TOKEN_HEADER)
        if not token and request.method == "GET":
            token = request.args.get("token")
        conversation = self.signer.verify(token)
        partner = self.partners.get(conversation.partner) if conversation else None
        if conversation is None or partner is None:
            raise Refused(401, "bad_token", BAD_TOKEN)
        self.check_partner_site(request, partner)
        self._limit(self.per_conversation, conversation.id)
        return conversation, partner

    @staticmethod
    def agent(request: Request) -> Any:
        agent = getattr(request.app.ctx, "agent", None)
        if agent is None or not agent.is_ready():
            raise Refused(503, "not_ready", NOT_READY)
        return agent

    async def conversation_record(self, request: Request) -> tuple[downloads.ConversationRecord, Partner]:
        """The token's conversation as the downloads read it, and its partner."""
        conversation, partner, _ = await self.caller(request)
        tracker = await self.agent(request).tracker_store.retrieve_full_tracker(conversation.id)
        return downloads.read_conversation(tracker, partner, self.now()), partner

    def preflight(self, request: Request) -> HTTPResponse:
        """Answer a browser's CORS preflight: allowed websites only."""
        origin = request.headers.get("origin")
        if origin and self.site_allowed(request, self._known_origins()):
            return response.empty(status=204, headers=origins.preflight_headers(origin))
        return refusal_response(Refused(403, "origin_not_allowed", ORIGIN_REFUSED))

    def _file(self, name: str, content_type: str, headers: dict[str, str]) -> HTTPResponse:
        path = self.widget_dir / name
        try:
            content = path.read_bytes()
        except OSError:
            return response.text(f"{name} is missing from {self.widget_dir}", status=404)
        if content_type.startswith("text/html"):
            headers = {**headers, **html_security_headers(content)}
        return response.raw(content, content_type=content_type, headers=headers)

    # -- retention -------------------------------------------------------------------------------

    async def purge_forever(self, app: Any) -> None:
        """Delete conversations silent for longer than RETENTION_DAYS, at start-up and then hourly."""
        while True:
            agent = getattr(app.ctx, "agent", None)
            if agent is not None and agent.tracker_store is not None:
                cutoff = self.clock() - self.settings.retention_days * 86_400
                try:
                    self.signer.forget_expired_revocations()
                    purge_inactive(agent.tracker_store, cutoff)
                except UnsupportedTrackerStore as exc:
                    logger.warning("conversations are not deleted after the retention period: %s", exc)
                    return
                except Exception:
                    logger.exception("deleting old conversations failed; trying again later")
            await asyncio.sleep(PURGE_EVERY_SECONDS)

    # -- the routes ------------------------------------------------------------------------------

    def route(self, chat: Blueprint, uri: str, *methods: str, stream: bool = False) -> Callable[[Handler], Handler]:
        """Register one of the widget's routes: a refusal becomes its JSON answer, and OPTIONS is listed so a
        browser's preflight is routed. Rasa's CORS extension answers every OPTIONS request before a handler
        runs; `finish` then gives the answer for allowed websites only (`preflight`)."""

        def register(handler: Handler) -> Handler:
            return chat.route(uri, methods=[*methods, "OPTIONS"], stream=stream)(refusals(handler))

        return register

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        chat = Blueprint("webchat", __name__)

        @chat.listener("before_server_start")
        async def harden(app: Any, _loop: Any) -> None:
            hardening.install(app, MAX_BODY_BYTES)
            speedups.install()  # work Rasa repeats on every turn, done once (bot/rasa_ext/speedups.py)

        @chat.listener("after_server_start")
        async def start_purging(app: Any, _loop: Any) -> None:
            self._purge_task = asyncio.ensure_future(self.purge_forever(app))

        @chat.listener("before_server_stop")
        async def stop_purging(_app: Any, _loop: Any) -> None:
            if self._purge_task is not None:
                self._purge_task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await self._purge_task

        @chat.middleware("response")
        async def finish(request: Request, reply: HTTPResponse) -> HTTPResponse | None:
            if request.method == "OPTIONS":
                # Rasa's CORS extension answers every OPTIONS request itself; the decision is ours.
                return self.preflight(request)
            for header in [h for h in reply.headers if h.lower().startswith("access-control-")]:
                del reply.headers[header]
            origin = getattr(request.ctx, "cors_origin", None)
            if origin:
                reply.headers.update(origins.cors_headers(origin))
            return None

        @chat.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return json_response({"status": "ok"})

        @chat.route("/widget.js", methods=["GET"])
        async def widget_script(request: Request) -> HTTPResponse:
            headers = {"Cache-Control": "no-cache", "Cross-Origin-Resource-Policy": "cross-origin"}
            return self._file("widget.js", "text/javascript; charset=utf-8", headers)

        @chat.route("/demo", methods=["GET"])
        async def demo_page(request: Request) -> HTTPResponse:
            return self._file("demo.html", "text/html; charset=utf-8", {"Cache-Control": "no-cache"})

        @self.route(chat, "/partner/<partner_id>", "GET")
        async def partner_settings(request: Request, partner_id: str) -> HTTPResponse:
            self.check_visitor(request)
            partner = self.partners.get(partner_id) if ID_PATTERN.match(partner_id) else None
            if partner is None:
                raise Refused(404, "unknown_partner", UNKNOWN_PARTNER)
            self.check_partner_site(request, partner)
            return json_response(public_config(partner, self.now(), self.settings.retention_days))

        # The POST routes stream (stream=True): Sanic leaves the body unread, so `body` reads it after the
        # website and rate checks, and no more of it than MAX_BODY_BYTES (issue 14, point 7).
        @self.route(chat, "/session", "POST", stream=True)
        async def session(request: Request) -> HTTPResponse:
            self.check_visitor(request)
            partner_id = (await self.body(request)).get("partner") or DEFAULT_PARTNER
            partner = self.partners.get(partner_id)
            if partner is None:
                raise Refused(400, "unknown_partner", UNKNOWN_PARTNER)
            self.check_partner_site(request, partner)
            token, _ = self.signer.issue(partner.id)
            return json_response({"token": token, "partner": partner.id})

        @self.route(chat, "/message", "POST", stream=True)
        async def message(request: Request) -> HTTPResponse:
            conversation, partner, body = await self.caller(request, read_body=True)
            agent = self.agent(request)
            guard_action_endpoint(agent, self.action_timeout)
            collector = TurnOutput()
            # Failures of the action server or the conversation store during this turn are noted, so the
            # parent can be told, and emergency help is not held up (bot/web/resilience.py).
            with noting_store_problems() as store_problems, noting_action_failures(collector) as failed_actions:
                raw = body["payload"] if body.get("payload") is not None else body.get("text")
                offered: set[str] = set()
                if guard.may_be_payload(raw):
                    # Only a "/..." message needs the buttons offered last, so only it costs a load of the
                    # conversation here (Rasa loads it again to answer).
                    tracker = await agent.tracker_store.retrieve(conversation.id)
                    if store_problems:
                        # A button, but the conversation that offered it can't be read: nothing is answered,
                        # and the widget keeps the buttons for another try.
                        notice = apology(partner, self.now(), actions_failed=False, store_failed=True)
                        raise Refused(503, "store_unavailable", notice["text"] if notice else SORRY)
                    offered = guard.offered_payloads(tracker_events(tracker))
                checked = guard.check_message(raw, offered)
                if checked.problem:
                    raise Refused(400, "bad_message", checked.problem)
                collector.emergency = shows_immediate_risk(checked.text)
                try:
                    await on_new_message(
                        UserMessage(
                            checked.text,
                            collector,
                            sender_id=conversation.id,
                            input_channel=self.name(),
                            metadata={"partner": partner.id},
                        )
                    )
                except LocksUnavailable:
                    if not collector.messages:
                        # Nothing ran (Rasa could not take the conversation's lock), so nothing was stored and
                        # the parent can simply send it again.
                        notice = apology(partner, self.now(), actions_failed=True, store_failed=False)
                        text = notice["text"] if notice else SORRY
                        raise Refused(503, "unavailable", with_crisis_help(agent, checked.text, text)) from None
                    # The turn ran and was saved; only giving its lock back failed, and the lock expires by itself.
                except Exception:
                    logger.exception("webchat: the assistant failed to answer a message")
                    raise Refused(500, "server_error", with_crisis_help(agent, checked.text, SORRY)) from None
            messages = bot_messages(collector.messages)
            if not messages and not failed_actions:
                logger.error("webchat: a turn produced no reply; the parent is given the apology and helpline")
            actions_failed = bool(failed_actions) or not messages
            # After the replies Rasa did send: a crisis reply (a domain response) stays first.
            notice = apology(partner, self.now(), actions_failed, bool(store_problems))
            degraded = [name for name, failed in (("actions", actions_failed), ("storage", store_problems)) if failed]
            # No "was this helpful?" under an apology, or under an answer from a conversation not read.
            article_id = None if degraded else article_answered(collector.messages)
            reply: dict[str, Any] = {"messages": messages + ([notice] if notice else []), "article_id": article_id}
            if degraded:
                reply["degraded"] = degraded
            if not collector.emergency and names_in(checked.text):
                # The widget says, once, that names aren't needed; they are redacted before storage.
                reply["name_removed"] = True
            return json_response(reply)

        @self.route(chat, "/feedback", "POST", stream=True)
        async def rate_answer(request: Request) -> HTTPResponse:
            conversation, partner, body = await self.caller(request, read_body=True)
            article_id, helpful, reason = body.get("article_id"), body.get("helpful"), body.get("reason")
            if not isinstance(article_id, str) or not ID_PATTERN.match(article_id) or not isinstance(helpful, bool):
                raise Refused(400, "bad_request", BAD_REQUEST)
            if reason is not None and not isinstance(reason, str):
                raise Refused(400, "bad_request", BAD_REQUEST)
            # The one reason picked for "not helpful" (optional, so older widgets keep working).
            reason_code = body.get("reason_code")
            if reason_code is not None and (helpful or reason_code not in feedback.REASON_CODES):
                raise Refused(400, "bad_request", BAD_REQUEST)
            reason = guard.clean(reason) if reason else None
            if reason and len(reason) > feedback.MAX_REASON_CHARS:
                raise Refused(400, "too_long", FEEDBACK_TOO_LONG)
            agent = self.agent(request)
            tracker = await agent.tracker_store.retrieve_full_tracker(conversation.id)
            events = tracker_events(tracker)
            if article_id not in article_ids_given(events):
                raise Refused(400, "unknown_article", FEEDBACK_NOT_HERE)
            try:
                await asyncio.to_thread(
                    feedback.store_feedback,
                    self.feedback_engine(),
                    article_id,
                    helpful,
                    reason,
                    partner.id,
                    reason_code=reason_code,
                    answered_at=None if helpful else answer_time(events, article_id),
                )
            except Exception:
                logger.exception("webchat: feedback could not be stored")
                raise Refused(500, "server_error", SORRY) from None
            return json_response({"ok": True})

        @self.route(chat, "/clear", "POST", stream=True)
        async def clear(request: Request) -> HTTPResponse:
            conversation, partner, _ = await self.caller(request, read_body=True)
            agent = self.agent(request)
            try:
                async with agent.lock_store.lock(conversation.id):
                    delete_conversation(agent.tracker_store, conversation.id)
                    # Under the lock, so no turn can write to the deleted conversation before its tokens
                    # stop working; after the deletion, so a failure leaves the token to try again with.
                    self.signer.revoke(conversation)
            except Exception:
                logger.exception("webchat: a conversation could not be deleted")
                raise Refused(500, "not_deleted", NOT_DELETED) from None
            token, _ = self.signer.issue(partner.id)
            return json_response({"ok": True, "token": token})

        @self.route(chat, "/summary", "GET")
        async def conversation_summary(request: Request) -> HTTPResponse:
            record, partner = await self.conversation_record(request)
            file = await asyncio.to_thread(
                downloads.summary_file, record, partner, self.now(), self.settings, request.args.get("format")
            )
            return download(file)

        @self.route(chat, "/download/letter/<filename>", "GET")
        async def letter_download(request: Request, filename: str) -> HTTPResponse:
            record, _ = await self.conversation_record(request)
            file = await asyncio.to_thread(downloads.letter_file, record, self.settings, filename)
            if file is None:
                raise Refused(404, "unknown_letter", UNKNOWN_LETTER)
            return download(file)

        @self.route(chat, "/download/deadlines.ics", "GET")
        async def deadlines_download(request: Request) -> HTTPResponse:
            record, _ = await self.conversation_record(request)
            file = downloads.calendar_file(record)
            if file is None:
                raise Refused(404, "no_deadlines", NO_DEADLINES)
            return download(file)

        # The checker reads its document itself (bot/documents/web.py), after these checks; nothing of it
        # reaches the conversation.
        @self.route(chat, "/documents/<action>", "GET", "POST", stream=True)
        async def check_document(request: Request, action: str) -> HTTPResponse:
            await self.caller(request)
            settings = self.settings
            return await documents_web.respond(
                request, action, settings.knowledge_dir, settings.knowledge_refresh_seconds, england_today(self.now())
            )

        return chat
