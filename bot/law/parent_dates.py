"""Read a date the way a parent types it, without ever guessing silently.

UK day-first: "12/01/2026" is 12 January 2026. Anything we are not sure about comes
back with a short, kind question the bot can ask. We parse explicit day/month/year
forms ourselves (so we can say *why* "31/02/2026" is impossible, and so ISO dates are
not read day-first), and hand relative phrases ("yesterday", "5 months ago") to
``dateparser`` with DATE_ORDER='DMY', PREFER_DATES_FROM='past' and today as the base.

Kinds:
  exact       one clear date (``question`` may still ask to confirm a filled-in part)
  approximate a rough date ("about 5 months ago", "in March"); ``value`` is the best
              single date and ``earliest``/``latest`` give the range when known
  ambiguous   more than one reasonable reading; ``candidates`` lists them
  impossible  looks like a date but cannot exist (31/02/2026, month 13)
  not_a_date  no date found
  future      a past date was expected but this one has not happened yet
  implausible a real date, but not one this can be about: more than 25 years ago (SEND law covers
              children and young people up to 25), or more than a year ahead for something that has
              happened (5 years for something expected); "10000 years ago" and year 1 end up here
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import MINYEAR, date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from dateparser.date import DateDataParser
from dateparser.search import search_dates

from bot.law.calendar import days_in_month, format_date  # one UK date style across the bot
from bot.text import NUMBER_WORDS

ENGLAND = ZoneInfo("Europe/London")


def england_today(now: datetime | None = None) -> date:
    """Today in England, where every time limit is counted and relative dates ("last week") are read."""
    return (now or datetime.now(ENGLAND)).astimezone(ENGLAND).date()


DateKind = Literal["exact", "approximate", "ambiguous", "impossible", "not_a_date", "future", "implausible"]

# A day and month with no year: the expected reading (usually the most recent one) is
# taken without asking if it is within about 6 months. Beyond that we confirm the year,
# and if the other reading is within about 2 months we ask which one is meant.
_YEAR_GUESS_WINDOW_DAYS = 183
_OTHER_READING_WINDOW_DAYS = 62
# The dates an answer can plausibly mean (issue 14, point 8): nothing SEND law deals with happened more than
# 25 years ago, and a past event is at most a slip of a year in the future (an expected one, 5 years).
_YEARS_BACK = 25
_YEARS_AHEAD = {True: 1, False: 5}  # by expect_past


@dataclass(frozen=True)
class ParsedDate:
    kind: DateKind
    text: str
    value: date | None = None
    candidates: tuple[date, ...] = ()
    earliest: date | None = None
    latest: date | None = None
    approximate: bool = False
    # Parts we filled in ourselves, e.g. ("year",) for "3rd March".
    assumed: tuple[str, ...] = ()
    question: str | None = None
    reason: str | None = None

    @property
    def is_certain(self) -> bool:
        """True only for an exact date with nothing left to confirm."""
        return self.kind == "exact" and self.question is None


# --------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------

_MONTHS: dict[str, int] = {}
for _number in range(1, 13):
    _MONTHS[calendar.month_name[_number].lower()] = _number
    _MONTHS[calendar.month_abbr[_number].lower()] = _number
_MONTHS["sept"] = 9
# Longest first so "march" wins over "mar".
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")(?![a-z])\.?"

_WEEKDAYS: dict[str, int] = {}
for _number in range(7):
    _WEEKDAYS[calendar.day_name[_number].lower()] = _number
    _WEEKDAYS[calendar.day_abbr[_number].lower()] = _number
_WEEKDAYS.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 4})
_WEEKDAY = "(" + "|".join(sorted(_WEEKDAYS, key=len, reverse=True)) + r")(?![a-z])\.?"

_ORD = r"(?:st|nd|rd|th)?"

_HEDGE_RE = re.compile(
    r"\b(?:about|around|roughly|approximately|approx|circa|sometime|some time|"
    r"or so|give or take|ish)\b|-ish\b"
)
_UNSURE_RE = re.compile(
    r"\b(?:don'?t know|do not know|dont know|not sure|no idea|can'?t remember|"
    r"cannot remember|don'?t remember|idk|unsure)\b"
)
_ISO_RE = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_NUMERIC_RE = re.compile(r"(?<!\d)(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2,3})(?!\d)")
_NUMERIC_NO_YEAR_RE = re.compile(r"(?<![\d.])(\d{1,2})[/.](\d{1,2})(?![\d/.])(?!\s*(?:day|week|month|year|hour))")
_DAY_MONTH_RE = re.compile(
    rf"(?:\b{_WEEKDAY}\s*,?\s+)?(?:the\s+)?(?<!\d)(\d{{1,2}}){_ORD}\s+(?:of\s+)?"
    rf"{_MONTH}(?:\s*,?\s*(\d{{4}}|'?\d{{2}})(?!\d))?"
)
_MONTH_DAY_RE = re.compile(
    rf"(?:\b{_WEEKDAY}\s*,?\s+)?\b{_MONTH}\s+(?:the\s+)?(\d{{1,2}}){_ORD}(?![\d])"
    rf"(?:\s*,?\s*(\d{{4}})(?!\d))?"
)
_TWO_DAYS_ONE_MONTH_RE = re.compile(
    rf"(?<!\d)(\d{{1,2}}){_ORD}\s*(?:or|and|to|-|–|&)\s*(?:the\s+)?(\d{{1,2}}){_ORD}"
    rf"\s+(?:of\s+)?{_MONTH}(?:\s*,?\s*(\d{{4}})(?!\d))?"
)
_MONTH_ONLY_RE = re.compile(
    r"(?:\b(early|beginning of|start of|mid|middle of|late|end of)\s*-?\s*)?"
    rf"(?:\b(last|this|next)\s+)?\b{_MONTH}(?:\s*,?\s*(\d{{4}})(?!\d))?"
)
_WEEKDAY_RE = re.compile(rf"\b(?:(last|this|next|on)\s+)?{_WEEKDAY}(?:\s+(last week|this week|next week))?")
_DAY_ONLY_RE = re.compile(r"(?:\bthe\s+(\d{1,2})(?:st|nd|rd|th)?\b|(?<!\d)(\d{1,2})(?:st|nd|rd|th)\b|^(\d{1,2})$)")
_RELATIVE_MONTH_RE = re.compile(
    r"(?:\b(early|beginning of|start of|mid|middle of|late|end of)\s*-?\s*(?:the\s+)?)?\b(last|this) month\b"
)
_MAY_VERB_RE = re.compile(r"\bmay\s+(?:have|be|been|not|i|we|he|she|they|it)\b")
_YEAR_ONLY_RE = re.compile(r"^(?:in\s+|during\s+|sometime in\s+)?(\d{4})$")


# --------------------------------------------------------------------------------------
# Questions
# --------------------------------------------------------------------------------------

_NOT_A_DATE_Q = (
    "Sorry, I couldn't spot a date in that. What was the date? For example "
    "12/01/2026 or 12 January 2026. If you're not sure, roughly when is fine."
)
_UNSURE_Q = (
    "That's okay. Roughly when was it, for example the month, or how many weeks "
    "ago? If you have a letter or email about it, the date on it would help."
)


def _confirm_q(value: date) -> str:
    return f"Just to check: do you mean {format_date(value)}?"


def _which_q(candidates: tuple[date, ...], intro: str) -> str:
    options = " or ".join(format_date(d) for d in candidates)
    return f"{intro} Which one do you mean: {options}?"


# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _expand_year(text: str) -> int:
    digits = text.lstrip("'")
    # Two-digit years are this century: parents write "26" for 2026. "0001" is year 1, not 2001.
    return 2000 + int(digits) if len(digits) <= 2 else int(digits)


def _years_from(day: date, years: int) -> date:
    return _safe_date(day.year + years, day.month, day.day) or date(day.year + years, day.month, 28)


def _implausible(raw: str, when: str, early: bool, expect_past: bool) -> ParsedDate:
    """A kind question back for a date this can't be about (`when`: how the date reads)."""
    ahead = _YEARS_AHEAD[expect_past]
    span = (
        f"more than {_YEARS_BACK} years ago"
        if early
        else f"more than {'a year' if ahead == 1 else f'{ahead} years'} from now"
    )
    reason = f"{when} is {span}"
    return ParsedDate(
        kind="implausible",
        text=raw,
        question=f"{reason}, so I may have misread it. Could you check the date? For example 12/01/2026.",
        reason=reason,
    )


