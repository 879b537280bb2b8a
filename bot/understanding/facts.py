"""Facts a parent gives in their own words, read from one message and from the whole conversation.

Pure: no I/O apart from the entity tables (bot/understanding/entities.py), and today is always passed in.

From one message (`read_message`): school type, need, year group and age (the model's own vocabulary,
data/nlu/entities.yml); EHC plan, SEN support or neither; whether the school put it in writing; whether
the council has agreed to assess (or refused); dates, through bot/law/parent_dates.py, each with its role (when the
assessment was asked for, when something started: "since September", or just a date); lengths of time
with their units ("3 weeks", "for 2 terms", "most afternoons for about 3 weeks" = part days over 3
weeks, never "3 school days"); and counts of school days, added up the way the law counts them ("2 days
in October and 4 days last week" = 6 school days this term).

As entities (`message_entities`): each fact under the name of the slot it fills; the NLU pipeline sets
them on every message (bot/rasa_ext/fact_extractor.py), so the slots hold the whole conversation and a later
message wins over an earlier one ("actually it's an academy"). From the slots (`from_slots`): the facts
the answers, forms and letters use, together with the forms' answers.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

from bot.law.calendar import format_date
from bot.law.deadlines import Deadline, ehc_assessment_deadlines, next_step_if_overdue
from bot.law.parent_dates import parse_parent_date
from bot.understanding import entities

SKIPPED = "skipped"


def is_real_answer(value: object) -> bool:
    """A value the parent actually gave: not empty and not a question they skipped."""
    return value not in (None, "", SKIPPED)


# The slots the facts live in (domain.yml), in the order they are shown back.
SLOTS = (
    "request_date",
    "council_decision",
    "school_type",
    "year_group",
    "child_age",
    "need_type",
    "support_level",
    "exclusion_recorded",
    "days_missed",
    "duration",
    "since_date",
    "date",
    "request_date_approx",
    "health_service",
)
# A message's extra school days ("another 2 days"), added to `days_missed` by the next answer.
DAYS_ADDED = "days_added"

# --------------------------------------------------------------------------------------------------
# Words and numbers

_NUMBERS = {
    word: str(number)
    for number, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
}
_NUMBERS.update({"thirty": "30", "forty": "40", "fifty": "50"})
_UNITS = r"(?:school days?|working days?|days?|half[ -]days?|afternoons?|mornings?|lunchtimes?|sessions?|weeks?|wks?|terms?|months?|years?|yrs?)"


def normalise(text: str) -> str:
    """Lower case, plain apostrophes, "n't" spelled out and number words as digits."""
    return _normalised(text)[0]


# Each step of normalise: (pattern, replacement). Every step keeps a map back to the parent's own text,
# so a fact found in the normalised words is an entity over the words the parent typed.
_NOT = r"(?:does|do|did|has|have|had|is|are|was|were|could|should|would)"
_RATE = r"(?<!hours )(?<!hour )(?<!times )(?<!days )(?<!sessions )(?<!once )(?<!twice )"
_STEPS: tuple[tuple[str, str], ...] = (
    ("\u2019|\u2018", "'"),
    ("\u00bd", ".5"),
    (r"\bcan'?t\b", "can not"),
    (r"\bwon't\b", "will not"),
    (r"n't\b", " not"),
    (rf"\b({_NOT})nt\b", r"\1 not"),  # "doesnt", typed fast
    (r"\b(?:a )?couple of\b", "2"),
    (r"\b(?:a )?fortnight\b", "2 weeks"),
    (r"\bhalf an? (day|week|term)\b", r"0.5 \1"),
    (r"\ban? (day|week|term|month|year) and a half\b", r"1.5 \1s"),
    (r"\b(?:" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")\b", "number"),
    (r"\b(\d+) and a half\b", r"\1.5"),
    # "2 hours of speech therapy a week" is a rate too, however many words come between.
    (
        r"(\d+ (?:hours?|hrs?|minutes?|mins?|sessions?|times?)\b[^.,;!?]{0,40}?) an? (day|week|term|month)\b",
        r"\1 per \2",
    ),
    # "a week" is 1 week, but "2 hours a day" and "3 days a week" are rates, not lengths of time.
    (rf"{_RATE}\ban? (day|week|term|month|year)\b", r"1 \1"),
    (r"\s+", " "),
)


def _normalised(text: str) -> tuple[str, list[int]]:
    """normalise(text), and for each of its characters the position in `text` it came from."""
    lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)  # one character for one
    cleaned, where = f" {lowered} ", [0, *range(len(text)), max(len(text) - 1, 0)]
    for pattern, replacement in _STEPS:
        out: list[str] = []
        mapped: list[int] = []
        last = 0
        for match in re.finditer(pattern, cleaned):
            out.append(cleaned[last : match.start()])
            mapped += where[last : match.start()]
            new = _NUMBERS[match.group(0)] if replacement == "number" else match.expand(replacement)
            width = max(match.end() - match.start(), 1)
            out.append(new)
            mapped += [where[min(match.start() + min(i, width - 1), len(where) - 1)] for i in range(len(new))]
            last = match.end()
        out.append(cleaned[last:])
        mapped += where[last:]
        cleaned, where = "".join(out), mapped
    first = len(cleaned) - len(cleaned.lstrip())
    stripped = cleaned.strip()
    return stripped, where[first : first + len(stripped)]


def weeks_and_days(days: int) -> str:
    """17 -> "2 weeks and 3 days"; 14 -> "2 weeks"; 3 -> "3 days"."""
    weeks, rest = divmod(abs(days), 7)
    parts = [f"{weeks} week{'s' if weeks != 1 else ''}"] if weeks else []
    if rest or not weeks:
        parts.append(f"{rest} day{'s' if rest != 1 else ''}")
    return " and ".join(parts)


# --------------------------------------------------------------------------------------------------
# Lengths of time


@dataclass(frozen=True)
class Span:
    """A length of time as the parent said it: 3 weeks, 2 terms, 4.5 school days, or part days
    ("most afternoons") over 3 weeks."""

    amount: float
    unit: str  # "school days", "weeks", "terms", "months" or "years"
    part: str | None = None  # "most afternoons", "mornings", "part days": only part of each day
    approximate: bool = False

    @property
    def length(self) -> str:
        """ "about 3 weeks" """
        unit = self.unit[:-1] if self.amount == 1 else self.unit
        return f"{'about ' if self.approximate else ''}{self.amount:g} {unit}"

    @property
    def text(self) -> str:
        """How it is shown back and kept in the `duration` slot: "most afternoons for about 3 weeks"."""
        return f"{self.part} for {self.length}" if self.part else self.length

    @property
    def school_days(self) -> float | None:
        """A count of whole school days; None for weeks or part days (the law counts school days)."""
        return self.amount if self.unit == "school days" and self.part is None else None

    @property
    def every_day(self) -> str:
        """ "every afternoon for about 3 weeks": what `full_day_offer` counts."""
        found = re.search(r"afternoon|morning|half day", self.part or "")
        return f"every {found.group(0) if found else 'school day'} for {self.length}"

    def full_day_offer(self) -> float | None:
        """What part days over whole weeks come to if it happened every day: "afternoons for 3 weeks" = 15
        afternoons = 7.5 school days (a morning or an afternoon is one of a school day's two sessions).
        Whole days over weeks: 5 school days a week. None when it can't be counted that way."""
        if self.unit != "weeks" or self.amount != int(self.amount):
            return None
        if self.part is None:
            return self.amount * 5
        if re.search(r"afternoon|morning|half", self.part):
            return self.amount * 5 * 0.5
        return None


_APPROX = (
    r"(?:about|around|roughly|approximately|approx|nearly|almost|over|more than|at least|just over|maybe|probably|~)"
)
_SPAN = re.compile(rf"(?:(?P<approx>{_APPROX})\s+)?(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>{_UNITS})\b")
_HALF_UNITS = re.compile(r"half|afternoon|morning|lunchtime|session")
_PART = re.compile(
    r"\b(?:(?:most|every|some|all|the|only|just)\s+)?(?:afternoons|mornings|lunchtimes|half days)\b|"
    r"\b(?:every|each) (?:afternoon|morning|lunchtime)\b|"
    r"\bpart[ -]time\b|\bpart of the day\b|\bpart days\b|\b\d+(?:\.\d+)? hours? (?:a|per|each) day\b"
)
# A span that is not the parent's own length of time: a date ("3 weeks ago"), a rate ("3 days a week"),
# an age ("7 years old"), or the law's own time limit ("within 6 weeks", "the 20 weeks are up").
_NOT_AFTER = re.compile(
    r"^\s*(?:ago|before|earlier|old|a week|a month|a term|per|each|every|deadline|limit|time limit|rule)\b"
)
_NOT_BEFORE = re.compile(r"(?:\bwithin|\bthe|\bby|\bunder|\d\s*(?:or|to|-))\s*$")
_OTHER_TERM = re.compile(r"\b(?:last|previous) (?:term|year|school year|academic year)\b|\bin year \d")
_ADDS = re.compile(r"\b(?:another|again|a further|second|extra|also)\b|\bmore\b(?! than)")


@dataclass(frozen=True)
class _Found:
    span: Span
    start: int
    end: int


def _spans(text: str) -> list[_Found]:
    found = []
    for match in _SPAN.finditer(text):
        if _NOT_AFTER.search(text[match.end() :]) or _NOT_BEFORE.search(text[: match.start()]):
            continue
        amount, unit = float(match.group("n")), match.group("unit")
        approximate = bool(match.group("approx")) or text[match.end() :].startswith(" or so")
        if _HALF_UNITS.search(unit):
            found.append(_Found(Span(amount / 2, "school days", approximate=approximate), *match.span()))
            continue
        unit = "school days" if "day" in unit else {"w": "weeks", "t": "terms", "m": "months"}.get(unit[0], "years")
        found.append(_Found(Span(amount, unit, approximate=approximate), *match.span()))
    return found


def read_span(text: str | None) -> Span | None:
    """The length of time in a message (or a `duration` slot), with part days when it says so."""
    if not text:
        return None
    cleaned = normalise(text)
    lengths = [f for f in _spans(cleaned) if f.span.school_days is None]
    days = [f for f in _spans(cleaned) if f.span.school_days is not None]
    chosen = (lengths or days or [None])[0]
    if chosen is None:
        return None
    part = _PART.search(cleaned)
    if part and chosen.span.unit != "school days":
        words = part.group(0)
        return replace(chosen.span, part="part days" if re.search(r"part|hours?", words) else words)
    return chosen.span


# --------------------------------------------------------------------------------------------------
# Dates

_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_DATE = re.compile(
    rf"(?<![\d/.])(?:\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?|\d{{1,2}}[.-]\d{{1,2}}[.-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}})(?![\d/.]*\d)"
    rf"|\b(?:{_DAY}\s+)?(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b(?:\s+\d{{4}})?"
    rf"|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?"
    rf"|\b(?:early|mid|late|the (?:start|beginning|middle|end) of|(?:start|beginning|middle|end) of)\s+{_MONTH}\b(?:\s+\d{{4}})?"
    rf"|\b(?:in|since|during|from|last|this)\s+{_MONTH}\b(?:\s+\d{{4}})?"
    rf"|\b(?:yesterday|today|last (?:{_DAY}|week|month)|(?:on|this|last) {_DAY})\b"
    rf"|\b(?:\d+(?:\.\d+)?|a) (?:days?|weeks?|months?) ago\b"
)
_SINCE = re.compile(r"\b(?:since|started(?: on| in)?|began(?: on| in)?|starting(?: on| in)?|from)\s+(?:the\s+)?$")
_NOT_A_DATE = re.compile(r"^(?:24/7|\d{1,2}/\d{1,2} (?:days|weeks))$")


@dataclass(frozen=True)
class When:
    """A date the parent gave: exact (the year may have been filled in) or rough ("in March")."""

    value: dt.date
    approximate: bool = False
    earliest: dt.date | None = None
    latest: dt.date | None = None

    @property
    def count_from(self) -> dt.date:
        """The day to count a time limit from: the last possible one for a rough date ("in March"), so a
        deadline is never said to have passed before it has."""
        return self.latest if self.approximate and self.latest else self.value

    @property
    def iso(self) -> str | None:
        """For a slot: exact dates only, so a letter never states a rough date as if it were exact."""
        return None if self.approximate else self.value.isoformat()

    def text(self) -> str:
        if self.approximate and self.earliest and self.latest and (self.latest - self.earliest).days >= 27:
            return f"in {self.earliest:%B %Y}"
        return f"{'around ' if self.approximate else 'on '}{format_date(self.value)}"


def read_date(text: str, today: dt.date) -> When | None:
    """One date phrase through bot/law/parent_dates.py; None unless it is a past date, exact or rough."""
    parsed = parse_parent_date(text, today)
    if parsed.kind not in ("exact", "approximate") or parsed.value is None:
        return None
    return When(parsed.value, parsed.kind == "approximate", parsed.earliest, parsed.latest)


def _when_iso(value: object) -> When | None:
    try:
        return When(dt.date.fromisoformat(str(value)))
    except ValueError:
        return None


def rough_slot(when: When) -> str:
    """A rough date for its own slot: "2026-03-01/2026-03-31" ("in March") or "2026-11-27" ("last week")."""
    if when.earliest and when.latest:
        return f"{when.earliest.isoformat()}/{when.latest.isoformat()}"
    return when.value.isoformat()


def _rough_when(value: object) -> When | None:
    try:
        parts = [dt.date.fromisoformat(p) for p in str(value).split("/")]
    except ValueError:
        return None
    if len(parts) == 2:
        return When(parts[0], True, parts[0], parts[1])
    return When(parts[0], True) if len(parts) == 1 else None


# --------------------------------------------------------------------------------------------------
# What happened, in words

_REQUEST = re.compile(
    r"\b(?:ask(?:ed)?|appl(?:y|ied)|request(?:ed)?|sent|submitted|put in|made|emailed|wrote)\b.{0,60}?"
    r"\b(?:assessment|ehc ?n?a|ehcp|ehc plan|education,? health and care)\b"
    r"|\b(?:assessment|ehcna|ehcp|ehc) (?:request|application)\b"
    r"|\b(?:got|received|had) (?:our|my|the) (?:request|application)\b"
    r"|\b(?:sent|made|put in|submitted) (?:the|our|my|a) request\b"
)
_ASSESSING = re.compile(
    r"\b(?:agreed|decided|said (?:yes|they will|they would|it will)|have agreed|has agreed|are going|is going)"
    r"\s+(?:to\s+)?(?:carry out |do |start |go ahead with )?(?:an? |the )?(?:ehc |ehc needs |needs )?assess"
    r"|\bassessment (?:is|has been) (?:agreed|going ahead|under ?way|started)\b|\b(?:is|are) (?:now )?being assessed\b"
)
_REFUSED = re.compile(
    r"\b(?:refused|declined|turned down|rejected|said no to|will not|not going to|decided not to)\b.{0,30}?"
    r"\b(?:assess|assessment|request|ehc ?n?a)"
)
_WHETHER = re.compile(r"\b(?:if|whether|until|when)\b[^.]{0,25}$")
_NOT_WRITTEN = re.compile(
    r"\b(?:no|nothing|never|not|without)\s+(?:\w+\s+){0,3}?(?:in writing|written|wrote|writing|letter|email|"
    r"paperwork|official|formal)"
    r"|\bunofficial(?:ly)?\b|\bverbal(?:ly)?\b|\boff the record\b|\bnot formally\b"
)
_WRITTEN = re.compile(
    r"\b(?:got|had|received|have|sent|given|gave|handed)\s+(?:\w+\s+){0,3}?(?:letter|email|written notice|"
    r"notice in writing)\b|\b(?:put|confirmed|gave us|gave me) (?:it )?in writing\b|\bemailed (?:me|us)\b"
    r"|\b(?:exclusion|suspension) letter\b|\bletter (?:from|saying|said)\b"
)
# "No letter" is about an exclusion only in a message about one (or in one that names nothing else).
_ABOUT_EXCLUSION = re.compile(
    r"\bexclu|\bsuspen|\bsen(?:t|d|ding) (?:him|her|them|my \w+) home\b|\bsent home\b|\bcollect (?:him|her|them)\b|"
    r"\bpick (?:him|her|them) up\b|\bpart[ -]time\b|\btimetable\b|\boff[ -]roll"
)
_ABOUT_COUNCIL = re.compile(r"\bcouncil\b|\bla\b|\blocal authority\b|\behc|\bassessment\b|\bplan\b|\btribunal\b")
_PLAN = r"(?:ehcp|ehc plan|education,? health and care plan|statement)"
_HAS_PLAN = re.compile(
    rf"\b(?:has|have|had|got|with|on|holds?)\s+(?:an?\s+|his\s+|her\s+|their\s+)?{_PLAN}\b"
    rf"|\b(?:his|her|their|my child's|son's|daughter's)\s+{_PLAN}\b|\b{_PLAN} (?:says|states|names|is in place)\b"
)
_NO_PLAN = re.compile(
    rf"\b(?:no|not|without|waiting for|asked for|applying for|apply for|request(?:ed|ing)?(?: for)?|needs?)\s+"
    rf"(?:\w+\s+){{0,2}}?{_PLAN}\b"
)
_SEN_SUPPORT = re.compile(r"\b(?:sen|send) support\b|\bsen register\b|\bon the register\b")
_NO_SUPPORT = re.compile(r"\b(?:no|not on|without|not getting|not had)\s+(?:any\s+)?(?:sen |send )?support\b")


def read_support_level(text: str | None, answer: bool = False) -> str | None:
    """ "ehc_plan", "sen_support" or "neither".

    `answer`: the text answers "EHC plan, SEN support or neither?", so a bare "EHCP" or "no" is enough.
    In a message about something else only a plain statement counts: "we asked for an EHCP" is no plan.
    """
    if not text:
        return None
    cleaned = normalise(text)
    if answer:
        if re.search(r"\b(?:neither|none|nothing|no support|no plan|no ehc|not on (?:the )?sen)\b", cleaned):
            return "neither"
        if re.search(r"\b(?:ehcp|ehc|education,? health and care|statement)\b", cleaned):
            return "ehc_plan"
        if _SEN_SUPPORT.search(cleaned) or re.search(r"\b(?:senco support|support plan)\b", cleaned):
            return "sen_support"
        return "neither" if re.fullmatch(r"no\.?", cleaned) else None
    if _HAS_PLAN.search(cleaned) and not _NO_PLAN.search(cleaned):
        return "ehc_plan"
    if _NO_SUPPORT.search(cleaned) and _NO_PLAN.search(cleaned):
        return "neither"
    if _SEN_SUPPORT.search(cleaned) and not _NO_SUPPORT.search(cleaned):
        return "sen_support"
    return None


def read_written(text: str | None) -> str | None:
    """Whether the school put it in writing: "no" ("nothing in writing", "no letter", "they never wrote
    anything down"), "yes" ("I got a letter") or None when the message doesn't say."""
    cleaned = normalise(text or "")
    if _NOT_WRITTEN.search(cleaned):
        return "no"
    return "yes" if _WRITTEN.search(cleaned) else None


def read_council_decision(text: str | None) -> str | None:
    """ "assessing" when the council has agreed to assess, "refused" when it said no, else None."""
    cleaned = normalise(text or "")
    for pattern, decision in ((_REFUSED, "refused"), (_ASSESSING, "assessing")):
        match = pattern.search(cleaned)
        if match and not _WHETHER.search(cleaned[: match.start()]):
            return decision
    return None


# --------------------------------------------------------------------------------------------------
# School terms, for adding up days


def _term(day: dt.date) -> tuple[int, str]:
    """(school year, term) by month. April, between the spring and summer terms, is its own period."""
    year = day.year if day.month >= 9 else day.year - 1
    name = {9: "autumn", 10: "autumn", 11: "autumn", 12: "autumn", 1: "spring", 2: "spring", 3: "spring", 4: "april"}
    return year, name.get(day.month, "summer")


def _this_term(context: str, today: dt.date) -> bool:
    """False when the words after a number of days put it in another term ("last term", "in June")."""
    if _OTHER_TERM.search(context):
        return False
    phrase = _DATE.search(context)
    when = read_date(phrase.group(0), today) if phrase else None
    return when is None or _term(when.earliest or when.value) == _term(today)


# --------------------------------------------------------------------------------------------------
# One message


@dataclass(frozen=True)
class MessageFacts:
    values: Mapping[str, str] = field(default_factory=dict)  # school_type, need_type, support_level...
    request: When | None = None
    since: When | None = None
    date: When | None = None
    duration: Span | None = None
    days: tuple[float, ...] = ()  # school days this term, to add up
    adds: bool = False  # "another 2 days": added to the days said before


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?;])\s+|\n+", text) if s.strip()]


