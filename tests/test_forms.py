"""The guided forms' decisions (bot/dialogue/forms.py): questions, answers, skips, "go back", re-asks, leaving."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.dialogue import forms
from bot.dialogue.guided_replies import SKIPPED

TODAY = dt.date(2026, 12, 2)
TRIAGE, DEADLINE = forms.TRIAGE_FORM, forms.DEADLINE_FORM


def asked(*slots: str) -> list[dict[str, object]]:
    """Tracker events for questions asked in this order."""
    return [{"event": "slot", "name": "requested_slot", "value": slot} for slot in slots]


def answer(form, requested, text, values=None, intent="nlu_fallback", confidence=0.9, events=(), article=None):
    return forms.answer(form, requested, text, intent, confidence, values or {}, list(events), article, TODAY)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("skip", "skip"),
        ("Skip.", "skip"),
        ("skip this one", "skip"),
        ("I don't know", "skip"),
        ("dont know", "skip"),
        ("not sure", "skip"),
        ("go back", "back"),
        ("Back", "back"),
        ("change my answer", "back"),
        ("oops", "back"),
        ("he wants to go back to school", None),
        ("I don't know what to do, they keep sending him home", None),
        ("", None),
        (None, None),
    ],
)
def test_read_control(text, expected) -> None:
    assert forms.read_control(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", "yes"),
        ("Yeah they emailed me", "yes"),
        ("it was in writing", "yes"),
        ("no", "no"),
        ("No, nothing in writing", "no"),
        ("not in writing, they just rang me", "no"),
        ("they told me verbally at the gate", "no"),
        ("banana", None),
        ("", None),
    ],
)
def test_read_yes_no(text, expected) -> None:
    assert forms.read_yes_no(text) == expected


def test_triage_questions_depend_on_the_article_and_answers() -> None:
    assert forms.triage_order("permanent-exclusion", {}) == ("school_type", "support_level")
    assert forms.triage_order("suspension", {})[-1] == "public_exam"
    # No public exam question once the parent says nothing was in writing (not a formal suspension).
    assert "public_exam" not in forms.triage_order("informal-exclusion", {"exclusion_recorded": "no"})


def test_triage_start_clears_old_answers_keeps_the_school_and_counts_questions() -> None:
    old = {"exclusion_recorded": "yes", "days_missed": "3", "school_type": "academy", "public_exam": "no"}
    step = forms.start(TRIAGE, "informal-exclusion", "/start_triage", TODAY, old)
    assert step.slots["exclusion_recorded"] is None and step.slots["days_missed"] is None
    assert "school_type" not in step.slots  # a fact about the school, kept
    assert step.requested == "exclusion_recorded"
    assert step.messages[0].startswith("I'll ask up to 4 short questions")  # school type is already known


def test_permanent_exclusion_asks_only_what_matters() -> None:
    step = forms.start(TRIAGE, "permanent-exclusion", "/start_triage", TODAY, {"school_type": "academy"})
    assert step.requested == "support_level"
    assert "one short question" in step.messages[0]


def test_deadline_start_takes_the_kind_from_the_article_and_a_clear_date_from_the_message() -> None:
    step = forms.start(DEADLINE, "ehc-delay", "we applied on 12/01/2026, work out my deadlines", TODAY, {})
    assert step.slots["deadline_kind"] == "ehc_request"
    assert step.slots["deadline_date"] == "2026-01-12"
    assert step.requested is None  # nothing left to ask: the dates come straight away
    assert not any("short question" in m for m in step.messages)


def test_deadline_start_keeps_a_rough_date_with_a_note() -> None:
    step = forms.start(DEADLINE, "ehc-delay", "we applied in March", TODAY, {})
    assert step.slots["deadline_date"] == "2026-03-01"
    assert step.slots[forms.APPROXIMATE_SLOT] is True
    assert any("around" in m for m in step.messages)


def test_deadline_start_asks_what_happened_when_it_cannot_tell() -> None:
    step = forms.start(DEADLINE, None, "/check_deadlines", TODAY, {"deadline_kind": "draft_plan"})
    assert step.slots["deadline_kind"] is None  # an old run's answer is not reused silently
    assert step.requested == "deadline_kind"
    assert "two short questions" in step.messages[0]


def test_an_answer_is_kept_and_the_next_question_follows() -> None:
    step = answer(TRIAGE, "exclusion_recorded", "no, they just phoned", intent="deny", article="informal-exclusion")
    assert step.slots["exclusion_recorded"] == "no"
    assert step.requested == "days_missed"
    step = answer(TRIAGE, "days_missed", "three and a half days", values={"exclusion_recorded": "no"})
    assert step.slots["days_missed"] == "3.5"
    assert step.requested == "school_type"


def test_the_last_answer_finishes_the_form() -> None:
    values = {"exclusion_recorded": "no", "days_missed": "2", "school_type": "academy"}
    step = answer(TRIAGE, "support_level", "he has an EHCP", values=values, article="informal-exclusion")
    assert step.slots["support_level"] == "ehc_plan"
    assert step.requested is None


def test_skip_marks_the_question_skipped() -> None:
    step = answer(TRIAGE, "days_missed", "I don't know", values={"exclusion_recorded": "yes"})
    assert step.slots["days_missed"] == SKIPPED
    assert step.requested == "school_type"


def test_go_back_clears_the_previous_answer_and_asks_it_again() -> None:
    values = {"exclusion_recorded": "yes", "days_missed": "4"}
    events = asked("exclusion_recorded", "days_missed", "school_type")
    step = answer(TRIAGE, "school_type", "go back", values=values, events=events)
    assert step.slots["days_missed"] is None
    assert step.requested == "days_missed"


def test_go_back_on_the_first_question_asks_it_again() -> None:
    step = answer(TRIAGE, "exclusion_recorded", "go back", events=asked("exclusion_recorded"))
    assert step.requested == "exclusion_recorded"
    assert step.messages == ["That was the first question."]


def test_go_back_reaches_an_answer_taken_from_the_article() -> None:
    # The kind came from the article, never asked: "go back" on the date question still changes it.
    values = {"deadline_kind": "ehc_request"}
    step = answer(DEADLINE, "deadline_date", "go back", values=values, events=asked("deadline_date"))
    assert step.slots["deadline_kind"] is None
    assert step.requested == "deadline_kind"


def test_nonsense_gets_a_clear_re_ask_then_is_skipped() -> None:
    step = answer(TRIAGE, "days_missed", "banana")
    assert step.requested == "days_missed"
    assert step.slots[forms.REASK_SLOT] == 1.0
    assert "number of school days" in step.slots[forms.NOTICE_SLOT]
    assert "days_missed" not in step.slots
    step = answer(TRIAGE, "days_missed", "banana", values={forms.REASK_SLOT: 2.0, "exclusion_recorded": "yes"})
    assert step.slots["days_missed"] == SKIPPED
    assert step.requested == "school_type"


def test_an_impossible_date_is_questioned_never_guessed() -> None:
    step = answer(DEADLINE, "deadline_date", "31/02/2026", values={"deadline_kind": "ehc_request"})
    assert "deadline_date" not in step.slots
    assert step.requested == "deadline_date"
    assert "February 2026 only has 28 days" in step.slots[forms.NOTICE_SLOT]


def test_a_date_to_confirm_is_kept_on_yes() -> None:
    values = {"deadline_kind": "ehc_request"}
    step = answer(DEADLINE, "deadline_date", "3rd March", values=values)
    assert step.slots[forms.CANDIDATE_SLOT] == "2026-03-03"
    assert "do you mean Tuesday 3 March 2026" in step.slots[forms.NOTICE_SLOT]
    confirmed = answer(DEADLINE, "deadline_date", "yes", values={**values, **step.slots}, intent="affirm")
    assert confirmed.slots["deadline_date"] == "2026-03-03"
    assert confirmed.requested is None


def test_a_rough_date_is_kept_as_approximate() -> None:
    step = answer(DEADLINE, "deadline_date", "about 5 months ago", values={"deadline_kind": "ehc_request"})
    assert step.slots["deadline_date"] == "2026-07-02"
    assert step.slots[forms.APPROXIMATE_SLOT] is True


def test_deadline_kind_from_a_button_or_typed() -> None:
    assert answer(DEADLINE, "deadline_kind", "draft_plan").slots["deadline_kind"] == "draft_plan"
    assert answer(DEADLINE, "deadline_kind", "we got the draft plan").slots["deadline_kind"] == "draft_plan"


def test_a_confident_other_question_is_not_an_answer() -> None:
    step = answer(TRIAGE, "school_type", "they want him on a part time timetable", intent="reduced_timetable")
    assert step.not_an_answer and not step.slots


def test_an_answer_wins_over_the_intent_model() -> None:
    # "3 days" may look like a suspension to the model; to the question it is the answer.
    step = answer(TRIAGE, "days_missed", "3 days", intent="suspension", confidence=0.99)
    assert step.slots["days_missed"] == "3"


def test_an_unsure_model_means_re_ask_not_leave() -> None:
    step = answer(TRIAGE, "school_type", "the big one on the hill", intent="school_placement", confidence=0.3)
    assert not step.not_an_answer
    assert step.requested == "school_type"


def test_ask_offers_skip_back_and_stop() -> None:
    text, buttons = forms.ask("days_missed", None, first=False)
    assert text == forms.QUESTIONS["days_missed"].text
    payloads = [b["payload"] for b in buttons]
    assert payloads[-3:] == ["skip", "go back", "/stop"]
    _, first_buttons = forms.ask("exclusion_recorded", None, first=True)
    assert "go back" not in [b["payload"] for b in first_buttons]
    assert forms.ask("days_missed", "Sorry, again?", first=False)[0] == "Sorry, again?"


def test_every_question_has_a_reader_or_is_a_date() -> None:
    values = {"deadline_kind": "appealable_decision", "deadline_date": "2026-10-01"}
    for slot, question in forms.QUESTIONS.items():
        assert question.read is not None or slot in ("deadline_date", "certificate_date", "letter_answer")
        for button in question.buttons:
            # Every answer button must read back as an answer to its own question.
            step = answer(
                DEADLINE if slot.startswith(("deadline", "certificate")) else TRIAGE,
                slot,
                button["payload"],
                values=values,
            )
            assert step.slots.get(slot) not in (None, ""), (slot, button)


def test_a_longer_message_about_another_situation_is_a_new_question_even_with_a_number_in_it() -> None:
    text = "they want to put him on a part time timetable of two hours a day"
    step = forms.answer(TRIAGE, "days_missed", text, "reduced_timetable", 0.93, {}, [], None, TODAY, other_topic=True)
    assert step.not_an_answer
    # The same intent for a short answer, or for the situation being discussed, is still an answer.
    short = forms.answer(TRIAGE, "days_missed", "two days", "suspension", 0.93, {}, [], None, TODAY, other_topic=True)
    assert short.slots["days_missed"] == "2"
    same = forms.answer(
        TRIAGE, "days_missed", "he was sent home two days this term", "informal_exclusion", 0.93, {}, [], None, TODAY
    )
    assert same.slots["days_missed"] == "2"


def test_deadline_start_uses_a_date_the_parent_gave_earlier() -> None:
    step = forms.start(DEADLINE, "ehc-delay", "/check_deadlines", TODAY, {"date": "12/01/2026"})
    assert step.slots["deadline_date"] == "2026-01-12"


def test_a_date_to_the_date_question_is_never_a_change_of_topic() -> None:
    # Seen live: the model read "3rd March" as check_deadlines (0.76); re-opening the form looped.
    values = {"deadline_kind": "ehc_request"}
    for intent in ("check_deadlines", "ehc_draft_plan"):
        step = answer(DEADLINE, "deadline_date", "3rd March", values=values, intent=intent, confidence=0.8)
        assert not step.not_an_answer
        assert step.slots[forms.CANDIDATE_SLOT] == "2026-03-03"


def test_asking_for_the_same_tool_again_is_a_re_ask_not_a_rejection() -> None:
    step = answer(TRIAGE, "school_type", "check my case", intent="start_triage", confidence=0.9)
    assert not step.not_an_answer
    assert step.requested == "school_type"


def test_the_certificate_is_asked_only_for_an_appealable_decision() -> None:
    assert forms.deadline_order({"deadline_kind": "ehc_request"}) == ("deadline_kind", "deadline_date")
    values = {"deadline_kind": "appealable_decision"}
    step = answer(DEADLINE, "deadline_date", "01/10/2026", values=values)
    assert step.requested == "certificate_date"
    values = {**values, "deadline_date": "2026-10-01"}
    assert answer(DEADLINE, "certificate_date", "no certificate", values=values).slots["certificate_date"] == "none"
    assert answer(DEADLINE, "certificate_date", "not yet", values=values).requested is None
    dated = answer(DEADLINE, "certificate_date", "20/11/2026", values=values)
    assert dated.slots["certificate_date"] == "2026-11-20"
    assert forms.APPROXIMATE_SLOT not in dated.slots  # the decision date's "around" flag is untouched


def test_a_certificate_before_the_decision_or_only_roughly_dated_is_asked_again() -> None:
    values = {"deadline_kind": "appealable_decision", "deadline_date": "2026-10-01"}
    early = answer(DEADLINE, "certificate_date", "01/09/2026", values=values)
    assert "before the decision" in early.slots[forms.NOTICE_SLOT]
    rough = answer(DEADLINE, "certificate_date", "about a month ago", values=values)
    assert "exact date" in rough.slots[forms.NOTICE_SLOT]


# --- numbers (issue 14, point 8) -------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["3 or 4", "3-4 days", "between three and four", "4 or 3 days"])
def test_a_range_of_days_takes_the_upper_end_and_says_so(text: str) -> None:
    # Before: "3 or 4" was not read, and with a confident model the form was left altogether.
    step = answer(
        TRIAGE, "days_missed", text, values={"exclusion_recorded": "yes"}, intent="suspension", confidence=0.95
    )
    assert not step.not_an_answer and step.slots["days_missed"] == "4"
    assert any("4 days, the higher number" in message for message in step.messages)
    assert step.requested == "school_type"


@pytest.mark.parametrize("text", ["-5", "- 5 days", "minus 5", "\u22125"])
def test_a_negative_number_of_days_is_asked_again(text: str) -> None:
    # Before: "-5" was read as 5.
    step = answer(TRIAGE, "days_missed", text, intent="suspension", confidence=0.95)
    assert not step.not_an_answer and "days_missed" not in step.slots
    assert step.requested == "days_missed" and step.slots[forms.NOTICE_SLOT] == forms.NEGATIVE_DAYS


def test_numbers_that_still_cannot_be_read_are_asked_again_not_a_change_of_topic() -> None:
    step = answer(TRIAGE, "days_missed", "3 or 4, maybe 6", intent="suspension", confidence=0.95)
    assert not step.not_an_answer and step.requested == "days_missed"
    assert "number of school days" in step.slots[forms.NOTICE_SLOT]
    assert answer(TRIAGE, "days_missed", "three and a half").slots["days_missed"] == "3.5"  # not a range


def test_an_implausible_date_is_asked_about_never_kept() -> None:
    # Before: "10000 years ago" gave a confident appeal date.
    values = {"deadline_kind": "appealable_decision"}
    for text in ("10000 years ago", "01/01/0001"):
        step = answer(DEADLINE, "deadline_date", text, values=values, intent="check_deadlines", confidence=0.9)
        assert "deadline_date" not in step.slots and step.requested == "deadline_date"
        assert "more than 25 years ago" in step.slots[forms.NOTICE_SLOT]


# --- questions already answered in the parent's own words (bot/understanding/facts.py) ------------------------------------


def test_the_exclusion_questions_start_from_what_the_parent_said() -> None:
    from bot.understanding.facts import from_slots
    from tests.actions_helpers import said

    told = said(["sent home most afternoons for about 3 weeks, nothing in writing, he has an EHCP"], TODAY)
    step = forms.start(TRIAGE, "informal-exclusion", "/start_triage", TODAY, {}, from_slots(told))
    assert step.slots["exclusion_recorded"] == "no" and step.slots["support_level"] == "ehc_plan"
    assert step.slots["days_missed"] is None  # part days over weeks: asked, in school days
    assert step.requested == "days_missed"
    assert step.messages[0].startswith("I'll ask up to 2 short questions")  # days and school type
    assert step.messages[1].startswith("From what you told me: not recorded in writing;")


def test_the_days_question_offers_what_it_understood_in_school_days() -> None:
    from bot.understanding.facts import read_span

    text, buttons = forms.ask("days_missed", None, first=True, told=read_span("most afternoons for about 3 weeks"))
    assert text.startswith("You told me: most afternoons for about 3 weeks. The rules count school days")
    assert buttons[0] == {"title": "7.5 (every afternoon for about 3 weeks)", "payload": "7.5"}
    assert (
        forms.ask("days_missed", None, first=True, told=read_span("4 days"))[0] == forms.QUESTIONS["days_missed"].text
    )


@pytest.mark.parametrize(
    ("text", "days", "note"),
    [
        ("most afternoons for about 3 weeks", None, "You told me: most afternoons for about 3 weeks."),
        ("for 2 weeks", None, "You told me: 2 weeks."),
        ("4 afternoons", "2", "I'll count that as 2 school days"),
        ("5", "5", None),
    ],
)
def test_days_are_school_days_never_a_length_in_other_units(text: str, days: str | None, note: str | None) -> None:
    step = answer(
        TRIAGE, "days_missed", text, values={"exclusion_recorded": "no"}, intent="suspension", confidence=0.95
    )
    assert step.slots.get("days_missed") == days and not step.not_an_answer
    said = " ".join([*step.messages, str(step.slots.get(forms.NOTICE_SLOT) or "")])
    assert note is None or note in said


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("academy", "academy"),
        ("maintained", "maintained"),
        ("special school", "special"),
        ("a council school", "maintained"),
    ],
)
def test_school_type_answers_use_the_one_vocabulary(text: str, kind: str) -> None:
    assert answer(TRIAGE, "school_type", text).slots["school_type"] == kind


def test_written_or_not_is_read_as_in_any_message() -> None:
    assert forms.read_yes_no("they never wrote anything down") == "no"
    assert forms.read_yes_no("there was no letter") == "no"
    assert forms.read_yes_no("I got a letter from the head") == "yes"


def test_the_deadline_questions_use_a_request_date_given_earlier() -> None:
    from bot.understanding.facts import from_slots
    from tests.actions_helpers import said

    told = said(["we asked for an EHC needs assessment on 3 March"], TODAY)
    step = forms.start(DEADLINE, "ehc-delay", "/check_deadlines", TODAY, {}, from_slots(told))
    assert step.slots["deadline_date"] == "2026-03-03" and step.requested is None
    rough = said(["we asked for an EHC needs assessment in March"], TODAY)
    step = forms.start(DEADLINE, "ehc-delay", "/check_deadlines", TODAY, {}, from_slots(rough))
    assert step.slots["deadline_date"] == "2026-03-31" and step.slots[forms.APPROXIMATE_SLOT] is True


@pytest.mark.parametrize(
    ("fact", "text", "slots"),
    [
        ("request_date", "3 March 2026", {"request_date": "2026-03-03", "letter_answer": "2026-03-03"}),
        ("duration", "since September", {"since_date": "2026-09-01", "letter_answer": "2026-09-01"}),
        ("duration", "about 6 weeks", {"duration": "about 6 weeks", "letter_answer": "about 6 weeks"}),
        ("year_group", "she's in year 4", {"year_group": "Year 4", "letter_answer": "Year 4"}),
    ],
)
def test_a_letter_answer_fills_its_fact(fact: str, text: str, slots: dict[str, str]) -> None:
    step = answer(forms.LETTER_FORM, "letter_answer", text, values={"letter_fact": fact})
    assert {k: step.slots[k] for k in slots} == slots and step.requested is None


def test_a_letter_needs_an_exact_date() -> None:
    step = answer(forms.LETTER_FORM, "letter_answer", "in March", values={"letter_fact": "request_date"})
    assert "letter_answer" not in step.slots and step.slots[forms.NOTICE_SLOT].startswith(
        "A letter needs the exact date"
    )
