"""Follow-up questions answered from the article the parent is already reading.

After an answer, "what about academies?", "how long do they have?" or "what if he has an EHCP?" only make
sense in its context. This module reads what such a question asks and answers it from that article: a
tailored line, the paragraphs that mention the school type, plan or year group, or those that state time
limits. It never guesses: when the article says nothing about it, the reply says so and offers the
sections and an adviser.

"And if they say no?" is read here too, but answered by the escalation walk in the actions
(ActionShowSection.walk), so it gets the same answer as "what if that doesn't work?" typed.

Pure functions: actions/follow_up.py reads the tracker and the live ladder, and sends the replies.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.content.articles import Article
from bot.content.ladders import Ladder
from bot.content.render import Citations
from bot.content.tailoring import tailored_lines
from bot.dialogue.answers import ADVISER_BUTTON, Reply, section_buttons
from bot.dialogue.forms import ARTICLE_DEADLINE_KIND
from bot.dialogue.guided_replies import DEADLINES_BUTTON
from bot.understanding.entities import extract_facts

# Enough to answer on a phone without repeating the whole article.
MAX_PARAGRAPHS = 5
# Where an answer to a follow-up is looked for; "Who can help" lists organisations, not rules.
SEARCHED_SECTIONS = ("law", "next_steps", "escalation")
NO_ARTICLE_TEXT = (
    "Tell me a little about your situation first, and then I can answer questions like that. Or choose one of these:"
)


def _words(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# --------------------------------------------------------------------------------------------------
# What the parent asks


@dataclass(frozen=True)
class Topic:
    """Something a follow-up can ask about: a school type, a plan or support level, a year group."""

    label: str  # said back to the parent: "About academies and free schools"
    in_article: re.Pattern[str]  # how the articles write it
    condition: tuple[str, str] | None = None  # the tailoring condition it answers, e.g. ("school_type", "academy")


@dataclass(frozen=True)
class Question:
    text: str
    refusal: bool = False  # "and if they say no?": the next step of the escalation ladder
    timing: bool = False  # "how long do they have?"
    topic: Topic | None = None


_REFUSAL = _words(
    r"\b(?:say|says|said|saying)\s+no\b|refus|\bturn(?:s|ed)?\s+(?:\w+\s+)?down\b|\breject|\bdeclin"
    r"|\b(?:doesn'?t|does\s+not|don'?t|do\s+not|didn'?t|won'?t|will\s+not|still\s+not)\s+"
    r"(?:work|help|listen|agree|budge|reply|respond|change)\b"
    r"|\bignor|\b(?:that|it|this|they)\s+fail|what\s+next|then\s+what|next\s+step"
)
_TIMING = _words(
    r"how\s+lo?n?g\b|\bhw\s+long|time\s*-?\s*(?:limit|scale|frame)|dead\s*-?\s*line|dedline|how\s+soon|how\s+quick"
    r"|how\s+many\s+(?:school\s+|working\s+)?(?:days|weeks|months)|by\s+when|how\s+much\s+time|cut\s*-?\s*off"
    r"|\bwhen\s+(?:do|does|must|should|will|have|has|is|are)\b|\blong\s+(?:have|do|does)\s+(?:they|we|i|you)\b"
)
# "He has no plan" and "without an EHCP" ask about SEN support, not about a plan.
_NO_PLAN = _words(
    r"(?:\bno|\bnot|\b(?:doesn|don|hasn|haven|isn|aren|didn|won|can)'?t|\bwithout|\bnever)\s+"
    r"(?:(?:have|has|got|get|having|yet|an?|any|on|with)\s+){0,3}(?:ehc\s?p|echp|ehc\s+plan|plan|statement)\b"
)
_EHC_PLAN = _words(
    r"\behc\s?ps?\b|\bechp\b|\behc\s+plan|education,?\s+health\s+(?:and|&)\s+care|\bstatement(?:ed)?\b"
    r"|\b(?:a|the|his|her|their)\s+plan\b"
)
_SEN_SUPPORT = _words(r"\bsen\s+support\b|\bsen\s+register\b|\bschool\s+support\b|\bsupport\s+plan\b")

EHC_PLAN = Topic(
    "children with an EHC plan",
    _words(
        r"\bEHC\s+plans?\b|\bEHCPs?\b|education, health and care (?:\(EHC\) )?plan"
        r"|\b(?:with|has|have) an? plan\b|\bin (?:the|their|your child's) plan\b"
    ),
)
SEN_SUPPORT = Topic(
    "children on SEN support (no EHC plan)",
    _words(r"SEN support|without an? (?:EHC )?plan|no EHC plan|not have an EHC plan|whether or not [^.]{0,40}plan"),
)
# The school types as bot/understanding/entities.py normalises them (the synonyms in data/nlu/entities.yml), with how
# the articles write each. Free schools are academies in law, so the entities file maps one to the other.
SCHOOL_TYPES: dict[str, tuple[str, str]] = {
    "academy": ("academies and free schools", r"academ|free schools?"),
    "maintained": ("maintained (council-run) schools", r"(?<!non-)maintained"),
    "special": ("special schools", r"special schools?|specialist (?:school|setting|provision)"),
    "independent": ("independent (private) schools", r"independent (?:special )?schools?|private schools?"),
    "college": ("colleges", r"colleges?|further education|post-16|16 to 19"),
    "pru": ("pupil referral units and alternative provision", r"pupil referral units?|\bPRUs?\b|alternative provision"),
}
# Where a year group's own rules usually sit in an article: a move to the next phase, or turning 16.
_PHASE_CHANGE = r"|phase (?:change|transfer)|next school"
_YEAR_WORDS: dict[str, str] = {
    "nursery": r"|early years|under compulsory school age|compulsory school age",
    "reception": r"|early years|compulsory school age",
    "6": _PHASE_CHANGE,
    "9": r"|preparing for adulthood|post-16",
    "11": _PHASE_CHANGE + r"|post-16|16 to 19|GCSEs?|public exams?",
    "12": r"|sixth form|post-16|16 to 19",
    "13": r"|sixth form|post-16|16 to 19",
}
_PLURAL_S = re.compile(r"(?<=[a-z]{4})s\b", re.IGNORECASE)
_YEAR_NUMBER = _words(r"^(?:year|yr|y)\s?(\d{1,2})$")


def school_type_topic(value: str) -> Topic | None:
    known = SCHOOL_TYPES.get(value.lower())
    if known is None:
        return None
    label, in_article = known
    return Topic(label, _words(in_article), ("school_type", value.lower()))


def year_group_topic(value: str) -> Topic:
    """'Year 11', 'yr11', 'Y6', 'reception', 'nursery': the year and the paragraphs that concern it."""
    number = _YEAR_NUMBER.match(value.strip())
    key = number.group(1) if number else value.strip().lower()
    name = f"year {key}" if number else key
    own = rf"\b(?:year|yr|y) ?{key}\b" if number else rf"\b{re.escape(key)}\b"
    return Topic(name.capitalize(), _words(own + _YEAR_WORDS.get(key, "")), ("year_group", name))


def read_question(text: str, said: Mapping[str, str] | None = None) -> Question:
    """What a follow-up asks. `said` holds entities the NLU found in it, which come before our own reading."""
    # The entity lists name most things in the singular ("free school"): "free schools" is read as one too.
    readings = [said or {}, extract_facts(text), extract_facts(_PLURAL_S.sub("", text))]
    school = next((topic for r in readings if (topic := school_type_topic(r.get("school_type") or ""))), None)
    year = next((year_group_topic(r["year_group"]) for r in readings if r.get("year_group")), None)
    plan = SEN_SUPPORT if _NO_PLAN.search(text) or _SEN_SUPPORT.search(text) else None
    plan = plan or (EHC_PLAN if _EHC_PLAN.search(text) else None)
    return Question(text, bool(_REFUSAL.search(text)), bool(_TIMING.search(text)), school or plan or year)


def understood(question: Question) -> str:
    """What was understood, said back first so a misreading shows at once."""
    if question.refusal:
        return "About what you can do if they say no or nothing changes:"
    if question.topic is not None:
        return f"About time limits for {question.topic.label}:" if question.timing else f"About {question.topic.label}:"
    if question.timing:
        return "About time limits:"
    return "I'm not sure which part of the answer that is about."


# --------------------------------------------------------------------------------------------------
# What the article says about it

_TIME_LIMIT = _words(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|ten|twelve|fifteen|twenty)(?:st|nd|rd|th)?\s+"
    r"(?:calendar\s+|school\s+|working\s+|clear\s+)?(?:days?|weeks?|months?|years?)\b"
    r"|\b\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
    r"|deadline|time limit|without delay|no later than"
)


def paragraphs(article: Article) -> list[str]:
    """The bullets and paragraphs of the searched sections, each whole (a quoted letter stays with its bullet)."""
    found: list[str] = []
    for section in SEARCHED_SECTIONS:
        current: list[str] = []
        for line in article.sections.get(section, "").splitlines():
            boundary = line.startswith(("- ", "* ")) or not line.strip()  # a new bullet, or a blank line
            if boundary and current:
                found.append("\n".join(current))
                current = []
            if line.strip():
                current.append(line.rstrip())
        if current:
            found.append("\n".join(current))
    return found


def matching(article: Article, *patterns: re.Pattern[str]) -> list[str]:
    """The paragraphs that match every pattern, in article order, at most MAX_PARAGRAPHS."""
    return [p for p in paragraphs(article) if all(pattern.search(p) for pattern in patterns)][:MAX_PARAGRAPHS]


def tailored_for(article: Article, topic: Topic) -> list[str]:
    """The article's tailoring lines written for exactly this topic ("when: {school_type: academy}")."""
    rules = article.extra.get("tailoring")
    if topic.condition is None or not isinstance(rules, list):
        return []
    slot, value = topic.condition
    own = [rule for rule in rules if isinstance(rule, Mapping) and slot in (rule.get("when") or {})]
    return tailored_lines(own, {slot: value})


