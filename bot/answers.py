"""What the assistant says for an article, a section or an unclear message, as plain data.

Pure functions: the actions turn these replies into Rasa messages, and the tests check them directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.index import SearchHit
from bot.knowledge import SECTIONS, Article
from bot.partners import Partner, contact_text, national_services_text
from bot.render import chunk, render_citations, sources_block
from bot.tailoring import tailored_lines

DISCLAIMER = "This is general information about the law in England, not legal advice."

SECTION_BUTTONS: dict[str, tuple[str, str]] = {
    "law": ("What the law says", "/section_law"),
    "next_steps": ("What can I do now?", "/section_next_steps"),
    "escalation": ("If that doesn't work", "/section_escalation"),
    "who_can_help": ("Who can help", "/section_who_can_help"),
}
ADVISER_BUTTON = {"title": "Talk to an adviser", "payload": "/talk_to_adviser"}

# How sure the model must be of a situation before "did you mean" offers it.
SUGGESTION_FLOOR = 0.05
MAX_SUGGESTIONS = 3


@dataclass
class Reply:
    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)


def section_buttons(exclude: str | None = None) -> list[dict[str, str]]:
    return [{"title": title, "payload": payload} for key, (title, payload) in SECTION_BUTTONS.items() if key != exclude]


def article_answer(article: Article, facts: Mapping[str, str | None], disclaimer_shown: bool) -> list[Reply]:
    """The first answer to a situation: summary, anything the facts change, then the section buttons."""
    replies = [Reply(render_citations(article.summary, article))]
    for line in tailored_lines(article.extra.get("tailoring"), facts):
        replies.append(Reply(render_citations(line, article)))
    if not disclaimer_shown:
        replies.append(Reply(DISCLAIMER))
    replies.append(Reply("What would you like to know next?", section_buttons()))
    return replies


def section_answer(article: Article, section: str) -> list[Reply]:
    """One section of an article in phone-sized messages; the law section ends with its sources."""
    heading = SECTIONS[section]
    parts = chunk(render_citations(article.sections[section], article))
    replies = [Reply(f"**{heading}**\n{parts[0]}")] + [Reply(p) for p in parts[1:]]
    if section == "law":
        replies.append(Reply(sources_block(article)))
    replies.append(Reply("Anything else about this?", section_buttons(exclude=section)))
    return replies


def partner_help(partner: Partner | None, now: dt.datetime, with_services: bool) -> list[Reply]:
    """The partner's helpline, open or closed, with its details; and, if asked, the services it points to."""
    if partner is None:
        return []
    texts = [contact_text(partner, now)]
    if with_services:
        texts.append(national_services_text(partner))
    return [Reply(text) for text in texts if text]


def before_buttons(replies: list[Reply], extra: Sequence[Reply]) -> list[Reply]:
    """Insert messages just before an answer's closing "what next?" buttons."""
    if not extra or not replies:
        return replies + list(extra)
    return replies[:-1] + list(extra) + replies[-1:]


def did_you_mean(
    ranking: Sequence[Mapping[str, object]],
    titles: Mapping[str, str],
    hits: Sequence[SearchHit],
    intent_of_article: Mapping[str, str],
) -> list[Reply]:
    """Offer the model's best guesses, then what search finds, then a person, instead of guessing."""
    guesses: list[dict[str, str]] = []
    offered: set[str] = set()
    for entry in ranking:
        intent = str(entry.get("name"))
        confidence = float(entry.get("confidence") or 0.0)  # type: ignore[arg-type]
        if intent in titles and intent not in offered and confidence >= SUGGESTION_FLOOR:
            guesses.append({"title": titles[intent], "payload": f"/{intent}"})
            offered.add(intent)
        if len(guesses) == MAX_SUGGESTIONS:
            break
    found: list[dict[str, str]] = []
    for hit in hits:
        intent = intent_of_article.get(hit.article_id)
        if intent and intent not in offered and len(found) < 2:
            found.append({"title": hit.title, "payload": f"/{intent}"})
            offered.add(intent)
    person = {"title": "None of these: talk to an adviser", "payload": "/talk_to_adviser"}
    # When we are unsure, a way to emergency help is always on screen: a frightened parent may not use
    # the words the safety net knows (docs/safety-and-privacy.md).
    emergency = {"title": "Someone is in danger now", "payload": "/crisis"}
    replies: list[Reply] = []
    if guesses:
        replies.append(Reply("I want to be sure I answer the right question. Did you mean one of these?", guesses))
    if found:
        replies.append(Reply("These might help:", found))
    if replies:
        replies[-1].buttons.extend([person, emergency])
        return replies
    return [
        Reply(
            "Sorry, I'm not sure I understood. Could you tell me a bit more about what's happening, "
            "for example with school, an EHC (education, health and care) plan or a health service?",
            [person, emergency],
        )
    ]


def crisis_follow_up(ranking: Sequence[Mapping[str, object]], titles: Mapping[str, str]) -> Reply:
    """After the emergency numbers: offer, gently, to carry on with what the parent was asking about."""
    for entry in ranking[1:]:
        intent = str(entry.get("name"))
        if intent in titles and float(entry.get("confidence") or 0.0) >= 0.3:  # type: ignore[arg-type]
            return Reply(
                "When you're ready, I can also help with the situation you described.",
                [{"title": titles[intent], "payload": f"/{intent}"}, ADVISER_BUTTON],
            )
    return Reply(
        "When you feel ready, you can tell me what's happening with school or support, "
        "or I can tell you who you can talk to.",
        [ADVISER_BUTTON],
    )
