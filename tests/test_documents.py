"""The plan checker and the letter checker, on realistic extracts, with the staff's real rules."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from bot.documents.checklist import as_json, checklist_docx, checklist_text, letter_checklist, plan_checklist
from bot.documents.letter import check_letter
from bot.documents.plan import check_plan, heading_section, split_pieces, split_sections
from bot.documents.reading import clean_text
from tests.documents_helpers import (
    GOOD_PROVISION,
    PLAN,
    REFUSAL_TO_ASSESS_BARE,
    REFUSAL_TO_ASSESS_FULL,
    SUSPENSION_LETTER,
    letter_rules,
    plan_rules,
)


def flags_by_text(report) -> dict[str, list[str]]:
    return {r.piece.text: [f.title for f in r.flags] for r in report.provisions}


def flagged(report, start: str) -> list[str]:
    return next(titles for text, titles in flags_by_text(report).items() if text.startswith(start))


# --------------------------------------------------------------------------------------------------
# Reading the plan's layout.


@pytest.mark.parametrize(
    ("line", "section"),
    [
        ("Section F: Special educational provision", "F"),
        ("SECTION H1 - Social care provision", "H"),
        ("F. Special educational provision", "F"),
        ("**Section B**", "B"),
        ("Special educational provision", "F"),
        ("a) Speech and language therapy as required.", None),
        ("Section F requires the council to secure the support in it, which is a very long sentence here.", None),
    ],
)
def test_section_headings(line: str, section: str | None) -> None:
    assert heading_section(line) == section


def test_bullets_tables_wrapped_lines_and_subheadings_become_pieces() -> None:
    sections = dict(split_sections(clean_text(PLAN)))
    pieces = split_pieces("F", sections["F"])
    texts = [p.text for p in pieces]
    assert texts[0] == "Access to speech and language therapy."
    # A line wrapped in the PDF stays with its point.
    assert texts[2].endswith("qualified speech and language therapist (HCPC registered).")
    # Table rows become one piece each; the header row is dropped.
    assert "Social skills in a small group; weekly; SENCO" in texts
    assert not any(t.startswith("Provision") for t in texts)
    needs = split_pieces("B", sections["B"])
    assert [n.heading for n in needs][:2] == ["Communication and interaction"] * 2
    assert needs[2].heading == "Social, emotional and mental health"
    assert "  " not in needs[2].text  # odd spacing made plain


# --------------------------------------------------------------------------------------------------
# The plan checker.


def test_vague_provision_is_flagged_with_what_is_missing() -> None:
    report = check_plan(clean_text(PLAN), plan_rules())
    access = flagged(report, "Access to speech")
    assert 'Vague wording: "access to"' in access
    assert "It doesn't say how much (hours or minutes)." in access
    assert "It doesn't say how often." in access
    assert "It doesn't say who gives it, or what qualification they need." in access
    assert 'Vague wording: "regular"' in flagged(report, "Regular support")
    assert 'Vague wording: "small group"' in flagged(report, "Social skills")


def test_specific_provision_is_not_flagged() -> None:
    report = check_plan(clean_text(PLAN), plan_rules())
    assert flagged(report, "30 minutes of direct speech") == []
    assert check_plan(clean_text(GOOD_PROVISION), plan_rules()).flag_count == 0


def test_therapy_in_health_section_gets_the_code_of_practice_note() -> None:
    report = check_plan(clean_text(PLAN), plan_rules())
    g = next(r for r in report.provisions if r.piece.section == "G")
    therapy = next(f for f in g.flags if f.kind == "therapy")
    assert "[@cop-974]" in therapy.why
    assert 'Vague wording: "as required"' in [f.title for f in g.flags]


def test_every_flag_cites_a_source_and_asks_a_question() -> None:
    report = check_plan(clean_text(PLAN), plan_rules())
    keys = {s.key for s in plan_rules().sources}
    flags = [f for r in report.provisions for f in r.flags] + [f for _, f in report.unmatched_needs]
    assert flags
    for flag in flags:
        cited = set(__import__("re").findall(r"\[@([a-z0-9-]+)\]", flag.why))
        assert cited and cited <= keys, flag
        assert flag.ask.endswith("?"), flag


def test_a_need_without_matching_support_is_a_question_never_a_certainty() -> None:
    report = check_plan(clean_text(PLAN), plan_rules())
    unmatched = [need.text for need, _ in report.unmatched_needs]
    assert unmatched == ["Fine motor difficulties affect his handwriting and pencil control."]
    flag = report.unmatched_needs[0][1]
    assert flag.title == "Check: is there provision for this?"
    # Communication and anxiety needs have support in F (therapy, the check-in about worries).
    assert not any("expressive vocabulary" in text for text in unmatched)


def test_handwriting_support_in_f_matches_the_need() -> None:
    text = PLAN.replace(
        "SECTION G", "- 20 minutes of handwriting practice daily with a trained teaching assistant.\n\nSECTION G"
    )
    assert check_plan(clean_text(text), plan_rules()).unmatched_needs == []


def test_text_without_headings_is_read_as_section_f_and_said_so() -> None:
    report = check_plan(clean_text("Access to a quiet room as needed.\nRegular check-ins with staff."), plan_rules())
    assert report.notes and "section F" in report.notes[0]
    assert len(report.provisions) == 2
    assert all(r.piece.section == "F" for r in report.provisions)


def test_may_as_a_month_is_not_vague_but_may_as_a_hope_is() -> None:
    rules = plan_rules()
    words = {w.id: w for w in rules.vague_words}
    assert words["may"].found_in("a review in may with the senco") is None
    assert words["may"].found_in("she may benefit from movement breaks") is not None
    assert words["small-group"].found_in("literacy in a small group of 4 pupils") is None


# --------------------------------------------------------------------------------------------------
# The letter checker.


def test_a_complete_refusal_letter_has_everything() -> None:
    kind = letter_rules().kind("refusal-to-assess")
    report = check_letter(clean_text(REFUSAL_TO_ASSESS_FULL), kind)
    assert report.missing == []
    assert all(r.snippet for r in report.results)


def test_a_bare_refusal_letter_misses_each_required_element() -> None:
    kind = letter_rules().kind("refusal-to-assess")
    report = check_letter(clean_text(REFUSAL_TO_ASSESS_BARE), kind)
    assert [r.item.id for r in report.missing] == [item.id for item in kind.items]


@pytest.mark.parametrize(
    ("removed", "missing"),
    [
        ("two months", "time-limit"),
        ("Our disagreement resolution service can also help.", "disagreement-resolution"),
        ("SEND Information, Advice and Support Service (SENDIASS)", "information-advice"),
    ],
)
def test_each_element_is_missed_when_it_is_taken_out(removed: str, missing: str) -> None:
    text = REFUSAL_TO_ASSESS_FULL.replace(removed, "")
    if missing == "time-limit":
        text = text.replace("one month", "")
    if missing == "information-advice":
        text = text.replace("Free, impartial advice is available from Sampleshire", "")
    report = check_letter(clean_text(text), letter_rules().kind("refusal-to-assess"))
    assert [r.item.id for r in report.missing] == [missing]


def test_suspension_letter_without_the_sixth_day() -> None:
    report = check_letter(clean_text(SUSPENSION_LETTER), letter_rules().kind("suspension"))
    assert [r.item.id for r in report.missing] == ["sixth-day"]


def test_every_letter_item_cites_a_source() -> None:
    rules = letter_rules()
    keys = {s.key for s in rules.sources}
    for kind in rules.kinds:
        for item in kind.items:
            assert set(__import__("re").findall(r"\[@([a-z0-9-]+)\]", item.why)) <= keys
            assert "[@" in item.why


# --------------------------------------------------------------------------------------------------
# The checklist.


def test_plan_checklist_numbers_sources_and_downloads_as_text_and_word() -> None:
    rules = plan_rules()
    checklist = plan_checklist(check_plan(clean_text(PLAN), rules), rules.intro, rules.sources)
    data = as_json(checklist)
    assert "[@" not in str(data)
    assert data["sources"][0]["url"].startswith("https://")
    assert "15 days" in data["intro"]
    text = checklist_text(checklist, dt.date(2026, 12, 4)).decode()
    assert "Made on 4 December 2026" in text
    assert '[ ] Vague wording: "access to"' in text
    assert "(see source" in text
    assert "https://www.gov.uk/government/publications/send-code-of-practice-0-to-25" in text
    assert "Check: is there provision for this?" in text
    from docx import Document

    document = Document(io.BytesIO(checklist_docx(checklist, dt.date(2026, 12, 4))))
    words = "\n".join(p.text for p in document.paragraphs)
    # The one plain style of every download (bot/content/word.py).
    assert document.core_properties.language == "en-GB" and document.styles["Normal"].font.name == "Arial"
    assert 'w:val="en-GB"' in document.styles["Normal"].element.xml
    assert "Checklist: the support in my child's EHC plan" in words
    assert "Ask: What exactly will my child get, how many hours a week, and from whom?" in words
    assert document.core_properties.language == "en-GB"


def test_letter_checklist_lists_what_is_missing_first() -> None:
    rules = letter_rules()
    report = check_letter(clean_text(SUSPENSION_LETTER), rules.kind("suspension"))
    data = as_json(letter_checklist(report, rules.sources))
    assert data["groups"][0]["heading"] == "We couldn't find"
    assert data["groups"][0]["points"][0]["title"].startswith("What education there will be from the sixth day")
    assert data["groups"][0]["points"][0]["sources"]


def test_the_rules_folder_needs_both_files(tmp_path) -> None:
    import shutil

    from bot.documents.rules import load_rules
    from tests.documents_helpers import RULES_DIR

    assert load_rules(tmp_path / "documents") == ([], [])  # no folder: no checker, nothing to report
    folder = tmp_path / "documents"
    folder.mkdir()
    shutil.copy(RULES_DIR / "plan-wording.yml", folder)
    rules, problems = load_rules(folder)
    assert len(rules) == 1
    assert [p.message for p in problems] == ["letter-contents.yml is missing: the checker needs it"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('patterns: ["up to"]', 'patterns: ["up to("]', "is not a valid pattern"),
        ('patterns: ["up to"]', 'patterns: ["upto"]', "is not found by the patterns"),
        (
            "out vague terms like it [@tribunal-practice]",
            "out vague terms like it [@tribunal]",
            "does not match any source key",
        ),
        (
            "A wish or a recommendation is not provision. The plan must specify what will be provided\n"
            "      [@cfa-s37] [@cop-969].",
            "A wish or a recommendation is not provision.",
            "is a legal statement: cite it",
        ),
        ("ask: Will this definitely happen?", "ask: Will the SENCO do it?", "'SENCO' is used before it is explained"),
        ("  - id: up-to\n", "  - id: Up To\n", "id must be lowercase words"),
    ],
)
def test_staff_mistakes_in_the_plan_rules_are_reported_with_their_line(tmp_path, old, new, message) -> None:
    from bot.documents.rules import parse_plan_rules
    from tests.documents_helpers import RULES_DIR

    text = (RULES_DIR / "plan-wording.yml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "plan-wording.yml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    rules, problems = parse_plan_rules(path)
    assert rules is None
    assert any(message in p.message and p.line > 1 for p in problems), problems


def test_a_letter_item_without_examples_is_reported(tmp_path) -> None:
    from bot.documents.rules import parse_letter_rules
    from tests.documents_helpers import RULES_DIR

    text = (RULES_DIR / "letter-contents.yml").read_text(encoding="utf-8")
    old = '        examples: ["Mediation is free."]\n'
    assert old in text
    path = tmp_path / "letter-contents.yml"
    path.write_text(text.replace(old, ""), encoding="utf-8")
    rules, problems = parse_letter_rules(path)
    assert rules is None and any("add at least one example" in p.message for p in problems)
