"""Names in what parents type, for redaction (bot/storage/redact.py): where they are, by three kinds of rule.

- Introductions: "my son Jack", "her name is priya", "I'm Sarah", "mum to Leo", "Thanks, Sarah x",
  "Mr Jones", and "Kwame is my son" for a name no list knows.
- The lists in bot/storage/given_names.py, read with case and context: a given name anywhere and in any case
  ("Oliver Smith is my son", "my son OLIVER SMITH"); a name that is also a word by its case and what
  follows ("Will has autism", not "Will the council pay?"); a month only when introduced.
- Places are not people: a name after "St" or before "School", "Hospital" and the like is kept.

The surname after a first name goes with it, and a name found once is found again elsewhere in the
message. The functions are pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.storage.given_names import CONTEXT_NAMES, GIVEN_NAMES, WORD_NAMES

# --- introductions -----------------------------------------------------------------------------------

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
    english welsh scottish irish british polish french german spanish italian portuguese romanian lithuanian
    latvian bulgarian turkish kurdish arabic urdu punjabi bengali somali nigerian ghanaian indian pakistani
    bangladeshi chinese muslim christian catholic jewish sikh hindu deaf blind
    however therefore anyway anyways meanwhile otherwise plus well basically hi hiya morning afternoon evening
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
COMMON_WORD_NAMES = (
    frozenset("will may june april august rose grace hope faith joy mark bill pat sue amber ruby art bob".split())
    | WORD_NAMES
    | CONTEXT_NAMES
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

# --- names nobody introduced: the lists in bot/storage/given_names.py, read with their case and context -----

# Capitalised words that are given names but, in capitals, what a parent of a child with SEND means is
# a service: ERIC (the bowel and bladder charity), a TIA.
CAPITAL_ACRONYMS = frozenset({"eric", "tia"})
# A name right before one of these (up to three capitalised words on) names a place: "Mary Hare School",
# "Evelina London Children's Hospital", "Grace Academy". So does one after "St": "St Mary's".
PLACE_WORDS = frozenset(
    """
    school academy primary secondary college nursery infants infant juniors junior hospital centre center
    trust house road street lane avenue drive ward unit clinic surgery church hall lodge foundation
    federation campus library
    """.split()
)
# Ordinary words that can stand inside a place's name, between a name and "Hospital".
PLACE_NAME_WORDS = frozenset("children children's london royal city county community special national".split())
SAINT_BEFORE = re.compile(r"\b(?:St|Saint)\.?[ \t]+$", re.I)
# A sentence starts after . ! ? or a new line, after an emoji ("Hiya 😊 Hope you can help"), and after a
# forum-style label ("Question: Will the NHS...").
SENTENCE_START = re.compile(
    r"(?:^|[.!?\n\u2600-\u27bf\U0001f000-\U0001faff]|\b(?:question|questions|update|background|edit|note|ps|q|what happened|my question)\s*:)"
    r"[\s\"'“‘(*-]*$",
    re.I,
)
AFTER_CALLED = re.compile(r"\b(?:called|named)[ \t]+[\"'“‘]?$", re.I)
# How a parent relates someone to themselves: "Grace is my daughter", "Grace, my daughter,", "Ava (my
# eldest)". A word no list knows needs the first ("Kwame is my son"): "Northern Ireland, my son..." is no name.
RELATION_AFTER = rf"(?:my|our)[ \t]+(?:[\w-]+[ \t]+){{0,3}}?{RELATION}\b(?!['’]s)"
IS_RELATED_AFTER = re.compile(rf"[ \t]+(?:is|was)[ \t]+{RELATION_AFTER}", re.I)
RELATED_AFTER = re.compile(rf"(?:[ \t]+(?:is|was)[ \t]+|[ \t]*,[ \t]*|[ \t]*\([ \t]*){RELATION_AFTER}", re.I)
# An age: "Max is 10", "Jack (8)", "Alfie, 7,", "Olivia aged 12"; never "May is 5 weeks away".
AGE_AFTER = re.compile(
    r"(?:[ \t]+(?:is|was|turned|turns)[ \t]+|[ \t]*\([ \t]*(?:aged?[ \t]*)?|[ \t]*,[ \t]*(?:aged?[ \t]*)?|[ \t]+aged[ \t]+)"
    r"\d{1,2}(?![\d/:.])(?![ \t]*(?:weeks?|days?|months?|hours?|hrs?|minutes?|mins?|am|pm|%|miles?|times?|st|nd|rd|th)\b)",
    re.I,
)
# What is said of a person rather than of a season or a feeling: "Will has autism", "Hope is autistic",
# "Grace's teacher". For a word-name at the start of a sentence ("Will the council pay?" keeps its word).
PERSON_AFTER = re.compile(
    r"['’]s\b|[ \t]+(?:has|had|gets|got|goes|went|attends|attended|needs|needed|struggles|struggled|loves"
    r"|hates|refuses|refused|started|starts|lives|cries|hits|can['’]?t|cannot|won['’]?t|doesn['’]?t|didn['’]?t"
    r"|isn['’]?t|wasn['’]?t|hasn['’]?t|who[ \t]+is"
    r"|(?:is|was)[ \t]+(?:autistic|deaf|blind|disabled|dyslexic|non[ -]?verbal|diagnosed|excluded|being"
    r"|refusing|struggling|waiting|in[ \t]+(?:year|y\d|reception|nursery|college|a[ \t]+(?:special|mainstream)))"
    r")\b",
    re.I,
)


def _word_at(text: str, pos: int) -> tuple[int, int] | None:
    """The word starting at pos, without a possessive "'s"."""
    match = NAME_WORD.match(text, pos)
    if not match:
        return None
    possessive = POSSESSIVE.search(match.group(0))
    return pos, match.end() - (len(possessive.group(0)) if possessive else 0)


def _name_kind(word: str) -> str | None:
    """Which list knows the word (bot/storage/given_names.py): "given", "word", "context", or None. A double-barrelled
    word goes by its first part ("Amelia-Rose"), or is a given name when every part is a name ("Ruby-Rose")."""
    parts = word.lower().split("-")
    first = parts[0]
    if first in GIVEN_NAMES or (len(parts) > 1 and all(_name_kind(part) for part in parts)):
        return "given"
    if first in WORD_NAMES:
        return "word"
    return "context" if first in CONTEXT_NAMES else None


def _is_name(word: str, lowercase_ok: bool, introduced: bool = False) -> bool:
    """Whether the word after a trigger is a name; `introduced`: the trigger is "my son", "name is" or "mum
    to", which makes a listed name a name even when it is also a month ("my daughter May")."""
    if len(word) < 2 or CONTRACTION.search(word):
        return False
    if len(word) > 2 and word.endswith("s") and word[:-1].isupper():
        word = word[:-1]  # "EHCPs", "SENCOs": an acronym's plural, read as the acronym
    known = _name_kind(word) is not None
    if word.isupper():
        # "SENDIASS", "EHCP": acronyms; "OLIVER": a name someone typed in capitals.
        return known and word.lower() not in CAPITAL_ACRONYMS
    if word[0].isupper():
        return word.lower() not in NOT_NAMES or (introduced and known)
    return lowercase_ok and word.islower() and word not in NOT_NAMES and word not in NOT_LOWERCASE_NAMES


