"""A plain-text summary a parent can save: the assistant's answers so far, never the parent's words."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from bot.answers import DISCLAIMER

FILENAME = "send-assistant-summary.txt"
LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
BOLD = re.compile(r"\*\*(.+?)\*\*")


def plain_text(markdown: str) -> str:
    """The widget's small Markdown subset as plain text: links show their address, quotes are indented."""
    text = LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", markdown)
    text = BOLD.sub(r"\1", text)
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        lines.append("    " + stripped[1:].strip() if stripped.startswith(">") else line.rstrip())
    return "\n".join(lines).strip()


def _is_menu_prompt(text: str, buttons: object) -> bool:
    """ "What would you like to know next?" and the like: they only introduce buttons."""
    return bool(buttons) and "\n" not in text.strip() and text.strip().endswith(("?", ":"))


def bot_messages(events: Iterable[Mapping[str, Any]], skip_headings: Iterable[str] = ()) -> list[str]:
    """The assistant's messages, in order, without repeats or button menus. User events are never read.

    Messages starting with one of `skip_headings` are left out (the summary adds a fresh copy).
    """
    skipped = {heading.strip() for heading in skip_headings if heading.strip()}
    seen: set[str] = set()
    messages: list[str] = []
    for event in events:
        if event.get("event") != "bot":
            continue
        text = str(event.get("text") or "").strip()
        buttons = (event.get("data") or {}).get("buttons")
        if not text or text in seen or text == DISCLAIMER or _is_menu_prompt(text, buttons):
            continue
        if text.splitlines()[0].strip() in skipped:
            continue
        seen.add(text)
        messages.append(plain_text(text))
    return messages


def build_summary(
    events: Iterable[Mapping[str, Any]],
    title: str,
    today: dt.date,
    contact: str | None = None,
) -> str:
    """The text file: title and date, the answers, who to contact, then the "not legal advice" line.

    `contact` is Markdown blocks separated by blank lines; answers that were an earlier copy of one of
    them (such as the helpline, with an "open now" that is out of date by the time it is read) are left out.
    """
    parts = [
        f"{title}: summary of your conversation",
        f"Saved on {today.day} {today:%B %Y}",
        "This is what the assistant told you. Your own messages are not included.",
        "",
    ]
    headings = [block.strip().splitlines()[0] for block in (contact or "").split("\n\n") if block.strip()]
    answers = bot_messages(events, headings)
    parts.extend(f"{message}\n" for message in answers)
    if not answers:
        parts.append("The assistant has not given any answers yet.\n")
    if contact:
        parts.append(plain_text(contact) + "\n")
    parts.append(DISCLAIMER)
    return "\n".join(parts).rstrip() + "\n"
