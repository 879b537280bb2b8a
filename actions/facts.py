"""Facts from the whole conversation, for the actions: read from the slots the NLU pipeline and the
forms fill, kept consistent, shown back with a "Change these" button, and used by the first answer.

Thin on purpose: the reading and the wording are in bot/understanding/facts.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from bot.content.articles import Article
from bot.dialogue.answers import DISCLAIMER, Reply
from bot.dialogue.forms import ARTICLE_DEADLINE_KIND
from bot.understanding import facts

CHANGE_BUTTON = {"title": "Change these", "payload": "/correct_facts"}
# The articles whose first answer says whether the council is within time, from the request date.
REQUEST_ARTICLES = frozenset(a for a, kind in ARTICLE_DEADLINE_KIND.items() if kind == "ehc_request")


def conversation_facts(tracker: Tracker) -> facts.Facts:
    """What the parent has told us, as the slots hold it: the NLU pipeline fills them from every message
    (bot/rasa_ext/fact_extractor.py), the forms from their answers."""
    return facts.from_slots(tracker.current_slot_values())


def slot_events(tracker: Tracker, found: facts.Facts) -> list[dict[str, Any]]:
    """The fact slots whose value changes, so later turns, forms, letters and downloads read slots.

    A question the parent skipped stays skipped: nothing said since changes it.
    """
    events = []
    for name, value in found.slots().items():
        current = tracker.get_slot(name)
        if current != value and not (value is None and current in (None, facts.SKIPPED)):
            events.append(SlotSet(name, value))
    return events


def forget_events(tracker: Tracker) -> list[dict[str, Any]]:
    """Empty every fact slot that holds something ("Change these")."""
    return [SlotSet(name, None) for name in (*facts.SLOTS, facts.DAYS_ADDED) if tracker.get_slot(name) is not None]


def tailoring_facts(found: facts.Facts, article: Article) -> dict[str, str | None]:
    return facts.tailoring_values(found, article.extra.get("tailoring"))


def with_facts(replies: list[Reply], found: facts.Facts, article_id: str, today: dt.date) -> list[Reply]:
    """A first answer with what the facts change: the council's time limit after the summary (for an EHC
    needs assessment request with a date), and "From what you told me" before the closing buttons."""
    added = []
    status = facts.request_status(found, today) if article_id in REQUEST_ARTICLES else None
    if status is not None:
        text, next_step = status
        added += [Reply(text), Reply(f"**Next step:** {next_step}")]
    line = facts.shown_back(found, today)
    if line:
        added.append(Reply(line, [CHANGE_BUTTON]))
    # After the summary and its tailored lines, before the disclaimer and the closing buttons.
    at = next((i for i, r in enumerate(replies) if r.text == DISCLAIMER), len(replies) - 1)
    return [*replies[:at], *added, *replies[at:]]