def step_time_limit(ladder: Ladder | None, ladder_step: float | None) -> str | None:
    """The time limit of the ladder step the parent was last shown, if it has one."""
    if ladder is None or ladder_step is None or not 0 <= int(ladder_step) < len(ladder.steps):
        return None
    index = int(ladder_step)
    step = ladder.steps[index]
    if not step.time_limit:
        return None
    return f"**Step {index + 1}: {step.title}**\nTime limit: {step.time_limit}"


def not_covered(question: Question) -> list[Reply]:
    """Honest: this answer does not cover it. The sections and a person are one tap away."""
    if question.topic is not None:
        missing = f"This answer doesn't say anything specific about {question.topic.label}."
    elif question.timing:
        missing = "This answer doesn't give a time limit for that."
    else:
        missing = "I couldn't find that in this answer."
    return [
        Reply(
            f"{missing} You can look through the rest of it, or an adviser can check what applies to your child.",
            [*section_buttons(), ADVISER_BUTTON],
        )
    ]


def found_lines(article: Article, question: Question) -> list[str]:
    """Article text that answers it: the topic's tailored line or paragraphs, or the time limits."""
    topic = question.topic
    if topic is None:
        return matching(article, _TIME_LIMIT) if question.timing else []
    timed = matching(article, topic.in_article, _TIME_LIMIT) if question.timing else []
    return tailored_for(article, topic) + timed or matching(article, topic.in_article)


