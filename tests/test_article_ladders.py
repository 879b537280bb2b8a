"""Articles name their escalation ladder: the cross-check, and the "If that doesn't work" answer with a ladder."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.content.articles import Article, article_ladder_names, ladder_cross_check, load_knowledge, parse_article
from bot.content.ladders import NO_LADDER_ARTICLES, Ladder, ladder_claims, load_ladders
from bot.content.render_ladder import render_step
from bot.content.validation import Problem
from bot.dialogue.answers import ADVISER_BUTTON, LADDER_STEP_CHARS, NO_LADDER_TEXT, section_answer
from bot.understanding.intents import situation_intents
from tests.knowledge_fixtures import FIXTURE_INTENTS, RELATED_ARTICLE, VALID_ARTICLE, write_knowledge
from tests.test_ladders import SECOND_LADDER, VALID_LADDER, line_of, write_ladders

TODAY = dt.date(2026, 12, 4)  # the last legal review (issue 11) is dated 2026-12-04
ROOT = Path(__file__).resolve().parent.parent
REAL_KNOWLEDGE = ROOT / "knowledge"

# The fixture articles, each naming the fixture ladder that lists it.
DELAY_ARTICLE = VALID_ARTICLE.replace(
    "related: [request-ehc-assessment]\n", "related: [request-ehc-assessment]\nladder: delay-ladder\n"
)
REQUEST_ARTICLE = RELATED_ARTICLE.replace("related: [ehc-delay]\n", "related: [ehc-delay]\nladder: request-ladder\n")
LEAD_IN = "- Complain to the council, then the Ombudsman."


def link_problems(
    tmp_path: Path,
    delay: str = DELAY_ARTICLE,
    request: str = REQUEST_ARTICLE,
    **ladders: str,
) -> tuple[Path, list[Problem]]:
    root = write_knowledge(tmp_path / "kb", {"ehc-delay": delay, "request-ehc-assessment": request})
    write_ladders(root / "ladders", {"delay-ladder": VALID_LADDER, "request-ladder": SECOND_LADDER, **ladders})
    return root, ladder_cross_check(article_ladder_names(root), ladder_claims(root / "ladders"))


# --------------------------------------------------------------------------------------------------
# The cross-check: each problem names the file and the line to fix.


def test_articles_and_ladders_that_name_each_other_have_no_problems(tmp_path: Path) -> None:
    root, problems = link_problems(tmp_path)
    assert problems == []
    names = article_ladder_names(root)
    assert names["ehc-delay"].ladder == "delay-ladder"
    assert names["ehc-delay"].line == line_of(DELAY_ARTICLE, "ladder:")


def test_an_article_naming_a_ladder_that_does_not_exist(tmp_path: Path) -> None:
    broken = DELAY_ARTICLE.replace("ladder: delay-ladder", "ladder: delay-ladders")
    root, problems = link_problems(tmp_path, delay=broken)
    path = root / "articles" / "ehc-delay.md"
    [problem] = [p for p in problems if p.path == str(path)]
    assert str(problem) == (
        f"{path}:{line_of(broken, 'ladder:')}: error: ladder 'delay-ladders' does not exist: there is no file "
        "'delay-ladders.yml' in the ladders folder; did you mean 'delay-ladder'?"
    )
    # The ladder that lists the article is told too: the article no longer names it.
    [other] = [p for p in problems if p.path != str(path)]
    assert other.path == str(root / "ladders" / "delay-ladder.yml")
    assert other.line == line_of(VALID_LADDER, "articles:")
    assert "names the ladder 'delay-ladders'" in other.message


def test_a_ladder_that_does_not_list_the_article_naming_it(tmp_path: Path) -> None:
    # request-ehc-assessment names delay-ladder, which lists only ehc-delay; request-ladder still lists it.
    wrong = REQUEST_ARTICLE.replace("ladder: request-ladder", "ladder: delay-ladder")
    root, problems = link_problems(tmp_path, request=wrong)
    article = root / "articles" / "request-ehc-assessment.md"
    ladder = root / "ladders" / "delay-ladder.yml"
    listing = root / "ladders" / "request-ladder.yml"
    assert [str(p) for p in problems] == [
        f"{article}:{line_of(wrong, 'ladder:')}: error: ladder 'delay-ladder' does not list this article: add "
        f"'request-ehc-assessment' to the 'articles' list in {ladder}, or name the ladder that does",
        f"{listing}:{line_of(SECOND_LADDER, 'articles:')}: error: article 'request-ehc-assessment' is listed here "
        f"but names the ladder 'delay-ladder' ({article}:{line_of(wrong, 'ladder:')}); an article has one ladder, "
        "so change one of them",
    ]


def test_a_ladder_listing_an_article_that_does_not_name_it_back(tmp_path: Path) -> None:
    root, problems = link_problems(tmp_path, delay=VALID_ARTICLE)
    ladder = root / "ladders" / "delay-ladder.yml"
    assert [str(p) for p in problems] == [
        f"{ladder}:{line_of(VALID_LADDER, 'articles:')}: error: article 'ehc-delay' is listed here but does not "
        f"name this ladder: add 'ladder: delay-ladder' to the front matter of {root / 'articles' / 'ehc-delay.md'}"
    ]


def test_the_line_is_the_article_id_in_a_long_articles_list(tmp_path: Path) -> None:
    listed = VALID_LADDER.replace("articles: [ehc-delay]", "articles:\n  - request-ehc-assessment\n  - ehc-delay")
    second = SECOND_LADDER.replace("articles: [request-ehc-assessment]", "articles: [ehc-delay]")
    root, problems = link_problems(tmp_path, delay=VALID_ARTICLE, **{"delay-ladder": listed, "request-ladder": second})
    located = {(Path(p.path).name, p.line) for p in problems}
    assert ("delay-ladder.yml", line_of(listed, "  - ehc-delay")) in located
    assert ("delay-ladder.yml", line_of(listed, "  - request-ehc-assessment")) in located


def test_a_broken_ladder_file_does_not_add_link_errors(tmp_path: Path) -> None:
    """A ladder whose YAML can't be read reports its own error; the links to it are not guessed at."""
    root, problems = link_problems(tmp_path, **{"delay-ladder": VALID_LADDER + "\nsteps: [oops\n"})
    assert problems == []
    assert ladder_claims(root / "ladders")["delay-ladder"][1] is None


