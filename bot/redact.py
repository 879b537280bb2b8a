"""Personal data in what parents type, replaced with tags such as "[email]" before anything is stored.

Found and replaced:

- e-mail addresses -> [email];
- UK phone numbers (07700 900123, 0161-496-0000, (020) 7946 0000, +44 (0)20 7946 0000) -> [phone];
- full UK postcodes, any case, with or without the space (SW1A 1AA, m1 1ae) -> [postcode];
- NHS numbers (10 digits, often 3-3-4) -> [NHS number]; unique pupil numbers -> [pupil number];
  any other run of 9 or more digits -> [number];
- a date of birth, only when introduced as one ("born on 3/4/2015", "DOB 03.04.2015", "his birthday
  is 3rd April") -> "born on [date of birth]";
- names the parent introduces -> [name]: "my son Jack", "my daughter, Amelia-Rose", "her name is
  priya", "she's called Amelia", "I'm Sarah", "mum to Leo", a sign-off ("Thanks, Sarah x"), and a titled name ("Mr Jones the
  SENCO" -> "Mr [name] the SENCO": staff are people too, and the assistant needs the role, not the
  name). A name found once is also replaced wherever else it appears in the same message.

Deliberately left alone, because the assistant needs them or they identify nobody: legal citations
("section 19", "s.42", "Children and Families Act 2014", "regulation 13(2)", "Code of Practice 9.39"),
any date not introduced as a birth date ("we applied on 3 March 2026", "12/01/2026"), a year of birth on
its own ("born in 2015": it gives the school year), school years ("Year 6", "Y6"), numbers of days or
weeks, partial postcodes ("M1"), and capitalised ordinary words ("My son School refused...").

Known gaps, accepted: a name nobody introduces ("Jack has autism"); a lowercase name anywhere but after
"name is" ("my son jack", "she's called amelia": a lowercase word there is usually no name, as in "he
was called stupid"); names written in capitals; names that are also months or days ("my daughter
April"); and a name introduced in an earlier message, since each message is redacted on its own.

The functions are pure: no I/O, no state.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

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


# --- names -------------------------------------------------------------------------------------------

# Capitalised words that follow "my son", "I'm", "called" and the like without being names. Compared in
# lower case. Names that are also common words (Will, Rose, Grace) are deliberately not here.
NOT_NAMES = frozenset(
    """
    i i'm im me my mine we us our he him his she her they them their it its you your this that these those
    the a an and or but so because since as if when while who whom whose which what where why how than then
    is was were are be been being am has had have having do does did doing done can could would should must
    might shall may won't can't cannot couldn't wouldn't shouldn't doesn't don't didn't isn't wasn't
    aren't hasn't haven't hadn't not no yes yeah ok okay hi hello hey dear thanks thank please sorry help
    also just still now currently recently already always never often sometimes only really very too even
    again both all each every some any many much more most other another such same own
    in on at by for from to of with without about after before during until into onto over under between
    through up down out off near since via per
    new old young little big small eldest youngest oldest middle first second third last next
    one two three four five six seven eight nine ten twin twins
    aged age years year yr months month weeks week days day term terms today tomorrow yesterday
    goes went attends attended started starts starting needs needed gets got keeps kept struggles struggling
    refuses refused loves hates likes wants wanted said says told asked tried tries finds found feels felt
    seems seemed lives lived moved left joined missed misses misses gone came come comes going coming
    autism autistic adhd add asd asc pda ocd odd spd sensory dyslexia dyslexic dyspraxia dyspraxic
    dyscalculia epilepsy epileptic down downs down's cerebral palsy global developmental delay anxiety
    anxious depression selective mutism hearing visual speech language communication learning physical
    medical mental health needs disability disabilities disabled condition diagnosis diagnosed suspected
    school schools college nursery preschool pre-school academy primary secondary infant infants junior
    juniors reception sixth form class teacher teachers head headteacher head's deputy senco sendco
    ta tas lsa staff unit base provision resource alternative pru specialist special mainstream
    independent private free maintained trust mat
    council councils local authority la authorities lea government department dfe ofsted
    ehcp ehc plan plans sen send sena sencos assessment review annual tribunal sendist ombudsman lgsco
    appeal appeals mediation complaint complaints
    section sections regulation regulations reg regs act acts code practice part schedule chapter
    paragraph annex guidance law laws equality education children families families' health social care
    services service early information advice support iass sendiass ipsea contact family parent parents
    carer carers partnership citizens
    mum mom mummy mommy mam mother dad daddy father parent nan nana nanny gran granny grandma grandad
    grandpa grandmother grandfather auntie aunt uncle brother sister son daughter child kid kids boy girl
    baby toddler teen teenager husband wife partner ex
    nhs gp camhs cahms salt slt ot ots physio physiotherapy therapist therapy paediatrician pediatrician
    psychologist psychiatrist doctor nurse clinic hospital ep eps cdc
    monday tuesday wednesday thursday friday saturday sunday weekend weekends
    january february march april june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    english maths math science reading writing spelling phonics pe music art
    sats gcse gcses a-level a-levels btec ks1 ks2 ks3 ks4 ks5 eyfs
    england wales scotland uk britain british london
    home away here there back off new currently trying hoping
    worried worrying desperate exhausted tired confused lost stuck sure unsure fine angry upset scared
    ridiculous unacceptable awful terrible crazy frustrating frustrated urgent important serious
    hoping looking trying writing calling emailing asking wondering
    """.split()
)

# Extra lowercase words refused after "her name is" / "is called", where lowercase names are accepted.
NOT_LOWERCASE_NAMES = frozenset(
    """
    there here spelt spelled wrong right correct incorrect unknown included listed given written printed
    shown missing left needed required different similar long short hard easy difficult unusual common
    something anything nothing everything someone anyone nobody everyone whatever on in at down up off
    """.split()
)

# Names that are also everyday words: replaced where introduced, but not hunted for elsewhere in the
# message, so "my son Will ... Will the council..." keeps the question.
COMMON_WORD_NAMES = frozenset(
    "will may june april august rose grace hope faith joy mark bill pat sue amber ruby art bob".split()
)

NAME_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
POSSESSIVE = re.compile(r"['’]s$", re.I)
CONTRACTION = re.compile(r"['’](?:ve|d|ll|re|m|t)$|n['’]t$", re.I)  # "I've", "we're", "can't"
SPACES = re.compile(r"[ \t]+")
NAME_LIST_JOIN = re.compile(r"[ \t]*(?:,|&|\band\b)[ \t]*(?:and[ \t]+)?", re.I)
SIGN_OFF_END = re.compile(r"[ \t]*[.!]*[ \t]*(?:x+)?[ \t]*[.!]*\s*$", re.I)

RELATION = (
    r"(?:son|sons|daughter|daughters|child|children|kid|kids|boy|boys|girl|girls|baby|toddler|teen|teenager"
    r"|lad|lass|twins?|step-?son|step-?daughter|step-?child|grandson|granddaughter|grandchild|nephew|niece"
    r"|brother|sister|husband|wife|partner|ex|eldest|youngest|oldest|little[ \t]+one"
    r"|mum|mom|mother|dad|father|nan|gran|grandma|grandad|grandmother|grandfather|auntie|aunt|uncle)"
)
# "my son Jack", "my 7 year old son, Jack", "our eldest (Mia)", "my daughter is called Amelia".
RELATION_TRIGGER = re.compile(
    rf"\b(?:my|our)[ \t]+(?:[\w-]+[ \t]+){{0,4}}?{RELATION}\b(?!['’]s)[ \t]*(?:[,:(–-][ \t]*)?"
    r"(?:(?:who[ \t]+is[ \t]+|who['’]s[ \t]+|is[ \t]+)?(?:called|named)[ \t]+)?",
    re.I,
)
# "her name is Priya", "his name's tom": the one place a lowercase word is taken as a name.
NAMED_TRIGGER = re.compile(r"\b(?:names?[ \t]+(?:is|was|are|were)|name['’]s)[ \t]+[\"'“‘]?", re.I)
# "a boy called Tom", "she's called Amelia", "I called Sarah at the council": capitalised names only,
# since in "he was called stupid" or "called names" the word after "called" is no name.
CALLED_TRIGGER = re.compile(r"\b(?:called|named)[ \t]+[\"'“‘]?", re.I)
# "I'm Sarah", "I am Sarah", "this is Sarah", "it's Sarah here".
SELF_TRIGGER = re.compile(r"\b(?:I['’]m|Im|I[ \t]+am|this[ \t]+is|it['’]s|it[ \t]+is)[ \t]+", re.I)
# "mum to Leo", "parent of Jack and Tom".
PARENT_OF_TRIGGER = re.compile(
    r"\b(?:mum|mom|mummy|mother|dad|daddy|father|parent|carer|guardian|nan|gran|grandparent)[ \t]+(?:to|of|for)[ \t]+",
    re.I,
)
# "Thanks, Sarah x" at the very end of the message. "Love" and "from" need a comma or a new line after
# them, so "he moved from Leeds" keeps the town.
SIGN_OFF_TRIGGER = re.compile(
    r"(?:^|(?<=[\s.!?,]))(?:(?:many[ \t]+thanks|thanks[ \t]+again|thanks|thank[ \t]+you|cheers|kind[ \t]+regards"
    r"|regards|best[ \t]+wishes)[ \t]*[,.!-]?\s*|(?:best|love|from)[ \t]*(?:,\s*|\n\s*))",
    re.I,
)
# "Mr Jones", "Mrs Smith", "Dr Anna Patel": the title stays, the name goes.
TITLE_TRIGGER = re.compile(r"\b(?:(?P<plain>Mr|Mrs|Ms|Mx)|Miss|Dr|Prof|Sir|Dame)\b\.?[ \t]+", re.I)


def _word_at(text: str, pos: int) -> tuple[int, int] | None:
    """The word starting at pos, without a possessive "'s"."""
    match = NAME_WORD.match(text, pos)
    if not match:
        return None
    possessive = POSSESSIVE.search(match.group(0))
    return pos, match.end() - (len(possessive.group(0)) if possessive else 0)


def _is_name(word: str, lowercase_ok: bool) -> bool:
    if len(word) < 2 or word.lower() in NOT_NAMES or CONTRACTION.search(word):
        return False
    if word[0].isupper():
        return not word.isupper()  # "SENDIASS", "EHCP": acronyms, not names
    return lowercase_ok and word.islower() and word not in NOT_LOWERCASE_NAMES


def _name_at(text: str, pos: int, lowercase_ok: bool) -> tuple[int, int] | None:
    """A name starting at pos: a first name, then up to two capitalised names (middle name, surname)."""
    word = _word_at(text, pos)
    if word is None or not _is_name(text[word[0] : word[1]], lowercase_ok):
        return None
    start, end = word
    if not text[start].isupper():
        return start, end
    for _ in range(2):
        gap = SPACES.match(text, end)
        if gap is None:
            break  # also after "Jack's": what follows a possessive is not a surname
        following = _word_at(text, gap.end())
        if following is None or not _is_name(text[following[0] : following[1]], lowercase_ok=False):
            break
        end = following[1]
    return start, end


def _names_at(text: str, pos: int, lowercase_ok: bool, several: bool) -> list[tuple[int, int]]:
    """The name at pos and, when `several`, the names listed after it ("Jack, Tom and Mia")."""
    first = _name_at(text, pos, lowercase_ok)
    if first is None:
        return []
    names = [first]
    while several and len(names) < 4:
        join = NAME_LIST_JOIN.match(text, names[-1][1])
        following = _name_at(text, join.end(), lowercase_ok) if join and join.end() > names[-1][1] else None
        if following is None:
            break
        names.append(following)
    return names


def _introduced_names(text: str) -> Iterator[tuple[int, int]]:
    for match in RELATION_TRIGGER.finditer(text):
        yield from _names_at(text, match.end(), lowercase_ok=False, several=True)
    for match in NAMED_TRIGGER.finditer(text):
        yield from _names_at(text, match.end(), lowercase_ok=True, several=True)
    for match in CALLED_TRIGGER.finditer(text):
        yield from _names_at(text, match.end(), lowercase_ok=False, several=False)
    for match in SELF_TRIGGER.finditer(text):
        yield from _names_at(text, match.end(), lowercase_ok=False, several=False)
    for match in PARENT_OF_TRIGGER.finditer(text):
        yield from _names_at(text, match.end(), lowercase_ok=False, several=True)
    for match in SIGN_OFF_TRIGGER.finditer(text):
        name = _name_at(text, match.end(), lowercase_ok=False)
        if name and SIGN_OFF_END.fullmatch(text, name[1]):
            yield name
    for match in TITLE_TRIGGER.finditer(text):
        title_is_plain = bool(match.group("plain"))
        if not (title_is_plain or match.group(0)[0].isupper()):
            continue  # "miss school", "dr appointment": only Mr, Mrs, Ms and Mx are titles in lowercase
        yield from _names_at(text, match.end(), lowercase_ok=title_is_plain, several=False)


def _names(text: str) -> Iterator[Found]:
    spans = set(_introduced_names(text))
    words: set[str] = set()
    for start, end in spans:
        for word in text[start:end].split():
            if len(word) > 2 and word.lower() not in COMMON_WORD_NAMES:
                words.update({word, word[0].upper() + word[1:]})
    for word in words:
        # The same name elsewhere in the message ("my son Jack ... Jack's teacher").
        spans.update(m.span() for m in re.finditer(rf"(?<![\w'’-]){re.escape(word)}(?![\w-])", text))
    for start, end in spans:
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
