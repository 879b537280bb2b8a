"""Exclusion triage: the staff file validates, typed answers are read, and each case gets its route."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli.main import main as cli_main
from bot.content.triage import (
    Answers,
    answers_from_slots,
    load_triage,
    parse_triage,
    read_school_days,
    route_for,
    triage_route,
)
from bot.settings import PROJECT_ROOT

REAL_FILE = PROJECT_ROOT / "knowledge" / "triage" / "exclusion.yml"


@pytest.fixture(scope="module")
def guide():
    parsed, problems = parse_triage(REAL_FILE)
    assert [p for p in problems if p.severity == "error"] == []
    assert parsed is not None
    return parsed


def said(result) -> str:
    return "\n".join(result.paragraphs)


def test_the_real_file_has_the_three_routes_and_every_source_is_a_link(guide) -> None:
    assert set(guide.routes) == {"informal", "suspension", "permanent"}
    assert all(s.url.startswith("https://") for s in guide.sources)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("4", 4.0),
        ("7.5", 7.5),
        ("about 6 days", 6.0),
        ("three and a half", 3.5),
        ("4 and a half days", 4.5),
        ("half a day", 0.5),
        ("none", 0.0),
        ("banana", None),
        ("3 or 4", None),
        ("12/01/2026", None),
        ("500", None),
        ("", None),
    ],
)
def test_reading_a_number_of_school_days(text: str, days: float | None) -> None:
    assert read_school_days(text) == days


def test_skipped_and_unreadable_answers_count_as_unknown() -> None:
    answers = answers_from_slots(
        {
            "exclusion_recorded": "skipped",
            "days_missed": "skipped",
            "school_type": "skipped",
            "support_level": "skipped",
            "public_exam": "yes",
        }
    )
    assert answers == Answers(public_exam="yes")
    assert answers_from_slots({"school_type": "pru", "days_missed": "6"}) == Answers(days=6.0, school_type="other")


def test_which_route() -> None:
    assert route_for("permanent-exclusion", Answers(recorded="no")) == "permanent"
    assert route_for("informal-exclusion", Answers(recorded="yes")) == "suspension"
    assert route_for("suspension", Answers(recorded="no")) == "informal"
    assert route_for("suspension", Answers()) == "suspension"
    assert route_for("reduced-timetable", Answers()) == "informal"
    assert route_for(None, Answers()) == "informal"


def test_informal_route(guide) -> None:
    result = triage_route(guide, "informal-exclusion", Answers(recorded="no", days=4, school_type="academy"))
    text = said(result)
    assert result.route == "informal"
    assert "unlawful, even if you agreed" in text
    assert "in writing" in text and "Keep a log" in text
    assert "academy's complaints procedure" in text and "maintained school must" not in text
    assert "(EA 1996 s.19)" in text  # the council's duty, because days were missed
    assert "not recorded in writing; 4 school days missed this term; an academy" in result.recap
    assert {s.key for s in result.sources} >= {"staffs-unofficial", "ea1996-s19", "academy-complaints"}


def test_suspension_over_five_days_with_an_ehc_plan_in_a_maintained_school(guide) -> None:
    answers = Answers(recorded="yes", days=7, school_type="maintained", support_level="ehc_plan", public_exam="no")
    text = said(triage_route(guide, "suspension", answers))
    assert "more than 5 school days, so you can send written representations" in text
    assert "even if you don't ask" not in text  # not over 15 days, no exam
    assert "We have not seen the regulation's own wording for maintained schools" in text  # the hedge (V2)
    assert "6th school day in a row" in text and "45 school days" in text
    assert "early review of the plan" in text
    assert "within 6 months" in text


def test_suspension_over_fifteen_days_or_an_exam(guide) -> None:
    long = said(triage_route(guide, "suspension", Answers(recorded="yes", days=16, school_type="academy")))
    assert "over 15 school days in a term, the governors must consider" in long
    assert "We have not seen" not in long  # academies: the regulation itself was checked
    exam = said(triage_route(guide, "suspension", Answers(recorded="yes", days=2, public_exam="yes")))
    assert "affects a public exam" in exam and "before the exam" in exam
    assert "cannot order your child back" in exam  # 5 days or fewer


def test_suspension_with_days_unknown_explains_the_threshold(guide) -> None:
    text = said(triage_route(guide, "suspension", Answers()))
    assert "If the total this term passes 5 school days" in text
    assert "early review" not in text


def test_permanent_route(guide) -> None:
    result = triage_route(guide, "permanent-exclusion", Answers(support_level="neither"))
    text = said(result)
    assert "independent review panel (IRP)" in text and "15 school days after the day" in text
    assert "whether or not the school says your child has SEN" in text
    assert "council must arrange suitable full-time education" in text
    assert "within 6 months" in text
    assert "early review" not in text


def test_a_broken_file_reports_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "triage"
    folder.mkdir()
    text = REAL_FILE.read_text(encoding="utf-8")
    text = text.replace("agreed to it [@staffs-unofficial]", "agreed to it [@no-such-source]", 1)
    text = text.replace("when: {school_type: maintained}", "when: {school_type: castle}", 1)
    text = text.replace("informal:\n    title:", "informal:\n    colour: red\n    title:", 1)
    (folder / "exclusion.yml").write_text(text, encoding="utf-8")
    guides, problems = load_triage(folder)
    messages = [str(p) for p in problems]
    assert guides == []
    assert any("citation [@no-such-source] does not match any source key" in m for m in messages)
    assert any("school_type can be academy, maintained, other, unknown, not 'castle'" in m for m in messages)
    assert any("route 'informal': unknown field 'colour'" in m for m in messages)
    assert all(":0:" not in m for m in messages)


def test_unexplained_abbreviation_and_missing_citation_are_errors(tmp_path: Path) -> None:
    folder = tmp_path / "triage"
    folder.mkdir()
    text = REAL_FILE.read_text(encoding="utf-8").replace(
        "Save texts and emails. This is your evidence for a complaint [@staffs-unofficial].",
        "Ask the SENCO too.",
    )
    (folder / "exclusion.yml").write_text(text, encoding="utf-8")
    _, problems = load_triage(folder)
    messages = " ".join(str(p) for p in problems)
    assert "'SENCO' is used before it is explained" in messages
    assert "add a [@key] citation" in messages


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    guides, problems = load_triage(tmp_path / "triage")
    assert guides == [] and problems[0].severity == "error"


def test_knowledge_check_reports_triage(tmp_path: Path, capsys) -> None:
    shutil.copytree(PROJECT_ROOT / "knowledge", tmp_path / "knowledge")
    assert cli_main(["knowledge", "check", "--dir", str(tmp_path / "knowledge")]) == 0
    assert "1 valid triage guide(s), 0 error(s)" in capsys.readouterr().out
    (tmp_path / "knowledge" / "triage" / "exclusion.yml").write_text("id: [", encoding="utf-8")
    assert cli_main(["knowledge", "check", "--dir", str(tmp_path / "knowledge")]) == 1
    assert "not valid YAML" in capsys.readouterr().out


@pytest.mark.parametrize("level", ["ehc_plan", "sen_support", "neither", None])
def test_the_discrimination_paragraph_is_shown_whatever_the_support_level(guide, level) -> None:
    """A disabled child is protected with or without an EHC plan or SEN support (issue 11, point 9)."""
    for article, recorded in (("informal-exclusion", "no"), ("suspension", "yes"), ("permanent-exclusion", None)):
        text = said(triage_route(guide, article, Answers(recorded=recorded, support_level=level)))
        assert "disability discrimination" in text and "within 6 months" in text, (article, level)
    informal = said(triage_route(guide, "informal-exclusion", Answers(recorded="no", support_level="neither")))
    assert "whether or not your child has an education, health and care (EHC) plan" in informal
    assert "a diagnosis is not needed" in informal


def test_the_sixth_day_paragraphs_give_their_limits(guide) -> None:
    """Compulsory school age, pupil referral units fall to the council, and the Year 11 exam exception."""
    suspension = said(triage_route(guide, "suspension", Answers(recorded="yes", days=7)))
    assert "If your child is of compulsory school age, from the 6th school day in a row" in suspension
    assert "pupil referral unit (PRU), the council must arrange it instead" in suspension
    assert "Year 11 who has already taken, or missed, all the public exams" in suspension
    assert "(SI 2007/1870 reg 5)" in suspension
    permanent = said(triage_route(guide, "permanent-exclusion", Answers()))
    assert "If your child is of compulsory school age, from the 6th school day of the exclusion" in permanent
    assert "Year 11 who has already taken, or missed, all the public exams" in permanent


def test_the_review_panel_paragraph_warns_about_posting(guide) -> None:
    """SI 2012/1033 Sch 1 para 1(2): a posted request counts from the second working day after posting."""
    result = triage_route(guide, "permanent-exclusion", Answers())
    text = said(result)
    assert "15 school days after the day you are given their decision" in text
    assert "first class post only counts as made on the second working day after posting" in text
    assert "hand it in or email it well before day 15" in text
    assert "irp-posting" in {s.key for s in result.sources}
