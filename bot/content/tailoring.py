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

from bot.content import conditions
from bot.text import NUMBER_WORDS

SLOT_CONDITIONS = ("school_type", "need_type", "year_group")
# What an article's tailoring rules may test (bot/content/conditions.py): the facts, and a length of time.
VOCABULARY = conditions.Vocabulary(words=dict.fromkeys(SLOT_CONDITIONS), numbers=("days", "weeks"))


@dataclass(frozen=True)
class Duration:
    amount: int
    unit: str  # "days", "weeks" or "months"


def parse_duration(text: str | None) -> Duration | None:
    """'3 days', '26 weeks', 'five school days', '4wks' -> a Duration; anything else -> None."""
    if not text:
        return None
    match = re.search(
        r"(\d{1,3}|" + "|".join(NUMBER_WORDS) + r")\s*(school\s+|working\s+)?(days?|weeks?|wks?|months?)",
        text.lower(),
    )
    if not match:
        return None
    raw = match.group(1)
    amount = int(raw) if raw.isdigit() else NUMBER_WORDS[raw]
    unit = match.group(3)
    unit = "days" if unit.startswith("day") else "weeks" if unit.startswith("w") else "months"
    return Duration(amount, unit)


def condition_problems(when: object) -> list[str]:
    """What is wrong with a tailoring rule's `when` mapping (empty list when it is fine)."""
    return conditions.condition_problems(when, VOCABULARY)


def _days_and_weeks(duration: Duration | None) -> tuple[int | None, float | None]:
    if duration is None or duration.unit == "months":
        return None, None
    if duration.unit == "days":
        return duration.amount, duration.amount / 7
    return duration.amount * 7, float(duration.amount)


def matches(when: Mapping[str, object], facts: Mapping[str, str | None]) -> bool:
    """True when every condition holds for what the conversation knows."""
    days, weeks = _days_and_weeks(parse_duration(facts.get("duration")))
    words = {key: (str(facts[key]) if facts.get(key) is not None else None) for key in SLOT_CONDITIONS}
    return conditions.holds(when, words, {"days": days, "weeks": weeks})


def tailored_lines(rules: object, facts: Mapping[str, str | None]) -> list[str]:
    """The `say` text of every rule whose conditions hold, in article order."""
    if not isinstance(rules, list):
        return []
    return [
        str(rule["say"])
        for rule in rules
        if isinstance(rule, Mapping) and "say" in rule and matches(rule.get("when") or {}, facts)
    ]