def _no_such_year(raw: str, year: int) -> ParsedDate | None:
    """Year 0 ("0000") has no dates at all: say so before trying to make one."""
    return _implausible(raw, f"The year {year}", True, True) if year < MINYEAR else None


def _flag_implausible(result: ParsedDate, today: date, expect_past: bool) -> ParsedDate:
    if result.value is None:
        return result
    earliest, latest = _years_from(today, -_YEARS_BACK), _years_from(today, _YEARS_AHEAD[expect_past])
    if earliest <= result.value <= latest:
        return result
    return _implausible(result.text, format_date(result.value), result.value < earliest, expect_past)


def _impossible_reason(day: int, month: int, year: int | None) -> str | None:
    """Why a day/month(/year) cannot exist, or None if it can."""
    if not 1 <= month <= 12:
        return f"There isn't a month {month}: months go from 1 to 12."
    name = calendar.month_name[month]
    if day < 1:
        return "There isn't a day 0 in any month."
    if day > 31:
        return f"There isn't a day {day} in any month."
    if year is None:
        limit = 29 if month == 2 else days_in_month(2001, month)
        if day > limit:
            if month == 2:
                return "February only has 28 days (29 in a leap year)."
            return f"{name} only has {limit} days."
        return None
    limit = days_in_month(year, month)
    if day > limit:
        if month == 2 and day == 29:
            return f"{year} isn't a leap year, so February {year} only has 28 days."
        return f"{name} {year} only has {limit} days."
    return None


