"""The line of emergency help that fits what the parent described, said right after the general one.

The general emergency text (`utter_crisis` in domain.yml: 999, NHS 111, Samaritans, Shout, Childline,
the council's out-of-hours children's services) is sent first from the domain itself, so it never waits
for the action server. The follow-up then adds the service that fits the kind of danger. Numbers are
listed with where they were checked in docs/safety-and-privacy.md; never add one that is not.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from bot.understanding.safety import risk_signals

_KINDS: tuple[tuple[str, str, str], ...] = (
    (
        "medical",
        r"\b(?:seizure|fit(?:s|ting)?|convuls\w*|not\s+breathing|can'?t\s+breathe|struggling\s+to\s+breathe|unconscious"
        r"|won'?t\s+wake|floppy|head\s+injury|hit\s+(?:his|her|their)\s+head|swallowed|anaphyla\w*|epi\s*pen|allergic\s+reaction"
        r"|blue\s+lips|hypo\b|diabetic)",
        "If it's a medical emergency (a seizure that won't stop, trouble breathing, very drowsy after a head injury, "
        "or something swallowed), call 999 now. If you're not sure how urgent it is, call NHS 111.",
    ),
    (
        "domestic_abuse",
        r"\b(?:partner|husband|wife|boyfriend|girlfriend|my\s+ex|his\s+dad|her\s+dad|their\s+dad|domestic)\b",
        "National Domestic Abuse Helpline: 0808 2000 247, free, day and night. If you are in danger now, call 999.",
    ),
    (
        "missing",
        r"\b(?:missing|not\s+come\s+home|hasn'?t\s+come\s+home|can'?t\s+find|ran\s+off|run\s+off|run\s+away|ran\s+away|wandered\s+off)\b",
        "If a child is missing, call the police on 999 now. Missing People can support you: call or text 116 000, free.",
    ),
    (
        "homeless",
        r"\b(?:nowhere\s+to\s+(?:sleep|stay|go)|homeless|kicked\s+(?:us|me)\s+out|sleep(?:ing)?\s+in\s+the\s+car|on\s+the\s+street)\b",
        "With nowhere safe to sleep tonight, call your council's housing team (out of hours, its emergency number). "
        "Shelter's emergency helpline: 0808 800 4444.",
    ),
    (
        "exploitation",
        r"\b(?:nudes?|naked|images?|photos?|pics|sextort\w*|groom\w*|county\s+lines|packages|older\s+(?:lads|men|boys)|blackmail\w*)\b",
        "If a child is being exploited, threatened or blackmailed, call the police on 999, or 101 if it is not an "
        "emergency. Don't pay or send anything more. Childline (0800 1111) can help a young person, day or night.",
    ),
)
_COMPILED = tuple((name, re.compile(pattern, re.IGNORECASE), line) for name, pattern, line in _KINDS)


# The risk patterns (bot/understanding/safety.py) whose every match is one kind of danger: when one fires, that kind's
# line fits even where none of the words above is in the message ("the trachy came out", "she never arrived at
# school", "she's been sleeping rough"). Patterns that mix kinds ("abuse", "harm at home") add nothing here.
_KIND_OF_PATTERN = {
    "medical emergency": "medical",
    "overdose": "medical",
    "missing": "missing",
    "nowhere to sleep": "homeless",
    "exploitation": "exploitation",
}


def danger_kinds(text: str, patterns: Sequence[str] | None = None) -> list[str]:
    """The kinds of danger a message shows, in the order of _KINDS: by the words above or by a risk pattern.
    `patterns`: the risk patterns the safety net found matching (the parse's reading); run here when not given."""
    matched = risk_signals(text or "") if patterns is None else patterns
    by_pattern = {_KIND_OF_PATTERN.get(name) for name in matched}
    return [name for name, pattern, _ in _COMPILED if name in by_pattern or pattern.search(text or "")]


# The kinds the risk detector learned (bot/understanding/danger_kind.py, the labels of data/safety/risk.txt) that
# have a line of their own here; the others (self-harm, a parent at breaking point, physical danger) are served by
# the general emergency help.
_KIND_LEARNED = {
    "medical": "medical",
    "missing": "missing",
    "domestic_abuse": "domestic_abuse",
    "homeless_tonight": "homeless",
    "sexual_abuse_exploitation": "exploitation",
}


def line_for_kind(learned_kind: str) -> str | None:
    """The line of help of a kind of danger as the risk data names it ("homeless_tonight"), if it has one."""
    help_kind = _KIND_LEARNED.get(learned_kind)
    return next((line for name, _, line in _COMPILED if name == help_kind), None)


def help_for_parse(parse: Mapping[str, Any]) -> list[str]:
    """fitting_help for a message as the NLU parsed it: its text, and the kind of danger and the risk patterns the
    safety net read (parse["risk"]; a parse stored before the patterns were kept there has the patterns run again)."""
    risk = parse.get("risk") or {}
    return fitting_help(str(parse.get("text") or ""), risk.get("kind"), risk.get("patterns"))


def fitting_help(text: str, learned_kind: str | None = None, patterns: Sequence[str] | None = None) -> list[str]:
    """The extra lines of help that fit this message, most specific first (at most two). The words and patterns
    decide when they find a kind; `learned_kind` (the parse's reading of the kind of danger) only when they don't."""
    kinds = set(danger_kinds(text, patterns)) or {_KIND_LEARNED.get(learned_kind or "")}
    return [line for name, _, line in _COMPILED if name in kinds][:2]
