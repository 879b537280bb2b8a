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
        r"|blue\s+lips|hypo\b|diabetic"
        # Session 13: a condition's own words and plain signs (the medical red teams, tuning): seizures and rescue
        # medicine, airways and tubes, sugars, something taken, burns and bleeding, fever, fluids, collapse.
        r"|seizing|cluster|midaz\w*|buccal|rescue\s+med\w*|trach\w*|stoma|dusky|sats|oxygen|wheez\w*|chok(?:e|es|ed|ing)"
        r"|peg|gastrostomy|ng\s+tube|nasogastric|central\s+line|broviac|hickman|picc|shunt|ketones?|insulin|glucagon|blood\s+sugars?|sugars?\s+(?:is|are|at|of)"
        r"|overdose\w*|tablets|pills|paracetamol|calpol|melatonin|sertraline|bleach|button\s+batter(?:y|ies)|magnets?"
        r"|burnt|scald\w*|bleed\w*|blood|fractur\w*|bone|funny\s+(?:shape|angle)|wrong\s+way|temp(?:erature)?\s+(?:of\s+)?\d\d|fever|stiff\s+neck"
        r"|rash|vomit\w*|throwing\s+up|dehydrat\w*|(?:drunk|drank|weed)\s+all\s+day|heart\s+rate|collaps\w*|faint\w*|recovery\s+position"
        r"|(?:come|coming)\s+round|ambulance|paramedics?)\b",
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
        r"\b(?:missing|not\s+come\s+home|hasn'?t\s+come\s+home|can'?t\s+find|ran\s+off|run\s+off|run\s+away|ran\s+away|wandered\s+off"
        # Session 13 (the missing-child red teams, tuning): slipped or got out, out looking, not back, gone since.
        r"|slipped\s+(?:out|away|off)|got\s+out(?!\s+(?:of\s+)?(?:the\s+)?(?:window|onto|on\s+to|the\s+car\s+window))|gone\s+off|bolted|(?:out|been|are|is|'re)\s+looking\s+for\s+(?:him|her|them)|looked\s+everywhere"
        r"|searching|tannoy|bed\s+(?:is\s+|was\s+)?empty|not\s+returned|never\s+(?:arrived|turned\s+up|came\s+in|registered)|(?:been\s+)?gone\s+since"
        r"|(?:cannot|unable\s+to)\s+(?:find|locate)|(?:no\s+one|nobody|noone)\s+knows\s+where|(?:not|isn'?t|wasn'?t)\s+in\s+the\s+(?:car|buggy|pushchair|house)"
        r"|disappeared|vanished|abscond\w*|(?<!to\s)(?<!landlord\s)(?<!council\s)(?<!school\s)(?<!college\s)(?:not|isn'?t|hasn'?t\s+come|not\s+come)\s+back|due\s+back)\b",
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
# Each kind's words, compiled, and its line of help, looked up by kind.
_WORDS = tuple((name, re.compile(pattern, re.IGNORECASE)) for name, pattern, _ in _KINDS)
_LINES = {name: line for name, _, line in _KINDS}


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
    """The kinds of danger a message shows: those its risk patterns name first (every match of such a pattern is
    that kind), then those its words name, in the order of _KINDS. `patterns`: the risk patterns the safety net
    found matching (the parse's reading); run here when not given."""
    matched = risk_signals(text or "") if patterns is None else patterns
    by_pattern = [_KIND_OF_PATTERN[name] for name in matched if name in _KIND_OF_PATTERN]
    by_words = [name for name, words in _WORDS if words.search(text or "")]
    return list(dict.fromkeys([*by_pattern, *by_words]))


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
    return _LINES.get(_KIND_LEARNED.get(learned_kind, ""))


def help_for_parse(parse: Mapping[str, Any]) -> list[str]:
    """fitting_help for a message as the NLU parsed it: its text, and the kind of danger and the risk patterns the
    safety net read (parse["risk"]). Where it did not read them (a message answered as ordinary, then "someone is in
    danger" tapped; or a parse stored before session 13) the patterns are run here."""
    risk = parse.get("risk") or {}
    return fitting_help(str(parse.get("text") or ""), risk.get("kind"), risk.get("patterns"))


def fitting_help(text: str, learned_kind: str | None = None, patterns: Sequence[str] | None = None) -> list[str]:
    """The extra lines of help that fit this message, at most two: the kinds its patterns and words name
    (danger_kinds), then the kind the parse read (`learned_kind`, given only when sure). Until session 13 the
    parse's kind counted only where no pattern or word named one, so "my husband is out looking for her" got the
    domestic abuse line alone; now the parse's kind follows, unless two kinds are named already."""
    ranked = dict.fromkeys([*danger_kinds(text, patterns), _KIND_LEARNED.get(learned_kind or "")])
    return [_LINES[name] for name in ranked if name in _LINES][:2]
