"""Recognise a message that only starts a conversation ("my son", "help", "hi, my daughter is autistic").

Many parents begin with a few words about who the chat is about and nothing yet about what is
happening. Such a message must never get emergency help (it shows no risk) and never a guess at a
situation; it gets a warm "tell me what's happening" with the common situations as buttons.

The check is deliberately strict: every word must come from a small vocabulary of greetings, family
words, ages and diagnoses. One word outside it ("my son is missing", "my son was excluded") and the
message is not an opener, so the safety patterns and the model decide as usual.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import yaml

from bot.settings import PROJECT_ROOT

logger = logging.getLogger(__name__)

OPENER_INTENT = "opener"

_GREETINGS = "hi hello hey hiya hullo morning afternoon evening good ok okay so um erm right yes there anyone"
_ASKING = (
    "help please pls plz need needed some advice info information question questions query quick can could "
    "you u i im i'm am me want wanted would like to ask a an the about with for regarding re just have got "
    "has is are was it's its and or of on this that my our we"
)
_PEOPLE = (
    "son sons daughter daughters child childs child's children kid kids boy girl ds dd dc grandson granddaughter "
    "grandchild nephew niece stepson stepdaughter foster teenager teen toddler baby twins he she they him her "
    "them his their little eldest youngest oldest middle one "
    # who is writing: "I'm a mum of 3", "single dad here", "foster carer of a boy who lives with me"
    "mum mom mam mummy dad daddy mother father parent parents carer carers guardian grandparent grandma gran "
    "nan nanna grandad grandpa grandfather grandmother aunt auntie uncle stepmum stepdad adoptive adopted "
    "single here who lives live living"
)
_AGES = "aged age year years yr yrs yo old months month reception nursery primary secondary"
_NEEDS = (
    "autistic autism asd asc adhd add dyslexic dyslexia dyspraxia dyspraxic dyscalculia sen send sen's needs "
    "special educational additional learning disability disabilities disabled difficulties diagnosed diagnosis "
    "suspected possible probably pda spd sensory down's downs syndrome cerebral palsy epilepsy deaf blind "
    "non-verbal nonverbal speech delay global developmental ehcp ehc school stuff things"
)
_GREETING_WORDS = frozenset(_GREETINGS.split())


def _need_words() -> str:
    """Every word of the needs and health services in the one vocabulary (data/nlu/entities.yml)."""
    from bot.understanding import entities

    words = entities.lookup_examples("need_type") + entities.lookup_examples("health_service")
    return " ".join(words).lower()


_VOCABULARY = frozenset(" ".join((_GREETINGS, _ASKING, _PEOPLE, _AGES, _NEEDS, _need_words())).split())
# Long words about who and what ("grandaughter", "daugther", "autisim") are typed wrong more often than
# short ones, so one slip in them is forgiven: never in a word under six letters ("dead" is one letter from
# "dad") and never in its first letter ("smother" is one letter from "mother").
_FORGIVING_MIN = 6
_LONG_WORDS = frozenset(w for w in " ".join((_PEOPLE, _NEEDS, _need_words())).split() if len(w) >= _FORGIVING_MIN)
_WORD = re.compile(r"[a-z0-9]+(?:['\u2019-][a-z]+)*")
_NUMBERED = re.compile(r"^(?:\d{1,2}|y\d{1,2}|\d{1,2}(?:yo|yrs?|st|nd|rd|th))$")
MAX_WORDS = 12


def _one_slip(word: str, known: str) -> bool:
    """One letter added, left out, changed, or two neighbours swapped; the first letter as typed."""
    if word[0] != known[0] or abs(len(word) - len(known)) > 1:
        return False
    if len(word) == len(known):
        diffs = [i for i, (a, b) in enumerate(zip(word, known, strict=True)) if a != b]
        return len(diffs) == 1 or (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and word[diffs[0]] == known[diffs[1]]
            and word[diffs[1]] == known[diffs[0]]
        )
    shorter, longer = sorted((word, known), key=len)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def _known(word: str) -> bool:
    if word in _VOCABULARY or _NUMBERED.match(word):
        return True
    return len(word) >= _FORGIVING_MIN and any(_one_slip(word, known) for known in _LONG_WORDS)


def is_opener(text: str) -> bool:
    """True when the message names who it is about (or greets, or asks for help) and nothing more."""
    words = [w.replace("\u2019", "'").removesuffix("'s") for w in _WORD.findall((text or "").lower())]
    if not words or len(words) > MAX_WORDS or all(word in _GREETING_WORDS for word in words):
        return False  # "hi" on its own is a greeting (utter_greet), not an opener
    return all(_known(word) for word in words)


@lru_cache(maxsize=1)
def opener_buttons() -> list[dict[str, str]]:
    """The common situations, as `utter_opener` offers them in domain.yml: one list to keep up to date."""
    try:
        domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8")) or {}
        return list(domain["responses"]["utter_opener"][0]["buttons"])
    except Exception:  # without the buttons the reply still asks for the situation, with an adviser
        logger.exception("opener buttons could not be read from domain.yml")
        return []
