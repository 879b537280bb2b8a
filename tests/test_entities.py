"""Facts read from a parent's message with the lookup tables and synonyms in data/nlu/entities.yml."""

from __future__ import annotations

import pytest

from bot.entities import extract_facts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my son was suspended for 6 days from his academy", {"school_type": "academy", "duration": "6 days"}),
        (
            "excluded for five school days from a free school",
            {"school_type": "academy", "duration": "five school days"},
        ),
        (
            "she is in year 9 at a special school with autism",
            {"school_type": "special", "need_type": "autism", "year_group": "year 9"},
        ),
        ("the PRU said he can't come back", {"school_type": "pru"}),
        ("we asked on 12/01/2026", {"date": "12/01/2026"}),
        ("he is 7 years old and dyslexic", {"need_type": "dyslexia", "child_age": "7 years old"}),
        ("hello there", {}),
        ("", {}),
    ],
)
def test_extract_facts(text: str, expected: dict[str, str]) -> None:
    assert extract_facts(text) == expected


def test_words_inside_other_words_are_not_facts() -> None:
    assert "school_type" not in extract_facts("she loves maths and academic work")
