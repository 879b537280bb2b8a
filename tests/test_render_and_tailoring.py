"""Citations, phone-sized chunks and entity-driven tailoring."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge import load_knowledge
from bot.render import CHUNK_CHARS, chunk, render_citations
from bot.tailoring import Duration, condition_problems, matches, parse_duration, tailored_lines
from tests.conftest import FIXTURE_INTENTS


@pytest.fixture
def article(knowledge_dir: Path):
    return load_knowledge(knowledge_dir, FIXTURE_INTENTS).by_intent()["ehc_delay"]


def test_citations_render_inline(article) -> None:
    assert render_citations("Due in 20 weeks [@regs-13].", article) == "Due in 20 weeks (SEND Regs reg 13)."
    assert render_citations("Two [@regs-13] [@regs-13].", article) == "Two (SEND Regs reg 13; SEND Regs reg 13)."


def test_chunks_fit_a_phone_and_keep_all_text() -> None:
    bullets = "\n".join(f"- Point number {i} says something useful about your rights here." for i in range(40))
    parts = chunk(bullets)
    assert len(parts) > 1
    assert all(len(p) <= CHUNK_CHARS for p in parts)
    assert "\n".join(parts).split("\n") == bullets.split("\n")


def test_long_paragraph_splits_at_sentences() -> None:
    paragraph = " ".join(f"Sentence {i} is here." for i in range(100))
    parts = chunk(paragraph)
    assert all(len(p) <= CHUNK_CHARS for p in parts)
    assert all(p.endswith(".") for p in parts)


def test_heading_stays_with_its_text() -> None:
    text = "- " + "x" * 500 + "\n### Next\n- " + "y" * 100
    parts = chunk(text)
    assert not any(p.rstrip().endswith("### Next") for p in parts)


def test_a_bold_line_on_its_own_starts_the_message_with_its_text() -> None:
    text = "- " + "x" * 450 + "\n\n**Steps**\n1. " + "y" * 200
    parts = chunk(text)
    assert parts == ["- " + "x" * 450, "**Steps**\n1. " + "y" * 200]


def test_items_up_to_whole_up_to_are_not_split() -> None:
    step = "1. **Step**. " + " ".join(f"Sentence {i} here." for i in range(60))
    assert CHUNK_CHARS < len(step) < 2 * CHUNK_CHARS
    assert len(chunk(step)) > 1
    assert chunk("Intro.\n\n" + step, whole_up_to=2 * CHUNK_CHARS) == ["Intro.", step]
    longer = step + " " + step[3:]
    assert all(len(p) <= CHUNK_CHARS for p in chunk(longer, whole_up_to=2 * CHUNK_CHARS))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 days", Duration(3, "days")),
        ("26 weeks", Duration(26, "weeks")),
        ("five school days", Duration(5, "days")),
        ("4wks", Duration(4, "weeks")),
        ("about 5 months", Duration(5, "months")),
        ("banana", None),
        (None, None),
    ],
)
def test_parse_duration(text, expected) -> None:
    assert parse_duration(text) == expected


def test_conditions() -> None:
    assert matches({"school_type": "academy"}, {"school_type": "Academy"})
    assert not matches({"school_type": "academy"}, {"school_type": "maintained"})
    assert not matches({"school_type": "academy"}, {})
    assert matches({"days_over": 5}, {"duration": "6 days"})
    assert not matches({"days_over": 5}, {"duration": "5 days"})
    assert matches({"days_at_least": 5}, {"duration": "5 days"})
    assert matches({"weeks_over": 20}, {"duration": "26 weeks"})
    assert matches({"days_over": 15}, {"duration": "3 weeks"})
    assert not matches({"weeks_over": 1}, {"duration": "3 months"})  # months are too vague to compare
    assert matches({"school_type": "academy", "days_over": 5}, {"school_type": "academy", "duration": "6 days"})


def test_condition_problems() -> None:
    assert condition_problems({"school_type": "academy", "days_over": 5}) == []
    assert condition_problems({"days_over": "five"}) == ["'days_over' must be a whole number"]
    assert "unknown condition" in condition_problems({"colour": "red"})[0]
    assert condition_problems("academy")


def test_tailored_lines_in_order() -> None:
    rules = [{"when": {"days_over": 5}, "say": "A"}, {"when": {"school_type": "pru"}, "say": "B"}, {"say": "C"}]
    assert tailored_lines(rules, {"duration": "6 days", "school_type": "pru"}) == ["A", "B", "C"]
    assert tailored_lines(None, {}) == []


def test_real_articles_tailor_to_what_the_parent_said() -> None:
    from bot.intents import situation_intents

    root = Path(__file__).resolve().parent.parent / "knowledge"
    suspension = load_knowledge(root, situation_intents()).by_intent()["suspension"]
    rules = suspension.extra["tailoring"]
    six_days = tailored_lines(rules, {"duration": "6 days"})
    assert len(six_days) == 1 and "more than 5 school days" in six_days[0]
    assert len(tailored_lines(rules, {"duration": "16 days", "school_type": "academy"})) == 3
    assert tailored_lines(rules, {"duration": "3 days"}) == []