def test_an_article_whose_ladder_is_not_a_ladder_id(tmp_path: Path) -> None:
    for value in ("[delay-ladder]", "Delay Ladder"):
        text = DELAY_ARTICLE.replace("ladder: delay-ladder", f"ladder: {value}")
        folder = write_knowledge(tmp_path / value.strip("[]").replace(" ", "_"), {"ehc-delay": text})
        article, problems = parse_article(folder / "articles" / "ehc-delay.md", FIXTURE_INTENTS, TODAY)
        assert article is None
        [problem] = problems
        assert problem.line == line_of(text, "ladder:")
        assert "ladder must be the id of one escalation ladder" in problem.message


def test_numbered_steps_left_in_an_article_with_a_ladder_are_a_warning(tmp_path: Path) -> None:
    text = DELAY_ARTICLE.replace(LEAD_IN, "1. Complain to the council.\n2. Then go to the Ombudsman.")
    folder = write_knowledge(tmp_path / "kb", {"ehc-delay": text, "request-ehc-assessment": RELATED_ARTICLE})
    kb = load_knowledge(folder, FIXTURE_INTENTS, today=TODAY)
    assert kb.errors == []
    [warning] = kb.warnings
    assert warning.line == line_of(text, "## If that doesn't work")
    assert "names the ladder 'delay-ladder'" in warning.message
    # Without a ladder, numbered steps are the article's own escalation, as before.
    plain = text.replace("ladder: delay-ladder\n", "")
    folder = write_knowledge(tmp_path / "plain", {"ehc-delay": plain, "request-ehc-assessment": RELATED_ARTICLE})
    assert load_knowledge(folder, FIXTURE_INTENTS, today=TODAY).problems == []


