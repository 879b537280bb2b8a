"""Escalation ladders: the real ladders validate and cover every article; broken files are reported well."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.content.ladders import NO_LADDER_ARTICLES, Ladder, ladder_for_article, load_ladders
from bot.content.render_ladder import next_step_index, render_closed_routes, render_step, sources_links
from bot.content.validation import Problem, Source

TODAY = dt.date(2026, 12, 4)  # the last legal review (issue 11) is dated 2026-12-04
ROOT = Path(__file__).resolve().parent.parent
REAL_LADDERS = ROOT / "knowledge" / "ladders"
REAL_ARTICLE_IDS = {path.stem for path in (ROOT / "knowledge" / "articles").glob("*.md")}

# --------------------------------------------------------------------------------------------------
# Fixtures: two small, valid ladders that the tests copy and break on purpose.

VALID_LADDER = textwrap.dedent(
    """\
    id: delay-ladder
    title: When the council is late with the plan
    articles: [ehc-delay]
    last_reviewed: 2026-11-01
    review_by: 2027-05-01
    owner: SEND law content lead
    sources:
      - key: regs-13
        title: SEND Regulations 2014, regulation 13
        citation: SEND Regulations 2014, reg 13(2)
        short: SEND Regs reg 13
        url: https://www.legislation.gov.uk/uksi/2014/1530/regulation/13
      - key: lga-s26b
        title: Local Government Act 1974, section 26B
        citation: Local Government Act 1974, s.26B
        short: LGA 1974 s.26B
        url: https://www.legislation.gov.uk/ukpga/1974/7/section/26B
      - key: cfa-s51
        title: Children and Families Act 2014, section 51
        citation: Children and Families Act 2014, s.51(2)
        url: https://www.legislation.gov.uk/ukpga/2014/6/section/51
    steps:
      - id: write
        title: Write to the council
        who: Your council's special educational needs (SEN) team
        how: Email or letter
        time_limit: "The final plan is due within 20 weeks of your request [@regs-13]."
        requires: []
      - id: complain
        title: Make a formal complaint
        who: Your council's complaints team
        how: In writing
        time_limit: null
        requires: [write]
      - id: ombudsman
        title: Go to the Ombudsman
        who: The Local Government and Social Care Ombudsman
        how: In writing
        time_limit: "Within 12 months beginning with the day you first knew [@lga-s26b]."
        requires: [complain]
        note: Keep copies of everything [@regs-13] [@lga-s26b].
    closed_routes:
      - route: The Tribunal
        why: "Delay is not a decision you can appeal [@cfa-s51]."
    """
)

SECOND_LADDER = textwrap.dedent(
    """\
    id: request-ladder
    title: When the council refuses to assess
    articles: [request-ehc-assessment]
    last_reviewed: 2026-11-01
    review_by: 2027-05-01
    owner: SEND law content lead
    sources:
      - key: tribunal-r20
        title: Tribunal Procedure Rules 2008, rule 20
        citation: SI 2008/2699, r.20(1)(c)
        short: HESC Rules r.20
        url: https://www.legislation.gov.uk/uksi/2008/2699/article/20
    steps:
      - id: appeal
        title: Appeal to the Tribunal
        who: The Tribunal
        how: The appeal form
        time_limit: "Within 2 months after the decision letter was sent [@tribunal-r20]."
    """
)

FIXTURE_ARTICLES = {"ehc-delay", "request-ehc-assessment", "crisis"}


def write_ladders(folder: Path, ladders: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ladders.items():
        (folder / f"{name}.yml").write_text(text, encoding="utf-8")
    return folder


def load_fixture(tmp_path: Path, first: str = VALID_LADDER, **extra: str) -> tuple[list[Ladder], list[Problem]]:
    folder = write_ladders(tmp_path / "ladders", {"delay-ladder": first, "request-ladder": SECOND_LADDER, **extra})
    return load_ladders(folder, FIXTURE_ARTICLES, today=TODAY)


def line_of(text: str, needle: str) -> int:
    """One-based number of the last line containing `needle`."""
    return [number for number, line in enumerate(text.splitlines(), start=1) if needle in line][-1]


@pytest.fixture
def ladder(tmp_path: Path) -> Ladder:
    ladders, problems = load_fixture(tmp_path)
    assert problems == []
    return next(item for item in ladders if item.id == "delay-ladder")


# --------------------------------------------------------------------------------------------------
# The real ladders.


def test_real_ladders_validate_against_real_articles() -> None:
    ladders, problems = load_ladders(REAL_LADDERS, REAL_ARTICLE_IDS, today=TODAY)
    assert [str(p) for p in problems] == []
    assert 10 <= len(ladders) <= 14
    assert {ladder.id for ladder in ladders} == {path.stem for path in REAL_LADDERS.glob("*.yml")}


def test_every_article_except_three_is_served_by_exactly_one_ladder() -> None:
    ladders, _ = load_ladders(REAL_LADDERS, REAL_ARTICLE_IDS, today=TODAY)
    served = [article for ladder in ladders for article in ladder.articles]
    assert {"crisis", "talk-to-adviser", "outside-england"} == NO_LADDER_ARTICLES
    assert NO_LADDER_ARTICLES <= REAL_ARTICLE_IDS
    assert sorted(served) == sorted(REAL_ARTICLE_IDS - NO_LADDER_ARTICLES)
    assert len(served) == len(set(served))
    for article_id in REAL_ARTICLE_IDS - NO_LADDER_ARTICLES:
        found = ladder_for_article(ladders, article_id)
        assert found is not None and article_id in found.articles
    for article_id in NO_LADDER_ARTICLES:
        assert ladder_for_article(ladders, article_id) is None


def test_real_ladders_share_routes() -> None:
    ladders, _ = load_ladders(REAL_LADDERS, REAL_ARTICLE_IDS, today=TODAY)
    by_id = {ladder.id: ladder for ladder in ladders}
    assert set(by_id["ehc-decision-appeal"].articles) >= {"ehc-assessment-refused", "ehc-plan-refused"}
    assert set(by_id["council-statutory-duty"].articles) >= {
        "ehc-delay",
        "ehc-provision-not-delivered",
        "out-of-school",
    }


def test_real_ladders_cite_every_time_limit_and_closed_route() -> None:
    ladders, _ = load_ladders(REAL_LADDERS, REAL_ARTICLE_IDS, today=TODAY)
    marker = re.compile(r"\[@[a-z0-9-]+\]")
    for ladder in ladders:
        assert ladder.steps, ladder.id
        for step in ladder.steps:
            if step.time_limit:
                assert marker.search(step.time_limit), (ladder.id, step.id)
        for route in ladder.closed_routes:
            assert marker.search(route.why), (ladder.id, route.route)


def test_real_ladders_count_days_explicitly() -> None:
    """School days, working days and calendar days are never left ambiguous where they differ."""
    ladders, _ = load_ladders(REAL_LADDERS, REAL_ARTICLE_IDS, today=TODAY)
    for ladder in ladders:
        for step in ladder.steps:
            text = f"{step.time_limit or ''} {step.note or ''}"
            for match in re.finditer(r"\b(\d+) (?:(\w+) )?days?\b", text):
                if match.group(2) in {"school", "working", "calendar"}:
                    continue
                # Plain "days" only where the law itself says plain days, and the text says how to count.
                assert "beginning with the day" in text or match.group(0) == "30 days", (ladder.id, step.id)


@pytest.mark.parametrize("ladder_id", sorted(p.stem for p in REAL_LADDERS.glob("*.yml")))
def test_walking_a_real_ladder_visits_every_step_in_order(ladder_id: str) -> None:
    ladders, _ = load_ladders(REAL_LADDERS, REAL_ARTICLE_IDS, today=TODAY)
    ladder = next(item for item in ladders if item.id == ladder_id)
    visited: list[int] = []
    current = next_step_index(ladder, None)
    while current is not None:
        visited.append(current)
        message = render_step(ladder, current)
        assert message.startswith(f"**Step {current + 1} of {len(ladder.steps)}: ")
        assert "[@" not in message
        current = next_step_index(ladder, current)
    assert visited == list(range(len(ladder.steps)))
    assert "[@" not in render_closed_routes(ladder)


# --------------------------------------------------------------------------------------------------
# Walking and rendering.


def test_next_step_index(ladder: Ladder) -> None:
    assert next_step_index(ladder, None) == 0
    assert next_step_index(ladder, 0) == 1
    assert next_step_index(ladder, 1) == 2
    assert next_step_index(ladder, 2) is None
    assert next_step_index(ladder, 7) is None  # ladder shortened by an edit mid-conversation
    with pytest.raises(ValueError):
        next_step_index(ladder, -1)


def test_render_step(ladder: Ladder) -> None:
    text = render_step(ladder, 2)
    assert text.splitlines()[0] == "**Step 3 of 3: Go to the Ombudsman**"
    assert "- **Who:** The Local Government and Social Care Ombudsman" in text
    assert "- **How:** In writing" in text
    assert "- **Time limit:** Within 12 months beginning with the day you first knew (LGA 1974 s.26B)." in text
    assert "- **Do this first:** step 2: Make a formal complaint" in text
    # Side-by-side citations merge into one bracket, as bot.content.render does for articles.
    assert "Keep copies of everything (SEND Regs reg 13; LGA 1974 s.26B)." in text
    first = render_step(ladder, 0)
    assert "Do this first" not in first
    assert "(SEND Regs reg 13)." in first
    assert "Time limit" not in render_step(ladder, 1)
    with pytest.raises(IndexError):
        render_step(ladder, 3)


def test_render_step_with_sources_renderer(ladder: Ladder) -> None:
    seen: list[list[str]] = []

    def renderer(sources: list[Source]) -> str:
        seen.append([s.key for s in sources])
        return "SOURCES"

    assert render_step(ladder, 2, renderer).endswith("\n\nSOURCES")
    assert seen == [["regs-13", "lga-s26b"]]
    linked = render_step(ladder, 0, sources_links)
    assert linked.endswith(
        "**Sources**\n- [SEND Regulations 2014, reg 13(2)](https://www.legislation.gov.uk/uksi/2014/1530/regulation/13)"
    )


def test_render_closed_routes_and_overview(ladder: Ladder) -> None:
    closed = render_closed_routes(ladder)
    assert closed.splitlines()[0].startswith("**")
    # A source without a short name is shown by its citation.
    assert (
        "- **The Tribunal:** Delay is not a decision you can appeal (Children and Families Act 2014, s.51(2))."
        in closed
    )


def test_no_closed_routes_renders_nothing(tmp_path: Path) -> None:
    ladders, problems = load_fixture(tmp_path)
    assert problems == []
    second = next(item for item in ladders if item.id == "request-ladder")
    assert render_closed_routes(second) == ""
    assert second.steps[0].requires == ()


# --------------------------------------------------------------------------------------------------
# Broken files: each problem names the file and the line to fix.


def _replace(old: str, new: str) -> Callable[[str], str]:
    def change(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return change


BROKEN = [
    pytest.param(
        _replace("    who: Your council's complaints team", "   who: Your council's complaints team"),
        "not valid YAML",
        "   who: Your council's complaints team",
        id="bad-yaml",
    ),
    pytest.param(
        _replace("requires: [complain]", "requires: [complian]"),
        "requires unknown step 'complian' (earlier steps: write, complain)",
        "requires: [complian]",
        id="unknown-requires",
    ),
    pytest.param(
        _replace("requires: [write]", "requires: [ombudsman]"),
        "requires 'ombudsman', which comes later in the ladder",
        "requires: [ombudsman]",
        id="forward-requires",
    ),
    pytest.param(
        _replace("requires: [write]", "requires: [write, complain]"),
        "a step cannot require itself",
        "requires: [write, complain]",
        id="self-requires",
    ),
    pytest.param(
        _replace("  - id: ombudsman", "  - id: write"),
        "duplicate step id 'write' (also step 1)",
        "  - id: write",
        id="duplicate-step-id",
    ),
    pytest.param(
        _replace("articles: [ehc-delay]", "articles: [ehc-delay, ehc-delays]"),
        "unknown article 'ehc-delays'",
        "articles:",
        id="unknown-article",
    ),
    pytest.param(
        _replace("articles: [ehc-delay]", "articles: [ehc-delay, crisis]"),
        "article 'crisis' must not have a ladder",
        "articles:",
        id="no-ladder-article",
    ),
    pytest.param(
        _replace('[@lga-s26b]."\n    requires: [complain]', '[@lga-26b]."\n    requires: [complain]'),
        "citation [@lga-26b] does not match any source key",
        "[@lga-26b]",
        id="missing-citation-source",
    ),
    pytest.param(
        _replace(' [@cfa-s51]."', '."'),
        "source 'cfa-s51' is never cited",
        "- key: cfa-s51",
        id="unused-source",
    ),
    pytest.param(
        _replace(' [@cfa-s51]."', '."\n  - route: The Ombudsman\n    why: It is closed.'),
        "closed route 1: saying a route is closed is a legal statement",
        '    why: "Delay is not a decision you can appeal."',
        id="closed-route-without-citation",
    ),
    pytest.param(
        _replace("url: https://www.legislation.gov.uk/ukpga/1974", "url: htps//www.legislation.gov.uk/ukpga/1974"),
        "url 'htps//www.legislation.gov.uk/ukpga/1974/7/section/26B' is not a valid https address",
        "url: htps//",
        id="bad-url",
    ),
    pytest.param(
        _replace('    time_limit: "The final plan is due within 20 weeks of your request [@regs-13]."\n', ""),
        "step 1 ('write'): missing required field 'time_limit' (write 'time_limit: null' if the law sets none)",
        "  - id: write",
        id="missing-time-limit",
    ),
    pytest.param(
        _replace("20 weeks of your request [@regs-13].", "20 weeks of your request."),
        "a time limit is a legal statement: add a [@key] citation",
        "20 weeks of your request.",
        id="time-limit-without-citation",
    ),
    pytest.param(
        _replace("owner: SEND law content lead\n", ""),
        "missing required field 'owner'",
        "id: delay-ladder",
        id="missing-owner",
    ),
    pytest.param(
        _replace("    how: In writing\n    time_limit: null", "    hw: In writing\n    time_limit: null"),
        "unknown field 'hw'",
        "    hw: In writing",
        id="unknown-step-field",
    ),
    pytest.param(
        _replace("special educational needs (SEN) team", "SEN team"),
        "'SEN' is used before it is explained",
        "SEN team",
        id="jargon",
    ),
    pytest.param(
        _replace("review_by: 2027-05-01", "review_by: 2026-10-01"),
        "review_by must be after last_reviewed",
        "review_by:",
        id="review-before-reviewed",
    ),
    pytest.param(
        _replace("id: delay-ladder", "id: delay-ladders"),
        "must match the file name 'delay-ladder.yml'",
        "id: delay-ladders",
        id="id-not-file-name",
    ),
    pytest.param(
        _replace(
            "url: https://www.legislation.gov.uk/ukpga/1974/7/section/26B",
            "url: https://www.gov.wales/school-transport-appeals",
        ),
        "Wales",
        "url: https://www.gov.wales/school-transport-appeals",
        id="source-from-wales",
    ),
]


@pytest.mark.parametrize(("change", "expected", "line_text"), BROKEN)
def test_broken_ladder_is_reported_with_file_and_line(
    tmp_path: Path, change: Callable[[str], str], expected: str, line_text: str
) -> None:
    broken = change(VALID_LADDER)
    ladders, problems = load_fixture(tmp_path, broken)
    path = tmp_path / "ladders" / "delay-ladder.yml"
    matching = [p for p in problems if expected in p.message]
    assert matching, [str(p) for p in problems]
    problem = matching[0]
    assert problem.severity == "error"
    assert problem.path == str(path)
    assert problem.line == line_of(broken, line_text)
    assert str(problem).startswith(f"{path}:{problem.line}: error: ")
    # A ladder with errors is not served; the other ladder still is.
    assert [item.id for item in ladders] == ["request-ladder"]


def test_unknown_article_points_at_its_own_line(tmp_path: Path) -> None:
    broken = VALID_LADDER.replace("articles: [ehc-delay]", "articles:\n  - ehc-delay\n  - ehc-delays")
    _, problems = load_fixture(tmp_path, broken)
    [problem] = [p for p in problems if "unknown article" in p.message]
    assert problem.line == line_of(broken, "  - ehc-delays")


def test_article_in_two_ladders(tmp_path: Path) -> None:
    third = SECOND_LADDER.replace("id: request-ladder", "id: zz-ladder").replace(
        "articles: [request-ehc-assessment]", "articles: [ehc-delay]"
    )
    ladders, problems = load_fixture(tmp_path, **{"zz-ladder": third})
    [problem] = problems
    path = tmp_path / "ladders" / "zz-ladder.yml"
    assert str(problem) == (
        f"{path}:{line_of(third, 'articles:')}: error: article 'ehc-delay' is already served by "
        f"{tmp_path / 'ladders' / 'delay-ladder.yml'}; each article can have only one ladder"
    )
    assert len(ladders) == 3


def test_article_without_a_ladder(tmp_path: Path) -> None:
    folder = write_ladders(tmp_path / "ladders", {"delay-ladder": VALID_LADDER})
    _, problems = load_ladders(folder, FIXTURE_ARTICLES, today=TODAY)
    assert [str(p) for p in problems] == [
        f"{folder}:0: error: article 'request-ehc-assessment' has no escalation ladder: "
        "add it to the 'articles' list of one ladder"
    ]


def test_passed_review_date_is_a_warning_and_still_served(tmp_path: Path) -> None:
    _, problems = load_fixture(tmp_path)
    assert problems == []
    folder = tmp_path / "ladders"
    ladders, problems = load_ladders(folder, FIXTURE_ARTICLES, today=dt.date(2027, 6, 1))
    assert len(ladders) == 2
    assert {p.severity for p in problems} == {"warning"}
    warning = next(p for p in problems if p.path.endswith("delay-ladder.yml"))
    assert warning.line == line_of(VALID_LADDER, "review_by:")
    assert "review was due on 2027-05-01" in warning.message


def test_not_a_mapping_and_unreadable(tmp_path: Path) -> None:
    _, problems = load_fixture(tmp_path, "- just\n- a list\n")
    assert any(p.line == 1 and "key: value" in p.message for p in problems)
    folder = tmp_path / "ladders"
    (folder / "delay-ladder.yml").write_bytes(b"id: \xff\xfe\n")
    _, problems = load_ladders(folder, FIXTURE_ARTICLES, today=TODAY)
    assert any("UTF-8" in p.message for p in problems)