def _impossible(raw: str, reason: str, day: int, month: int, year: int | None, today: date) -> ParsedDate:
    suggestions: tuple[date, ...] = ()
    if 1 <= month <= 12 and day > 28:
        use_year = year if year is not None else today.year
        last = date(use_year, month, days_in_month(use_year, month))
        suggestions = (last, last + timedelta(days=1))
    question = f"{reason} Could you check the date?"
    if suggestions:
        question += f" For example, was it {format_date(suggestions[0])} or {format_date(suggestions[1])}?"
    return ParsedDate(
        kind="impossible",
        text=raw,
        candidates=suggestions,
        question=question,
        reason=reason,
    )


def _resolve_year(
    raw: str,
    day: int,
    month: int,
    today: date,
    expect_past: bool,
    weekday: int | None = None,
) -> ParsedDate:
    """A day and month with no year: pick the year, or ask if both are plausible."""
    past = next(
        d for y in range(today.year, today.year - 9, -1) if (d := _safe_date(y, month, day)) is not None and d <= today
    )
    future = next(
        d for y in range(today.year, today.year + 9) if (d := _safe_date(y, month, day)) is not None and d > today
    )
    if weekday is not None:
        # "Tuesday 3rd March": the weekday can settle the year.
        matching = tuple(d for d in (past, future) if d.weekday() == weekday)
        if len(matching) == 1:
            return ParsedDate(kind="exact", text=raw, value=matching[0], assumed=("year",))
        if not matching:
            day_name = calendar.day_name[weekday]
            return ParsedDate(
                kind="ambiguous",
                text=raw,
                candidates=(past, future),
                question=_which_q(
                    (past, future),
                    f"Neither {past.year} nor {future.year} has that date on a {day_name}.",
                ),
                reason="weekday does not match",
            )
    preferred, other = (past, future) if expect_past else (future, past)
    if abs((preferred - today).days) <= _YEAR_GUESS_WINDOW_DAYS:
        return ParsedDate(kind="exact", text=raw, value=preferred, assumed=("year",))
    if abs((other - today).days) > _OTHER_READING_WINDOW_DAYS:
        # Only one reading fits what we asked, but it's a while ago: confirm the year.
        return ParsedDate(
            kind="exact",
            text=raw,
            value=preferred,
            assumed=("year",),
            question=_confirm_q(preferred),
        )
    candidates = (past, future)
    return ParsedDate(
        kind="ambiguous",
        text=raw,
        candidates=candidates,
        question=_which_q(candidates, "Just to check the year."),
        reason="no year given and both the past and the future date are plausible",
    )


