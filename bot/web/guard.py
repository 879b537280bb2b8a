"""What a chat message may be, as pure functions: length, emptiness and button payloads.

Rasa treats a message starting with "/" as an intent to trigger directly, skipping the language
model and the safety net. So a "/..." message is passed on as a payload only when it is exactly one
of the buttons the assistant offered in its latest turn, or the emergency help the widget's toolbar
always offers (ALWAYS_OFFERED); anything else has its leading slashes removed and is read as ordinary words. HTML or script in a message is just text: it is never
interpreted here, and the widget shows answers as text.

Every other message is read through `bot.text.normalise_text` (Unicode NFKC, invisible and control
characters removed, white space collapsed), so the language model and the safety patterns see the same
plain words, and the length limit counts what they see.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.text import normalise_text

# "Someone in danger?" is on the widget's toolbar whatever the last reply was (docs/safety-and-privacy.md, "Session
# 14"), so its payload is always a button; typed, it shows the same emergency help, which is never harmful.
ALWAYS_OFFERED = frozenset({"/crisis"})
MAX_MESSAGE_CHARS = 1000
TOO_LONG = (
    f"That message is a bit long for me. Please keep it under {MAX_MESSAGE_CHARS} characters: "
    "a sentence or two about what's happening is plenty."
)
EMPTY = "I didn't catch anything there. Tell me in your own words what's happening."
NOT_TEXT = "Sorry, I couldn't read that message. Please type it again."

LEADING_SLASHES = re.compile(r"^[\s/]+")


@dataclass(frozen=True)
class Checked:
    """The text to give Rasa, or the friendly reason it was refused."""

    text: str | None = None
    problem: str | None = None
    is_payload: bool = False


def clean(text: str) -> str:
    """Remove control characters (keeping new lines and tabs) and surrounding white space."""
    kept = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs"))
    return kept.strip()


def offered_payloads(events: Iterable[Mapping[str, Any]]) -> set[str]:
    """Button payloads the assistant sent after the parent's latest message (its most recent turn)."""
    latest_turn: list[Mapping[str, Any]] = []
    for event in events:
        if event.get("event") == "user":
            latest_turn = []
        elif event.get("event") == "bot":
            latest_turn.append(event)
    payloads: set[str] = set()
    for event in latest_turn:
        for button in (event.get("data") or {}).get("buttons") or []:
            payload = button.get("payload") if isinstance(button, Mapping) else None
            if isinstance(payload, str) and payload:
                payloads.add(payload)
    return payloads


def may_be_payload(raw: object) -> bool:
    """Whether a message could be one of the offered buttons, so the offered payloads are needed: not for the
    emergency help (ALWAYS_OFFERED), which must not wait on, or be refused for, the stored conversation."""
    if not isinstance(raw, str):
        return False
    exact = clean(raw)
    return exact.startswith("/") and exact not in ALWAYS_OFFERED


def check_message(raw: object, offered: Collection[str] = ()) -> Checked:
    """Decide what reaches Rasa for one message typed or clicked in the widget."""
    if not isinstance(raw, str):
        return Checked(problem=NOT_TEXT)
    exact = clean(raw)
    if exact.startswith("/") and (exact in offered or exact in ALWAYS_OFFERED):  # a button: our own words, exactly
        return Checked(text=exact, is_payload=True)
    text = LEADING_SLASHES.sub("", normalise_text(raw))
    if not text:
        return Checked(problem=EMPTY)
    if len(text) > MAX_MESSAGE_CHARS:
        return Checked(problem=TOO_LONG)
    return Checked(text=text)
