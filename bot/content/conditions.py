"""The one `when:` language of staff files: an article's tailoring rules and the triage paragraphs.

A condition is a mapping; every entry must hold:

- a word fact (`school_type: academy`), or a list of words any of which may match
  (`support_level: [ehc_plan, sen_support]`); `unknown` matches a fact nobody gave;
- a number fact compared with a number: `days_over: 5`, `days_at_least: 6`, `days_at_most: 15`
  (and the same for `weeks_`); `days_unknown: true` when no number was given.

Each kind of file says which facts it has (`Vocabulary`): articles know the school type, need and year
group and a length of time in days or weeks; triage knows its four answers and school days missed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

COMPARISONS = ("over", "at_least", "at_most")
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Vocabulary:
    words: Mapping[str, tuple[str, ...] | None]  # fact -> the values it may name (None: any word)
    numbers: tuple[str, ...]  # e.g. ("days", "weeks")
    number_hint: str = "a whole number"
    whole_numbers: bool = True  # False: halves allowed (school days can be half days)

    def keys(self) -> tuple[str, ...]:
        compared = tuple(f"{number}_{how}" for number in self.numbers for how in COMPARISONS)
        return (*self.words, *compared, *(f"{number}_unknown" for number in self.numbers))


def _number_key(key: str, vocabulary: Vocabulary) -> tuple[str, str] | None:
    for number in vocabulary.numbers:
        for how in (*COMPARISONS, "unknown"):
            if key == f"{number}_{how}":
                return number, how
    return None


def condition_problems(when: object, vocabulary: Vocabulary) -> list[str]:
    """What is wrong with a `when` mapping, in staff words (empty when it is fine)."""
    if not isinstance(when, Mapping) or not when:
        example = next(iter(vocabulary.words), "school_type")
        return [f"'when' must be a mapping of conditions such as {{{example}: ...}}"]
    problems = []
    for key, value in when.items():
        if key in vocabulary.words:
            allowed = vocabulary.words[key]
            values = value if isinstance(value, list) else [value]
            for item in values:
                if not isinstance(item, str) or not item:
                    problems.append(f"'{key}' must be a word such as {allowed[0] if allowed else 'academy'}")
                elif allowed is not None and item not in allowed:
                    problems.append(f"{key} can be {', '.join(allowed)}, not '{item}'")
            continue
        number = _number_key(str(key), vocabulary)
        if number is None:
            problems.append(f"unknown condition '{key}'; the conditions are: {', '.join(vocabulary.keys())}")
        elif number[1] == "unknown":
            if value is not True:
                problems.append(f"'{key}' can only be true")
        elif isinstance(value, bool) or not isinstance(value, int if vocabulary.whole_numbers else (int, float)):
            problems.append(f"'{key}' must be {vocabulary.number_hint}")
    return problems


def holds(when: Mapping[str, object], words: Mapping[str, str | None], numbers: Mapping[str, float | None]) -> bool:
    """True when every condition holds for these facts (a missing word fact is "unknown")."""
    for key, wanted in when.items():
        if key in words:
            actual = (words[key] or UNKNOWN).lower()
            allowed = [str(w).lower() for w in (wanted if isinstance(wanted, list) else [wanted])]
            if actual not in allowed:
                return False
            continue
        number, _, how = str(key).partition("_")
        value = numbers.get(number)
        if how == "unknown":
            ok = value is None
        elif value is None:
            ok = False
        elif how == "over":
            ok = value > float(wanted)  # type: ignore[arg-type]
        elif how == "at_least":
            ok = value >= float(wanted)  # type: ignore[arg-type]
        else:  # at_most
            ok = value <= float(wanted)  # type: ignore[arg-type]
        if not ok:
            return False
    return True