def _dates(sentence: str, today: dt.date) -> tuple[When | None, When | None, When | None]:
    """(request, since, other) dates in one sentence."""
    request = since = other = None
    asked = _REQUEST.search(sentence)
    for match in _DATE.finditer(sentence):
        phrase = match.group(0)
        if _NOT_A_DATE.match(phrase):
            continue
        when = read_date(re.sub(r"^(?:since|from|in|during)\s+", "", phrase), today)
        if when is None:
            continue
        starts = _SINCE.search(sentence[: match.start()]) or phrase.startswith(("since", "from"))
        if starts and since is None:
            since = when
        elif asked and request is None and match.start() >= asked.start() - 40:
            request = when
        elif other is None:
            other = when
    return request, since, other


def _days(cleaned: str, today: dt.date) -> tuple[float, ...]:
    """Counts of school days in the message that fall in this term, each once."""
    found = [f for f in _spans(cleaned) if f.span.school_days is not None]
    counted = []
    for index, item in enumerate(found):
        end = found[index + 1].start if index + 1 < len(found) else len(cleaned)
        begin = found[index - 1].end if index else 0
        # The words that place these days: after them up to "and", a comma or the end of the sentence
        # ("2 days in October and ..."), else before them back to the same ("... in June for 4 days").
        after = _CLAUSE.split(cleaned[item.end : end], maxsplit=1)[0]
        before = _CLAUSE.split(cleaned[begin : item.start])[-1]
        if _this_term(after if _PLACED.search(after) else before, today):
            counted.append(item.span.school_days)
    return tuple(c for c in counted if c is not None)


