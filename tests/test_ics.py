"""The .ics export, checked by parsing it back with icalendar."""

from __future__ import annotations

from datetime import date, timedelta

from icalendar import Calendar

from bot.law.deadlines import (
    Deadline,
    ehc_assessment_deadlines,
    irp_request_deadline,
    tribunal_appeal_deadline,
)
from bot.law.ics import PRODID, deadline_uid, deadlines_to_ics

TODAY = date(2026, 1, 31)


def _deadlines() -> list[Deadline]:
    return [
        *ehc_assessment_deadlines(date(2026, 1, 31)),  # 14 Mar, 23 May, 20 Jun 2026
        irp_request_deadline(date(2026, 1, 30)),  # school days: no date, must be skipped
        tribunal_appeal_deadline(date(2026, 1, 15), date(2026, 3, 1)),  # 1 Apr 2026
    ]


def _parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def test_calendar_header() -> None:
    calendar = _parse(deadlines_to_ics(_deadlines(), "SEND deadline", TODAY))
    assert str(calendar["PRODID"]) == PRODID
    assert str(calendar["VERSION"]) == "2.0"


def test_one_all_day_event_per_dated_deadline() -> None:
    calendar = _parse(deadlines_to_ics(_deadlines(), "SEND deadline", TODAY))
    events = calendar.walk("VEVENT")
    assert len(events) == 4  # the IRP request has no date and is left out
    starts = [event["DTSTART"].dt for event in events]
    assert starts == [date(2026, 3, 14), date(2026, 5, 23), date(2026, 6, 20), date(2026, 4, 1)]
    for event in events:
        start = event["DTSTART"].dt
        assert type(start) is date  # all-day, not a datetime
        assert event["DTEND"].dt == start + timedelta(days=1)
        assert str(event["SUMMARY"]).startswith("SEND deadline: ")


def test_description_has_counting_citation_and_url() -> None:
    calendar = _parse(deadlines_to_ics(_deadlines(), "SEND deadline", TODAY))
    first = calendar.walk("VEVENT")[0]
    description = str(first["DESCRIPTION"])
    assert "6 weeks from the day the council received your request" in description
    assert "SEND Regulations 2014, reg 5(1)" in description
    assert "https://www.legislation.gov.uk/uksi/2014/1530/regulation/5" in description
    assert "reg 5(4)" in description  # the exceptions are listed
    assert "Saturday 31 January 2026" in description  # the start date
    assert "not legal advice" in description
    assert str(first["URL"]) == "https://www.legislation.gov.uk/uksi/2014/1530/regulation/5"


def test_uids_are_unique_and_stable() -> None:
    first = _parse(deadlines_to_ics(_deadlines(), "SEND deadline", TODAY))
    again = _parse(deadlines_to_ics(_deadlines(), "Another title", date(2026, 2, 5)))
    uids = [str(event["UID"]) for event in first.walk("VEVENT")]
    assert len(set(uids)) == len(uids)
    assert uids == [str(event["UID"]) for event in again.walk("VEVENT")]
    assert uids[0] == deadline_uid(_deadlines()[0])
    # A different start date gives a different event.
    other = ehc_assessment_deadlines(date(2026, 2, 1))[0]
    assert deadline_uid(other) != uids[0]


def test_reminder_alarm_three_days_before() -> None:
    calendar = _parse(deadlines_to_ics(_deadlines(), "SEND deadline", TODAY))
    for event in calendar.walk("VEVENT"):
        alarms = event.walk("VALARM")
        assert len(alarms) == 1
        assert alarms[0]["TRIGGER"].dt == timedelta(days=-3)
        assert str(alarms[0]["ACTION"]) == "DISPLAY"


def test_no_alarm_once_the_reminder_time_has_passed() -> None:
    # Due 14 March 2026: a reminder on 11 March is still ahead on 11 March, not on 12 March.
    six = ehc_assessment_deadlines(date(2026, 1, 31))[0]
    on_time = _parse(deadlines_to_ics([six], "SEND", date(2026, 3, 11)))
    assert len(on_time.walk("VALARM")) == 1
    too_late = _parse(deadlines_to_ics([six], "SEND", date(2026, 3, 12)))
    assert too_late.walk("VALARM") == []
    assert len(too_late.walk("VEVENT")) == 1  # the event itself is still there


def test_empty_input_gives_a_valid_empty_calendar() -> None:
    calendar = _parse(deadlines_to_ics([], "SEND deadline", TODAY))
    assert calendar.walk("VEVENT") == []
    assert str(calendar["PRODID"]) == PRODID


def test_output_is_bytes_and_reproducible() -> None:
    first = deadlines_to_ics(_deadlines(), "SEND deadline", TODAY)
    assert isinstance(first, bytes)
    assert first == deadlines_to_ics(_deadlines(), "SEND deadline", TODAY)


def test_conditional_and_moved_deadlines_say_so() -> None:
    calendar = _parse(deadlines_to_ics(_deadlines(), "SEND deadline", TODAY))
    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    only_if = " (only if the council decides to carry out the EHC needs assessment)"
    assert [summary.endswith(only_if) for summary in summaries] == [False, True, True, False]
    # An SEN appeal due 15 August 2026 is in time on Tuesday 1 September 2026 (HESC r.12(3)(a)).
    moved = _parse(deadlines_to_ics([tribunal_appeal_deadline(date(2026, 6, 15))], "SEND", TODAY))
    event = moved.walk("VEVENT")[0]
    assert event["DTSTART"].dt == date(2026, 9, 1)
    assert "The usual last day, Saturday 15 August 2026, is in August" in str(event["DESCRIPTION"])
