"""Personal data in what parents type, replaced with tags such as "[email]" before anything is stored.

Found and replaced:

- e-mail addresses -> [email];
- UK phone numbers (07700 900123, 0161-496-0000, (020) 7946 0000, +44 (0)20 7946 0000) -> [phone];
- full UK postcodes, any case, with or without the space (SW1A 1AA, m1 1ae) -> [postcode];
- NHS numbers (10 digits, often 3-3-4) -> [NHS number]; unique pupil numbers -> [pupil number];
  any other run of 9 or more digits -> [number];
- a date of birth, only when introduced as one ("born on 3/4/2015", "DOB 03.04.2015", "his birthday
  is 3rd April") -> "born on [date of birth]";
- names -> [name]:
  - introduced: "my son Jack", "my daughter, Amelia-Rose", "her name is priya", "she's called Amelia",
    "I'm Sarah", "mum to Leo", "Kwame is my son", a sign-off ("Thanks, Sarah x"), and a titled name
    ("Mr Jones the SENCO" -> "Mr [name] the SENCO": staff are people too, and the assistant needs the
    role, not the name);
  - a given name from the lists in bot/storage/given_names.py wherever it stands, with the surname after it,
    in any case: "Oliver Smith is my son", "my son OLIVER SMITH", "i'm worried about charlie". A name
    that is also a word counts by its case and context: "Will has autism" and "told Grace" are names,
    "Will the council pay?" and "Hope this helps" are not; a month is a name only when introduced
    ("my daughter May", "May is my daughter").
  A name found once is also replaced wherever else it appears in the same message.

Deliberately left alone, because the assistant needs them or they identify nobody: legal citations
("section 19", "s.42", "Children and Families Act 2014", "regulation 13(2)", "Code of Practice 9.39"),
any date not introduced as a birth date ("we applied on 3 March 2026", "12/01/2026"), a year of birth on
its own ("born in 2015": it gives the school year), school years ("Year 6", "Y6"), numbers of days or
weeks, partial postcodes ("M1"), capitalised ordinary words ("My son School refused..."), and places
named after people: schools, hospitals and charities ("St Mary's", "Mary Hare School", "Evelina London
Children's Hospital").

Known gaps, accepted (figures in docs/safety-and-privacy.md#names): a name no list holds, unless the
parent introduces it ("Tadhg has autism"); a lowercase name after "called" ("she's called amelia": there
a lowercase word is more often an insult, "he was called stupid"); a word-name with no telling context
("appeal for Max", "Summer has been excluded"); an ordinary phrase that starts with a given name ("Jack
of all trades"); and a name introduced in an earlier message, since each message is redacted on its own.

The functions are pure: no I/O, no state.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from bot.storage.redact_names import name_spans

EMAIL = "[email]"
PHONE = "[phone]"
POSTCODE = "[postcode]"
NHS_NUMBER = "[NHS number]"
PUPIL_NUMBER = "[pupil number]"
NUMBER = "[number]"
DATE_OF_BIRTH = "[date of birth]"
NAME = "[name]"


@dataclass(frozen=True)
class Found:
    """One piece of personal data: where it is, its tag, and the words themselves (never stored)."""

    start: int
    end: int
    tag: str
    text: str


# --- numbers and addresses ---------------------------------------------------------------------------

EMAIL_PATTERN = re.compile(r"(?<![\w.+'-])[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")

# +44 / 0044 (with an optional "(0)") or a leading 0, then 9 or 10 more digits with the separators people
# type. Dates never match: "/" is not a separator, and dotted dates are refused below.
# A bracket counts only around an area code, "(020) 7946 0000", so "(07700 900123, ...)" keeps its "(".
PHONE_PATTERN = re.compile(
    r"(?<![\w+])(?:(?:\+|00)[ \t]?44[ \t.-]?(?:\(0\)[ \t.-]?)?|\(0(?=\d{2,4}\))|0)"
    r"(?:[ \t.-]?\)?[ \t.-]?\d){9,10}(?![\w])"
)
DATE_SHAPE = re.compile(r"(?<!\d)\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})(?!\d)")

NHS_WITH_CONTEXT = re.compile(
    r"\bNHS[ \t]*(?:number|no\.?|num|#)?[ \t]*(?:is|:|-)?[ \t]*(?P<number>\d(?:[ \t-]?\d){9})(?![\w])", re.I
)
NHS_SHAPE = re.compile(r"(?<![\w.,/])\d{3}(?P<sep>[ -]?)\d{3}(?P=sep)\d{4}(?![\w/])")
PUPIL_NUMBER_PATTERN = re.compile(r"\b[A-Z]\d{11}[0-9A-Z]\b", re.I)
LONG_NUMBER = re.compile(r"(?<![\w.,/])\d(?:[ -]?\d){8,}(?![\w/])")
YEAR = re.compile(r"(?:19|20)\d\d")

# Outward code (A9, A99, A9A, AA9, AA99, AA9A), optional space, inward code (9AA).
POSTCODE_PATTERN = re.compile(
    r"\b(?P<outward>[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRVWXY\d]?)|GIR)[ \t]?"
    r"(?P<inward>\d[ABD-HJLNP-UW-Z]{2})\b",
    re.I,
)
# "Y6 2nd term", "KS2 3rd", "Y10 2hr": ordinals and units that look like an inward code when typed in
# lowercase. A postcode typed in capitals is still caught.
NOT_INWARD = frozenset({"st", "nd", "rd", "th", "hr", "yr", "wk"})


def _phones(text: str) -> Iterator[Found]:
    for match in PHONE_PATTERN.finditer(text):
        if DATE_SHAPE.search(match.group(0)):
            continue
        yield Found(match.start(), match.end(), PHONE, match.group(0))


def _nhs_checksum_ok(digits: str) -> bool:
    """The NHS number's modulus 11 check digit."""
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    return (0 if check == 11 else check) == int(digits[9])


