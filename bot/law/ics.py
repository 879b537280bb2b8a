"""Turn computed deadlines into an .ics calendar a parent can import.

All-day events, one per deadline with a date; deadlines counted in school days
(``due`` is None) are left out because we cannot give them a true date. Each event
explains how it was counted and where the rule comes from, and carries a reminder a
few days before. A deadline that applies only if something happens first says so in its
title ("... (only if the council decides to carry out the EHC needs assessment)"). UIDs
are derived from the deadline itself, so re-exporting the same deadlines updates events
instead of duplicating them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone

from icalendar import Alarm, Calendar, Event

from bot.law.calendar import format_date
from bot.law.deadlines import Deadline

PRODID = "-//SEND rights assistant//Statutory deadlines//EN"
UID_DOMAIN = "send-rights-assistant"
DEFAULT_REMINDER_DAYS = 3
_DISCLAIMER = "Information, not legal advice. Check the date with IPSEA or your local SENDIASS if unsure."


def deadline_uid(deadline: Deadline) -> str:
    """Stable UID: same deadline and dates in, same UID out."""
    if deadline.due is None:
        raise ValueError("a deadline counted in school days has no date to put in a calendar")
    start = deadline.start.isoformat() if deadline.start else ""
    digest = hashlib.sha256(f"{deadline.key}|{start}|{deadline.due.isoformat()}".encode()).hexdigest()[:24]
    return f"{deadline.key}-{digest}@{UID_DOMAIN}"


def _description(deadline: Deadline) -> str:
    lines = [
        f"How it was counted: {deadline.counting}.",
        f"Source: {deadline.citation}",
        deadline.url,
    ]
    if deadline.start:
        lines.insert(0, f"Counted from: {format_date(deadline.start)}.")
    if deadline.exceptions:
        lines.append("Exceptions the law allows:")
        lines.extend(f"- {item}" for item in deadline.exceptions)
    if deadline.note:
        lines.append(deadline.note)
    lines.append(_DISCLAIMER)
    return "\n".join(lines)


def deadlines_to_ics(
    deadlines: Iterable[Deadline],
    title_prefix: str,
    today: date,
    *,
    reminder_days: int = DEFAULT_REMINDER_DAYS,
) -> bytes:
    """Build a VCALENDAR with one all-day VEVENT per dated deadline.

    ``today`` sets DTSTAMP (so output is reproducible) and decides whether the
    reminder is still worth adding: no alarm is added once its time has passed.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", title_prefix)

    stamp = datetime(today.year, today.month, today.day, tzinfo=timezone.utc)
    prefix = f"{title_prefix}: " if title_prefix else ""
    for deadline in deadlines:
        if deadline.due is None:
            continue  # school-day limits have no true date
        event = Event()
        event.add("uid", deadline_uid(deadline))
        event.add("dtstamp", stamp)
        event.add("dtstart", deadline.due)
        event.add("dtend", deadline.due + timedelta(days=1))
        condition = "" if deadline.applies_now else f" (only if {deadline.condition})"
        event.add("summary", f"{prefix}{deadline.label}{condition}")
        event.add("description", _description(deadline))
        event.add("url", deadline.url)
        event.add("transp", "TRANSPARENT")  # a reminder, not a busy appointment

        if reminder_days > 0 and deadline.due - timedelta(days=reminder_days) >= today:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", timedelta(days=-reminder_days))
            alarm.add("description", f"In {reminder_days} days: {deadline.label}")
            event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()
