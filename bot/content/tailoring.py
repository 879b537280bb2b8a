"""Extra lines an article adds when the conversation tells us something that changes the answer.

Articles carry `tailoring` rules in their front matter, for example:

    tailoring:
      - when: {school_type: academy}
        say: "Academies follow the same exclusion rules as maintained schools [@exclusion-regs]."
      - when: {days_over: 5}
        say: "Over 5 school days in a term, you can ask the governors to reconsider [@reg-24]."

Conditions: a slot name (`school_type`, `need_type`, `year_group`) equal to a value, or a number of days
or weeks the parent mentioned (`days_over`, `days_at_least`, `weeks_over`, `weeks_at_least`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

SLOT_CONDITIONS = ("school_type", "need_type", "year_group")
NUMBER_CONDITIONS = ("days_over", "days_at_least", "weeks_over", "weeks_at_least")
_WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
}


@dataclass(frozen=True)
class Duration:
    amount: int
    unit: str  # "days", "weeks" or "months"


def parse_duration(text: str | None) -> Duration | None:
    """'3 days', '26 weeks', 'five school days', '4wks' -> a Duration; anything else -> None."""
    if not text:
        return None
    match = re.search(
        r"(\d{1,3}|" + "|".join(_WORD_NUMBERS) + r")\s*(school\s+|working\s+)?(days?|weeks?|wks?|months?)",
        text.lower(),
    )
    if not match:
        return None
    raw = match.group(1)
    amount = int(raw) if raw.isdigit() else _WORD_NUMBERS[raw]
    unit = match.group(3)
    unit = "days" if unit.startswith("day") else "weeks" if unit.startswith("w") else "months"
    return Duration(amount, unit)


def condition_problems(when: object) -> list[str]:
    """What is wrong with a `when` mapping (empty list when it is fine)."""
    if not isinstance(when, Mapping) or not when:
        return ["'when' must be a mapping such as {school_type: academy}"]
    problems = []
    for key, value in when.items():
        if key in SLOT_CONDITIONS:
            if not isinstance(value, str):
                problems.append(f"'{key}' must be a word such as academy")
        elif key in NUMBER_CONDITIONS:
            if not isinstance(value, int) or isinstance(value, bool):
                problems.append(f"'{key}' must be a whole number")
        else:
            allowed = ", ".join(SLOT_CONDITIONS + NUMBER_CONDITIONS)
            problems.append(f"unknown condition '{key}'; use one of: {allowed}")
    return problems


def _days_and_weeks(duration: Duration | None) -> tuple[int | None, float | None]:
    if duration is None or duration.unit == "months":
        return None, None
    if duration.unit == "days":
        return duration.amount, duration.amount / 7
    return duration.amount * 7, float(duration.amount)


def matches(when: Mapping[str, object], facts: Mapping[str, str | None]) -> bool:
    """True when every condition holds for what the conversation knows."""
    days, weeks = _days_and_weeks(parse_duration(facts.get("duration")))
    for key, expected in when.items():
        if key in SLOT_CONDITIONS:
            actual = facts.get(key)
            if actual is None or str(actual).lower() != str(expected).lower():
                return False
        elif (
            key == "days_over"
            and not (days is not None and days > expected)
            or key == "days_at_least"
            and not (days is not None and days >= expected)
            or key == "weeks_over"
            and not (weeks is not None and weeks > expected)
            or key == "weeks_at_least"
            and not (weeks is not None and weeks >= expected)
        ):  # type: ignore[operator]
            return False
    return True


def tailored_lines(rules: object, facts: Mapping[str, str | None]) -> list[str]:
    """The `say` text of every rule whose conditions hold, in article order."""
    if not isinstance(rules, list):
        return []
    return [
        str(rule["say"])
        for rule in rules
        if isinstance(rule, Mapping) and "say" in rule and matches(rule.get("when") or {}, facts)
    ]
