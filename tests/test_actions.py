"""Actions with hand-built trackers: answers, sections, did-you-mean, crisis follow-up, partners, errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import actions.actions as acts
from bot.content.partners import PartnerBook
from bot.content.service import KnowledgeService
from bot.dialogue.answers import DISCLAIMER
from bot.storage.database import make_engine
from tests.actions_helpers import make_service, payloads, run_action, texts, tracker
from tests.actions_helpers import said as nlu_slots
from tests.knowledge_fixtures import FIXTURE_INTENTS
from tests.webchat_helpers import write_partners


@pytest.fixture
def service(knowledge_dir: Path, tmp_path: Path, monkeypatch):
    svc = make_service(knowledge_dir, tmp_path / "kb.db")
    monkeypatch.setattr(acts, "knowledge_service", lambda: svc)
    return svc


REGS_13 = "https://www.legislation.gov.uk/uksi/2014/1530/regulation/13"


async def test_answer_sends_summary_with_a_numbered_source_link_then_buttons(service) -> None:
    messages, events = await run_action(acts.ActionAnswerSituation(), tracker("ehc_delay"))
    said = texts(messages)
    assert said[0] == (
        "The council must send the final education, health and care (EHC) plan. It has 20 weeks from "
        f"your request.\nSource: [1]({REGS_13})"
    )
    assert DISCLAIMER in said
    assert payloads(messages) == [
        "/section_law",
        "/section_next_steps",
        "/section_escalation",
        "/section_who_can_help",
        "/check_deadlines",  # the guided tools come after the sections; this fixture has no letters
    ]
    assert {"event": "slot", "name": "article_id", "value": "ehc-delay", "timestamp": None} in events
    assert {"event": "slot", "name": "disclaimer_shown", "value": True, "timestamp": None} in events


@pytest.mark.parametrize(
    ("action", "intent", "slots"),
    [
        (acts.ActionAnswerSituation(), "ehc_delay", {}),
        (acts.ActionShowSection(), "section_law", {"article_id": "ehc-delay"}),
    ],
)
async def test_answers_name_their_article_to_the_web_chat_only(service, action, intent, slots) -> None:
    from bot.dialogue.answers import marked_article

    def marks(messages):
        return [marked_article(m.get("custom")) for m in messages if m.get("custom")]

    web, _ = await run_action(action, tracker(intent, slots=dict(slots), channel="webchat"))
    rest, _ = await run_action(action, tracker(intent, slots=dict(slots), channel="rest"))
    assert marks(web) == ["ehc-delay"] and web[-1]["custom"]  # the mark comes last, after the answer
    assert marks(rest) == [] and texts(rest) == [t for t in texts(web) if t]


async def test_no_mark_when_no_article_answered(service) -> None:
    messages, _ = await run_action(acts.ActionShowSection(), tracker("section_law", channel="webchat"))
    assert not [m for m in messages if m.get("custom")]


async def test_slots_already_holding_their_value_are_not_set_again(service) -> None:
    again = {"article_id": "ehc-delay", "disclaimer_shown": True, "ladder_step": None}
    _, events = await run_action(acts.ActionAnswerSituation(), tracker("ehc_delay", slots=again))
    assert not [e for e in events if e.get("event") == "slot" and e["name"] in again]
    moved = {"article_id": "mediation", "disclaimer_shown": True, "ladder_step": 2.0}
    _, events = await run_action(acts.ActionAnswerSituation(), tracker("ehc_delay", slots=moved))
    assert [(e["name"], e["value"]) for e in events if e.get("event") == "slot"] == [
        ("article_id", "ehc-delay"),
        ("ladder_step", None),
    ]


async def test_disclaimer_only_once_per_conversation(service) -> None:
    messages, _ = await run_action(acts.ActionAnswerSituation(), tracker("ehc_delay", slots={"disclaimer_shown": True}))
    assert DISCLAIMER not in texts(messages)


async def test_entities_change_the_answer(service) -> None:
    plain, _ = await run_action(acts.ActionAnswerSituation(), tracker("ehc_delay"))
    late, _ = await run_action(acts.ActionAnswerSituation(), tracker("ehc_delay", slots={"duration": "26 weeks"}))
    early, _ = await run_action(acts.ActionAnswerSituation(), tracker("ehc_delay", slots={"duration": "3 weeks"}))
    note = f"From what you say, the 20-week deadline has passed.\nSource: [1]({REGS_13})"
    assert note in texts(late)
    assert note not in texts(plain) and note not in texts(early)


@pytest.mark.parametrize(
    ("intent", "heading", "must_contain"),
    [
        ("section_law", "**What the law says**", f"within 20 weeks of the request.\nSource: [1]({REGS_13})"),
        ("section_next_steps", "**What you can do now**", '> "Please tell me when you will issue the final plan."'),
        ("section_escalation", "**If that doesn't work**", "Ombudsman"),
        ("section_who_can_help", "**Who can help**", "SENDIASS"),
    ],
)
async def test_each_section_button(service, intent: str, heading: str, must_contain: str) -> None:
    messages, _ = await run_action(acts.ActionShowSection(), tracker(intent, slots={"article_id": "ehc-delay"}))
    said = texts(messages)
    if intent == "section_who_can_help":  # the parent's local SENDIASS leads (bot/directory)
        assert said[0].startswith("**Your local SENDIASS**")
        said = said[1:]
    assert said[0].startswith(heading)
    assert any(must_contain in t for t in said)
    offered = payloads(messages)
    assert f"/{intent}" not in offered and len(offered) == 3


async def test_law_section_lists_sources_with_last_checked(service) -> None:
    messages, _ = await run_action(acts.ActionShowSection(), tracker("section_law", slots={"article_id": "ehc-delay"}))
    sources = next(t for t in texts(messages) if t.startswith("**Sources**"))
    assert f"1. [SEND Regulations 2014, regulation 13]({REGS_13})" in sources
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
    assert payloads(messages) == ["/ehc_delay", "/request_ehc_assessment", "/talk_to_adviser", "/crisis"]
    assert "These might help:" in texts(messages)
    titles = [b["title"] for m in messages for b in (m.get("buttons") or [])]
    assert titles[0] == "The council is taking too long with my child's plan"


async def test_did_you_mean_with_nothing_to_offer_asks_kindly(service) -> None:
    ranking = [{"name": "nlu_fallback", "confidence": 0.6}, {"name": "greet", "confidence": 0.4}]
    messages, _ = await run_action(acts.ActionDidYouMean(), tracker("nlu_fallback", text="banana", ranking=ranking))
    assert texts(messages)[0].startswith("Sorry, I'm not sure I understood")
    assert payloads(messages) == ["/talk_to_adviser", "/crisis"]


async def test_crisis_follow_up_offers_the_original_situation(service) -> None:
    ranking = [{"name": "crisis", "confidence": 1.0}, {"name": "ehc_delay", "confidence": 0.8}]
    messages, _ = await run_action(acts.ActionCrisisFollowUp(), tracker("crisis", ranking=ranking))
    assert payloads(messages) == ["/ehc_delay", "/talk_to_adviser"]


async def test_crisis_follow_up_adds_the_help_for_the_kind_the_parse_read(service) -> None:
    # No word of the kind in the text: the parse's reading of the kind of danger (bot/understanding/danger_kind.py).
    quiet = tracker("crisis", text="it's been hours and it's dark", ranking=[{"name": "crisis", "confidence": 1.0}])
    quiet.latest_message["risk"] = {"verdict": "emergency", "kind": "missing"}
    messages, _ = await run_action(acts.ActionCrisisFollowUp(), quiet)
    assert "Missing People" in texts(messages)[0]
    quiet.latest_message["risk"] = {"verdict": "emergency", "kind": None}
    messages, _ = await run_action(acts.ActionCrisisFollowUp(), quiet)
    assert not any("Missing People" in text for text in texts(messages))


async def test_after_the_tap_under_the_safety_question_the_words_before_it_decide(service) -> None:
    tapped = tracker("crisis", text="/crisis", ranking=[{"name": "crisis", "confidence": 1.0}])
    said = {
        "text": "it's been hours and it's dark, also the plan is late",
        "intent": {"name": "safety_check", "confidence": 1.0},
        "intent_ranking": [
            {"name": "safety_check", "confidence": 1.0},
            {"name": "ehc_delay", "confidence": 0.6},
        ],
        "risk": {"verdict": "check", "kind": "missing"},
    }
    tapped.events = [{"event": "user", "text": said["text"], "parse_data": said}, {"event": "user", "text": "/crisis"}]
    messages, _ = await run_action(acts.ActionCrisisFollowUp(), tapped)
    assert "Missing People" in texts(messages)[0]
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


# --- partners: the helpline of the website the parent is on ----------------------------------------------

ADVISER_ARTICLE = """\
---
id: talk-to-adviser
title: "I want to talk to a real person"
intents: [talk_to_adviser]
summary: You can get free help from people who know the law [@cop].
last_reviewed: 2026-11-01
review_by: 2027-05-01
owner: SEND law content lead
sources:
  - key: cop
    title: SEND Code of Practice
    citation: SEND Code of Practice 0-25 (2015), para 2.1
    url: https://www.gov.uk/government/publications/send-code-of-practice-0-to-25
