"""The guided actions with hand-built trackers and the real knowledge files: forms, results, letters."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rasa_sdk import Tracker

import actions.actions as acts
import actions.guided as guided_actions
from bot import forms, index
from bot.intents import situation_intents
from bot.service import KnowledgeService
from bot.settings import PROJECT_ROOT
from tests.actions_helpers import payloads, run_action, texts

TODAY = dt.date(2026, 12, 2)


@pytest.fixture(scope="module")
def real_service(tmp_path_factory) -> KnowledgeService:
    db = tmp_path_factory.mktemp("kb") / "kb.db"
    service = KnowledgeService(
        index.make_engine(f"sqlite:///{db}"), PROJECT_ROOT / "knowledge", situation_intents(), refresh_seconds=0
    )
    service.build()
    return service


@pytest.fixture(autouse=True)
def fixed_world(real_service, monkeypatch) -> None:
    monkeypatch.setattr(acts, "knowledge_service", lambda: real_service)
    monkeypatch.setattr(guided_actions, "today", lambda: TODAY)


def form_tracker(
    text: str,
    slots: dict[str, Any] | None = None,
    intent: str = "nlu_fallback",
    confidence: float = 0.5,
    form: str | None = forms.TRIAGE_FORM,
    events: list[dict[str, Any]] | None = None,
    entities: list[dict[str, Any]] | None = None,
) -> Tracker:
    return Tracker(
        sender_id="guided-test",
        slots=slots or {},
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "intent_ranking": [{"name": intent, "confidence": confidence}],
            "entities": entities or [],
        },
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={"name": form} if form else {},
        latest_action_name="action_listen",
    )


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


async def test_opening_the_exclusion_questions_introduces_them() -> None:
    tracker = form_tracker("/start_triage", {"article_id": "informal-exclusion"}, intent="start_triage", form=None)
    messages, events = await run_action(guided_actions.ValidateExclusionTriageForm(), tracker)
    assert texts(messages)[0].startswith("I'll ask up to 5 short questions")
    assert slot_events(events)["requested_slot"] == "exclusion_recorded"


async def test_a_typed_answer_fills_its_question() -> None:
    tracker = form_tracker("no they just rang me", {"requested_slot": "exclusion_recorded"}, intent="deny")
    _, events = await run_action(guided_actions.ValidateExclusionTriageForm(), tracker)
    slots = slot_events(events)
    assert slots["exclusion_recorded"] == "no"
    assert slots["requested_slot"] == "days_missed"


async def test_banana_for_a_number_is_asked_again_kindly() -> None:
    tracker = form_tracker("banana", {"requested_slot": "days_missed", "exclusion_recorded": "no"})
    _, events = await run_action(guided_actions.ValidateExclusionTriageForm(), tracker)
    slots = slot_events(events)
    assert slots["requested_slot"] == "days_missed"
    assert "number of school days" in slots[forms.NOTICE_SLOT]
    # The question action then says the notice instead of the plain question, with the usual buttons.
    asking = form_tracker("banana", {"requested_slot": "days_missed", **slots})
    messages, _ = await run_action(guided_actions.ASK_ACTIONS["days_missed"](), asking)
    assert texts(messages) == [slots[forms.NOTICE_SLOT]]
    assert payloads(messages)[-3:] == ["skip", "go back", "/stop"]


async def test_31_february_gets_a_question_not_a_crash() -> None:
    slots = {"requested_slot": "deadline_date", "deadline_kind": "ehc_request"}
    tracker = form_tracker("31/02/2026", slots, form=forms.DEADLINE_FORM)
    _, events = await run_action(guided_actions.ValidateDeadlineForm(), tracker)
    assert "only has 28 days" in slot_events(events)[forms.NOTICE_SLOT]


async def test_a_new_question_makes_the_form_step_aside() -> None:
    tracker = form_tracker(
        "they want him on a part time timetable", {"requested_slot": "school_type"}, "reduced_timetable", 0.93
    )
    messages, events = await run_action(guided_actions.ValidateExclusionTriageForm(), tracker)
    assert events == [] and messages == []  # Rasa then rejects the form and the rules answer


async def test_answering_a_situation_closes_an_open_form() -> None:
    tracker = form_tracker("part time timetable", {"requested_slot": "school_type"}, "reduced_timetable", 0.93)
    _, events = await run_action(acts.ActionAnswerSituation(), tracker)
    assert {"event": "active_loop", "name": None, "timestamp": None} in events


async def test_a_broken_form_says_sorry_and_closes(monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(forms, "answer", broken)
    tracker = form_tracker("3", {"requested_slot": "days_missed"})
    messages, events = await run_action(guided_actions.ValidateExclusionTriageForm(), tracker)
    assert texts(messages) == [acts.SORRY]
    assert {"event": "active_loop", "name": None, "timestamp": None} in events


async def test_triage_result_fits_the_answers() -> None:
    slots = {
        "article_id": "suspension",
        "exclusion_recorded": "yes",
        "days_missed": "7",
        "school_type": "academy",
        "support_level": "ehc_plan",
        "public_exam": "no",
    }
    messages, _ = await run_action(guided_actions.ActionTriageResult(), form_tracker("", slots, form=None))
    said = "\n".join(texts(messages))
    assert "5 school days" in said  # more than 5 days in a term: the parent can make representations
    assert "/talk_to_adviser" in payloads(messages)


async def test_triage_result_for_an_informal_exclusion() -> None:
    slots = {"article_id": "informal-exclusion", "exclusion_recorded": "no", "days_missed": "skipped"}
    messages, _ = await run_action(guided_actions.ActionTriageResult(), form_tracker("", slots, form=None))
    assert "unlawful" in "\n".join(texts(messages)).lower()


async def test_deadlines_are_dated_flagged_and_downloadable() -> None:
    slots = {"deadline_kind": "ehc_request", "deadline_date": "2026-03-03"}
    messages, _ = await run_action(guided_actions.ActionShowDeadlines(), form_tracker("", slots, form=None))
    said = "\n".join(texts(messages))
    assert "14 April 2026" in said  # 6 weeks after 3 March 2026
    assert "21 July 2026" in said  # 20 weeks after 3 March 2026
    assert "overdue" in said.lower() or "passed" in said.lower()
    # The council has not said it will assess: the 16 weeks (23 June 2026) are a condition, not overdue.
    assert "Tuesday 23 June 2026** (only if the council decides to carry out the EHC needs assessment)" in said
    assert "overdue by 162 days" not in said
    assert "/webhooks/webchat/download/deadlines.ics" in said


async def test_deadlines_without_a_date_say_so() -> None:
    slots = {"deadline_kind": "ehc_request", "deadline_date": "skipped"}
    messages, _ = await run_action(guided_actions.ActionShowDeadlines(), form_tracker("", slots, form=None))
    assert "Without a date" in texts(messages)[0]


async def test_letter_choice_then_a_filled_letter() -> None:
    tracker = form_tracker("can you write a letter", {"article_id": "informal-exclusion"}, "get_letter", 0.9, None)
    messages, _ = await run_action(guided_actions.ActionGetLetter(), tracker)
    assert any("ask-school-confirm-exclusion-or-return" in p for p in payloads(messages))

    chosen = form_tracker(
        '/get_letter{"letter_id":"chase-missed-ehc-deadline"}',
        {"article_id": "ehc-delay", "deadline_kind": "ehc_request", "deadline_date": "2026-03-03"},
        "get_letter",
        1.0,
        None,
        entities=[{"entity": "letter_id", "value": "chase-missed-ehc-deadline"}],
    )
    messages, _ = await run_action(guided_actions.ActionGetLetter(), chosen)
    said = "\n".join(texts(messages))
    assert "3 March 2026" in said  # the request date from the deadline questions fills the letter
    assert "/webhooks/webchat/download/letter/chase-missed-ehc-deadline.docx" in said


async def test_letter_for_a_form_in_progress_closes_the_form() -> None:
    tracker = form_tracker(
        "I need a letter", {"requested_slot": "deadline_kind"}, "get_letter", 0.9, forms.DEADLINE_FORM
    )
    _, events = await run_action(guided_actions.ActionGetLetter(), tracker)
    assert {"event": "active_loop", "name": None, "timestamp": None} in events


async def test_escalation_walks_the_ladder() -> None:
    base = {"article_id": "suspension"}
    overview, events = await run_action(acts.ActionShowSection(), form_tracker("", base, "section_escalation", 1, None))
    assert slot_events(events)[acts.LADDER_SLOT] == -1.0
    assert "/section_escalation" in payloads(overview)
    step, events = await run_action(
        acts.ActionShowSection(), form_tracker("", {**base, acts.LADDER_SLOT: -1.0}, "section_escalation", 1, None)
    )
    assert slot_events(events)[acts.LADDER_SLOT] == 0.0
    assert texts(step) != texts(overview)


def test_every_question_slot_has_an_ask_action_in_the_domain() -> None:
    domain = (PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8")
    for slot in forms.QUESTIONS:
        assert f"action_ask_{slot}" in domain
        assert guided_actions.ASK_ACTIONS[slot]().name() == f"action_ask_{slot}"


def test_the_action_server_registers_the_guided_actions() -> None:
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    names = set(executor.actions)
    assert {"validate_exclusion_triage_form", "validate_deadline_form", "action_get_letter"} <= names
    assert {f"action_ask_{slot}" for slot in forms.QUESTIONS} <= names
    assert not any(name in ("validate_", "action_ask_") for name in names)


def test_forms_in_the_domain_match_bot_forms() -> None:
    import yaml

    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    for form, slots in forms.FORM_SLOTS.items():
        assert tuple(domain["forms"][form]["required_slots"]) == slots


async def test_a_different_situation_with_a_number_in_it_leaves_the_questions() -> None:
    slots = {"requested_slot": "days_missed", "article_id": "informal-exclusion"}
    text = "they want to put him on a part time timetable of two hours a day"
    _, events = await run_action(
        guided_actions.ValidateExclusionTriageForm(), form_tracker(text, slots, "reduced_timetable", 0.95)
    )
    assert events == []
    same = form_tracker("he was sent home two days this term", slots, "informal_exclusion", 0.95)
    _, events = await run_action(guided_actions.ValidateExclusionTriageForm(), same)
    assert slot_events(events)["days_missed"] == "2"
