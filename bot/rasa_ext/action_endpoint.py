"""The action endpoint Rasa calls custom actions through, with a budget per call and per turn.

Rasa 3.6 gives each custom action call five minutes and no way to change it, and a failed call is only
logged. `GuardedActionEndpoint` replaces the agent's endpoint (`guard_action_endpoint`): each call gets
`action_timeout_seconds()`, a failure is noted for the current turn (`noting_action_failures`), and the
turn's later calls fail at once. Once a turn has emergency help to send (`TurnOutput.emergency`), each
custom action left in it gets `AFTER_EMERGENCY_SECONDS` at most. The web chat reads the notes and tells
the parent (bot/web/resilience.py). Notes live in a context variable: one per request task.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

from bot.rasa_ext.version import rasa_is_supported
from bot.settings import seconds_setting

logger = logging.getLogger(__name__)

ACTION_TIMEOUT_ENV = "WEBCHAT_ACTION_TIMEOUT_SECONDS"
# Well inside nginx's 60 s read timeout, the widget's 60 s and Rasa's 60 s conversation lock.
DEFAULT_ACTION_TIMEOUT_SECONDS = 15.0
# The emergency help in domain.yml, and how long any custom action may take once a turn has it to send.
CRISIS_RESPONSE = "utter_crisis"
AFTER_EMERGENCY_SECONDS = 0.5


class ActionServerUnavailable(RuntimeError):
    """Raised instead of calling the action server again in a turn where a call already failed."""


class TurnOutput(CollectingOutputChannel):
    """Collects one turn's replies for the widget, and says whether the turn is an emergency: set by the
    channel when the words show immediate risk, and here when the domain's `utter_crisis` goes out."""

    def __init__(self, emergency: bool = False) -> None:
        super().__init__()
        self.emergency = emergency

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        if message.get("utter_action") == CRISIS_RESPONSE:  # Rasa marks each domain response with its name
            self.emergency = True
        await super().send_response(recipient_id, message)


@dataclass
class _Turn:
    output: TurnOutput | None
    failed: list[str] = field(default_factory=list)


_turn: ContextVar[_Turn | None] = ContextVar("webchat_turn", default=None)


def action_timeout_seconds(raw: str | None = None) -> float:
    """Seconds one custom action may take: `raw`, else WEBCHAT_ACTION_TIMEOUT_SECONDS, else 15; 1 to 50."""
    raw = os.environ.get(ACTION_TIMEOUT_ENV) if raw is None else raw
    # Above 50 the proxy, the widget or the conversation lock would give up first.
    return seconds_setting(ACTION_TIMEOUT_ENV, raw, DEFAULT_ACTION_TIMEOUT_SECONDS, 1, 50)


@contextlib.contextmanager
def noting_action_failures(output: TurnOutput | None = None) -> Iterator[list[str]]:
    """Collect the names of custom actions that failed while the block runs (in this task only); with the
    turn's `output`, its custom actions are hurried once it is an emergency."""
    turn = _Turn(output)
    token = _turn.set(turn)
    try:
        yield turn.failed
    finally:
        _turn.reset(token)


def _action_name(kwargs: dict[str, Any]) -> str:
    body = kwargs.get("json")
    name = body.get("next_action") if isinstance(body, dict) else None
    return name if isinstance(name, str) else "a custom action"


class GuardedActionEndpoint(EndpointConfig):
    """Rasa's action endpoint with a shorter timeout, and failures noted for the current turn."""

    def __init__(self, wrapped: EndpointConfig, timeout_seconds: float) -> None:
        super().__init__(
            url=wrapped.url,
            params=wrapped.params,
            headers=wrapped.headers,
            basic_auth=wrapped.basic_auth,
            token=wrapped.token,
            token_name=wrapped.token_name,
            cafile=wrapped.cafile,
            **wrapped.kwargs,
        )
        self.type = wrapped.type
        self.timeout_seconds = timeout_seconds

    async def request(self, *args: Any, **kwargs: Any) -> Any:
        turn = _turn.get()
        failed = turn.failed if turn is not None else None
        name = _action_name(kwargs)
        if failed:
            # The server just failed in this turn: answer the parent now rather than wait again.
            failed.append(name)
            raise ActionServerUnavailable(f"not calling {name}: the action server failed earlier in this turn")
        timeout = self.timeout_seconds
        if turn is not None and turn.output is not None and turn.output.emergency:
            timeout = min(timeout, AFTER_EMERGENCY_SECONDS)  # emergency help is waiting to go out
        # Rasa 3.6 asks for 300 s and has no setting for it.
        kwargs["timeout"] = aiohttp.ClientTimeout(total=timeout)
        try:
            return await super().request(*args, **kwargs)
        except ClientResponseError as exc:
            if exc.status != 400:  # 400 is a form validation rejecting a slot: part of normal work
                self._note(failed, name, f"it answered {exc.status}")
            raise
        except asyncio.TimeoutError:
            self._note(failed, name, f"no answer within {timeout:g} s")
            raise
        except (aiohttp.ClientError, OSError) as exc:
            self._note(failed, name, f"{type(exc).__name__}: {exc}")
            raise

    def _note(self, failed: list[str] | None, name: str, why: str) -> None:
        logger.error(
            "action server unavailable for %s at %s (%s); the parent is told and given the helpline",
            name,
            self.url,
            why,
        )
        if failed is not None:
            failed.append(name)


def guard_action_endpoint(agent: Any, timeout_seconds: float) -> None:
    """Make the agent call custom actions through `GuardedActionEndpoint` (idempotent, cheap per message).

    Checked on every message rather than once, because Rasa makes a new processor when a model loads.
    """
    if not rasa_is_supported("the action endpoint's time limits"):
        return
    for holder in (agent, getattr(agent, "processor", None)):
        endpoint = getattr(holder, "action_endpoint", None)
        if isinstance(endpoint, EndpointConfig) and not isinstance(endpoint, GuardedActionEndpoint):
            holder.action_endpoint = GuardedActionEndpoint(endpoint, timeout_seconds)