def _full_date(raw: str, day: int, month: int, year: int, today: date, weekday: int | None) -> ParsedDate:
    no_year = _no_such_year(raw, year)
    if no_year:
        return no_year
    reason = _impossible_reason(day, month, year)
    if reason:
        return _impossible(raw, reason, day, month, year, today)
    value = date(year, month, day)
    if weekday is not None and value.weekday() != weekday:
        # Nearest date that really is that weekday (earlier one on a tie).
        shift = (weekday - value.weekday()) % 7
        forward = value + timedelta(days=shift)
        backward = forward - timedelta(days=7)
        other = backward if (value - backward) <= (forward - value) else forward
        candidates = tuple(sorted((value, other)))
        return ParsedDate(
            kind="ambiguous",
            text=raw,
            candidates=candidates,
            question=_which_q(
                candidates,
                f"{value.day} {value:%B %Y} was a {value:%A}, not a {calendar.day_name[weekday]}.",
            ),
            reason="weekday does not match the date",
        )
    return ParsedDate(kind="exact", text=raw, value=value)


def _year_or_none(text: str | None) -> int | None:
    return _expand_year(text) if text else None


def _weekday_or_none(text: str | None) -> int | None:
    return _WEEKDAYS[text.rstrip(".")] if text else None


def _month_number(text: str) -> int:
    return _MONTHS[text.rstrip(".")]


# --------------------------------------------------------------------------------------
# Handlers: each returns a ParsedDate or None if the text isn't its kind of date
# --------------------------------------------------------------------------------------


def _preferred_reading(day: int, month: int, today: date, expect_past: bool) -> date:
    """Most recent (or next) such day and month, for listing alternatives."""
    years = range(today.year, today.year - 9, -1) if expect_past else range(today.year, today.year + 9)
    return next(
        d for y in years if (d := _safe_date(y, month, day)) is not None and (d <= today if expect_past else d >= today)
    )


def _candidate(day: int, month: int, year_text: str | None, today: date, expect_past: bool) -> date | None:
    if _impossible_reason(day, month, _year_or_none(year_text)):
        return None
    if year_text:
        return date(_expand_year(year_text), month, day)
    return _preferred_reading(day, month, today, expect_past)


def _multiple(core: str, raw: str, today: date, expect_past: bool) -> ParsedDate | None:
    found: list[date] = []
    two = _TWO_DAYS_ONE_MONTH_RE.search(core)
    if two:
        month = _month_number(two.group(3))
        for group in (1, 2):
            value = _candidate(int(two.group(group)), month, two.group(4), today, expect_past)
            if value:
                found.append(value)
    else:
        for match in _NUMERIC_RE.finditer(core):
            year = _expand_year(match.group(3))
            value = _safe_date(year, int(match.group(2)), int(match.group(1)))
            if value:
                found.append(value)
        for match in _DAY_MONTH_RE.finditer(core):
            value = _candidate(
                int(match.group(2)),
                _month_number(match.group(3)),
                match.group(4),
                today,
                expect_past,
            )
            if value:
                found.append(value)
    unique = tuple(sorted(set(found)))
    if len(unique) < 2:
        return None
    return ParsedDate(
        kind="ambiguous",
        text=raw,
        candidates=unique,
        question=_which_q(unique, "You mentioned more than one date."),
        reason="more than one date in the message",
    )