_CLAUSE = re.compile(r"[.!?;,\n]| and | then | but ")
_PLACED = re.compile(
    rf"{_MONTH}|\b(?:term|year|week|yesterday|today|ago|monday|tuesday|wednesday|thursday|friday)\b|\d"
)


_STATED_RULE = re.compile(
    r"\b(?:has|have|need|needs|must|got) to (?:have|do|wait|try|complete)\b.*\bbefore\b"
    r"|\b(?:wait|until|before) (?:we|you|i|they) (?:can|could|are allowed to) (?:ask|apply|request)\b"
)


@lru_cache(maxsize=2048)
def read_message(text: str, today: dt.date) -> MessageFacts:
    """Every fact in one message. Cached: a conversation's messages are read again on each turn."""
    if not text or text.startswith("/"):
        return MessageFacts()  # a button's payload, not the parent's words
    cleaned = normalise(text)
    # A rule the school or council stated ("he has to have a term of SEN support before we can ask") is
    # not a fact about this child: its support and its length of time are left out.
    own = " ".join(s for s in _sentences(text) if not _STATED_RULE.search(normalise(s)))
    values = {
        "school_type": entities.read_school_type(text),
        "need_type": entities.read_need_type(text),
        "year_group": entities.read_year_group(text),
        "child_age": entities.read_child_age(text),
        "support_level": read_support_level(own),
        "exclusion_recorded": read_written(text)
        if _ABOUT_EXCLUSION.search(cleaned) or not _ABOUT_COUNCIL.search(cleaned)
        else None,
        "council_decision": read_council_decision(text),
        "health_service": entities.read_health_service(text),
    }
    request = since = date = None
    for sentence in _sentences(cleaned):
        found = _dates(sentence, today)
        request, since, date = request or found[0], since or found[1], date or found[2]
    span = read_span(own)
    days = _days(cleaned, today)
    if len(days) > 1:
        date = None  # "2 days in October and 4 days last week": the dates only place the days
    return MessageFacts(
        values={k: v for k, v in values.items() if v},
        request=request,
        since=since,
        date=date,
        duration=span if span and span.school_days is None else None,
        days=days,
        adds=bool(_ADDS.search(cleaned)),
    )


