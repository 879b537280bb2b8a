"""Facts read from a parent's message with the lookup tables and synonyms in data/nlu/entities.yml, the one
vocabulary for these entities."""

from __future__ import annotations

import pytest

from bot.understanding.entities import (
    extract_facts,
    read_child_age,
    read_school_type,
    read_year_group,
    school_type_phrase,
)


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
        ("he is 7 years old and dyslexic", {"need_type": "dyslexia", "child_age": "he is 7"}),
        ("my son is 7 and autistic", {"need_type": "autism", "child_age": "son is 7"}),
        ("my son is 7 weeks into year 3", {"year_group": "year 3", "duration": "7 weeks"}),
        ("2 years on the list for SALT", {"health_service": "speech and language therapy"}),
        ("hello there", {}),
        ("", {}),
    ],
)
def test_extract_facts(text: str, expected: dict[str, str]) -> None:
    assert extract_facts(text) == expected


def test_words_inside_other_words_are_not_facts() -> None:
    assert "school_type" not in extract_facts("she loves maths and academic work")


# --- one vocabulary: data/nlu/entities.yml, used by the model, the fact reader, the forms and the letters ---


def test_every_school_type_the_model_can_give_reads_in_a_sentence() -> None:
    import yaml

    from bot.understanding.entities import ENTITIES_FILE, SCHOOL_TYPES

    blocks = yaml.safe_load(ENTITIES_FILE.read_text(encoding="utf-8"))["nlu"]
    lookup = next(b for b in blocks if b.get("lookup") == "school_type")
    words = [line[2:].strip().lower() for line in lookup["examples"].splitlines() if line.startswith("- ")]
    canonical = {extract_facts(word)["school_type"] for word in words}
    assert canonical == set(SCHOOL_TYPES)  # no value without a way to say it, no phrase for a value never given


def test_the_forms_and_letters_use_the_same_school_types() -> None:
    from bot.content import render_letter
    from bot.dialogue import forms
    from bot.understanding.entities import SCHOOL_TYPES

    assert render_letter.SCHOOL_TYPES is SCHOOL_TYPES
    for button in forms.QUESTIONS["school_type"].buttons:
        assert read_school_type(button["payload"]) in SCHOOL_TYPES


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("actually it's an academy", "academy"),
        ("a free school", "academy"),
        ("council school", "maintained"),
        ("it's a local authority school", "maintained"),
        ("a voluntary controlled primary", "maintained"),
        ("he goes to a PRU", "pru"),
        ("it's an independent special school", "independent"),
        ("not an academy, a council school", None),  # two kinds: asked, not guessed
        ("the one near the park", None),
        ("she loves academic work", None),
    ],
)
def test_one_school_type_or_none(text: str, kind: str | None) -> None:
    assert read_school_type(text) == kind


@pytest.mark.parametrize(
    ("text", "year", "age"),
    [
        ("year 9", "Year 9", None),
        ("Y4", "Year 4", None),
        ("in reception", "Reception", None),
        ("aged 12", None, "12"),
        ("7 years old", None, "7"),
    ],
)
def test_year_group_and_age_are_normalised(text: str, year: str | None, age: str | None) -> None:
    assert read_year_group(text) == year and read_child_age(text) == age
    assert school_type_phrase("academy", with_article=True) == "an academy"
    assert school_type_phrase("maintained", with_article=True) == "a maintained school"
