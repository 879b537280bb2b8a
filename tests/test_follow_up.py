"""Follow-up questions answered from the article already shown: the reading, the answer, and the action.

Real articles and ladders, so a wording that stops answering its follow-ups shows here. The assertions
lean on the legal facts (weeks, days, sections) rather than on sentences that staff may reword.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

import actions.actions as acts
from actions.follow_up import ActionFollowUp, opener_buttons
from bot.content.articles import Article, load_knowledge
from bot.content.ladders import Ladder, ladder_for_article, load_ladders
from bot.content.service import KnowledgeService
from bot.dialogue import follow_up
from bot.dialogue.answers import ADVISER_BUTTON, section_buttons
from bot.dialogue.guided_replies import DEADLINES_BUTTON
from bot.storage.database import make_engine
from bot.understanding.entities import ENTITIES_FILE
from bot.understanding.intents import situation_intents
from tests.actions_helpers import payloads, run_action, texts, tracker

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"


@pytest.fixture(scope="module")
def articles() -> dict[str, Article]:
    kb = load_knowledge(KNOWLEDGE, situation_intents())
    return {article.id: article for article in kb.articles}


@pytest.fixture(scope="module")
def ladders() -> list[Ladder]:
    return load_ladders(KNOWLEDGE / "ladders")[0]


def said(replies) -> str:
    return "\n".join(reply.text for reply in replies)


def buttons(replies) -> list[dict[str, str]]:
    return [button for reply in replies for button in reply.buttons]


def answer_lines(article: Article, text: str) -> list[str]:
    return follow_up.found_lines(article, follow_up.read_question(text))


# --------------------------------------------------------------------------------------------------
# Reading the question


@pytest.mark.parametrize(
    ("text", "refusal", "timing", "topic"),
    [
        ("and if they say no?", True, False, None),
        ("what if the academy refuses", True, False, "academies and free schools"),
        ("and if that doesnt work", True, False, None),
        ("how long do they have?", False, True, None),
        ("hw long have they got", False, True, None),
        ("whats the deadline", False, True, None),
        ("what about academies?", False, False, "academies and free schools"),
        ("does that apply to free schools", False, False, "academies and free schools"),
        ("what if it's a private school", False, False, "independent (private) schools"),
        ("same for special schools?", False, False, "special schools"),
        ("and in a PRU", False, False, "pupil referral units and alternative provision"),
        ("what if he has an EHCP?", False, False, "children with an EHC plan"),
        ("what if he doesnt have an ehcp", False, False, "children on SEN support (no EHC plan)"),
        ("what if she's on sen support", False, False, "children on SEN support (no EHC plan)"),
        ("what if it's not in the plan", False, False, "children with an EHC plan"),
        ("is it different for yr 11", False, False, "Year 11"),
        ("what about reception", False, False, "Reception"),
        ("how long do academies get", False, True, "academies and free schools"),
        ("what about his brother", False, False, None),
    ],
)
def test_reads_what_a_follow_up_asks(text, refusal, timing, topic) -> None:
    question = follow_up.read_question(text)
    assert (question.refusal, question.timing) == (refusal, timing)
    assert (question.topic.label if question.topic else None) == topic


def test_what_the_nlu_found_wins_over_our_own_reading() -> None:
    question = follow_up.read_question("what about that kind of school", {"school_type": "pru"})
    assert question.topic is not None and question.topic.condition == ("school_type", "pru")


def test_every_school_type_the_entities_know_has_a_topic() -> None:
    """One vocabulary: a school type added to data/nlu/entities.yml must get a label and article words here."""
    data = yaml.safe_load(ENTITIES_FILE.read_text(encoding="utf-8"))
    [block] = [b for b in data["nlu"] if b.get("lookup") == "school_type"]
    names = [line[2:].strip() for line in block["examples"].splitlines() if line.startswith("- ")]
    unknown = [name for name in names if follow_up.read_question(f"what about {name}?").topic is None]
    assert names and unknown == []


@pytest.mark.parametrize(
    ("text", "understood"),
    [
        ("what about academies", "About academies and free schools:"),
        ("how long do they have", "About time limits:"),
        ("what's the time limit in year 11", "About time limits for Year 11:"),
        ("and if they say no", "About what you can do if they say no or nothing changes:"),
    ],
)
def test_says_back_what_it_understood(text, understood) -> None:
    assert follow_up.understood(follow_up.read_question(text)) == understood


# --------------------------------------------------------------------------------------------------
# Timing: the paragraphs that state time limits, and the deadline tool where the article has one


@pytest.mark.parametrize(
    ("article_id", "expected"),
    [
        ("ehc-delay", "20 weeks"),
        ("request-ehc-assessment", "6 weeks"),
        ("annual-review", "12 months"),
        ("permanent-exclusion", "15 school days"),
    ],
)
def test_how_long_answers_with_the_time_limits_and_the_deadline_tool(articles, article_id, expected) -> None:
    article = articles[article_id]
    lines = answer_lines(article, "how long have they got?")
    assert lines and all(follow_up._TIME_LIMIT.search(line) for line in lines)
    replies = follow_up.answer(article, follow_up.read_question("how long have they got?"))
    assert replies[0].text.startswith("**About time limits:**")
    assert expected in said(replies)
    assert "[@" not in said(replies) and "**Sources**" in said(replies)  # cited inline, sources listed
    assert buttons(replies)[0] == DEADLINES_BUTTON


def test_no_deadline_tool_where_the_article_has_no_deadline_kind(articles) -> None:
    replies = follow_up.answer(articles["suspension"], follow_up.read_question("what's the time limit"))
    assert "45 school days" in said(replies)
    assert DEADLINES_BUTTON not in buttons(replies)


def test_how_long_on_a_ladder_step_gives_that_steps_time_limit_first(articles, ladders) -> None:
    article = articles["suspension"]
    ladder = ladder_for_article(ladders, article.id)
    replies = follow_up.answer(article, follow_up.read_question("how long do they have"), ladder, 0.0)
    assert replies[0].text.startswith(f"**About time limits:**\n**Step 1: {ladder.steps[0].title}**\nTime limit: ")
    assert "45 school days" in said(replies)  # then the article's own time limits


# --------------------------------------------------------------------------------------------------
# A school type, plan or year group: the tailored line, else the paragraphs that mention it


@pytest.mark.parametrize(
    ("article_id", "text", "tailored"),
    [
        ("suspension", "what about academies?", "academy part of the 2012 exclusion regulations"),
        ("school-transport", "what if she's going to college", "no automatic right to free transport"),
    ],
)
def test_a_topic_with_a_tailoring_rule_gets_its_line(articles, article_id, text, tailored) -> None:
    replies = follow_up.answer(articles[article_id], follow_up.read_question(text))
    assert tailored in replies[0].text and "[@" not in said(replies)
    assert "**Sources**" in said(replies)


def test_a_year_group_tailoring_rule_is_used_too(articles) -> None:
    article = articles["post16-transition"]
    rule = {"when": {"year_group": "year 11"}, "say": "In Year 11 the plan must name the next placement early."}
    tailored = dataclasses.replace(article, extra={**article.extra, "tailoring": [rule]})
    assert answer_lines(tailored, "is it different in y11") == [rule["say"]]
    assert answer_lines(tailored, "what about year 9") != [rule["say"]]


@pytest.mark.parametrize(
    ("article_id", "text", "expected"),
    [
        ("school-placement", "what if it's a private school", "section 41"),
        ("sen-support", "does that apply to academies", "best endeavours"),
        ("informal-exclusion", "what about an academy", "principal"),
        ("suspension", "what if he has an ehcp", "early review"),
        ("school-placement", "what if he doesnt have an ehcp", "normal admissions"),
        ("sen-support", "what if she's only on sen support", "SEN support plan"),
        ("permanent-exclusion", "is it different for year 11", "public exams"),
        ("school-transport", "what if he's in year 12", "16 to 19"),
        ("post16-transition", "and in year 11?", "31 March"),
    ],
)
def test_a_topic_without_a_tailoring_rule_gets_the_paragraphs_that_mention_it(
    articles, article_id, text, expected
) -> None:
    article = articles[article_id]
    question = follow_up.read_question(text)
    lines = follow_up.found_lines(article, question)
    assert 0 < len(lines) <= follow_up.MAX_PARAGRAPHS
    assert all(question.topic.in_article.search(line) for line in lines)
    replies = follow_up.answer(article, question)
    assert replies[0].text.startswith(f"**About {question.topic.label}:**")
    assert expected in said(replies)
    assert buttons(replies) == section_buttons()


def test_a_topic_and_timing_together_prefer_the_time_limits_for_that_topic(articles) -> None:
    lines = answer_lines(articles["post16-transition"], "how long do they have for year 11")
    assert lines and all(follow_up._TIME_LIMIT.search(line) for line in lines)


# --------------------------------------------------------------------------------------------------
# Nothing found: said honestly, with the sections and an adviser


@pytest.mark.parametrize(
    ("article_id", "text", "missing"),
    [
        ("informal-exclusion", "what if she goes to college", "anything specific about colleges"),
        ("school-transport", "does it apply in a PRU", "anything specific about pupil referral units"),
        ("post16-transition", "what about academies", "anything specific about academies"),
        ("suspension", "what about his brother", "I couldn't find that in this answer"),
    ],
)
def test_a_follow_up_the_article_does_not_cover_is_said_honestly(articles, article_id, text, missing) -> None:
    replies = follow_up.answer(articles[article_id], follow_up.read_question(text))
    assert len(replies) == 1 and missing in replies[0].text
    assert replies[0].buttons == [*section_buttons(), ADVISER_BUTTON]


def test_before_any_answer_it_asks_for_the_situation() -> None:
    [reply] = follow_up.no_article([{"title": "Sent home from school", "payload": "/informal_exclusion"}])
    assert reply.text == follow_up.NO_ARTICLE_TEXT and reply.buttons[0]["payload"] == "/informal_exclusion"
    assert follow_up.no_article([])[0].buttons == [ADVISER_BUTTON]


# --------------------------------------------------------------------------------------------------
# The action, with a hand-built tracker and the real knowledge folder


@pytest.fixture
def service(tmp_path: Path, monkeypatch) -> KnowledgeService:
    svc = KnowledgeService(
        make_engine(f"sqlite:///{tmp_path / 'kb.db'}"), KNOWLEDGE, situation_intents(), refresh_seconds=0
    )
    svc.build()
    monkeypatch.setattr(acts, "knowledge_service", lambda: svc)
    return svc


def slot_events(events) -> dict[str, object]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


async def test_action_before_any_answer_offers_the_openers(service) -> None:
    messages, events = await run_action(ActionFollowUp(), tracker("follow_up", "what about academies?"))
    assert texts(messages) == [follow_up.NO_ARTICLE_TEXT]
    assert payloads(messages) == [b["payload"] for b in opener_buttons()]
    assert "/informal_exclusion" in payloads(messages) and events == []


@pytest.mark.parametrize("article_id", ["suspension", "ehc-delay", "school-transport"])
async def test_action_if_they_say_no_walks_the_ladder_like_what_if_that_doesnt_work(service, article_id) -> None:
    asked = {"article_id": article_id, "ladder_step": None}
    messages, events = await run_action(ActionFollowUp(), tracker("follow_up", "and if they say no?", slots=asked))
    typed, typed_events = await run_action(acts.ActionShowSection(), tracker("section_escalation", slots=asked))
    assert texts(messages)[0] == follow_up.understood(follow_up.read_question("and if they say no?"))
    assert texts(messages)[1:] == texts(typed) and events == typed_events
    assert slot_events(events) == {"ladder_step": -1.0}
    # Asked again: the next step, one at a time.
    asked["ladder_step"] = -1.0
    messages, events = await run_action(ActionFollowUp(), tracker("follow_up", "what if they refuse", slots=asked))
    assert texts(messages)[1].startswith("**Step 1 of ")
    assert slot_events(events) == {"ladder_step": 0.0}


async def test_action_how_long_answers_from_the_article_and_offers_the_deadlines(service) -> None:
    slots = {"article_id": "ehc-delay"}
    messages, events = await run_action(ActionFollowUp(), tracker("follow_up", "how long have they got", slots=slots))
    assert texts(messages)[0].startswith("**About time limits:**") and "20 weeks" in "\n".join(texts(messages))
    assert "/check_deadlines" in payloads(messages)
    assert events == []  # a question is not a fact: nothing is stored


async def test_action_reads_the_entities_the_nlu_found_and_stores_none(service) -> None:
    asked = tracker(
        "follow_up",
        "what about that sort of school",
        slots={"article_id": "suspension"},
        entities=[{"entity": "school_type", "value": "academy"}],
    )
    messages, events = await run_action(ActionFollowUp(), asked)
    assert "academy part of the 2012 exclusion regulations" in texts(messages)[0]
    assert "school_type" not in slot_events(events)


async def test_action_names_its_article_to_the_web_chat(service) -> None:
    asked = tracker("follow_up", "what if he has an ehcp", slots={"article_id": "suspension"}, channel="webchat")
    messages, _ = await run_action(ActionFollowUp(), asked)
    assert messages[-1].get("custom") == {"answered_from_article": "suspension"}