def test_check_command_reports_link_problems_with_file_and_line(tmp_path: Path, capsys) -> None:
    copy = tmp_path / "knowledge"
    shutil.copytree(REAL_KNOWLEDGE, copy)
    article = copy / "articles" / "suspension.md"
    text = article.read_text(encoding="utf-8").replace("ladder: suspension-review", "ladder: suspension-reveiw")
    article.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["knowledge", "check", "--dir", str(copy)]) == 1
    out = capsys.readouterr().out
    assert f"{article}:{line_of(text, 'ladder:')}: error: ladder 'suspension-reveiw' does not exist" in out
    assert "did you mean 'suspension-review'?" in out
    assert f"{copy / 'ladders' / 'suspension-review.yml'}:" in out
    assert "article 'suspension' is listed here but names the ladder 'suspension-reveiw'" in out
    assert "error(s)" in out


# --------------------------------------------------------------------------------------------------
# The answer: the article's lead-in, then the ladder's steps, then the sources.


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Article, Ladder]:
    root = write_knowledge(tmp_path / "kb", {"ehc-delay": DELAY_ARTICLE, "request-ehc-assessment": REQUEST_ARTICLE})
    kb = load_knowledge(root, FIXTURE_INTENTS, today=TODAY)
    assert kb.problems == []
    ladders, problems = load_ladders(
        write_ladders(root / "ladders", {"delay-ladder": VALID_LADDER, "request-ladder": SECOND_LADDER}),
        {"ehc-delay", "request-ehc-assessment"},
        today=TODAY,
    )
    assert problems == []
    article = kb.by_intent()["ehc_delay"]
    assert article.ladder_id == "delay-ladder"
    return article, next(ladder for ladder in ladders if ladder.id == article.ladder_id)


def test_escalation_with_a_ladder_is_the_lead_in_then_the_steps_then_the_sources(pair) -> None:
    article, ladder = pair
    replies = section_answer(article, "escalation", ladder=ladder)
    assert replies[0].text.startswith(f"**If that doesn't work**\n{LEAD_IN}\n")
    body = "\n".join(reply.text for reply in replies[:-2])
    order = [
        LEAD_IN,
        "**When the council is late with the plan**",
        "1. **Write to the council**.",
        "2. **Make a formal complaint** (after step 1).",
        "3. **Go to the Ombudsman** (after step 2).",
        "**Routes that usually won't help here**",
    ]
    positions = [body.index(text) for text in order]
    assert positions == sorted(positions)
    # An outline for a phone: each step's time limit, its citations as numbered links under the bubble;
    # nothing is left as a raw marker. Who, how and the notes come one step at a time from "What next?".
    assert "Time limit: The final plan is due within 20 weeks of your request." in body
    assert "Keep copies of everything" not in body
    walked = "\n".join(render_step(ladder, i) for i in range(len(ladder.steps)))
    assert "Keep copies of everything (SEND Regs reg 13; LGA 1974 s.26B)." in walked
    assert "Delay is not a decision you can appeal." in body
    assert "[@" not in body and "(SEND Regs" not in body
    sources = replies[-2].text
    assert sources.splitlines()[0] == "**Sources**"
    # Every source linked under a bubble is in the list (by title, or by number on "More sources").
    for url in re.findall(r"\]\((https://[^)]+)\)", body):
        assert f"]({url})" in sources
    assert sources.endswith("Last checked: 1 November 2026")
    assert replies[-1].text == "Anything else about this?"
    assert "/section_escalation" not in [button["payload"] for button in replies[-1].buttons]


def test_lead_in_citations_are_listed_with_the_ladder_sources_once(pair) -> None:
    article, ladder = pair
    sections = {**article.sections, "escalation": "The final plan is due within 20 weeks [@regs-13]."}
    cited = Article(**{**article.__dict__, "sections": sections})
    replies = section_answer(cited, "escalation", ladder=ladder)
    assert replies[0].text.startswith("**If that doesn't work**\nThe final plan is due within 20 weeks.")
    links = [line for line in replies[-2].text.splitlines() if re.match(r"\d+\. \[", line)]
    # The article's regs-13 and the ladder's regs-13 are the same page: it is listed once, the lead-in's first.
    assert links[0] == f"1. [{article.source('regs-13').title}]({article.source('regs-13').url})"
    assert len(links) == len({re.search(r"\((https://[^)]+)\)$", link).group(1) for link in links}) == 3


