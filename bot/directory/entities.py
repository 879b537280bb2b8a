"""The parent's council as an NLU entity (`area`, valued with the council's id), so the `area` slot fills
itself and is kept for the conversation, like the other facts (bot/rasa_ext/fact_extractor.py).

Only a single English council is an entity: a shared name ("Cumbria") or a place in Wales, Scotland or
Northern Ireland is answered by the actions, not remembered. A broken directory file never stops the
message being understood: it just gives no entity.
"""

from __future__ import annotations

import logging
import re

from bot.directory.load import served_directory
from bot.directory.places import find_area, is_only_a_place, key
from bot.settings import load_settings

logger = logging.getLogger(__name__)


def area_entities(text: str) -> list[dict[str, object]]:
    try:
        directory = served_directory(load_settings().knowledge_dir)
        found = find_area(directory, text)
    except Exception:  # the directory is a nice-to-have for understanding the message
        logger.exception("the help directory could not be read")
        return []
    if found is None or found.council is None:
        return []
    start, end = _span(text, found.said)
    return [{"entity": "area", "value": found.council, "start": start, "end": end}]


def _span(text: str, said: str) -> tuple[int, int]:
    """Where the place is named in the parent's own words (the whole message when it was a misspelling)."""
    words = key(said).split()
    pattern = r"\W+".join(re.escape(w) for w in words)
    match = re.search(rf"(?i)\b{pattern}\b", text) if words else None
    return (match.start(), match.end()) if match else (0, len(text))


def only_names_a_place(text: str) -> bool:
    """Whether the message says nothing but where the parent is ("Hull", "we're in Kent")."""
    try:
        return is_only_a_place(served_directory(load_settings().knowledge_dir), text)
    except Exception:  # as above: no directory, no place
        logger.exception("the help directory could not be read")
        return False
