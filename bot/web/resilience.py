"""What the web chat does when part of the service fails during a turn (docs/architecture.md#resilience).

Rasa 3.6 copes with failures quietly: a custom action that can't be reached (or hangs for up to five
minutes, its fixed timeout) is logged and skipped, and a conversation store that fails is replaced by
memory for that turn. The parent would see nothing, or an answer that has forgotten the conversation,
and no reason. So, for each message, the channel:

- sends custom actions through `GuardedActionEndpoint`, which gives each call `action_timeout_seconds()`
  instead of five minutes, notes a failed call for this turn only, and makes the turn's later action
  calls fail at once (one wait per turn, not one per action);
- reads the notes afterwards, with the conversation store's own (`bot.rasa_ext.tracker_store.noting_store_problems`),
  and adds one kind message with the partner's helpline after whatever Rasa did send, so a crisis reply
  (a domain response, sent without the action server) still comes first;
- collects the replies in a `TurnOutput`, which knows when the turn is an emergency: the words show
  immediate risk, or the domain's `utter_crisis` is among the replies. From then on each custom action
  left in the turn (the crisis follow-up, or a form's check before the crisis rule) gets
  `AFTER_EMERGENCY_SECONDS` at most, so a stuck action server holds emergency help back by half a second,
  not by the full action timeout (once 15.8 s).

Notes live in context variables: each request is its own asyncio task, so turns of different
conversations never see each other's notes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.content.partners import Partner, contact_text, national_services_text

ACTIONS_DOWN = (
    "Sorry, I can't answer that properly right now because part of the assistant isn't working. "
    "Please try again in a few minutes."
)
STORE_DOWN = (
    "Sorry, I can't save our conversation at the moment, so I may not remember what you've told me so "
    "far. Please try again in a few minutes."
)
TALK_NOW = "If you'd like to talk to someone now:"


def help_now(partner: Partner, now: dt.datetime) -> str | None:
    """The partner's helpline (open or closed), or the services it points to if it has no helpline."""
    return contact_text(partner, now) or national_services_text(partner)


def apology(partner: Partner, now: dt.datetime, actions_failed: bool, store_failed: bool) -> dict[str, Any] | None:
    """One message for a turn that went wrong (None when nothing did), in the widget's {text, buttons}."""
    lines = [text for text, failed in ((ACTIONS_DOWN, actions_failed), (STORE_DOWN, store_failed)) if failed]
    if not lines:
        return None
    contact = help_now(partner, now)
    if contact:
        lines += [TALK_NOW, contact]
    return {"text": "\n\n".join(lines), "buttons": []}
