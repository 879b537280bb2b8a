"""Where the directory's messages go in an answer: what the actions call (pure, so tests call it too).

- `who_can_help`: the parent's council first (from the `area` slot, else the partner's single area),
  asking once for the town when neither is known; then the national services that fit the situation.
- `place_answer`: a message that only says where the parent is ("Leeds", "we're in Kent").
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.directory import replies
from bot.directory.load import Directory, served_directory
from bot.directory.places import Found, find_area, is_only_a_place

logger = logging.getLogger(__name__)

AREA_SLOT = "area"
AREA_ASKED_SLOT = "area_asked"
CRISIS_ARTICLE = "crisis"


@dataclass
class Help:
    """Messages for the top of "Who can help" (local), the ones after it (national), and slots to set."""

    local: list[str] = field(default_factory=list)
    national: list[str] = field(default_factory=list)
    slots: dict[str, object] = field(default_factory=dict)


def partner_council(directory: Directory, partner_areas: tuple[str, ...]) -> str | None:
    """A partner that serves one council area is the default area for its parents."""
    councils = {found.council for area in partner_areas if (found := find_area(directory, area)) and found.council}
    return councils.pop() if len(councils) == 1 else None


def council_for(directory: Directory, area_slot: object, partner_areas: tuple[str, ...] = ()) -> str | None:
    if isinstance(area_slot, str) and area_slot in directory.councils:
        return area_slot
    return partner_council(directory, partner_areas)


def who_can_help(
    directory: Directory,
    article_id: str | None,
    area_slot: object,
    asked: bool,
    partner_areas: tuple[str, ...] = (),
    partner_services: tuple[str, ...] = (),
) -> Help:
    council = council_for(directory, area_slot, partner_areas)
    ask = council is None and not asked
    found = Help(
        local=[replies.local_help(directory, council, ask=ask)],
        national=replies.national_help(directory, article_id, council, leave_out=partner_services),
    )
    if ask:
        found.slots[AREA_ASKED_SLOT] = True
    if article_id == CRISIS_ARTICLE:  # someone may be in danger: the emergency lines come before the council
        found.local, found.national = found.national, found.local
    return found


# Places in another nation that are also everyday words or names in England ("my son Barry"), so they alone
# never bring the note below.
_NOT_NAMED_ALONE = frozenset({"barry", "ni", "perth", "livingston", "bangor", "highland", "newport"})
OUTSIDE_ENGLAND_INTENT = "outside_england"


def other_nation_note(directory: Directory, text: str, intent: str | None) -> tuple[str, dict[str, str]] | None:
    """The note and button for an England answer whose message names a place in another UK nation; None when
    it names none, or when the answer is already about living outside England."""
    if intent == OUTSIDE_ENGLAND_INTENT:
        return None
    found = find_area(directory, text)
    if found is None or not found.nation or found.said.casefold() in _NOT_NAMED_ALONE:
        return None
    return replies.nation_note(found)


def place_answer(directory: Directory, text: str) -> tuple[list[str], dict[str, object]] | None:
    """The answer to a message that only says where the parent is, and the slots it sets; None otherwise."""
    if not is_only_a_place(directory, text):
        return None
    found: Found | None = find_area(directory, text)
    if found is None:
        return None
    texts = [t for t in (replies.understood(directory, found), replies.area_reply(directory, found)) if t]
    slots: dict[str, object] = {AREA_SLOT: found.council} if found.council else {}
    return texts, slots


def area_named(slots: Mapping[str, object], knowledge_dir: Path) -> dict[str, object]:
    """The slots with the council id in `area` replaced by the place's name, for what the parent keeps."""
    named = dict(slots)
    area = named.get(AREA_SLOT)
    if isinstance(area, str):
        try:
            council = served_directory(knowledge_dir).councils.get(area)
        except Exception:  # the summary matters more than the name of the area
            logger.exception("the help directory could not be read")
            council = None
        named[AREA_SLOT] = council.area if council else None
    return named