def test_long_notes_wait_for_the_walk_and_messages_stay_phone_sized(pair) -> None:
    article, ladder = pair
    long_note = " ".join(f"Sentence {number} of a long note." for number in range(25))
    step = ladder.steps[2].__class__(**{**ladder.steps[2].__dict__, "note": long_note})
    longer = Ladder(**{**ladder.__dict__, "steps": (*ladder.steps[:2], step)})
    replies = section_answer(article, "escalation", ladder=longer)
    # The outline leaves the note to the step-by-step walk, where the step stays in one message.
    assert not any(long_note in reply.text for reply in replies)
    assert long_note in render_step(longer, 2)
    assert all(len(reply.text) <= LADDER_STEP_CHARS + len("**If that doesn't work**\n") for reply in replies[:-2])


def test_other_sections_ignore_the_ladder(pair) -> None:
    article, ladder = pair
    for section in ("law", "next_steps", "who_can_help"):
        assert section_answer(article, section, ladder=ladder) == section_answer(article, section)


def test_an_article_without_a_ladder_answers_as_before(knowledge_dir: Path) -> None:
    article = load_knowledge(knowledge_dir, FIXTURE_INTENTS).by_intent()["ehc_delay"]
    assert article.ladder_id is None
    replies = section_answer(article, "escalation")
    assert [reply.text for reply in replies] == [
        f"**If that doesn't work**\n{LEAD_IN}",
        "Anything else about this?",
    ]


def test_an_article_whose_ladder_is_missing_offers_an_adviser(pair) -> None:
    article, _ = pair
    replies = section_answer(article, "escalation")
    assert replies[0].text == f"**If that doesn't work**\n{LEAD_IN}"
    assert replies[1].text == NO_LADDER_TEXT
    assert replies[1].buttons == [ADVISER_BUTTON]
    assert replies[-1].text == "Anything else about this?"


# --------------------------------------------------------------------------------------------------
# The real knowledge folder.


def test_real_articles_and_ladders_name_each_other() -> None:
    names = article_ladder_names(REAL_KNOWLEDGE)
    assert ladder_cross_check(names, ladder_claims(REAL_KNOWLEDGE / "ladders")) == []
    assert {article_id for article_id, named in names.items() if named.ladder is None} == NO_LADDER_ARTICLES
    assert len([named for named in names.values() if named.ladder]) == 28


def test_every_real_article_naming_a_ladder_renders_its_escalation_answer() -> None:
    kb = load_knowledge(REAL_KNOWLEDGE, situation_intents(), today=TODAY)
    assert kb.errors == [] and kb.warnings == []
    ladders, problems = load_ladders(REAL_KNOWLEDGE / "ladders", {a.id for a in kb.articles}, today=TODAY)
    assert problems == []
    by_id = {ladder.id: ladder for ladder in ladders}
    with_ladder = [article for article in kb.articles if article.ladder_id]
    assert len(with_ladder) == 28
    for article in with_ladder:
        ladder = by_id[article.ladder_id]
        assert article.id in ladder.articles
        # The lead-in keeps only what the ladder doesn't say: no numbered steps of its own.
        assert not re.search(r"^\d+\.\s", article.sections["escalation"], re.M), article.id
        replies = section_answer(article, "escalation", ladder=ladder)
        body = "\n".join(reply.text for reply in replies[:-2])
        assert replies[0].text.startswith("**If that doesn't work**\n"), article.id
        assert "[@" not in body, article.id
        for number, step in enumerate(ladder.steps, start=1):
            title = re.sub(r"\s*\[@[a-z0-9-]+\]", "", step.title)
            assert f"{number}. **{title}**" in body, (article.id, step.id)
        # The line of numbered source links under a bubble is not counted: the widget shows it small.
        shown = [re.sub(r"\n(More s|S)ources?: .*$", "", reply.text) for reply in replies[1:-2]]
        assert all(len(text) <= LADDER_STEP_CHARS for text in shown), article.id
        for url in re.findall(r"\]\((https://[^)]+)\)", body):
            assert f"]({url})" in replies[-2].text, (article.id, url)
