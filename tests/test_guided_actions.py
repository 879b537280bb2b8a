"""The guided actions with hand-built trackers and the real knowledge files: forms, results, letters."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rasa_sdk import Tracker

import actions.actions as acts
import actions.guided as guided_actions
from bot.content.service import KnowledgeService
from bot.dialogue import forms
from bot.dialogue.answers import ADVISER_BUTTON
from bot.law.deadlines import ehc_assessment_deadlines
from bot.settings import PROJECT_ROOT
from bot.storage.database import make_engine
from bot.understanding import facts
from bot.understanding.intents import situation_intents
from tests.actions_helpers import payloads, run_action, texts
from tests.actions_helpers import said as nlu_slots

TODAY = dt.date(2026, 12, 2)


@pytest.fixture(scope="module")
def real_service(tmp_path_factory) -> KnowledgeService:
    db = tmp_path_factory.mktemp("kb") / "kb.db"
    service = KnowledgeService(
        make_engine(f"sqlite:///{db}"), PROJECT_ROOT / "knowledge", situation_intents(), refresh_seconds=0
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
    # The facts in the parent's messages are in the slots, as the NLU pipeline's entities put them there.
    texts_said = [str(e.get("text") or "") for e in events or [] if e.get("event") == "user"]
    if text and (not texts_said or texts_said[-1] != text):
        texts_said.append(text)
    return Tracker(
        sender_id="guided-test",
        slots=nlu_slots([t for t in texts_said if t and not t.startswith("/")], TODAY, slots),
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
    import yaml

    # The domain's list of actions, not its text: a name in a comment would not make Rasa call the action.
    declared = set(yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))["actions"])
    for slot in forms.QUESTIONS:
        assert f"action_ask_{slot}" in declared
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


# --- facts from the whole conversation (bot/understanding/facts.py, actions/facts.py) ------------------------------------


def said_first(text: str) -> list[dict[str, Any]]:
    return [{"event": "user", "text": text}]


SENT_HOME = "They have been sending him home most afternoons for about 3 weeks, nothing in writing"


async def test_the_first_answer_says_how_overdue_the_council_is_with_the_next_step(monkeypatch) -> None:
    # The 3 March conversation: asked on Friday 4 December 2026.
    monkeypatch.setattr(acts, "now", lambda: dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.timezone.utc))
    text = "We asked for an EHC needs assessment on 3 March and have heard nothing"
    tracker = form_tracker(text, intent="ehc_delay", confidence=0.95, form=None, events=said_first(text))
    messages, events = await run_action(acts.ActionAnswerSituation(), tracker)
    said = texts(messages)
    decision = ehc_assessment_deadlines(dt.date(2026, 3, 3))[0]  # the 6-week decision, the only one that applies
    late = facts.weeks_and_days((dt.date(2026, 12, 4) - decision.due).days)
    status = next(t for t in said if "Tuesday 14 April 2026" in t)
    assert f"That date passed {late} ago, so the council is late." in status and late == "33 weeks and 3 days"
    assert said.index(status) == 1  # straight after the summary
    assert "21 July 2026" not in "\n".join(said)  # the 20 weeks are only a condition until the council decides
    assert any(t.startswith("**Next step:**") and "formal complaint" in t for t in said)
    assert "From what you told me: you asked for the EHC needs assessment on Tuesday 3 March 2026." in said
    assert "/correct_facts" in payloads(messages)
    # The NLU pipeline put the date in its slot; the answer keeps it as it is.
    assert tracker.get_slot("request_date") == "2026-03-03" and "request_date" not in slot_events(events)


async def test_two_suspensions_in_a_term_add_up_to_the_more_than_5_days_line() -> None:
    text = "he was suspended for 2 days in October and 4 days last week"
    tracker = form_tracker(text, intent="suspension", confidence=0.95, form=None, events=said_first(text))
    messages, events = await run_action(acts.ActionAnswerSituation(), tracker)
    said = "\n".join(texts(messages))
    assert "more than 5 school days in total this term" in said
    assert "right to make representations" in said
    assert "2 + 4 = 6 school days this term" in said
    assert slot_events(events)["days_missed"] == "6"


async def test_the_exclusion_questions_skip_what_the_parent_already_said() -> None:
    events = [*said_first(SENT_HOME), {"event": "user", "text": "/start_triage"}]
    tracker = form_tracker("/start_triage", {"article_id": "informal-exclusion"}, "start_triage", 1.0, None, events)
    messages, returned = await run_action(guided_actions.ValidateExclusionTriageForm(), tracker)
    slots = slot_events(returned)
    assert slots["exclusion_recorded"] == "no"  # "nothing in writing": not asked again
    assert slots["requested_slot"] == "days_missed"
    assert slots.get("days_missed") is None  # "most afternoons for about 3 weeks" is not "3 school days"
    assert any("not recorded in writing" in t for t in texts(messages))
    # The days question says what it understood and offers it counted in school days.
    asking = form_tracker("/start_triage", {**slots, "article_id": "informal-exclusion"}, events=events)
    asked, _ = await run_action(guided_actions.ASK_ACTIONS["days_missed"](), asking)
    assert texts(asked)[0].startswith("You told me: most afternoons for about 3 weeks. The rules count school days")
    assert asked[0]["buttons"][0] == {"title": "7.5 (every afternoon for about 3 weeks)", "payload": "7.5"}
    assert not any(t.startswith("Did the school put it in writing") for t in texts(messages) + texts(asked))


async def test_a_length_of_time_to_the_days_question_is_asked_again_in_school_days() -> None:
    slots = {"requested_slot": "days_missed", "exclusion_recorded": "no", "article_id": "informal-exclusion"}
    tracker = form_tracker("most afternoons for about 3 weeks", slots, "informal_exclusion", 0.95)
    _, events = await run_action(guided_actions.ValidateExclusionTriageForm(), tracker)
    slots = slot_events(events)
    assert "days_missed" not in slots and slots["requested_slot"] == "days_missed"
    assert slots[forms.NOTICE_SLOT].startswith("You told me: most afternoons for about 3 weeks.")


async def test_the_deadline_questions_do_not_ask_for_a_date_already_given() -> None:
    text = "We asked for an EHC needs assessment on 3 March and have heard nothing"
    events = [*said_first(text), {"event": "user", "text": "/check_deadlines"}]
    tracker = form_tracker("/check_deadlines", {"article_id": "ehc-delay"}, "check_deadlines", 1.0, None, events)
    messages, returned = await run_action(guided_actions.ValidateDeadlineForm(), tracker)
    slots = slot_events(returned)
    assert slots["deadline_kind"] == "ehc_request" and slots["deadline_date"] == "2026-03-03"
    assert slots["requested_slot"] is None  # nothing left to ask
    assert any("You told me you asked on Tuesday 3 March 2026" in t for t in texts(messages))


async def test_change_these_forgets_the_facts() -> None:
    slots = {"article_id": "ehc-delay", "request_date": "2026-03-03", "school_type": "academy"}
    tracker = form_tracker("/correct_facts", slots, "correct_facts", 1.0, None)
    messages, events = await run_action(guided_actions.ActionCorrectFacts(), tracker)
    assert slot_events(events) == {"request_date": None, "school_type": None}
    assert texts(messages)[0].startswith("OK, I've forgotten what I noted.")
    assert payloads(messages) == ["/ehc_delay", "/talk_to_adviser"]
    assert {"event": "action", "name": "action_correct_facts"} not in events  # Rasa logs the action itself


def letter_tracker(letter_id: str, slots: dict[str, Any], events: list[dict[str, Any]] | None = None) -> Tracker:
    return form_tracker(
        f'/get_letter{{"letter_id":"{letter_id}"}}',
        slots,
        "get_letter",
        1.0,
        None,
        events,
        entities=[{"entity": "letter_id", "value": letter_id}],
    )


async def test_the_chase_letter_is_filled_with_the_deadline_worked_out() -> None:
    slots = {"article_id": "ehc-delay", "request_date": "2026-03-03"}
    messages, events = await run_action(
        guided_actions.ActionGetLetter(), letter_tracker("chase-missed-ehc-deadline", slots)
    )
    said = "\n".join(texts(messages))
    assert "It fell on 14 April 2026" in said and "the 6-week deadline to decide whether to assess" in said
    assert "[the date that deadline fell]" not in said and "The council received my request on 3 March 2026" in said
    assert not any(e.get("event") == "followup" for e in events)  # nothing left that one answer could fill


async def test_since_september_fills_how_long_the_part_time_timetable_has_lasted() -> None:
    text = "she has been on a part time timetable since September"
    tracker = letter_tracker("review-reduced-timetable", {"article_id": "reduced-timetable"}, said_first(text))
    messages, _ = await run_action(guided_actions.ActionGetLetter(), tracker)
    said = "\n".join(texts(messages))
    assert "for 13 weeks and 1 day, since 1 September 2026" in said  # today is 2 December 2026
    assert "[how long the part-time timetable has lasted" not in said


async def test_a_blank_the_parent_could_fill_is_asked_for_then_the_letter_comes_again() -> None:
    slots = {"article_id": "ehc-delay"}
    messages, events = await run_action(
        guided_actions.ActionGetLetter(), letter_tracker("chase-missed-ehc-deadline", slots)
    )
    assert "I can fill in [the date the council received your request] for you if you tell me." in texts(messages)
    assert {"event": "followup", "name": forms.LETTER_FORM, "timestamp": None} in events
    set_ = slot_events(events)
    assert set_["letter_fact"] == "request_date" and set_["letter_asked"] == ["request_date"]
    # The form asks one question, with Skip and Stop.
    started = form_tracker("", {**slots, **set_}, form=None)
    _, opened = await run_action(guided_actions.ValidateLetterQuestionForm(), started)
    notice = slot_events(opened)[forms.NOTICE_SLOT]
    assert notice.startswith("When did the council get your request?")
    asked, _ = await run_action(
        guided_actions.ASK_ACTIONS["letter_answer"](),
        form_tracker("", {**set_, **slot_events(opened)}, form=forms.LETTER_FORM),
    )
    assert texts(asked) == [notice] and payloads(asked) == ["skip", "/stop"]
    # The answer fills the fact; the letter comes again with it (and the deadline worked out from it).
    answering = form_tracker(
        "3 March 2026", {**slots, **set_, "requested_slot": "letter_answer"}, form=forms.LETTER_FORM
    )
    _, answered = await run_action(guided_actions.ValidateLetterQuestionForm(), answering)
    filled = slot_events(answered)
    assert filled["request_date"] == "2026-03-03" and filled["requested_slot"] is None
    again = form_tracker("3 March 2026", {**slots, **set_, **filled}, form=None)
    messages, events = await run_action(guided_actions.ActionGetLetter(), again)
    assert "It fell on 14 April 2026" in "\n".join(texts(messages))
    assert slot_events(events)["letter_answer"] is None
    assert not any(e.get("event") == "followup" for e in events)  # each blank is asked about once


async def test_a_skipped_letter_question_leaves_the_blank_without_repeating_the_letter() -> None:
    slots = {"letter_chosen": "chase-missed-ehc-deadline", "letter_answer": "skipped", "article_id": "ehc-delay"}
    messages, events = await run_action(guided_actions.ActionGetLetter(), form_tracker("skip", slots, form=None))
    assert texts(messages) == [guided_actions.LEFT_BLANK]
    assert slot_events(events) == {"letter_answer": None}


async def test_a_question_that_fails_says_sorry_kindly_like_every_action(monkeypatch) -> None:
    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug in the form")

    monkeypatch.setattr(guided_actions.forms, "question_order", broken)
    slots = {"requested_slot": "days_missed", "article_id": "informal-exclusion"}
    messages, events = await run_action(
        guided_actions.ASK_ACTIONS["days_missed"](), form_tracker("", slots, "informal_exclusion", 0.95)
    )
    assert events == []
    assert texts(messages) == [acts.SORRY]
    assert messages[0]["buttons"] == [ADVISER_BUTTON]
