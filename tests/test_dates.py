"""Parsing dates the way parents type them. ``TODAY`` is fixed: Monday 23 November 2026.
Expected dates are written by hand."""

from __future__ import annotations

from datetime import date

import pytest

from bot.law.parent_dates import ParsedDate, format_date, parse_parent_date

TODAY = date(2026, 11, 23)


def parse(text: str, *, expect_past: bool = True) -> ParsedDate:
    return parse_parent_date(text, TODAY, expect_past=expect_past)


# --------------------------------------------------------------------------------------
# Exact dates
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12/01/2026", date(2026, 1, 12)),  # UK day first: 12 January
        ("12.1.26", date(2026, 1, 12)),
        ("2026-01-12", date(2026, 1, 12)),  # ISO is year-month-day, not day-first
        ("1/2/2026", date(2026, 2, 1)),
        ("15/06/26", date(2026, 6, 15)),
        ("29/02/2024", date(2024, 2, 29)),  # a real leap day
        ("yesterday", date(2026, 11, 22)),
        ("today", date(2026, 11, 23)),
        ("3 days ago", date(2026, 11, 20)),
        ("the council got it yesterday", date(2026, 11, 22)),
        ("Tuesday 3rd March 2026", date(2026, 3, 3)),
        ("3rd of March 2026", date(2026, 3, 3)),
        ("March 3rd, 2026", date(2026, 3, 3)),
    ],
)
def test_exact_dates_need_no_question(text: str, expected: date) -> None:
    result = parse(text)
    assert result.kind == "exact"
    assert result.value == expected
    assert result.question is None
    assert result.is_certain


def test_day_and_month_within_six_months_takes_the_recent_year() -> None:
    result = parse("20th November")
    assert result.kind == "exact"
    assert result.value == date(2026, 11, 20)
    assert result.assumed == ("year",)
    assert result.question is None


def test_3rd_march_is_read_as_this_year_but_confirmed() -> None:
    result = parse("3rd March")
    assert result.kind == "exact"
    assert result.value == date(2026, 3, 3)
    assert result.assumed == ("year",)
    assert result.question == "Just to check: do you mean Tuesday 3 March 2026?"


def test_3rd_march_soon_after_needs_no_confirmation() -> None:
    result = parse_parent_date("3rd March", date(2026, 4, 10))
    assert result.value == date(2026, 3, 3)
    assert result.question is None


def test_year_end_day_month_reads_back_into_last_year() -> None:
    result = parse_parent_date("20th December", date(2027, 1, 2))
    assert result.kind == "exact"
    assert result.value == date(2026, 12, 20)


def test_weekday_settles_the_year() -> None:
    result = parse("Tuesday 3rd March")  # 3 March 2026 is a Tuesday; 2027 is a Wednesday
    assert result.kind == "exact"
    assert result.value == date(2026, 3, 3)


def test_last_monday_is_a_week_ago_on_a_monday_and_is_confirmed() -> None:
    result = parse("last Monday")
    assert result.kind == "exact"
    assert result.value == date(2026, 11, 16)
    assert result.question == "Just to check: do you mean Monday 16 November 2026?"


def test_the_3rd_guesses_this_month_and_asks() -> None:
    result = parse("the 3rd")
    assert result.kind == "exact"
    assert result.value == date(2026, 11, 3)
    assert "month" in result.assumed
    assert "Tuesday 3 November 2026" in (result.question or "")


def test_the_31st_skips_months_without_one() -> None:
    assert parse("on the 31st").value == date(2026, 10, 31)


# --------------------------------------------------------------------------------------
# Approximate dates
# --------------------------------------------------------------------------------------


def test_about_five_months_ago() -> None:
    result = parse("about 5 months ago")
    assert result.kind == "approximate"
    assert result.approximate
    assert result.value == date(2026, 6, 23)
    assert "around Tuesday 23 June 2026" in (result.question or "")


def test_hedge_inside_a_sentence() -> None:
    result = parse("I sent it about 5 months ago")
    assert result.kind == "approximate"
    assert result.value == date(2026, 6, 23)


def test_weeks_ago_is_approximate() -> None:
    assert parse("2 weeks ago").value == date(2026, 11, 9)
    assert parse("a couple of weeks ago").kind == "approximate"


