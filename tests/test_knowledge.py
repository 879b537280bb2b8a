"""Loading and validating knowledge files, including the real knowledge base."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.content.articles import load_knowledge, parse_article
from bot.understanding.intents import situation_intents
from tests.knowledge_fixtures import FIXTURE_INTENTS, RELATED_ARTICLE, VALID_ARTICLE, write_knowledge

TODAY = dt.date(2026, 12, 4)  # the last legal review (issue 11) is dated 2026-12-04


def problems_for(tmp_path: Path, text: str, name: str = "ehc-delay") -> list[str]:
    folder = write_knowledge(tmp_path / "kb", {name: text, "request-ehc-assessment": RELATED_ARTICLE})
    kb = load_knowledge(folder, FIXTURE_INTENTS, today=TODAY)
    return [str(p) for p in kb.problems]


def test_valid_fixture_has_no_problems(knowledge_dir: Path) -> None:
    kb = load_knowledge(knowledge_dir, FIXTURE_INTENTS, today=TODAY)
    assert kb.problems == []
    article = kb.by_intent()["ehc_delay"]
    assert article.sections["law"].startswith("- The final plan")
    assert article.source("regs-13").inline == "SEND Regs reg 13"
    assert article.extra["tailoring"][0]["when"] == {"weeks_over": 20}


# What the line a problem names must show: the field or text the edit broke (YAML names the line where
# it noticed the error, the one after the broken flow list).
LINE_SHOWS = {
    "must start with": "id: ehc-delay",
    "not valid YAML": "summary:",
    "missing required field 'owner'": "id: ehc-delay",
    "unknown intent": "intents: [ehc_delays]",
    "not a valid https": "sources:",
    "has no citation": "- The final plan is due within 20 weeks of the request .",
    "does not match any source key": "summary:",
    "unknown section heading": "## Who helps",
    "sentence the parent": "## What you can do now",
    "related article": "related: [no-such-article]",
    "review_by must be after": "review_by: 2026-10-01",
    "must be a date written": "review_by: 1 May 2027",
    "'EHC' is used before": "EHC plan",
    "unknown condition": "tailoring:",
    "summary has": "summary:",
}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda t: t.replace("---\nid:", "id:", 1), "must start with a line '---'"),
        (lambda t: t.replace("intents: [ehc_delay]", "intents: [ehc_delay"), "not valid YAML"),
        (lambda t: t.replace("owner: SEND law content lead\n", ""), "missing required field 'owner'"),
        (lambda t: t.replace("intents: [ehc_delay]", "intents: [ehc_delays]"), "unknown intent 'ehc_delays'"),
        (lambda t: t.replace("url: https://www.legislation", "url: htps//www.legislation"), "not a valid https"),
        (lambda t: t.replace("[@regs-13].\n\n## What you can do", ".\n\n## What you can do"), "has no citation"),
        (lambda t: t.replace("[@regs-13]", "[@regs-31]"), "does not match any source key"),
        (lambda t: t.replace("## Who can help", "## Who helps"), "unknown section heading"),
        (
            lambda t: t.replace("## If that doesn't work\n\n- Complain to the council, then the Ombudsman.\n", ""),
            "missing section '## If that doesn't work'",
        ),
        (lambda t: t.replace('  > "Please tell me when you will issue the final plan."\n', ""), "sentence the parent"),
        (
            lambda t: t.replace("related: [request-ehc-assessment]", "related: [no-such-article]"),
            "related article 'no-such-article' does not exist",
        ),
        (lambda t: t.replace("review_by: 2027-05-01", "review_by: 2026-10-01"), "review_by must be after"),
        (lambda t: t.replace("review_by: 2027-05-01", "review_by: 1 May 2027"), "must be a date written YYYY-MM-DD"),
        (lambda t: t.replace("education, health and care (EHC) plan", "EHC plan"), "'EHC' is used before"),
        (lambda t: t.replace("{weeks_over: 20}", "{weeks_more: 20}"), "unknown condition 'weeks_more'"),
        (lambda t: t.replace("summary: >-\n", "summary: >-\n  " + "word " * 61 + "\n"), "summary has"),
    ],
)
def test_broken_article_is_reported_with_file_and_line(tmp_path: Path, change, expected: str) -> None:
    broken = change(VALID_ARTICLE)
    assert broken != VALID_ARTICLE, "the test's edit must change the fixture"
    found = problems_for(tmp_path, broken)
    matching = [p for p in found if expected in p]
    assert matching, f"expected '{expected}' in {found}"
    location = matching[0].split(": ")[0]
    path, line = location.rsplit(":", 1)
    assert path.endswith(".md")
    # The line named is the one to fix (or, for a missing part, a line of the file).
    shown = broken.split("\n")[int(line) - 1]
    marker = next((m for key, m in LINE_SHOWS.items() if key in expected), None)
    assert 1 <= int(line) <= len(broken.split("\n"))
    if marker is not None:
        assert marker in shown, f"line {line} is {shown!r}, expected it to show {marker!r}"


def test_error_line_points_at_the_field(tmp_path: Path) -> None:
    broken = VALID_ARTICLE.replace("intents: [ehc_delay]", "intents: [ehc_delays]")
    found = [p for p in problems_for(tmp_path, broken) if "unknown intent" in p]
    assert found[0].split(": ")[0].endswith("ehc-delay.md:4")


def test_passed_review_date_is_a_warning_not_an_error(tmp_path: Path) -> None:
    folder = write_knowledge(tmp_path / "kb", {"ehc-delay": VALID_ARTICLE, "request-ehc-assessment": RELATED_ARTICLE})
    kb = load_knowledge(folder, FIXTURE_INTENTS, today=dt.date(2027, 6, 1))
    assert kb.errors == []
    assert any("review was due" in str(w) for w in kb.warnings)


def test_duplicate_ids_and_intents_are_errors(tmp_path: Path) -> None:
    copy = VALID_ARTICLE.replace("id: ehc-delay", "id: ehc-delay-copy")
    folder = write_knowledge(
        tmp_path / "kb",
        {"ehc-delay": VALID_ARTICLE, "ehc-delay-copy": copy, "request-ehc-assessment": RELATED_ARTICLE},
    )
    messages = [str(p) for p in load_knowledge(folder, FIXTURE_INTENTS, today=TODAY).errors]
    assert any("intent 'ehc_delay' already has an article" in m for m in messages)


def test_intent_without_article_is_an_error(tmp_path: Path) -> None:
    folder = write_knowledge(tmp_path / "kb", {"ehc-delay": VALID_ARTICLE.replace("[request-ehc-assessment]", "[]")})
    messages = [str(p) for p in load_knowledge(folder, FIXTURE_INTENTS, today=TODAY).errors]
    assert any("intent 'request_ehc_assessment' in domain.yml has no article" in m for m in messages)


def test_id_must_match_file_name(tmp_path: Path) -> None:
    article, problems = parse_article(
        write_knowledge(tmp_path, {"wrong-name": VALID_ARTICLE}) / "articles" / "wrong-name.md"
    )
    assert article is None
    assert any("must match the file name" in str(p) for p in problems)


def test_check_command_exit_codes(tmp_path: Path, capsys) -> None:
    broken = write_knowledge(tmp_path / "broken", {"ehc-delay": VALID_ARTICLE.replace("sources:", "sauces:")})
    assert main(["knowledge", "check", "--dir", str(broken)]) == 1
    out = capsys.readouterr().out
    assert "ehc-delay.md" in out and "missing required field 'sources'" in out


# --- the real knowledge base --------------------------------------------------------------------


def test_real_knowledge_base_is_valid_and_complete() -> None:
    root = Path(__file__).resolve().parent.parent / "knowledge"
    intents = situation_intents()
    kb = load_knowledge(root, intents)
    assert kb.errors == [], "\n".join(str(e) for e in kb.errors)
    by_intent = kb.by_intent()
    assert sorted(by_intent) == sorted(intents), "every situation intent maps to exactly one article"
    assert len(intents) == 31


def test_check_command_passes_on_real_knowledge_base() -> None:
    assert main(["knowledge", "check"]) == 0


def test_check_command_covers_ladders_letters_and_partners(tmp_path: Path, capsys) -> None:
    import shutil

    root = Path(__file__).resolve().parent.parent / "knowledge"
    copy = tmp_path / "knowledge"
    shutil.copytree(root, copy)
    assert main(["knowledge", "check", "--dir", str(copy)]) == 0
    letter = copy / "letters" / "request-ehc-assessment.md"
    letter.write_text(letter.read_text().replace("articles:", "articels:", 1))
    ladder = next((copy / "ladders").glob("*.yml"))
    ladder.write_text(ladder.read_text() + "\nsteps: [oops\n")
    partner = copy / "partners" / "default.yml"
    partner.write_text(partner.read_text() + "\n  bad indent: [\n")
    capsys.readouterr()
    assert main(["knowledge", "check", "--dir", str(copy)]) == 1
    out = capsys.readouterr().out
    assert "request-ehc-assessment.md" in out and ladder.name in out and "default.yml" in out