def answer(
    article: Article, question: Question, ladder: Ladder | None = None, ladder_step: float | None = None
) -> list[Reply]:
    """The answer to a follow-up about timing or a topic, from this article (refusals: see the module doc).

    Cited as every answer is (bot.content.render.Citations). For "how long?" while the parent is on a ladder
    step, that step's time limit comes first.
    """
    lines = found_lines(article, question)
    step = step_time_limit(ladder, ladder_step) if question.timing and question.topic is None else None
    if step is not None:
        lines = lines[: MAX_PARAGRAPHS - 1]
    if not lines and step is None:
        return not_covered(question)
    cited = Citations()
    said = [cited.mark(step, ladder.source)] if step is not None and ladder is not None else []
    said += [cited.mark(line, article.source) for line in lines]
    # Blank lines keep each paragraph a paragraph of its own when the text is cut into bubbles.
    replies = [Reply(part) for part in cited.bubbles(f"**{understood(question)}**\n" + "\n\n".join(said))]
    if cited.sources:
        checked = min(article.last_reviewed, ladder.last_reviewed) if step and ladder else article.last_reviewed
        replies.append(Reply(cited.sources_list(checked)))
    tools = [DEADLINES_BUTTON] if question.timing and article.id in ARTICLE_DEADLINE_KIND else []
    replies.append(Reply("Anything else about this?", [*tools, *section_buttons()]))
    return replies


def no_article(opener_buttons: Sequence[Mapping[str, str]]) -> list[Reply]:
    """A follow-up before any answer: ask for the situation, with the common ones as buttons."""
    return [Reply(NO_ARTICLE_TEXT, [dict(button) for button in opener_buttons] or [ADVISER_BUTTON])]