# --------------------------------------------------------------------------------------------------
# The whole conversation


@dataclass(frozen=True)
class Facts:
    """What the conversation has told us so far."""

    values: Mapping[str, str] = field(default_factory=dict)
    request: When | None = None
    since: When | None = None
    date: When | None = None
    duration: Span | None = None
    days: tuple[float, ...] = ()  # school days this term, in the order they were given

    @property
    def days_this_term(self) -> float | None:
        return sum(self.days) if self.days else None

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def __bool__(self) -> bool:
        return bool(self.values or self.request or self.since or self.date or self.duration or self.days)

    def told(self, message: MessageFacts) -> Facts:
        """These facts updated by a newer message: what it says replaces what was said before, apart
        from days it says are extra ("another 2 days"), which are added."""
        days = self.days
        if message.days:
            days = self.days + message.days if message.adds else message.days
        return Facts(
            values={**self.values, **message.values},
            request=message.request or self.request,
            since=message.since or self.since,
            date=message.date or self.date,
            duration=message.duration or self.duration,
            days=days,
        )

    def with_slot(self, name: str, value: object) -> Facts:
        """These facts with a slot's value, as a form answer or an earlier turn stored it."""
        if not is_real_answer(value) or name not in SLOTS:
            return self
        text = str(value)
        if name in ("request_date", "since_date", "date"):
            when = _when_iso(text)
            if when is None:
                return self
            if name == "request_date":
                return replace(self, request=when)
            return replace(self, since=when) if name == "since_date" else replace(self, date=when)
        if name == "request_date_approx":
            when = _rough_when(text)
            return replace(self, request=when) if when and self.request is None else self
        if name == "duration":
            span = read_span(text)
            if span is None or span.school_days is not None:
                return self
            # The model's own extractor may store "3 weeks" out of "most afternoons for about 3 weeks".
            same = self.duration and (self.duration.amount, self.duration.unit) == (span.amount, span.unit)
            return self if same else replace(self, duration=span)
        if name == "school_type" and text not in entities.SCHOOL_TYPES:
            return self  # e.g. "other", from older form answers
        if name in ("year_group", "child_age"):
            read = entities.read_year_group if name == "year_group" else entities.read_child_age
            text = read(text) or text
        if name == "days_missed":
            days = _days_slot(text)
            return self if days is None or self.days_this_term == sum(days) else replace(self, days=days)
        return replace(self, values={**self.values, name: text})

    def slots(self) -> dict[str, str | None]:
        """The slot values these facts give (rough dates are not stored: letters state only exact ones)."""
        total = self.days_this_term
        return {
            **{name: self.values.get(name) for name in SLOTS},
            "request_date": self.request.iso if self.request else None,
            "request_date_approx": rough_slot(self.request) if self.request and self.request.approximate else None,
            # "Since September" is kept as 1 September: the start the parent gave, shown back as such.
            "since_date": self.since.value.isoformat() if self.since else None,
            "date": self.date.iso if self.date else None,
            "duration": self.duration.text if self.duration else None,
            "days_missed": f"{total:g}" if total is not None else None,
            DAYS_ADDED: None,  # added into days_missed above
        }