def _iso(core: str, raw: str, today: date) -> ParsedDate | None:
    match = _ISO_RE.search(core)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    return _full_date(raw, day, month, year, today, None)


def _numeric(core: str, raw: str, today: date, expect_past: bool) -> ParsedDate | None:
    match = _NUMERIC_RE.search(core)
    if match:
        day, month = int(match.group(1)), int(match.group(2))
        if len(match.group(3)) == 3:
            reason = f"The year '{match.group(3)}' looks incomplete."
            return ParsedDate(
                kind="impossible",
                text=raw,
                question=f"{reason} Could you give the full date, e.g. 12/01/2026?",
                reason=reason,
            )
        year = _expand_year(match.group(3))
        result = _full_date(raw, day, month, year, today, None)
        if result.kind == "impossible" and month > 12 and 1 <= day <= 12:
            swapped = _safe_date(year, day, month)
            if swapped:
                # Probably written month-first (US style): offer the swap, don't apply it.
                return ParsedDate(
                    kind="impossible",
                    text=raw,
                    candidates=(swapped,),
                    question=(
                        f"There isn't a month {month}. Did you mean "
                        f"{format_date(swapped)}? In the UK we usually write the day "
                        "first."
                    ),
                    reason=f"There isn't a month {month}: months go from 1 to 12.",
                )
        return result
    match = _NUMERIC_NO_YEAR_RE.search(core)
    if match:
        return _day_month(int(match.group(1)), int(match.group(2)), None, raw, today, expect_past)
    return None


def _day_month(
    day: int,
    month: int,
    year_text: str | None,
    raw: str,
    today: date,
    expect_past: bool,
    weekday: int | None = None,
) -> ParsedDate:
    year = _year_or_none(year_text)
    if year is not None:
        return _full_date(raw, day, month, year, today, weekday)
    reason = _impossible_reason(day, month, None)
    if reason:
        return _impossible(raw, reason, day, month, None, today)
    return _resolve_year(raw, day, month, today, expect_past, weekday)


def _words(core: str, raw: str, today: date, expect_past: bool) -> ParsedDate | None:
    # "3rd March 2026" and "March 3rd 2026": group 1 is the weekday and group 4 the year in both.
    for pattern, day_group, month_group in ((_DAY_MONTH_RE, 2, 3), (_MONTH_DAY_RE, 3, 2)):
        match = pattern.search(core)
        if match:
            return _day_month(
                int(match.group(day_group)),
                _month_number(match.group(month_group)),
                match.group(4),
                raw,
                today,
                expect_past,
                _weekday_or_none(match.group(1)),
            )
    return None


def _weekday(core: str, raw: str, today: date, expect_past: bool) -> ParsedDate | None:
    match = _WEEKDAY_RE.search(core)
    if not match:
        return None
    which, name, week = match.group(1), match.group(2), match.group(3)
    target = _WEEKDAYS[name.rstrip(".")]
    if week:
        monday = today - timedelta(days=today.weekday())
        offset = {"last week": -7, "this week": 0, "next week": 7}[week]
        value = monday + timedelta(days=offset + target)
    elif which == "last" or (which in (None, "on", "this") and expect_past):
        # Most recent such day; "last Monday" never means today.
        back = (today.weekday() - target) % 7
        if which == "last" and back == 0:
            back = 7
        value = today - timedelta(days=back)
    else:
        ahead = (target - today.weekday()) % 7
        if which == "next" and ahead == 0:
            ahead = 7
        value = today + timedelta(days=ahead)
    # "Last Monday" means different days to different people: always confirm.
    return ParsedDate(
        kind="exact",
        text=raw,
        value=value,
        assumed=("week",),
        question=_confirm_q(value),
    )


