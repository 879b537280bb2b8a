""" "What we couldn't answer": messages that fell to "not sure", got the middle band, or were answered
and then rated unhelpful; grouped by similarity.

Grouping is tf-idf over character n-grams (robust to typos and word endings) with cosine similarity,
the leader method: newest first, a message joins the first group whose first message it resembles
at least GROUP_AT (the most similar one), otherwise it starts a group. Simple, deterministic and fast enough for thousands
of messages.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from bot.console.events import Turn
from bot.dialogue.clarify import CONFIDENT_AT
from bot.storage.redact import redact

NOT_SURE = "not sure"
MIDDLE_BAND = "middle band"
UNHELPFUL = "rated unhelpful"
KINDS = (NOT_SURE, MIDDLE_BAND, UNHELPFUL)
GROUP_AT = 0.5
ANSWER_ACTION = "action_answer_situation"
NOT_SURE_ACTION = "action_did_you_mean"
FALLBACK_INTENT = "nlu_fallback"


@dataclass(frozen=True)
class Message:
    text: str
    at: float
    kind: str
    partner: str
    intent: str | None
    confidence: float
    reason: str | None = None

    @property
    def key(self) -> str:
        return message_hash(self.text)


@dataclass
class Group:
    messages: list[Message]
    previous_count: int = 0
    kinds: Counter = field(default_factory=Counter)

    @property
    def newest(self) -> float:
        return max(m.at for m in self.messages)

    @property
    def count(self) -> int:
        return len(self.messages)

    @property
    def keys(self) -> list[str]:
        return sorted({m.key for m in self.messages})

    @property
    def trend(self) -> int:
        """This period's count minus the previous period's."""
        return self.count - self.previous_count

    @property
    def top_guess(self) -> str | None:
        guesses = Counter(m.intent for m in self.messages if m.intent and m.intent != FALLBACK_INTENT)
        return guesses.most_common(1)[0][0] if guesses else None


def message_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.lower().split()).encode("utf-8")).hexdigest()


def kind_of(turn: Turn, unhelpful: Mapping[float, str | None]) -> str | None:
    """Why a turn belongs on the page, or None. `unhelpful` maps answer times to the reason picked."""
    if not turn.typed or not turn.text.strip():
        return None
    if turn.answered_at is not None and _time_key(turn.answered_at) in unhelpful:
        return UNHELPFUL
    if NOT_SURE_ACTION in turn.actions or turn.intent == FALLBACK_INTENT:
        return NOT_SURE
    if ANSWER_ACTION in turn.actions and turn.confidence < CONFIDENT_AT:
        return MIDDLE_BAND
    return None


def _time_key(timestamp: float) -> float:
    # Stored as JSON and as a database float: compared to the millisecond, never for exact equality.
    return round(float(timestamp), 3)


def unhelpful_answers(rows: Iterable[Mapping]) -> dict[float, str | None]:
    """Answer times of "not helpful" ratings (feedback rows), with the reason picked."""
    return {
        _time_key(row["answered_at"]): row.get("reason_code")
        for row in rows
        if not row["helpful"] and row.get("answered_at") is not None
    }


def unanswered(turns: Iterable[Turn], unhelpful: Mapping[float, str | None], decided: set[str]) -> list[Message]:
    """The turns for the page, redacted once more (a safety net), minus those staff decided on."""
    found = []
    for turn in turns:
        kind = kind_of(turn, unhelpful)
        if kind is None:
            continue
        text = redact(turn.text.strip())
        if message_hash(text) in decided:
            continue
        reason = unhelpful.get(_time_key(turn.answered_at)) if kind == UNHELPFUL and turn.answered_at else None
        found.append(Message(text, turn.at, kind, turn.partner, turn.intent, turn.confidence, reason))
    return found


def _vectors(texts: list[str]):
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=True)
    return vectorizer.fit_transform(texts)


def group(messages: list[Message], previous: list[Message] = (), threshold: float = GROUP_AT) -> list[Group]:  # type: ignore[assignment]
    """Groups of similar messages, newest group first; `previous` (the period before) only counts, for
    the trend, and never starts a group."""
    current = sorted(messages, key=lambda m: m.at, reverse=True)
    if not current:
        return []
    everything = current + list(previous)
    vectors = _vectors([m.text for m in everything])
    leaders: list[int] = []
    groups: list[Group] = []
    for position, message in enumerate(everything):
        is_current = position < len(current)
        best, best_score = None, threshold
        if leaders:
            scores = cosine_similarity(vectors[position], vectors[leaders])[0]
            for index, score in enumerate(scores):
                if score >= best_score:
                    best, best_score = index, score
        if best is None:
            if is_current:
                leaders.append(position)
                groups.append(Group([message]))
            continue
        if is_current:
            groups[best].messages.append(message)
        else:
            groups[best].previous_count += 1
    for found in groups:
        found.kinds = Counter(m.kind for m in found.messages)
    return sorted(groups, key=lambda g: g.newest, reverse=True)