def from_slots(slots: Mapping[str, object]) -> Facts:
    """The facts of a conversation as its slots hold them. The NLU pipeline fills the slots from each
    message (bot/rasa_ext/fact_extractor.py, through the slot mappings in domain.yml); the forms fill the rest.

    An exact request date wins over a rough one; the deadline form's date for an EHC request is the
    request date; extra school days from the latest message ("another 2 days") are added to the total.
    """
    found = Facts()
    for name in SLOTS:
        found = found.with_slot(name, slots.get(name))
    if found.request is None and slots.get("deadline_kind") == "ehc_request":
        found = found.with_slot("request_date", slots.get("deadline_date"))
    added = _days_slot(slots.get(DAYS_ADDED))
    if added is not None:
        found = replace(found, days=(*found.days, *added))
    return found


def _days_slot(value: object) -> tuple[float, ...] | None:
    """ "6" or "2 + 4" (one message's days, before the answer adds them up) -> (6,) or (2, 4)."""
    if not is_real_answer(value):
        return None
    try:
        days = tuple(float(part) for part in str(value).split("+"))
    except ValueError:
        return None
    return days if all(math.isfinite(d) and d >= 0 for d in days) else None


def message_entities(text: str, today: dt.date) -> list[dict[str, object]]:
    """One message's facts as entities named after the slots they fill (domain.yml `from_entity`), each
    over the words that say it ("nothing in writing", "since September", "2 days ... 4 days")."""
    said = read_message(text, today)
    if not said.values and not (said.request or said.since or said.date or said.duration or said.days):
        return []
    cleaned, where = _normalised(text)
    values: dict[str, object] = dict(said.values)
    spans = {name: _evidence(name, str(value), cleaned) for name, value in said.values.items()}
    for name, when in (("request_date", said.request), ("since_date", said.since), ("date", said.date)):
        if when is None or (name == "date" and when.iso is None):
            continue
        if name == "request_date" and when.approximate:
            name = "request_date_approx"
        values[name] = rough_slot(when) if name == "request_date_approx" else when.value.isoformat()
        spans[name] = _date_evidence(when, cleaned, today)
    found = _spans(cleaned)
    if said.duration is not None:
        values["duration"] = said.duration.text
        lengths = [f for f in found if f.span.school_days is None]
        part = _PART.search(cleaned) if said.duration.part else None
        spans["duration"] = (
            (min(lengths[0].start, part.start() if part else lengths[0].start), lengths[0].end) if lengths else None
        )
    if said.days:
        name = DAYS_ADDED if said.adds else "days_missed"
        # "2 + 4": the parts stay visible until the answer shows them back and stores the total.
        values[name] = " + ".join(f"{d:g}" for d in said.days)
        counted = [f for f in found if f.span.school_days is not None]
        spans[name] = (counted[0].start, counted[-1].end) if counted else None
    entities = []
    for name, value in values.items():
        start, end = _original(spans.get(name), where, len(text))
        entities.append({"entity": name, "value": value, "start": start, "end": end})
    return sorted(entities, key=lambda e: (e["start"], e["end"]))