@pytest.mark.parametrize(
    ("text", "earliest", "latest", "assumed"),
    [
        ("in March", date(2026, 3, 1), date(2026, 3, 31), ("year",)),
        ("March 2026", date(2026, 3, 1), date(2026, 3, 31), ()),
        ("early March", date(2026, 3, 1), date(2026, 3, 10), ("year",)),
        ("last month", date(2026, 10, 1), date(2026, 10, 31), ()),
        ("end of last month", date(2026, 10, 21), date(2026, 10, 31), ()),
        ("in December", date(2025, 12, 1), date(2025, 12, 31), ("year",)),
        ("this month", date(2026, 11, 1), date(2026, 11, 23), ()),  # only the days so far
    ],
)
def test_month_without_day_gives_a_range(text: str, earliest: date, latest: date, assumed: tuple[str, ...]) -> None:
    result = parse(text)
    assert result.kind == "approximate"
    assert result.value == earliest
    assert (result.earliest, result.latest) == (earliest, latest)
    assert result.assumed == assumed
    assert result.question


def test_in_march_question_names_the_year() -> None:
    assert "March 2026" in (parse("in March").question or "")


def test_about_an_exact_date_stays_approximate() -> None:
    result = parse("about 3rd November 2026")
    assert result.kind == "approximate"
    assert result.value == date(2026, 11, 3)


def test_year_only() -> None:
    result = parse("2025")
    assert result.kind == "approximate"
    assert (result.earliest, result.latest) == (date(2025, 1, 1), date(2025, 12, 31))


# --------------------------------------------------------------------------------------
# Ambiguous dates
# --------------------------------------------------------------------------------------


def test_day_month_with_past_and_future_both_plausible() -> None:
    result = parse("5th December")  # 5 Dec 2025 is 353 days ago; 5 Dec 2026 is in 12 days
    assert result.kind == "ambiguous"
    assert result.value is None
    assert result.candidates == (date(2025, 12, 5), date(2026, 12, 5))
    assert "Friday 5 December 2025" in (result.question or "")
    assert "Saturday 5 December 2026" in (result.question or "")


def test_two_days_in_one_message() -> None:
    result = parse("3rd or 4th March 2026")
    assert result.kind == "ambiguous"
    assert result.candidates == (date(2026, 3, 3), date(2026, 3, 4))


def test_two_numeric_dates() -> None:
    result = parse("12/01/2026 or 13/01/2026")
    assert result.kind == "ambiguous"
    assert result.candidates == (date(2026, 1, 12), date(2026, 1, 13))


def test_two_relative_dates_in_a_sentence() -> None:
    result = parse("it was 2 weeks ago and then again yesterday")
    assert result.kind == "ambiguous"
    assert result.candidates == (date(2026, 11, 9), date(2026, 11, 22))


def test_weekday_that_does_not_match_the_date() -> None:
    result = parse("Monday 3rd March 2026")  # 3 March 2026 was a Tuesday
    assert result.kind == "ambiguous"
    assert result.candidates == (date(2026, 3, 2), date(2026, 3, 3))
    assert "was a Tuesday, not a Monday" in (result.question or "")


# --------------------------------------------------------------------------------------
# Impossible dates and things that aren't dates
# --------------------------------------------------------------------------------------


def test_31_february() -> None:
    result = parse("31/02/2026")
    assert result.kind == "impossible"
    assert result.value is None
    assert "February 2026 only has 28 days" in (result.reason or "")
    assert result.candidates == (date(2026, 2, 28), date(2026, 3, 1))
    assert result.question


def test_30th_february_without_year() -> None:
    result = parse("30th February")
    assert result.kind == "impossible"
    assert "February only has 28 days (29 in a leap year)" in (result.reason or "")


def test_29_february_in_a_non_leap_year() -> None:
    result = parse("29th February 2027")
    assert result.kind == "impossible"
    assert "isn't a leap year" in (result.reason or "")


@pytest.mark.parametrize("text", ["13/13/2026", "month 13", "the 32nd", "0/5/2026", "12/1/202"])
def test_other_impossible_dates(text: str) -> None:
    result = parse(text)
    assert result.kind == "impossible"
    assert result.question