def _is_surname(word: str) -> bool:
    """A capitalised word after a first name that can be part of the name ("Smith", "SMITH", "O'Neill")."""
    lower = word.lower()
    if len(word) < 2 or lower in NOT_NAMES or lower in PLACE_WORDS or CONTRACTION.search(word):
        return False
    return word[0].isupper() and not (word.isupper() and lower in CAPITAL_ACRONYMS)


def _with_surnames(text: str, start: int, end: int) -> tuple[int, int]:
    """The name from `start` with up to two more capitalised names after it (middle name, surname)."""
    for _ in range(2):
        gap = SPACES.match(text, end)
        if gap is None:
            break  # also after "Jack's": what follows a possessive is not a surname
        following = _word_at(text, gap.end())
        if following is None or not _is_surname(text[following[0] : following[1]]):
            break
        end = following[1]
    return start, end


def _name_at(text: str, pos: int, lowercase_ok: bool, introduced: bool = False) -> tuple[int, int] | None:
    """A name starting at pos: a first name, then up to two capitalised names (middle name, surname)."""
    word = _word_at(text, pos)
    if word is None or not _is_name(text[word[0] : word[1]], lowercase_ok, introduced):
        return None
    if not text[word[0]].isupper():
        return word
    return _with_surnames(text, *word)


def _names_at(
    text: str, pos: int, lowercase_ok: bool, several: bool, introduced: bool = False
) -> list[tuple[int, int]]:
    """The name at pos and, when `several`, the names listed after it ("Jack, Tom and Mia")."""
    first = _name_at(text, pos, lowercase_ok, introduced)
    if first is None:
        return []
    names = [first]
    while several and len(names) < 4:
        join = NAME_LIST_JOIN.match(text, names[-1][1])
        if join is None or join.end() == names[-1][1]:
            break
        # After a lowercase name, only a listed one joins the list: "name is harry and hes 8".
        listed = _word_at(text, join.end())
        listed_lowercase = bool(listed) and _name_kind(text[listed[0] : listed[1]]) == "given"
        following = _name_at(text, join.end(), lowercase_ok and listed_lowercase, introduced)
        if following is None:
            break
        names.append(following)
    return names