_EVIDENCE: dict[tuple[str, str], tuple[re.Pattern[str], ...]] = {
    ("support_level", "ehc_plan"): (_HAS_PLAN,),
    ("support_level", "neither"): (_NO_SUPPORT, _NO_PLAN),
    ("support_level", "sen_support"): (_SEN_SUPPORT,),
    ("exclusion_recorded", "no"): (_NOT_WRITTEN,),
    ("exclusion_recorded", "yes"): (_WRITTEN,),
    ("council_decision", "refused"): (_REFUSED,),
    ("council_decision", "assessing"): (_ASSESSING,),
}


def _evidence(name: str, value: str, cleaned: str) -> tuple[int, int] | None:
    """Where a fact is said in the cleaned text."""
    if name in entities.VOCABULARY_ENTITIES:
        return entities.first_span(name, cleaned)
    for pattern in _EVIDENCE.get((name, value), ()):
        match = pattern.search(cleaned)
        if match:
            return _trimmed(cleaned, match.start(), match.end())
    return None


def _date_evidence(when: When, cleaned: str, today: dt.date) -> tuple[int, int] | None:
    for match in _DATE.finditer(cleaned):
        phrase = re.sub(r"^(?:since|from|in|during)\s+", "", match.group(0))
        if read_date(phrase, today) == when:
            return match.span()
    return None


