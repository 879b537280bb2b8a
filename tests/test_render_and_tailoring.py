"""Citations, phone-sized chunks and entity-driven tailoring."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.content.articles import load_knowledge
from bot.content.render import (
    CHUNK_CHARS,
    MAX_LISTED_SOURCES,
    Citations,
    chunk,
    marker_sources,
    render_citations,
    sentences,
    unwrap,
    unwrap_markers,
)
from bot.content.tailoring import Duration, condition_problems, matches, parse_duration, tailored_lines
from bot.content.validation import Source
from tests.knowledge_fixtures import FIXTURE_INTENTS


@pytest.fixture
def article(knowledge_dir: Path):
    return load_knowledge(knowledge_dir, FIXTURE_INTENTS).by_intent()["ehc_delay"]


def test_the_staff_view_names_citations_inline(article) -> None:
    assert render_citations("Due in 20 weeks [@regs-13].", article) == "Due in 20 weeks (SEND Regs reg 13)."
    assert render_citations("Two [@regs-13] [@regs-13].", article) == "Two (SEND Regs reg 13; SEND Regs reg 13)."


REGS_13 = "https://www.legislation.gov.uk/uksi/2014/1530/regulation/13"


def test_citations_become_numbered_links_under_the_bubble(article) -> None:
    cited = Citations()
    marked = cited.mark("Due in 20 weeks [@regs-13]. Really [@regs-13] [@unknown].", article.source)
    assert cited.bubbles(marked) == [f"Due in 20 weeks. Really.\nSource: [1]({REGS_13})"]
    other = Source("cfa-36", "Children and Families Act 2014, section 36", "CFA s.36", "https://a.gov.uk/36")
    lookup = {"cfa-36": other, "regs-13": article.source("regs-13")}.get
    assert cited.mark("Ask [@cfa-36], then wait [@regs-13].", lookup) == "Ask [^2], then wait [^1]."
    assert cited.mark("Ask [@nobody].", lookup) == "Ask."  # a key without a source is left out
    assert cited.finish("Ask [^2], then wait [^1].") == (
        f"Ask, then wait.\nSources: [1]({REGS_13}) [2](https://a.gov.uk/36)"
    )


def test_the_sources_list_titles_the_most_cited_and_links_the_rest() -> None:
    cited = Citations()
    sources = [Source(f"s{n}", f"Title {n} [2017] UKSC 28", f"C{n}", f"https://a.gov.uk/{n}") for n in range(8)]
    text = " ".join(f"Point [@s{n}]." for n in range(8))
    marked = cited.mark(text, {s.key: s for s in sources}.get)
    cited.finish(marked)
    cited.finish("Again [^8] [^7].")
    listed = cited.sources_list(dt.date(2026, 11, 23)).splitlines()
    assert listed[0] == "**Sources**" and listed[-1] == "Last checked: 23 November 2026"
    assert len(listed) == MAX_LISTED_SOURCES + 3
    assert listed[1] == r"1. [Title 0 \[2017\] UKSC 28](https://a.gov.uk/0)"
    assert listed[4] == r"7. [Title 6 \[2017\] UKSC 28](https://a.gov.uk/6)"  # cited twice: listed in full
    assert listed[-2] == "More sources: [4](https://a.gov.uk/3) [5](https://a.gov.uk/4) [6](https://a.gov.uk/5)"


def test_ladder_markers_come_back_out_of_their_brackets() -> None:
    source = Source("regs-13", "SEND Regulations 2014, regulation 13", "SEND Regs reg 13", REGS_13)
    assert marker_sources([source])[0].short == "[@regs-13]"
    assert unwrap_markers("Due in 20 weeks ([@regs-13]; [@lga]).") == "Due in 20 weeks [@regs-13][@lga]."
    assert unwrap_markers("Step 3 (after step 2; [@lga]).") == "Step 3 (after step 2 [@lga])."


def test_sentences_ignore_abbreviations() -> None:
    text = "Use s. 19 of the Act, e.g. a letter. Then wait 6 weeks. R v. Smith (1998) says so. Done."
    assert sentences(text) == [
        "Use s. 19 of the Act, e.g. a letter.",
        "Then wait 6 weeks.",
        "R v. Smith (1998) says so.",
        "Done.",
    ]


def test_a_list_that_fits_moves_whole_to_the_next_bubble_with_its_lead_in() -> None:
    intro = "x" * 400 + "."
    listing = "The law allows these exceptions:\n" + "\n".join(f"- Exception {n} " + "y" * 40 for n in range(4))
    assert chunk(f"{intro}\n\n{listing}") == [intro, listing]


def test_a_short_list_is_kept_whole_even_when_its_lead_in_goes_over() -> None:
    listing = "\n".join(f"- Item {n} " + "z" * 133 for n in range(4))
    assert len(listing) < CHUNK_CHARS
    text = "Before you start, please read all of this:\n" + listing
    assert len(text) > CHUNK_CHARS and chunk(text) == [text]


def test_wrapped_lines_of_knowledge_text_are_joined_and_quotes_kept() -> None:
    text = 'A paragraph wrapped\nin the file.\n\n- An item wrapped\n  over two lines.\n  > "A quote."\n- Next.'
    assert (
        unwrap(text) == 'A paragraph wrapped in the file.\n\n- An item wrapped over two lines.\n  > "A quote."\n- Next.'
    )
    # Text built by the code (a deadline, a letter) keeps its line breaks: they are meant.
    built = "**Due: 3 May 2026**\nHow it's counted: 2 months.\nSource: the regulations."
    assert chunk(built) == [built]


def test_a_long_list_is_cut_evenly_between_items() -> None:
    items = [f"{n}. " + "w" * 140 for n in range(1, 10)]
    assert CHUNK_CHARS > 4 * 144  # filling each bubble in turn would leave the ninth item on its own
    assert [part.splitlines() for part in chunk("\n".join(items))] == [items[:3], items[3:6], items[6:]]


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
    from bot.understanding.intents import situation_intents

    root = Path(__file__).resolve().parent.parent / "knowledge"
    suspension = load_knowledge(root, situation_intents()).by_intent()["suspension"]
    rules = suspension.extra["tailoring"]
    six_days = tailored_lines(rules, {"duration": "6 days"})
    assert len(six_days) == 1 and "more than 5 school days" in six_days[0]
    assert len(tailored_lines(rules, {"duration": "16 days", "school_type": "academy"})) == 3
    assert tailored_lines(rules, {"duration": "3 days"}) == []
