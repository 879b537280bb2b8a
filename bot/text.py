"""One way to read what a parent typed: `normalise_text`, used before the language model and the safety
patterns, so that look-alike and invisible characters can neither hide a risk nor invent one.

A zero-width joiner inside "excl\\u200duded" once sent an ordinary message to emergency help, and the same
trick ("k\\u200bill my\\u200bself"), full-width letters or a phone's curly apostrophe ("can’t go on")
could hide a real one from patterns written in plain ASCII. Pure and cheap: tested in tests/test_safety.py.
"""

from __future__ import annotations

import re
import unicodedata

# Characters that show nothing, beyond the "format" category (Cf: zero-width spaces and joiners, soft
# hyphens, direction marks, tag characters): Hangul fillers and the blank Braille pattern.
_INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_DROPPED_CATEGORIES = frozenset({"Cf", "Cs"})  # format characters; lone surrogates from JSON escapes
_MARKS = frozenset({"Mn", "Me"})

# Punctuation phones and word processors substitute, folded to what the patterns and training data use.
_FOLD = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc\u0060\u00b4", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    }
)
# Cyrillic and Greek letters drawn like Latin ones. Folded only inside a word that also has Latin letters
# ("kіll" with a Cyrillic і), so text written in those alphabets is left as it is.
_LOOK_ALIKES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "е": "e", "һ": "h", "і": "i", "ј": "j", "ӏ": "l", "о": "o", "р": "p", "ԛ": "q",
        "с": "c", "ѕ": "s", "у": "y", "ԝ": "w", "х": "x", "ԁ": "d", "А": "A", "В": "B", "Е": "E", "К": "K",
        "М": "M", "Н": "H", "І": "I", "Ј": "J", "О": "O", "Р": "P", "С": "C", "Ѕ": "S", "Т": "T", "Х": "X",
        # Greek
        "α": "a", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
        "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
        "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    }
)  # fmt: skip
_WORD = re.compile(r"\w+")
_LATIN = re.compile(r"[A-Za-z]")


def _fold_look_alikes(word: re.Match[str]) -> str:
    text = word.group(0)
    if text.isascii() or not _LATIN.search(text):
        return text
    return text.translate(_LOOK_ALIKES)


def _without_decoration(text: str) -> str:
    """Drop combining marks left on a plain letter after NFKC (underlines, strike-throughs, "zalgo").

    Accented letters are single characters by then, and marks on other scripts' letters are kept.
    """
    kept: list[str] = []
    for ch in text:
        if unicodedata.category(ch) in _MARKS and kept and kept[-1].isascii():
            continue
        kept.append(ch)
    return "".join(kept)


def normalise_text(text: str) -> str:
    """The text as the assistant reads it: NFKC (full-width and styled letters become plain ones),
    invisible and control characters removed, curly quotes and dashes made plain, look-alike letters
    inside Latin words made Latin, decoration marks dropped, and white space collapsed to single spaces."""
    if not text:
        return ""
    visible = "".join(ch for ch in text if ch not in _INVISIBLE and unicodedata.category(ch) not in _DROPPED_CATEGORIES)
    folded = unicodedata.normalize("NFKC", visible.translate(_FOLD))
    folded = _without_decoration(_WORD.sub(_fold_look_alikes, folded))
    # str.split() treats control characters such as \x1c as space; the rest (\x00, \x1b) go.
    words = ("".join(ch for ch in word if unicodedata.category(ch) != "Cc") for word in folded.split())
    return " ".join(word for word in words if word)


# Numbers as words, the one table for every reader of typed numbers (school days in the forms, lengths of
# time in staff conditions, "three weeks ago" in dates).
NUMBER_WORDS: dict[str, int] = {
    word: number
    for number, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
}