def _introduced_names(text: str) -> Iterator[tuple[int, int]]:
    for match in RELATION_TRIGGER.finditer(text):
        yield from _names_at(text, match.end(), lowercase_ok=False, several=True, introduced=True)
    for match in NAMED_TRIGGER.finditer(text):
        yield from _names_at(text, match.end(), lowercase_ok=True, several=True, introduced=True)
    for match in CALLED_TRIGGER.finditer(text):
        yield from _names_at(text, match.end(), lowercase_ok=False, several=False)
    for match in SELF_TRIGGER.finditer(text):
        yield from _names_at(text, match.end(), lowercase_ok=False, several=False)
    for match in PARENT_OF_TRIGGER.finditer(text):
        yield from _names_at(text, match.end(), lowercase_ok=False, several=True, introduced=True)
    for match in SIGN_OFF_TRIGGER.finditer(text):
        name = _name_at(text, match.end(), lowercase_ok=False)
        if name and SIGN_OFF_END.fullmatch(text, name[1]):
            yield name
    for match in TITLE_TRIGGER.finditer(text):
        title_is_plain = bool(match.group("plain"))
        if not (title_is_plain or match.group(0)[0].isupper()):
            continue  # "miss school", "dr appointment": only Mr, Mrs, Ms and Mx are titles in lowercase
        yield from _names_at(text, match.end(), lowercase_ok=title_is_plain, several=False)


def _starts_sentence(text: str, start: int) -> bool:
    return bool(SENTENCE_START.search(text, 0, start))


def _after_capitalised_word(text: str, start: int) -> bool:
    """Whether the word before is capitalised, inside a sentence: "Disabled Facilities Grant" is a title."""
    before = re.search(r"([^\W\d_][\w'’-]*)[ \t]+$", text[:start])
    return bool(before) and before.group(1)[0].isupper() and not _starts_sentence(text, before.start(1))


def _listed_name_here(text: str, start: int, end: int) -> bool:
    """Whether a word from the lists is a name where it stands, by its case and what follows it."""
    word = text[start:end]
    kind = _name_kind(word)
    if kind is None or len(word) < 2:
        return False
    if word.islower():
        # A lowercase given name anywhere ("my son oliver"), but not after "called": a documented gap
        # (tests/test_redact.py), since there a lowercase word is more often an insult than a name.
        return kind == "given" and len(word) > 2 and not AFTER_CALLED.search(text, 0, start)
    if kind == "given":
        return not (word.isupper() and word.lower() in CAPITAL_ACRONYMS)
    strong = bool(RELATED_AFTER.match(text, end) or AGE_AFTER.match(text, end))
    if kind == "context":
        return strong  # "May" is a month unless it is somebody's daughter
    inside = not word.isupper() and not _starts_sentence(text, start) and not _after_capitalised_word(text, start)
    return inside or strong or bool(PERSON_AFTER.match(text, end))


def _listed_names(text: str) -> Iterator[tuple[int, int]]:
    """Names in the lists wherever they stand: "Oliver Smith is my son", "my son OLIVER SMITH"."""
    for match in NAME_WORD.finditer(text):
        start, end = _word_at(text, match.start()) or match.span()
        if _listed_name_here(text, start, end):
            yield _with_surnames(text, start, end)


def _related_names(text: str) -> Iterator[tuple[int, int]]:
    """A capitalised word no list knows, when the parent relates it to themselves: "Kwame is my son"."""
    for match in NAME_WORD.finditer(text):
        start, end = _word_at(text, match.start()) or match.span()
        word = text[start:end]
        if word.lower().endswith("ly") or word.lower() in NOT_LOWERCASE_NAMES:
            continue  # "Sadly, my son...", "Everyone, my son included"
        if _is_name(word, lowercase_ok=False) and word[0].isupper() and IS_RELATED_AFTER.match(text, end):
            yield _with_surnames(text, start, end)


def _is_place(text: str, start: int, end: int) -> bool:
    """Whether a name is part of a place's: after "St", or before "School", "Hospital" and the like."""
    if SAINT_BEFORE.search(text, 0, start) or re.match(r"(?:St|Saint)\b", text[start:end], re.I):
        return True
    if POSSESSIVE.match(text[end : end + 2]):
        return False  # "Oliver's school" is his school
    position = end
    for _ in range(3):
        gap = SPACES.match(text, position)
        following = NAME_WORD.match(text, gap.end()) if gap else None
        if following is None:
            return False
        word = POSSESSIVE.sub("", following.group(0)).lower()
        if word in PLACE_WORDS:
            return True
        if not following.group(0)[0].isupper() or (word in NOT_NAMES and word not in PLACE_NAME_WORDS):
            return False  # "AMELIA HAS NO SCHOOL PLACE": a sentence goes on, not a place's name
        position = following.end()
    return False


def name_spans(text: str) -> set[tuple[int, int]]:
    """Where the names in `text` are (start, end), none of them part of a place's name."""
    candidates = {*_introduced_names(text), *_listed_names(text), *_related_names(text)}
    spans = {span for span in candidates if not _is_place(text, *span)}
    words: set[str] = set()
    for start, end in spans:
        for word in text[start:end].split():
            if len(word) > 2 and word.lower() not in COMMON_WORD_NAMES:
                words.update({word, word[0].upper() + word[1:]})
    for word in words:
        # The same name elsewhere in the message ("my son Jack ... Jack's teacher").
        spans.update(m.span() for m in re.finditer(rf"(?<![\w'’-]){re.escape(word)}(?![\w-])", text))
    return spans
