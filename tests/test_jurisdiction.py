"""England only: the knowledge check refuses a source whose address names Wales, Scotland or Northern Ireland.

Only the outside-england article may cite the other UK nations' material (issue 11, point 6).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.content.articles import parse_article
from bot.content.jurisdiction import foreign_nation, foreign_source_problem
from bot.content.letters import parse_letter
from bot.content.triage import parse_triage
from tests.knowledge_fixtures import VALID_ARTICLE

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
ENGLAND_URL = "https://www.legislation.gov.uk/uksi/2014/1530/regulation/13"


@pytest.fixture(autouse=True)
def _read_the_files_themselves(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests check what is written, so the sign-off mechanism must not swap in a reviewed copy."""
    monkeypatch.setenv("KNOWLEDGE_ALLOW_UNREVIEWED", "1")


@pytest.mark.parametrize(
    ("url", "nation"),
    [
        ("https://www.ipsea.org.uk/transport-wales.htm", "Wales"),
        ("https://www.gov.wales/additional-learning-needs", "Wales"),
        ("https://www.snapcymru.org/cymru/help", "Wales"),
        ("https://www.legislation.gov.uk/anaw/2018/2/enacted", "Wales"),
        ("https://www.legislation.gov.uk/wsi/2021/360/section/22", "Wales"),
        ("https://www.gov.scot/policies/schools/additional-support-for-learning/", "Scotland"),
        ("https://enquire.org.uk/scotland/rights", "Scotland"),
        ("https://www.legislation.gov.uk/asp/2004/4/contents", "Scotland"),
        ("https://www.legislation.gov.uk/id/ssi/2005/515", "Scotland"),
        ("https://www.nidirect.gov.uk/articles/special-educational-needs", "Northern Ireland"),
        ("https://example.org/northern-ireland/sen", "Northern Ireland"),
        ("https://www.legislation.gov.uk/nisi/2005/1117/contents", "Northern Ireland"),
        ("https://www.legislation.gov.uk/nisr/1996/451/regulation/3/made", "Northern Ireland"),
    ],
)
def test_addresses_naming_another_nation(url: str, nation: str) -> None:
    assert foreign_nation(url) == nation


@pytest.mark.parametrize(
    "url",
    [
        ENGLAND_URL,
        "https://www.legislation.gov.uk/ukpga/2014/6/section/42",
        "https://www.legislation.gov.uk/cy/uksi/2014/1530/regulation/22/2020-05-01",  # Welsh-language view of England law
        "https://www.gov.uk/government/publications/send-code-of-practice-0-to-25",
        "https://www.ipsea.org.uk/young-people-aged-19-and-over",
        "https://www.example.org/legal-aid-england-and-wales",
        "https://www.lgo.org.uk/decisions",
        "https://www.justice.gov.uk/courts/procedure-rules/civil/rules/part54",
    ],
)
def test_england_addresses_pass(url: str) -> None:
    assert foreign_nation(url) is None


def test_only_the_outside_england_article_may_cite_other_nations() -> None:
    wales = "https://www.gov.wales/additional-learning-needs"
    assert foreign_source_problem(wales, KNOWLEDGE / "articles" / "outside-england.md") is None
    problem = foreign_source_problem(wales, KNOWLEDGE / "articles" / "school-transport.md")
    assert problem is not None and "about Wales" in problem and "outside-england" in problem
    for folder, name in (("ladders", "school-transport-review.yml"), ("letters", "x.md"), ("triage", "exclusion.yml")):
        assert foreign_source_problem(wales, KNOWLEDGE / folder / name) is not None
    assert foreign_source_problem(ENGLAND_URL, KNOWLEDGE / "articles" / "ehc-delay.md") is None


def test_an_article_citing_wales_fails_the_knowledge_check_with_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    path = folder / "ehc-delay.md"
    path.write_text(VALID_ARTICLE.replace(ENGLAND_URL, "https://www.ipsea.org.uk/transport-wales.htm"), "utf-8")
    article, problems = parse_article(path)
    assert article is None
    [problem] = [p for p in problems if "is about Wales" in p.message]
    assert problem.severity == "error" and problem.path == str(path) and problem.line > 1

    exempt = folder / "outside-england.md"
    exempt.write_text(
        path.read_text("utf-8").replace("id: ehc-delay", "id: outside-england"),
        "utf-8",
    )
    _, exempt_problems = parse_article(exempt)
    assert not [p for p in exempt_problems if "is about Wales" in p.message]


def test_a_letter_and_the_triage_file_citing_scotland_fail(tmp_path: Path) -> None:
    scotland = "https://www.gov.scot/policies/schools/"
    letters = tmp_path / "letters"
    shutil.copytree(KNOWLEDGE / "letters", letters)
    letter = letters / "request-ehc-assessment.md"
    text = letter.read_text("utf-8")
    first_url = next(line for line in text.splitlines() if line.strip().startswith("url: ")).split("url: ")[1]
    letter.write_text(text.replace(first_url, scotland, 1), "utf-8")
    template, problems = parse_letter(letter)
    assert template is None and any("is about Scotland" in p.message for p in problems)

    triage = tmp_path / "triage"
    triage.mkdir()
    guide_path = triage / "exclusion.yml"
    text = (KNOWLEDGE / "triage" / "exclusion.yml").read_text("utf-8")
    guide_path.write_text(text.replace("https://staffs-iass.org/Exclusions/Unofficial-exclusions.aspx", scotland, 1))
    guide, problems = parse_triage(guide_path)
    assert guide is None and any("is about Scotland" in p.message for p in problems)


def _sources(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text.split("---", 2)[1] if path.suffix == ".md" else text)
    return [s for s in data.get("sources") or [] if isinstance(s, dict)]


@pytest.mark.parametrize("folder", ["articles", "ladders", "letters", "triage"])
def test_no_real_england_file_cites_another_nation(folder: str) -> None:
    """Also guards the ladders, whose sources are read by bot/content/ladders.py rather than source_entry."""
    offending = [
        f"{path.relative_to(ROOT)}: {problem}"
        for path in sorted((KNOWLEDGE / folder).glob("*.*"))
        if path.suffix in (".md", ".yml")
        for source in _sources(path)
        if (problem := foreign_source_problem(str(source.get("url") or ""), path))
    ]
    assert offending == []