def _numbers(text: str) -> Iterator[Found]:
    for match in NHS_WITH_CONTEXT.finditer(text):
        yield Found(match.start("number"), match.end("number"), NHS_NUMBER, match.group("number"))
    for match in NHS_SHAPE.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        # Grouped 3-3-4 is how NHS numbers are written; an unbroken run counts only if its check digit fits.
        is_nhs = bool(match.group("sep")) or _nhs_checksum_ok(digits)
        yield Found(match.start(), match.end(), NHS_NUMBER if is_nhs else NUMBER, match.group(0))
    for match in PUPIL_NUMBER_PATTERN.finditer(text):
        yield Found(match.start(), match.end(), PUPIL_NUMBER, match.group(0))
    for match in LONG_NUMBER.finditer(text):
        groups = re.split(r"[ -]", match.group(0))
        if all(YEAR.fullmatch(g) for g in groups):
            continue  # "2024 2025 2026" is a list of years
        yield Found(match.start(), match.end(), NUMBER, match.group(0))


def _postcodes(text: str) -> Iterator[Found]:
    for match in POSTCODE_PATTERN.finditer(text):
        code = match.group(0)
        if match.group("inward")[1:].lower() in NOT_INWARD and not code.isupper():
            continue
        yield Found(match.start(), match.end(), POSTCODE, code)


# --- dates of birth ----------------------------------------------------------------------------------

MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
FULL_YEAR = r"(?:19|20)\d\d"
DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})"
    r"|\d{4}-\d{1,2}-\d{1,2}"
    rf"|(?:the[ \t]+)?{DAY}(?:[ \t]+of)?[ \t]+{MONTH}(?:,?[ \t]+(?:{FULL_YEAR}|'?\d\d))?"
    rf"|{MONTH}[ \t]+(?:the[ \t]+)?{DAY}(?:,?[ \t]+{FULL_YEAR})?"
    rf"|{MONTH}[ \t]+{FULL_YEAR})(?![\w/])"
)
# A word between "born" and the date ("born prematurely on ...", "born in hospital on ..."), but never one
# that starts a new clause: "born early and on 3 March 2026 we applied" keeps the application date.
GAP_WORD = r"(?!(?:and|but|so|then|we|i|he|she|they|it|which|when|with|after|before|until)\b)[a-z]+"
DATE_OF_BIRTH_PATTERN = re.compile(
    r"\b(?:date[ \t]+of[ \t]+birth|birth[ \t]*date|d\.?o\.?b\b\.?|birthday(?:['’]s)?|b-?day"
    rf"|born(?:[ \t]+{GAP_WORD}){{0,2}}?)"
    r"(?:[ \t]*(?:is|was|falls|will[ \t]+be|on|in|of|:|-|–|=|,))*[ \t]*"
    rf"(?P<date>{DATE})",
    re.I,
)


def _dates_of_birth(text: str) -> Iterator[Found]:
    for match in DATE_OF_BIRTH_PATTERN.finditer(text):
        yield Found(match.start("date"), match.end("date"), DATE_OF_BIRTH, match.group("date"))


# --- names (bot/storage/redact_names.py) ---------------------------------------------------------------------


def _names(text: str) -> Iterator[Found]:
    for start, end in name_spans(text):
        yield Found(start, end, NAME, text[start:end])


# --- putting it together ----------------------------------------------------------------------------


def _emails(text: str) -> Iterator[Found]:
    for match in EMAIL_PATTERN.finditer(text):
        yield Found(match.start(), match.end(), EMAIL, match.group(0))


# Earlier finders win where two overlap: an e-mail address is not also a name, a birth date not a number.
FINDERS = (
    _emails,
    _dates_of_birth,
    _phones,
    _numbers,
    _postcodes,
    _names,
)


def find_personal_data(text: str) -> list[Found]:
    """Every piece of personal data in `text`, in order, none overlapping."""
    chosen: list[Found] = []
    for finder in FINDERS:
        for found in sorted(finder(text), key=lambda f: (f.start, -f.end)):
            if all(found.end <= c.start or found.start >= c.end for c in chosen):
                chosen.append(found)
    return sorted(chosen, key=lambda f: f.start)


def replace_found(text: str, found: Iterable[Found], placeholder: str | None = None) -> str:
    """`text` with each found span replaced by its tag (or by `placeholder`, when given)."""
    parts: list[str] = []
    position = 0
    for item in sorted(found, key=lambda f: f.start):
        parts.append(text[position : item.start])
        parts.append(placeholder or item.tag)
        position = item.end
    parts.append(text[position:])
    return "".join(parts)


def redact(text: str, placeholder: str | None = None) -> str:
    """`text` with its personal data replaced by tags ("[email]", "[name]"...), or all by `placeholder`."""
    return replace_found(text, find_personal_data(text), placeholder)


def redact_known(text: str, found: Iterable[Found]) -> str:
    """`text` (an entity or slot value) with the words already found in a message replaced by their tags.

    A value copied out of a message ("3/4/2015", "Jack") says nothing personal on its own; what it was
    in the message does.
    """
    for item in sorted(found, key=lambda f: len(f.text), reverse=True):
        if len(item.text) > 1:
            # Whole words only: a name "Al" must not touch "Alternative provision".
            pattern = rf"(?<![\w@]){re.escape(item.text)}(?![\w@])"
            text = re.sub(pattern, lambda _m, tag=item.tag: tag, text)
    return text


def names_in(text: str) -> bool:
    """Whether redaction takes a name out of `text` (the web chat then says, once, that names aren't needed)."""
    return any(found.tag == NAME for found in find_personal_data(text))