def _day_only(core: str, raw: str, today: date, expect_past: bool) -> ParsedDate | None:
    match = _DAY_ONLY_RE.search(core)
    if not match:
        return None
    day = int(next(g for g in match.groups() if g))
    if not 1 <= day <= 31:
        reason = f"There isn't a day {day} in any month."
        return ParsedDate(
            kind="impossible",
            text=raw,
            question=f"{reason} Could you check the date?",
            reason=reason,
        )
    step = -1 if expect_past else 1
    year, month = today.year, today.month
    for _ in range(24):
        value = _safe_date(year, month, day)
        if value and (value <= today if expect_past else value >= today):
            break
        index = year * 12 + month - 1 + step
        year, month = index // 12, index % 12 + 1
    else:  # pragma: no cover - every day 1..31 occurs within 24 months
        return None
    # The month was our guess: ask.
    return ParsedDate(
        kind="exact",
        text=raw,
        value=value,
        assumed=("month", "year"),
        question=_confirm_q(value),
    )


_PARTS = {
    "early": (1, 10),
    "beginning of": (1, 10),
    "start of": (1, 10),
    "mid": (11, 20),
    "middle of": (11, 20),
    "late": (21, 31),
    "end of": (21, 31),
}


def _month_range(
    raw: str, year: int, month: int, part: str | None, assumed: tuple[str, ...], today: date
) -> ParsedDate:
    """An approximate date covering a month, or the early/mid/late part of one."""
    last_day = days_in_month(year, month)
    first, last = _PARTS.get(part or "", (1, last_day))
    earliest = date(year, month, first)
    latest = date(year, month, min(last, last_day))
    if earliest <= today < latest:
        latest = today  # the part of the current month that has happened
    label = f"{earliest:%B %Y}"
    if part:
        label = f"{part[0].upper()}{part[1:]} {label}"
        question = (
            f"{label}: do you know the exact day? If you have a letter or email about it, the date on it would help."
        )
    else:
        question = (
            f"Roughly when in {label} was it: near the start, the middle or the end? "
            "If you have a letter or email about it, the date on it would help."
        )
    return ParsedDate(
        kind="approximate",
        text=raw,
        value=earliest,
        earliest=earliest,
        latest=latest,
        approximate=True,
        assumed=assumed,
        question=question,
        reason="month given without a day",
    )