def test_month_first_date_offers_the_swap_without_applying_it() -> None:
    result = parse("01/13/2026")
    assert result.kind == "impossible"
    assert result.value is None
    assert result.candidates == (date(2026, 1, 13),)
    assert "Did you mean Tuesday 13 January 2026?" in (result.question or "")


@pytest.mark.parametrize("text", ["banana", "", "   ", "they said no", "at 3pm"])
def test_not_a_date(text: str) -> None:
    result = parse(text)
    assert result.kind == "not_a_date"
    assert result.value is None
    assert result.question


def test_not_sure_gets_a_gentle_question() -> None:
    result = parse("I don't know")
    assert result.kind == "not_a_date"
    assert "Roughly when" in (result.question or "")


# --------------------------------------------------------------------------------------
# Future dates
# --------------------------------------------------------------------------------------


def test_future_date_when_past_expected() -> None:
    result = parse("25/12/2026")
    assert result.kind == "future"
    assert result.value == date(2026, 12, 25)
    assert result.candidates == (date(2025, 12, 25),)  # a slip of one year?
    assert "hasn't happened yet" in (result.question or "")


def test_next_friday_is_future() -> None:
    result = parse("next Friday")
    assert result.kind == "future"
    assert result.value == date(2026, 11, 27)


def test_future_is_fine_when_expected() -> None:
    result = parse("25/12/2026", expect_past=False)
    assert result.kind == "exact"
    assert result.value == date(2026, 12, 25)
    assert parse("3rd March", expect_past=False).value == date(2027, 3, 3)


# --------------------------------------------------------------------------------------
# The contract: never a silent guess
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "about 5 months ago",
        "in March",
        "5th December",
        "31/02/2026",
        "banana",
        "25/12/2026",
        "3rd or 4th March",
        "last Monday",
        "the 3rd",
        "2 weeks ago",
    ],
)
def test_anything_not_certain_carries_a_question(text: str) -> None:
    result = parse(text)
    assert not result.is_certain
    assert result.question


def test_format_date() -> None:
    assert format_date(date(2026, 3, 3)) == "Tuesday 3 March 2026"


# --------------------------------------------------------------------------------------
# Implausible dates (issue 14, point 8). Each of these was taken before: "10000 years ago" as
# 1 January this year, year 1 as a real date (a calendar file was made from it), "0000" crashed.
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "10000 years ago",
        "about 10000 years ago",
        "99999 weeks ago",
        "30 years ago",
        "01/01/0001",
        "0001-01-01",
        "3 March 1900",
        "1999",
        "March 1990",
        "0000-01-01",
        "01/01/0000",
        "0000",
        "March 0000",
    ],
)
def test_dates_too_long_ago_get_a_kind_question(text: str) -> None:
    result = parse(text)
    assert result.kind == "implausible" and result.value is None and not result.is_certain
    assert "more than 25 years ago" in (result.question or "") and "Could you check the date?" in result.question


@pytest.mark.parametrize(
    ("text", "expect_past"),
    [
        ("in 10000 years", True),
        ("12/01/2030", True),
        ("in 2050", True),
        ("2 years from now", True),
        ("3/3/2040", False),
    ],
)
def test_dates_too_far_ahead_get_a_kind_question(text: str, expect_past: bool) -> None:
    result = parse(text, expect_past=expect_past)
    assert result.kind == "implausible" and result.value is None
    assert "from now" in (result.question or "")


def test_the_plausible_range_is_kept() -> None:
    assert parse("20 years ago").value == date(2006, 11, 23)
    assert parse("24/11/2001").value == date(2001, 11, 24)  # just inside 25 years
    assert parse("22/11/2001").kind == "implausible"
    assert parse("25/12/2026").kind == "future"  # within a year: probably a slip, and asked as one
    assert parse("3/3/2031", expect_past=False).value == date(2031, 3, 3)


def test_from_now_is_ahead_and_a_school_year_is_not_a_date() -> None:
    # dateparser read "from now" backwards (2 years from now was 2 years ago) and "year 1" as 1 January.
    assert parse("2 weeks from now").kind == "future"
    assert parse("2 weeks from now", expect_past=False).value == date(2026, 12, 7)
    assert parse("year 1").kind == "not_a_date" and parse("he's in year 7").kind == "not_a_date"
    assert parse("1 year 2 months ago").value == date(2025, 9, 23)  # "year 2" here is not a school year