def _trimmed(cleaned: str, start: int, end: int) -> tuple[int, int]:
    while start < end and cleaned[start] == " ":
        start += 1
    while end > start and cleaned[end - 1] == " ":
        end -= 1
    while end < len(cleaned) and cleaned[end].isalnum():  # "assess" -> "assessment": whole words
        end += 1
    return start, end


def _original(span: tuple[int, int] | None, where: list[int], length: int) -> tuple[int, int]:
    """A span of the cleaned text as a span of the parent's text (the whole message if unknown)."""
    if span is None or span[0] >= span[1] or span[1] > len(where):
        return 0, length
    return where[span[0]], where[span[1] - 1] + 1


# --------------------------------------------------------------------------------------------------
# Shown back to the parent

_SUPPORT = {
    "ehc_plan": "your child has an EHC plan",
    "sen_support": "your child gets SEN support",
    "neither": "no EHC plan or SEN support",
}


def since_text(since: When, today: dt.date) -> str:
    """ "13 weeks and 3 days, since 1 September 2026" """
    return f"{weeks_and_days((today - since.value).days)}, since {since.value.day} {since.value:%B %Y}"


def days_text(days: tuple[float, ...]) -> str:
    """(2, 4) -> "2 + 4 = 6 school days this term" """
    total = sum(days)
    unit = "school day" if total == 1 else "school days"
    if len(days) == 1:
        return f"{total:g} {unit} this term"
    return f"{' + '.join(f'{d:g}' for d in days)} = {total:g} {unit} this term"


def shown_back(facts: Facts, today: dt.date) -> str | None:
    """ "From what you told me: ..." with each fact used, so the parent can spot a mistake."""
    parts = []
    if facts.request:
        parts.append(f"you asked for the EHC needs assessment {facts.request.text()}")
    decision = facts.get("council_decision")
    if decision:
        parts.append("the council has agreed to assess" if decision == "assessing" else "the council said no")
    if facts.get("school_type"):
        parts.append(f"the school is {entities.school_type_phrase(facts.values['school_type'], True)}")
    if facts.get("year_group"):
        parts.append(facts.values["year_group"])
    if facts.get("child_age"):
        parts.append(f"your child is {facts.values['child_age']}")
    if facts.get("need_type"):
        parts.append(facts.values["need_type"])
    if facts.get("health_service"):
        parts.append(facts.values["health_service"])
    if facts.get("support_level") in _SUPPORT:
        parts.append(_SUPPORT[facts.values["support_level"]])
    recorded = facts.get("exclusion_recorded")
    if recorded:
        parts.append("you got it in writing" if recorded == "yes" else "nothing in writing")
    if facts.days:
        parts.append(days_text(facts.days))
    if facts.duration:  # "how long" says what the bare words ("6 months") are, next to the other facts
        parts.append(f"how long: {facts.duration.text}")
    if facts.since:
        parts.append(since_text(facts.since, today))
    if facts.date and facts.date != facts.request:
        parts.append(f"a date you gave: {facts.date.text().removeprefix('on ')}")
    return "From what you told me: " + "; ".join(parts) + "." if parts else None


