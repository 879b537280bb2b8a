"""Calendar arithmetic the statutory deadlines count with, and the one UK date style. Pure, no I/O.

How each phrase in the law is counted ("within N weeks of", "N months beginning with", "N days beginning
with") is explained with its reasons in docs/deadlines.md; the deadlines themselves are in
bot/law/deadlines.py.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def add_weeks(start: date, weeks: int) -> date:
    """'Within N weeks of X': the day of X is not counted, so X + 7N days."""
    return start + timedelta(weeks=weeks)


def add_months(start: date, months: int) -> date:
    """Corresponding date N calendar months later (or earlier if N < 0).

    If the target month has no such day, use its last day (Dodds v Walker):
    31 January + 1 month = 28 (or 29) February.
    """
    year, month = shift_month(start.year, start.month, months)
    return date(year, month, min(start.day, days_in_month(year, month)))


def end_of_months_beginning_with(start: date, months: int) -> date:
    """Last day of a period of N months *beginning with* ``start`` (start is day one).

    It ends the day before the corresponding date. If the target month has no
    corresponding date (e.g. 31 August + 6 months), the period ends on that month's
    last day, because the next period could only begin on the 1st of the month after.
    """
    year, month = shift_month(start.year, start.month, months)
    last = days_in_month(year, month)
    if start.day > last:
        return date(year, month, last)
    return date(year, month, start.day) - timedelta(days=1)


def end_of_days_beginning_with(start: date, days: int) -> date:
    """Last day of 'N days beginning with X': X is day one, so X + (N - 1)."""
    return start + timedelta(days=days - 1)


def weekdays_after(start: date, count: int) -> date:
    """The ``count``-th Monday-to-Friday day after ``start`` (start not counted).

    Used ONLY for the 'if there were no holidays' illustration of a school-day limit.
    """
    current = start
    counted = 0
    while counted < count:
        current += timedelta(days=1)
        if current.weekday() < 5:
            counted += 1
    return current


def first_working_day_after(day: date) -> date:
    """The first day after ``day`` that is Monday to Friday and not an England bank holiday.

    Only used for the day after 1 January or 31 August (HESC r.12(3)(a)). The one bank
    holiday that can fall in those few days is the New Year holiday moved to Monday 2 or
    3 January when 1 January is a Saturday or Sunday; none falls in early September (the
    summer bank holiday is the last Monday in August). See gov.uk/bank-holidays.
    """
    new_year = date(day.year, 1, 1)
    moved_new_year = new_year + timedelta(days=7 - new_year.weekday()) if new_year.weekday() >= 5 else None
    current = day + timedelta(days=1)
    while current.weekday() >= 5 or current == moved_new_year:
        current += timedelta(days=1)
    return current


def format_date(value: date) -> str:
    """UK style with the weekday, e.g. 'Monday 23 November 2026'."""
    return f"{value:%A} {value.day} {value:%B %Y}"