related: [ehc-delay]
---

## What the law says

Every council must arrange an advice service [@cop].

## What you can do now

> "I would like to talk to someone about my child's support."

## If that doesn't work

Ask again.

## Who can help

A local adviser.
"""

MONDAY_MORNING = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.timezone.utc)
SATURDAY = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def with_partners(knowledge_dir: Path, tmp_path: Path, monkeypatch):
    (knowledge_dir / "articles" / "talk-to-adviser.md").write_text(ADVISER_ARTICLE, encoding="utf-8")
    svc = KnowledgeService(
        make_engine(f"sqlite:///{tmp_path / 'kb-partners.db'}"),
        knowledge_dir,
        [*FIXTURE_INTENTS, "talk_to_adviser"],
        refresh_seconds=0,
    )
    assert [p for p in svc.build() if p.severity == "error"] == []
    book = PartnerBook(write_partners(tmp_path / "partners"), refresh_seconds=0)
    monkeypatch.setattr(acts, "knowledge_service", lambda: svc)
    monkeypatch.setattr(acts, "partner_book", lambda: book)
    monkeypatch.setattr(acts, "now", lambda: MONDAY_MORNING)
    return svc


async def test_talk_to_adviser_adds_the_partners_helpline_before_the_buttons(with_partners) -> None:
    messages, _ = await run_action(
        acts.ActionAnswerSituation(), tracker("talk_to_adviser", metadata={"partner": "charity"})
    )
    said = texts(messages)
    assert said[0].startswith("You can get free help from people who know the law.\nSource: [1](https://www.gov.uk/")
    helpline = next(t for t in said if t.startswith("**Talk to Sampleshire Family Support**"))
    assert "Our helpline is open now until 4:30pm." in helpline
    assert "- Phone: [01632 960123](tel:+441632960123)" in helpline
    assert "- Email: [help@example.org](mailto:help@example.org)" in helpline
    local = next(t for t in said if t.startswith("**Your local SENDIASS**"))  # leads, before the helpline
    assert said.index(local) < said.index(helpline)
    services = next(t for t in said if t.startswith("**Free, independent help**"))
    assert "Your local SENDIASS: Your council's free, impartial advice service." in services
    assert said.index(helpline) < said.index(services) < len(said) - 1
    assert messages[-1]["buttons"] and said[-1] == "What would you like to know next?"


async def test_helpline_closed_says_when_it_opens(with_partners, monkeypatch) -> None:
    monkeypatch.setattr(acts, "now", lambda: SATURDAY)
    messages, _ = await run_action(
        acts.ActionAnswerSituation(), tracker("talk_to_adviser", metadata={"partner": "charity"})
    )
    assert any("We're closed now — back Monday at 9:30am." in t for t in texts(messages))


async def test_no_partner_named_uses_the_default_partner(with_partners) -> None:
    # As in `rasa shell`: the message has no metadata. The demo partner has no helpline of its own.
    messages, _ = await run_action(acts.ActionAnswerSituation(), tracker("talk_to_adviser"))
    said = texts(messages)
    assert not any(t.startswith("**Talk to") for t in said)
    assert any("[IPSEA](https://www.ipsea.org.uk): Free helplines with legally based advice." in t for t in said)
    unknown, _ = await run_action(
        acts.ActionAnswerSituation(), tracker("talk_to_adviser", metadata={"partner": "nobody"})
    )
    assert texts(unknown) == said


async def test_who_can_help_section_adds_the_partners_helpline(with_partners) -> None:
    messages, _ = await run_action(
        acts.ActionShowSection(),
        tracker("section_who_can_help", slots={"article_id": "ehc-delay"}, metadata={"partner": "charity"}),
    )
    said = texts(messages)
    assert said[0].startswith("**Your local SENDIASS**")  # the parent's own council leads (bot/directory)
    assert said[1].startswith("**Talk to Sampleshire Family Support**\nOur helpline is open now until 4:30pm.")
    assert said[2].startswith("**Who can help**")
    assert said[-1] == "Anything else about this?" and len(payloads(messages)) == 3
    other, _ = await run_action(
        acts.ActionShowSection(),
        tracker("section_law", slots={"article_id": "ehc-delay"}, metadata={"partner": "charity"}),
    )
    assert not any("Sampleshire" in t for t in texts(other))


async def test_situation_answers_other_than_the_adviser_one_are_unchanged(with_partners) -> None:
    messages, _ = await run_action(acts.ActionAnswerSituation(), tracker("ehc_delay", metadata={"partner": "charity"}))
    assert not any("Sampleshire" in t or "Free, independent help" in t for t in texts(messages))


async def test_a_broken_partner_setup_never_takes_the_answer_away(with_partners, monkeypatch) -> None:
    def broken():
        raise OSError("partners folder unreadable")

    monkeypatch.setattr(acts, "partner_book", broken)
    messages, _ = await run_action(
        acts.ActionAnswerSituation(), tracker("talk_to_adviser", metadata={"partner": "charity"})
    )
    assert texts(messages)[0].startswith("You can get free help from people who know the law")
    assert "something went wrong" not in " ".join(texts(messages))


async def test_facts_in_the_message_change_the_answer_and_are_remembered(service) -> None:
    said, events = await run_action(
        acts.ActionAnswerSituation(), tracker("ehc_delay", text="it has been 26 weeks and no plan from the academy")
    )
    assert f"From what you say, the 20-week deadline has passed.\nSource: [1]({REGS_13})" in texts(said)
    # Remembered in the slots the NLU pipeline filled (domain.yml from_entity): the answer leaves them be.
    assert not [e for e in events if e.get("name") in ("duration", "school_type")]


async def test_a_later_message_corrects_what_was_said_before(service) -> None:
    # "3 weeks" now replaces "26 weeks" said before: the latest message's entity fills the slot.
    asked = tracker("ehc_delay", text="sorry, 3 weeks at the academy", slots={"duration": "26 weeks"})
    assert asked.get_slot("duration") == "3 weeks"
    said, _ = await run_action(acts.ActionAnswerSituation(), asked)
    assert not any("20-week deadline has passed" in t for t in texts(said))
    assert any(t == "From what you told me: the school is an academy; how long: 3 weeks." for t in texts(said))


async def test_facts_from_earlier_messages_are_used_and_shown_back_with_a_way_to_change_them(service) -> None:
    earlier = nlu_slots(["my son is in year 4 at an academy"], dt.date(2026, 12, 4))
    asked = tracker("ehc_delay", text="what can I do?", slots=earlier)
    said, events = await run_action(acts.ActionAnswerSituation(), asked)
    shown = next(m for m in said if (m.get("text") or "").startswith("From what you told me:"))
    assert shown["text"] == "From what you told me: the school is an academy; Year 4."
    assert shown["buttons"] == [{"title": "Change these", "payload": "/correct_facts"}]
    assert said.index(shown) < texts(said).index("What would you like to know next?")  # before the buttons
    assert earlier["year_group"] == "Year 4" and "year_group" not in {e.get("name") for e in events}
    plain, _ = await run_action(acts.ActionAnswerSituation(), tracker("ehc_delay"))
    assert not any(t.startswith("From what you told me") for t in texts(plain))
