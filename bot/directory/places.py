"""Find the parent's council from what they typed: "Leeds", "we're in Kent", "Tower Hamlets",
"Manchster", "Ashford" (a town in Kent: Kent County Council has the SEND duties there).

Matching uses the standard library's difflib, not a fuzzy-matching package: about 1,500 names, each
compared only when the first letter matches, answers well within a millisecond per phrase, and a
typo of one or two letters in a name of five or more scores above the cut-off (docs/directory.md).

Two modes, because place names are also words ("Reading", "Bury", "March", "Street"):
- the whole message is a place ("Leeds", "we live in Tower Hamlets", "kent council"): exact or fuzzy;
- a place inside a longer message counts only after "live in", "we're in", "from", "based in" and the
  like, or before "council"; and a fuzzy match only then.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from bot.directory.load import Directory

# A typo must keep this much of the name (difflib ratio). 0.8 lets "Manchster", "Birmingam" and
# "Leicestor" through when the message is only the place; inside a sentence a typo must be closer, in a
# longer word, because every other word is a chance of a false match.
FUZZY_CUTOFF = 0.8
MIN_FUZZY_CHARS = 5
SENTENCE_CUTOFF = 0.88
SENTENCE_MIN_CHARS = 6
MAX_PHRASE_WORDS = 5
# What a parent types around a place name when that is all the message says.
_FILLER = re.compile(
    r"\b(?:we|i|we're|were|i'm|im|are|am|is|it's|its|it|live|living|lives|based|in|at|from|near|the|area|"
    r"our|my|council|county|borough|city|local|authority|of|london|royal|metropolitan|district|la|"
    r"please|thanks|thank you|yes|ok|okay|um|erm|so|just|outside|ish|round|around|here)\b"
)
# In a longer message a place counts only after one of these (or before "council"). Words that are places
# as well ("Reading", "Bury") count only after the first kind: "we live in Reading", not "from reading".
_HOME_CUE = re.compile(
    r"\b(?:live in|living in|lives in|live near|based in|we're in|were in|we are in|i'm in|im in|i am in|"
    r"our council is|my council is|council is|la is|area is|in the area of)\s+"
)
_CUE = re.compile(r"\b(?:from|move to|moved to|moving to|live just outside|just outside)\s+")
_WEAK_CUE = re.compile(r"\b(?:in|near|at|around)\s+")
_BEFORE_COUNCIL = re.compile(r"([a-z' -]{3,40}?)\s+(?:county |city |borough |district )?council\b")
# Names that are everyday words as well: never matched inside a sentence by fuzzy matching, and inside a
# sentence only after a clear cue ("we live in Reading").
COMMON_WORDS = frozenset(
    "camhs cambs ehcp ehc send senco sendiass ipsea nhs "
    "reading bury sale street march deal wells bath stone ware hope rye diss wem brigg battle eton shaw lees "
    "bow angel the city hampton kenton whitley".split()
)


def key(name: str) -> str:
    """A name as compared: lower case, '&' as 'and', 'St.' as 'st', punctuation and hyphens as spaces."""
    text = name.lower().replace("&", " and ").replace("\u2019", "'")
    text = re.sub(r"\bsaint\b", "st", text)
    text = re.sub(r"[^a-z0-9' ]+", " ", text).replace("'", "")
    return " ".join(text.split())


@dataclass(frozen=True)
class Found:
    """What a message says about where the parent is.

    `council` is the one council found; `choices` several councils a shared name covers ("Cumbria");
    `nation` a part of the UK other than England ("Cardiff" -> "wales"); `said` the words that matched.
    """

    said: str
    council: str | None = None
    choices: tuple[str, ...] = ()
    nation: str | None = None
    fuzzy: bool = False


class _Index:
    def __init__(self, directory: Directory) -> None:
        self.names: dict[str, Found] = {}
        for nation, names in directory.other_nations.items():
            for name in names:
                self.names.setdefault(key(name), Found(name, nation=nation))
        for name, ids in directory.shared_names.items():
            self.names[key(name)] = Found(name, choices=ids)
        for council in directory.councils.values():
            for name in (council.area, council.name, *council.also, *council.places):
                self.names.setdefault(key(name), Found(name, council=council.id))
        self.by_letter: dict[str, list[str]] = {}
        for name in self.names:
            self.by_letter.setdefault(name[0], []).append(name)

    def exact(self, phrase: str) -> Found | None:
        return self.names.get(phrase)

    def fuzzy(self, phrase: str, cutoff: float = FUZZY_CUTOFF, min_chars: int = MIN_FUZZY_CHARS) -> Found | None:
        if len(phrase) < min_chars or not phrase[0].isalpha() or phrase in COMMON_WORDS:
            return None
        close = difflib.get_close_matches(phrase, self.by_letter.get(phrase[0], []), n=2, cutoff=cutoff)
        if not close:
            return None
        found = self.names[close[0]]
        # Two different places equally close ("Stratton" / "Stratford"): too unsure to choose.
        if len(close) > 1 and self.names[close[1]] != found:
            first = difflib.SequenceMatcher(None, phrase, close[0]).ratio()
            second = difflib.SequenceMatcher(None, phrase, close[1]).ratio()
            if abs(first - second) < 0.02:
                return None
        return Found(found.said, found.council, found.choices, found.nation, fuzzy=True)


@lru_cache(maxsize=4)
def _index(directory_id: int, directory: Directory) -> _Index:  # keyed on the object: reloaded files rebuild it
    return _Index(directory)


def _phrases(words: list[str]) -> list[str]:
    """Runs of words from the start, longest first: "tower hamlets london" -> "tower hamlets london", ..."""
    return [" ".join(words[:n]) for n in range(min(len(words), MAX_PHRASE_WORDS), 0, -1)]


def _whole(index: _Index, text: str) -> Found | None:
    """The whole message names a place, around filler words ("we're in kent", "leeds please")."""
    found = index.exact(text)
    if found:
        return found
    rest = " ".join(_FILLER.sub(" ", text).split())
    if not rest or len(rest.split()) > MAX_PHRASE_WORDS:
        return None
    return index.exact(rest) or index.fuzzy(rest)


def _after(cue: re.Match[str], text: str) -> list[str]:
    words = text[cue.end() :].split()
    return words[1:] if words[:1] == ["the"] else words


def _exact_after(index: _Index, words: list[str], common_ok: bool) -> Found | None:
    for phrase in _phrases(words):
        found = index.exact(phrase)
        if found and (common_ok or phrase not in COMMON_WORDS):
            return found
    return None


def _in_sentence(index: _Index, text: str) -> Found | None:
    """A place inside a longer message, after words that say where the parent is."""
    for cue, common_ok in ((_HOME_CUE, True), (_CUE, False)):
        for match in cue.finditer(text):
            words = _after(match, text)
            found = _exact_after(index, words, common_ok)
            for phrase in _phrases(words)[-2:] if found is None else ():  # "tower hamlts", "newcastel"
                found = index.fuzzy(phrase, SENTENCE_CUTOFF, SENTENCE_MIN_CHARS)
                if found:
                    break
            if found:
                return found
    for match in _WEAK_CUE.finditer(text):  # "at an academy in Leeds": exact names only, no everyday words
        found = _exact_after(index, _after(match, text), common_ok=False)
        if found:
            return found
    for before in _BEFORE_COUNCIL.finditer(text):
        words = before.group(1).split()
        for n in range(min(len(words), MAX_PHRASE_WORDS), 0, -1):
            found = index.exact(" ".join(words[-n:]))  # "Bury council": a clear cue, even for everyday words
            if found:
                return found
    return None


def _other_nation(index: _Index, text: str) -> Found | None:
    """A place in Wales, Scotland or Northern Ireland named anywhere in the message."""
    words = text.split()
    for size in (3, 2, 1):
        for start in range(len(words) - size + 1):
            found = index.exact(" ".join(words[start : start + size]))
            if found and found.nation:
                return found
    return None


def find_area(directory: Directory, text: str) -> Found | None:
    """Where the parent says they are, or None if the message names no place we know."""
    if not isinstance(text, str) or not text.strip() or len(text) > 2000:
        return None
    cleaned = key(text)
    if not cleaned:
        return None
    index = _index(id(directory), directory)
    whole = _whole(index, cleaned)
    if whole:
        return whole
    # "We moved from Bristol to Swansea": a parent who names Wales, Scotland or Northern Ireland is
    # signposted there rather than given an English council they have left.
    return _other_nation(index, cleaned) or _in_sentence(index, cleaned)


def is_only_a_place(directory: Directory, text: str) -> bool:
    """Whether the message says nothing but where the parent is ("Leeds", "we're in Kent")."""
    cleaned = key(text) if isinstance(text, str) else ""
    return bool(cleaned) and _whole(_index(id(directory), directory), cleaned) is not None
