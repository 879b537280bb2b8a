"""Counts for the Answers and Partners pages, from stored turns and feedback rows (never message text).

Weeks start on Monday (UTC) and are named by that date.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bot.console.events import Turn

SECTION_PREFIX = "section_"
ADVISER_INTENT = "talk_to_adviser"
REASON_WORDS = {
    "wrong_topic": "wrong topic",
    "hard_to_understand": "hard to understand",
    "did_not_answer": "didn't answer my question",
    "out_of_date": "out of date",
    "other": "other",
    None: "no reason given",
}


def week_of(moment: dt.datetime | float) -> dt.date:
    day = (
        dt.datetime.fromtimestamp(moment, dt.timezone.utc).date() if isinstance(moment, (int, float)) else moment.date()
    )
    return day - dt.timedelta(days=day.weekday())


@dataclass
class ArticleFigures:
    article: str
    given: int = 0
    sections: Counter = field(default_factory=Counter)
    helpful: int = 0
    not_helpful: int = 0
    reasons: Counter = field(default_factory=Counter)


def article_figures(turns: Iterable[Turn], feedback: Iterable[Mapping]) -> list[ArticleFigures]:
    """Per article: answers given, sections opened, helpful / not helpful and the reasons picked."""
    figures: dict[str, ArticleFigures] = {}

    def of(article: str) -> ArticleFigures:
        return figures.setdefault(article, ArticleFigures(article))

    for turn in turns:
        if not turn.article:
            continue
        if turn.intent and turn.intent.startswith(SECTION_PREFIX):
            of(turn.article).sections[turn.intent.removeprefix(SECTION_PREFIX)] += 1
        else:
            of(turn.article).given += 1
    for row in feedback:
        found = of(row["article_id"])
        if row["helpful"]:
            found.helpful += 1
        else:
            found.not_helpful += 1
            found.reasons[REASON_WORDS.get(row.get("reason_code"), "other")] += 1
    return sorted(figures.values(), key=lambda f: (-f.given, f.article))


def weekly_answers(turns: Iterable[Turn], feedback: Iterable[Mapping]) -> list[tuple[dt.date, int, int, int]]:
    """(week, answers given, helpful, not helpful), oldest week first."""
    weeks: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0, 0])
    for turn in turns:
        if turn.article and not (turn.intent or "").startswith(SECTION_PREFIX):
            weeks[week_of(turn.at)][0] += 1
    for row in feedback:
        weeks[week_of(row["created_at"])][1 if row["helpful"] else 2] += 1
    return [(week, *counts) for week, counts in sorted(weeks.items())]  # type: ignore[misc]


def reasons_count(feedback: Iterable[Mapping]) -> list[tuple[str, int]]:
    """How often each reason was picked for "not helpful", most common first."""
    counts = Counter(REASON_WORDS.get(row.get("reason_code"), "other") for row in feedback if not row["helpful"])
    return counts.most_common()


@dataclass
class PartnerFigures:
    partner: str
    weeks: Counter = field(default_factory=Counter)  # conversations started per week
    conversations: int = 0
    to_helpline: int = 0
    situations: Counter = field(default_factory=Counter)

    @property
    def helpline_share(self) -> float:
        return self.to_helpline / self.conversations if self.conversations else 0.0


def partner_figures(turns: Iterable[Turn], situation_intents: Iterable[str]) -> dict[str, PartnerFigures]:
    """Per partner: conversations per week, how many reached the helpline (asked for an adviser), and
    the situations answered most. Counts only."""
    situations = set(situation_intents)
    first: dict[str, Turn] = {}
    adviser: set[str] = set()
    found: dict[str, PartnerFigures] = {}
    for turn in turns:
        first.setdefault(turn.sender_id, turn)
        if turn.intent == ADVISER_INTENT:
            adviser.add(turn.sender_id)
        if turn.article and turn.intent in situations:
            found.setdefault(turn.partner, PartnerFigures(turn.partner)).situations[turn.intent] += 1
    for sender_id, turn in first.items():
        figures = found.setdefault(turn.partner, PartnerFigures(turn.partner))
        figures.conversations += 1
        figures.weeks[week_of(turn.at)] += 1
        figures.to_helpline += sender_id in adviser
    return found
