"""What the assistant says for an article, a section or an unclear message, as plain data.

Pure functions: the actions turn these replies into Rasa messages, and the tests check them directly.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.content.articles import SECTIONS, Article
from bot.content.index import SearchHit
from bot.content.ladders import Ladder
from bot.content.partners import Partner, contact_text, national_services_text
from bot.content.render import (
    CHUNK_CHARS,
    LINKS_LINE,
    Citations,
    keep_markers,
    render_citations,
    unwrap,
    unwrap_markers,
)
from bot.content.render_ladder import render_closed_routes, render_ladder_outline, render_step
from bot.content.tailoring import tailored_lines

DISCLAIMER = "This is general information about the law in England, not legal advice."

SECTION_BUTTONS: dict[str, tuple[str, str]] = {
    "law": ("What the law says", "/section_law"),
    "next_steps": ("What can I do now?", "/section_next_steps"),
    "escalation": ("If that doesn't work", "/section_escalation"),
    "who_can_help": ("Who can help", "/section_who_can_help"),
}
ADVISER_BUTTON = {"title": "Talk to an adviser", "payload": "/talk_to_adviser"}

# A turn that answered from an article ends with a small custom message naming it, so the web chat can
# ask "was this helpful?" without loading the whole conversation again to find out.
ARTICLE_MARK = "answered_from_article"


def article_mark(article_id: str) -> dict[str, str]:
    return {ARTICLE_MARK: article_id}


def marked_article(custom: object) -> str | None:
    """The article a custom message names, or None for any other custom message."""
    value = custom.get(ARTICLE_MARK) if isinstance(custom, Mapping) else None
    return value if isinstance(value, str) else None


# A ladder step, with its note, stays in one message up to this length rather than being split mid-step.
LADDER_STEP_CHARS = 2 * CHUNK_CHARS
# Said after an article's escalation lead-in when its ladder can't be shown.
NO_LADDER_TEXT = "I can't show the next steps for this right now. An adviser can talk them through with you."

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
    """The first answer to a situation: summary, anything the facts change, then the section buttons.

    Short on purpose: each bubble links its sources by number; the full titles come with each section.
    """
    cited = Citations()
    texts = [article.summary, *tailored_lines(article.extra.get("tailoring"), facts)]
    replies = [Reply(part) for text in texts for part in cited.bubbles(cited.mark(text, article.source))]
    if not disclaimer_shown:
        replies.append(Reply(DISCLAIMER))
    replies.append(Reply("What would you like to know next?", section_buttons()))
    return drop_repeats(replies)


def section_answer(article: Article, section: str, ladder: Ladder | None = None) -> list[Reply]:
    """One section of an article in phone-sized bubbles, then its sources, then what else to read.

    For "escalation" with the article's `ladder`, the article's own text is a lead-in: it comes first, then
    the ladder's steps and the routes that are closed. An article that names a ladder but gets none (its
    file is missing or broken) offers an adviser instead.
    """
    cited = Citations()
    text = f"**{SECTIONS[section]}**\n" + cited.mark(unwrap(article.sections[section]), article.source)
    with_ladder = section == "escalation" and ladder is not None
    if with_ladder:
        text += "\n\n" + cited.mark(ladder_text(ladder), ladder.source)
    checked = min(article.last_reviewed, ladder.last_reviewed) if with_ladder else article.last_reviewed
    replies = cited_replies(cited, text, checked, whole_up_to=LADDER_STEP_CHARS if with_ladder else None)
    if section == "escalation" and article.ladder_id and not with_ladder:
        # The article's steps live in its ladder; without it (a broken or missing file) offer a person.
        replies.append(Reply(NO_LADDER_TEXT, [ADVISER_BUTTON]))
    replies.append(Reply("Anything else about this?", section_buttons(exclude=section)))
    return replies


def ladder_text(ladder: Ladder) -> str:
    """The ladder as it follows an article's lead-in: its title, every step, then the closed routes.

    The citations stay as [@key] markers, for `Citations.mark` to number.
    """
    # The outline only: a parent on a phone gets the whole route in one or two messages, and "What
    # next?" then gives each step in full (who, how, time limit and notes).
    marked = keep_markers(ladder)
    parts = [f"**{render_citations(ladder.title, marked)}**", render_ladder_outline(marked)]
    text = "\n".join(parts) + ("\n\n" + render_closed_routes(marked) if ladder.closed_routes else "")
    return unwrap_markers(text)


def cited_replies(
    cited: Citations, text: str, checked: dt.date | None = None, whole_up_to: int | None = None
) -> list[Reply]:
    """Text with numbered citation marks (`cited.mark`) as bubbles, then its "Sources" list if it cites any."""
    replies = [Reply(part) for part in cited.bubbles(text, whole_up_to=whole_up_to)]
    return replies + ([Reply(cited.sources_list(checked))] if cited.sources else [])


def step_replies(ladder: Ladder, index: int) -> list[Reply]:
    """One step of a ladder in full ("What next?"): numbered source links, then the step's sources."""
    cited = Citations()
    text = cited.mark(unwrap_markers(render_step(keep_markers(ladder), index)), ladder.source)
    return cited_replies(cited, text, whole_up_to=LADDER_STEP_CHARS)


def _paragraph_key(line: str) -> str:
    """A line as compared for repeats: its words only, without Markdown, links or list numbers."""
    words = re.sub(r"\[([^\]]*)\]\([^)]*\)|[*_>#`]|^\s*(\d+\.|-)\s", r"\1", line)
    return " ".join(words.lower().split())


# A line at least this long that was already said in the same answer is left out the second time;
# shorter lines ("The same exceptions as above apply.", headings) may repeat on purpose.
REPEAT_MIN_CHARS = 40


def drop_repeats(replies: Sequence[Reply]) -> list[Reply]:
    """The same answer without any paragraph or list item it has already said.

    A guard for every answer, whatever built it: a bubble left empty is dropped, unless it has buttons
    (then it keeps its text: a message without text would lose its buttons on the way to the widget).
    """
    seen: set[str] = set()
    kept: list[Reply] = []
    for reply in replies:
        lines = []
        for line in reply.text.split("\n"):
            key = _paragraph_key(line)
            if len(key) >= REPEAT_MIN_CHARS and key in seen and not LINKS_LINE.match(line):
                continue
            seen.add(key)
            lines.append(line)
        text = "\n".join(lines).strip() or (reply.text if reply.buttons else "")
        if text:
            kept.append(Reply(text, list(reply.buttons)))
    return kept


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
