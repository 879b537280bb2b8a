"""Actions with hand-built trackers: answers, sections, did-you-mean, crisis follow-up, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

import actions.actions as acts
from bot.answers import DISCLAIMER
from tests.actions_helpers import make_service, payloads, run_action, texts, tracker


@pytest.fixture
def service(knowledge_dir: Path, tmp_path: Path, monkeypatch):
    svc = make_service(knowledge_dir, tmp_path / "kb.db")
    monkeypatch.setattr(acts, "knowledge_service", lambda: svc)
    return svc


async def test_answer_sends_summary_with_inline_citation_then_buttons(service) -> None:
    messages, events = await run_action(acts.ActionAnswerSituation(), tracker("ehc_delay"))
    said = texts(messages)
    assert said[0] == (
        "The council must send the final education, health and care (EHC) plan within 20 weeks of "
        "your request (SEND Regs reg 13)."
    )
    assert DISCLAIMER in said
    assert payloads(messages) == ["/section_law", "/section_next_steps", "/section_escalation", "/section_who_can_help"]
    assert {"event": "slot", "name": "article_id", "value": "ehc-delay", "timestamp": None} in events
    assert {"event": "slot", "name": "disclaimer_shown", "value": True, "timestamp": None} in events


async def test_disclaimer_only_once_per_conversation(service) -> None:
    messages, _ = await run_action(acts.ActionAnswerSituation(), tracker("ehc_delay", slots={"disclaimer_shown": True}))
    assert DISCLAIMER not in texts(messages)


async def test_entities_change_the_answer(service) -> None:
    plain, _ = await run_action(acts.ActionAnswerSituation(), tracker("ehc_delay"))
    late, _ = await run_action(acts.ActionAnswerSituation(), tracker("ehc_delay", slots={"duration": "26 weeks"}))
    early, _ = await run_action(acts.ActionAnswerSituation(), tracker("ehc_delay", slots={"duration": "3 weeks"}))
    note = "From what you say, the 20-week deadline has passed (SEND Regs reg 13)."
    assert note in texts(late)
    assert note not in texts(plain) and note not in texts(early)


@pytest.mark.parametrize(
    ("intent", "heading", "must_contain"),
    [
        ("section_law", "**What the law says**", "within 20 weeks of the request (SEND Regs reg 13)."),
        ("section_next_steps", "**What you can do now**", '> "Please tell me when you will issue the final plan."'),
        ("section_escalation", "**If that doesn't work**", "Ombudsman"),
        ("section_who_can_help", "**Who can help**", "SENDIASS"),
    ],
)
async def test_each_section_button(service, intent: str, heading: str, must_contain: str) -> None:
    messages, _ = await run_action(acts.ActionShowSection(), tracker(intent, slots={"article_id": "ehc-delay"}))
    said = texts(messages)
    assert said[0].startswith(heading)
    assert any(must_contain in t for t in said)
    offered = payloads(messages)
    assert f"/{intent}" not in offered and len(offered) == 3


async def test_law_section_lists_sources_with_last_checked(service) -> None:
    messages, _ = await run_action(acts.ActionShowSection(), tracker("section_law", slots={"article_id": "ehc-delay"}))
    sources = next(t for t in texts(messages) if t.startswith("**Sources**"))
    assert "[SEND Regulations 2014, reg 13(2)](https://www.legislation.gov.uk/uksi/2014/1530/regulation/13)" in sources
    assert "Last checked: 1 November 2026" in sources


async def test_section_without_a_situation_asks_for_one(service) -> None:
    messages, _ = await run_action(acts.ActionShowSection(), tracker("section_law"))
    assert "Tell me a little about your situation first" in texts(messages)[0]


async def test_did_you_mean_offers_model_guesses_then_search_then_a_person(service) -> None:
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.5},
        {"name": "ehc_delay", "confidence": 0.4},
        {"name": "greet", "confidence": 0.3},
    ]
    messages, _ = await run_action(
        acts.ActionDidYouMean(), tracker("nlu_fallback", text="how do I request an assessment", ranking=ranking)
    )
    assert texts(messages)[0].startswith("I want to be sure")
    assert payloads(messages) == ["/ehc_delay", "/request_ehc_assessment", "/talk_to_adviser"]
    assert "These might help:" in texts(messages)
    titles = [b["title"] for m in messages for b in (m.get("buttons") or [])]
    assert titles[0] == "The council is taking too long with my child's plan"


async def test_did_you_mean_with_nothing_to_offer_asks_kindly(service) -> None:
    ranking = [{"name": "nlu_fallback", "confidence": 0.6}, {"name": "greet", "confidence": 0.4}]
    messages, _ = await run_action(acts.ActionDidYouMean(), tracker("nlu_fallback", text="banana", ranking=ranking))
    assert texts(messages)[0].startswith("Sorry, I'm not sure I understood")
    assert payloads(messages) == ["/talk_to_adviser"]


async def test_crisis_follow_up_offers_the_original_situation(service) -> None:
    ranking = [{"name": "crisis", "confidence": 1.0}, {"name": "ehc_delay", "confidence": 0.8}]
    messages, _ = await run_action(acts.ActionCrisisFollowUp(), tracker("crisis", ranking=ranking))
    assert payloads(messages) == ["/ehc_delay", "/talk_to_adviser"]


async def test_crisis_follow_up_without_a_situation(service) -> None:
    messages, _ = await run_action(
        acts.ActionCrisisFollowUp(), tracker("crisis", ranking=[{"name": "crisis", "confidence": 1.0}])
    )
    assert payloads(messages) == ["/talk_to_adviser"]


async def test_an_error_gives_a_kind_reply_not_a_crash(monkeypatch) -> None:
    def broken():
        raise RuntimeError("database is down")

    monkeypatch.setattr(acts, "knowledge_service", broken)
    messages, events = await run_action(acts.ActionAnswerSituation(), tracker("ehc_delay"))
    assert events == []
    assert "something went wrong on my side" in texts(messages)[0]
    assert payloads(messages) == ["/talk_to_adviser"]


async def test_missing_article_is_handled(service) -> None:
    messages, _ = await run_action(acts.ActionAnswerSituation(), tracker("crisis"))
    assert "can't show that answer" in texts(messages)[0]