def tailoring_values(facts: Facts, rules: object) -> dict[str, str | None]:
    """The facts an article's `tailoring` rules read (bot/content/tailoring.py).

    `duration`: school days when the parent gave them (all of this term's, added up); a length in weeks
    or months only for articles whose rules count weeks, never for rules that count school days: part
    days over 3 weeks are not 21 school days. A part of a day is rounded up, which keeps "more than N
    days" exact for whole N (5.5 > 5 and 6 > 5).
    """
    whens = [r.get("when") or {} for r in rules if isinstance(r, Mapping)] if isinstance(rules, list) else []
    counts_days = any(isinstance(w, Mapping) and any(str(k).startswith("days_") for k in w) for w in whens)
    duration = None
    if facts.days_this_term is not None:
        duration = f"{math.ceil(facts.days_this_term)} school days"
    elif facts.duration and not counts_days and facts.duration.unit in ("weeks", "months"):
        duration = f"{facts.duration.amount:g} {facts.duration.unit}"
    return {name: facts.get(name) for name in ("school_type", "need_type", "year_group")} | {"duration": duration}


# --------------------------------------------------------------------------------------------------
# The council's time limits from the request date (SEND Regulations 2014, bot/law/deadlines.py)

# What each time limit that can be missed is called in the chase letter (its `missed_deadline` blank).
MISSED_DEADLINES = {
    "ehc_decision_to_assess": "the 6-week deadline to decide whether to assess",
    "ehc_final_plan": "the 20-week deadline for the final plan",
}


def current_ehc_deadline(facts: Facts, start: dt.date | None = None) -> Deadline | None:
    """The council's time limit that applies now: the 6-week decision until the parent says the council
    has agreed to assess, then the 20-week final plan. Never the ones that are only conditions."""
    if facts.request is None or facts.get("council_decision") == "refused":
        return None
    assessing = facts.get("council_decision") == "assessing"
    applying = [
        d
        for d in ehc_assessment_deadlines(start or facts.request.value, council_assessing=assessing)
        if d.applies_now and d.key in MISSED_DEADLINES
    ]
    return applying[0] if applying else None


def missed_ehc_deadline(facts: Facts, today: dt.date) -> Deadline | None:
    """That time limit, if it has passed, counted from an exact request date only (letters state it)."""
    deadline = current_ehc_deadline(facts) if facts.request and not facts.request.approximate else None
    return deadline if deadline and deadline.due and deadline.due < today else None


def request_status(facts: Facts, today: dt.date) -> tuple[str, str] | None:
    """Whether the council is within time or how long overdue (with its source), and what to do next.

    A rough date ("in March") is counted from its last possible day, so "late" is never overstated; an
    "around" date ("3 weeks ago") says "about".
    """
    request = facts.request
    if request is None:
        return None
    ranged = request.approximate and request.latest is not None
    deadline = current_ehc_deadline(facts, request.count_from)
    if deadline is None or deadline.due is None:
        return None
    about = "about " if request.approximate and not ranged else ""
    weeks = 20 if deadline.key == "ehc_final_plan" else 6
    duty = "send you the final EHC plan" if weeks == 20 else "tell you whether it will carry out the assessment"
    due = f"{'around ' if about else ''}{format_date(deadline.due)}{' at the latest' if ranged else ''}"
    asked = f"You asked for the EHC needs assessment {request.text()}"
    if not ranged:
        asked += f", {about}{weeks_and_days((today - request.value).days)} ago"
    council = "The council has agreed to assess, so it" if weeks == 20 else "The council"
    source = f"Source: [{deadline.citation}]({deadline.url})"
    left = (deadline.due - today).days
    if left < 0:
        verdict = "if your date is right, the council is late" if about else "so the council is late"
        passed = f"That date passed {about}{weeks_and_days(-left)} ago, {verdict}."
        text = f"{asked}. {council} had {weeks} weeks from getting your request to {duty}: until {due}. {passed}"
        return f"{text}\n{source}", next_step_if_overdue(deadline, today) or ""
    when = "today" if left == 0 else f"in {about}{weeks_and_days(left)}"
    text = f"{asked}. {council} has {weeks} weeks from getting your request to {duty}: until {due}, {when}."
    return f"{text}\n{source}", WITHIN_TIME


WITHIN_TIME = "Keep a note of that date. If you have heard nothing by then, the council is late: write and ask why."