def _month_only(core: str, raw: str, today: date, expect_past: bool) -> ParsedDate | None:
    match = _MONTH_ONLY_RE.search(core)
    if not match:
        return None
    part, which, name, year_text = match.groups()
    if name == "may" and _MAY_VERB_RE.search(core):
        return None  # "it may have been..." is not the month
    month = _month_number(name)
    if year_text:
        return _no_such_year(raw, int(year_text)) or _month_range(raw, int(year_text), month, part, (), today)
    current = today.year * 12 + today.month - 1
    if which == "last":
        index = current - ((current - month + 1) % 12 or 12)
    elif which == "next":
        index = current + ((month - 1 - current) % 12 or 12)
    elif expect_past:
        index = current - ((current - month + 1) % 12)
    else:
        index = current + ((month - 1 - current) % 12)
    return _month_range(raw, index // 12, month, part, ("year",), today)


def _this_or_last_month(core: str, raw: str, today: date) -> ParsedDate | None:
    match = _RELATIVE_MONTH_RE.search(core)
    if not match:
        return None
    part, which = match.groups()
    index = today.year * 12 + today.month - 1 - (1 if which == "last" else 0)
    return _month_range(raw, index // 12, index % 12 + 1, part, (), today)


def _month_word_number(core: str, raw: str) -> ParsedDate | None:
    """'month 13': say why it can't be right."""
    match = re.search(r"\bmonth\s+(\d{1,2})\b", core)
    if not match or 1 <= int(match.group(1)) <= 12:
        return None
    reason = f"There isn't a month {int(match.group(1))}: months go from 1 to 12."
    return ParsedDate(kind="impossible", text=raw, question=f"{reason} Could you check the date?", reason=reason)


def _year_only(core: str, raw: str) -> ParsedDate | None:
    match = _YEAR_ONLY_RE.search(core)
    if not match:
        return None
    year = int(match.group(1))
    if year < MINYEAR:
        return _no_such_year(raw, year)
    return ParsedDate(
        kind="approximate",
        text=raw,
        value=date(year, 1, 1),
        earliest=date(year, 1, 1),
        latest=date(year, 12, 31),
        approximate=True,
        question=(
            f"Do you remember roughly which month in {year} it was? If you have a "
            "letter or email about it, the date on it would help."
        ),
        reason="only a year given",
    )


def _parser(today: date) -> DateDataParser:
    return DateDataParser(languages=["en"], settings=_settings(today))


def _settings(today: date) -> dict[str, object]:
    return {
        "DATE_ORDER": "DMY",
        "PREFER_DATES_FROM": "past",
        "RELATIVE_BASE": datetime(today.year, today.month, today.day),
        "PREFER_DAY_OF_MONTH": "first",
    }


_TIME_ONLY_RE = re.compile(r"^(?:at\s+)?\d{1,2}(?::\d{2})?\s*(?:am|pm)?$")
# "Year 1" is a school year group, not a date (dateparser made it 1 January of this year).
_SCHOOL_YEAR_RE = re.compile(r"(?<!\d)(?<!\d )\b(?:year|yr)\s*\d{1,2}\b")
# "5 months ago", "in 3 weeks", "2 years from now": dateparser reads "from now" backwards, and turns a
# number of years no calendar holds ("10000 years ago") into 1 January of this year.
_OFFSET_RE = re.compile(r"(?<![\d.])(?:\b(in)\s+)?(\d+)\s+(day|week|month|year)s?\b(?:\s+(ago|from\s+(?:now|today)))?")
_UNIT_DAYS = {"day": 1, "week": 7, "month": 31, "year": 366}


def _relative(core: str, raw: str, today: date, hedged: bool, expect_past: bool) -> ParsedDate | None:
    """Relative phrases ("yesterday", "5 months ago") via dateparser."""
    if _TIME_ONLY_RE.match(core):
        return None  # a time of day is not a date
    core = _SCHOOL_YEAR_RE.sub(" ", core).strip()
    for into, count, unit, direction in _OFFSET_RE.findall(core):
        if (into or direction) and int(count) * _UNIT_DAYS[unit] > (_YEARS_BACK + _YEARS_AHEAD[False]) * 366:
            return _implausible(raw, "That", direction == "ago", expect_past)
    core = _OFFSET_RE.sub(lambda m: f"in {m[2]} {m[3]}s" if (m[4] or "").startswith("from") else m[0], core)
    parser = _parser(today)
    data = parser.get_date_data(core)
    if data.date_obj is not None:
        return _classify_relative(core, data.date_obj.date(), data.period or "day", raw, hedged)
    # A whole sentence ("I sent it 3 days ago"): look for dates inside it.
    found = search_dates(core, languages=["en"], settings=_settings(today)) or []
    hits = [
        (phrase, when.date())
        for phrase, when in found
        if not _TIME_ONLY_RE.match(phrase.strip()) and not (phrase.strip() == "may" and _MAY_VERB_RE.search(core))
    ]
    if not hits:
        return None
    unique = tuple(sorted({when for _, when in hits}))
    if len(unique) > 1:
        return ParsedDate(
            kind="ambiguous",
            text=raw,
            candidates=unique,
            question=_which_q(unique, "You mentioned more than one date."),
            reason="more than one date in the message",
        )
    phrase, value = hits[0]
    period = parser.get_date_data(phrase).period or "day"
    return _classify_relative(phrase, value, period, raw, hedged)


def _classify_relative(phrase: str, value: date, period: str, raw: str, hedged: bool) -> ParsedDate:
    # People rarely mean "3 weeks ago" to the day; months and years even less.
    rough = hedged or period != "day" or bool(re.search(r"\b(week|month|year)s?\b", phrase))
    if rough:
        return ParsedDate(
            kind="approximate",
            text=raw,
            value=value,
            approximate=True,
            question=(
                f"That would be around {format_date(value)}. Do you know the exact "
                "date? A letter or email about it would show it."
            ),
            reason="relative date given in weeks, months or years",
        )
    return ParsedDate(kind="exact", text=raw, value=value)


# --------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------


def _normalise(text: str) -> str:
    cleaned = text.strip().lower().replace("\u2019", "'").replace("\u2013", "-")
    cleaned = re.sub(r"[!?;]+", " ", cleaned).strip(" .,")
    cleaned = re.sub(r"\ba couple of\b|\bcouple of\b", "2", cleaned)
    cleaned = re.sub(r"\ba few\b", "3", cleaned)
    cleaned = re.sub(r"\ba fortnight\b|\bfortnight\b", "2 weeks", cleaned)
    for word, number in NUMBER_WORDS.items():
        cleaned = re.sub(rf"\b{word}\b", str(number), cleaned)
    return re.sub(r"\s+", " ", cleaned)


def _flag_future(result: ParsedDate, today: date, expect_past: bool) -> ParsedDate:
    if not expect_past or result.kind not in ("exact", "approximate"):
        return result
    start = result.earliest or result.value
    if start is None or result.value is None or start <= today:
        return result
    question = f"{format_date(result.value)} hasn't happened yet. Could you check the date?"
    candidates: tuple[date, ...] = ()
    if not result.assumed and not result.approximate:
        # The year was typed: a slip of one year is the likeliest mistake.
        earlier = _safe_date(result.value.year - 1, result.value.month, result.value.day)
        if earlier and earlier <= today:
            candidates = (earlier,)
            question += f" Did you mean {format_date(earlier)}?"
    return ParsedDate(
        kind="future",
        text=result.text,
        value=result.value,
        candidates=candidates,
        earliest=result.earliest,
        latest=result.latest,
        approximate=result.approximate,
        assumed=result.assumed,
        question=question,
        reason="date is in the future but a past date was expected",
    )


def parse_parent_date(text: str, today: date, *, expect_past: bool = True) -> ParsedDate:
    """Parse a date typed by a parent. ``today`` is the base for relative phrases.

    ``expect_past`` (default True) fits questions like "when did the council get your
    request?": future dates are flagged, and a day-and-month without a year is read
    as the most recent one.
    """
    raw = text
    core = _normalise(text)
    if not core:
        return ParsedDate(kind="not_a_date", text=raw, question=_NOT_A_DATE_Q)
    if _UNSURE_RE.search(core):
        return ParsedDate(kind="not_a_date", text=raw, question=_UNSURE_Q, reason="not sure")
    hedged = bool(_HEDGE_RE.search(core))
    core = re.sub(r"\s+", " ", _HEDGE_RE.sub(" ", core)).strip()

    result = (
        _month_word_number(core, raw)
        or _multiple(core, raw, today, expect_past)
        or _iso(core, raw, today)
        or _numeric(core, raw, today, expect_past)
        or _words(core, raw, today, expect_past)
        or _month_only(core, raw, today, expect_past)
        or _this_or_last_month(core, raw, today)
        or _year_only(core, raw)
        or _weekday(core, raw, today, expect_past)
        or _day_only(core, raw, today, expect_past)
        or _relative(core, raw, today, hedged, expect_past)
    )
    if result is None:
        return ParsedDate(kind="not_a_date", text=raw, question=_NOT_A_DATE_Q)

    if hedged and result.kind == "exact" and result.value is not None:
        # "About 3rd March": keep the date but say "around".
        result = ParsedDate(
            kind="approximate",
            text=raw,
            value=result.value,
            approximate=True,
            assumed=result.assumed,
            question=(
                f"You said about {format_date(result.value)}. Do you know the exact "
                "date? A letter or email about it would show it."
            ),
            reason="hedged with 'about' or similar",
        )
    return _flag_future(_flag_implausible(result, today, expect_past), today, expect_past)
