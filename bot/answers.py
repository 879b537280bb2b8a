"""What the assistant says for an article, a section or an unclear message, as plain data.

Pure functions: the actions turn these replies into Rasa messages, and the tests check them directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.index import SearchHit
from bot.knowledge import CITATION_MARKER, SECTIONS, Article
from bot.ladders import Ladder, cited_sources, render_closed_routes, render_ladder_outline
from bot.ladders import render_citations as render_ladder_citations
from bot.partners import Partner, contact_text, national_services_text
from bot.render import CHUNK_CHARS, chunk, render_citations, sources_block
from bot.tailoring import tailored_lines

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
    """The first answer to a situation: summary, anything the facts change, then the section buttons."""
    replies = [Reply(render_citations(article.summary, article))]
    for line in tailored_lines(article.extra.get("tailoring"), facts):
        replies.append(Reply(render_citations(line, article)))
    if not disclaimer_shown:
        replies.append(Reply(DISCLAIMER))
    replies.append(Reply("What would you like to know next?", section_buttons()))
    return replies


def section_answer(article: Article, section: str, ladder: Ladder | None = None) -> list[Reply]:
    """One section of an article in phone-sized messages; the law section ends with its sources.

    For "escalation" with the article's `ladder`, the article's own text is a lead-in: it comes first, then
    the ladder's steps (with their notes) and the routes that are closed, then the sources of both. An
    article that names a ladder but gets none (its file is missing or broken) offers an adviser instead.
    """
    heading = SECTIONS[section]
    text = render_citations(article.sections[section], article)
    with_ladder = section == "escalation" and ladder is not None
    if with_ladder:
        text = "\n\n".join(part for part in (text, ladder_text(ladder)) if part)
    parts = chunk(text, whole_up_to=LADDER_STEP_CHARS if with_ladder else None)
    replies = [Reply(f"**{heading}**\n{parts[0]}")] + [Reply(p) for p in parts[1:]]
    if section == "law":
        replies.append(Reply(sources_block(article)))
    if with_ladder:
        replies.append(Reply(escalation_sources(article, ladder)))
    elif section == "escalation" and article.ladder_id:
        # The article's steps live in its ladder; without it (a broken or missing file) offer a person.
        replies.append(Reply(NO_LADDER_TEXT, [ADVISER_BUTTON]))
    replies.append(Reply("Anything else about this?", section_buttons(exclude=section)))
    return replies


def ladder_text(ladder: Ladder) -> str:
    """The ladder as it follows an article's lead-in: its title, every step, then the closed routes."""
    # The outline only: a parent on a phone gets the whole route in one or two messages, and "What
    # next?" then gives each step in full (who, how, time limit and notes).
    parts = [f"**{render_ladder_citations(ladder.title, ladder)}**", render_ladder_outline(ladder)]
    return "\n".join(parts) + ("\n\n" + render_closed_routes(ladder) if ladder.closed_routes else "")


def escalation_sources(article: Article, ladder: Ladder) -> str:
    """Links to the sources cited in an escalation answer: the lead-in's, then the ladder's, each once.

    The date is when the older of the two was last checked.
    """
    ladder_texts = [ladder.title, *(t for step in ladder.steps for t in step.texts())]
    ladder_texts += [t for route in ladder.closed_routes for t in (route.route, route.why)]
    cited = set(CITATION_MARKER.findall(article.sections["escalation"]))
    sources = [s for s in article.sources if s.key in cited] + cited_sources(ladder, ladder_texts)
    lines = ["**Sources**"]
    seen: set[str] = set()
    for source in sources:
        if source.url not in seen:
            seen.add(source.url)
            lines.append(f"- [{source.citation}]({source.url})")
    checked = min(article.last_reviewed, ladder.last_reviewed)
    lines.append(f"Last checked: {checked.strftime('%-d %B %Y')}")
    return "\n".join(lines)


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
