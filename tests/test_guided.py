"""The guided tools' pure functions: ladder walk, letters, the deadline calculator, triage replies,
"go back", and the buttons that offer them."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.content.ladders import load_ladders
from bot.content.letters import load_letters
from bot.content.triage import Answers, parse_triage, triage_route
from bot.dialogue import forms, guided_replies
from bot.settings import PROJECT_ROOT

KNOWLEDGE = PROJECT_ROOT / "knowledge"
TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def ladder():
    ladders, _ = load_ladders(KNOWLEDGE / "ladders")
    return next(lad for lad in ladders if lad.id == "unlawful-exclusion")


def test_walking_a_ladder_to_its_end_then_starting_again(ladder) -> None:
    index = None
    for number in range(1, len(ladder.steps) + 1):
        replies, index = guided_replies.ladder_walk(ladder, index)
        assert index == number - 1
        assert replies[0].text.startswith(f"**Step {number} of {len(ladder.steps)}:")
        assert replies[-1].buttons[0]["payload"] == "/section_escalation"
    replies, index = guided_replies.ladder_walk(ladder, index)
    assert index is None
    assert replies[0].text == "That's the last step I know of for this situation."
    assert replies[-1].buttons == [guided_replies.ADVISER_BUTTON]
    again, index = guided_replies.ladder_walk(ladder, None)
    assert index == 0 and again[0].text.startswith("**Step 1 of")


def test_a_step_beyond_a_shortened_ladder_restarts(ladder) -> None:
    replies, index = guided_replies.ladder_walk(ladder, 99)
    assert index == 0 and replies[0].text.startswith("**Step 1 of")


def test_no_ladder_offers_an_adviser() -> None:
    replies, index = guided_replies.ladder_walk(None, None)
    assert index is None and replies[0].buttons == [guided_replies.ADVISER_BUTTON]


def test_letter_buttons_and_the_letter_with_blanks_and_downloads() -> None:
    templates, _ = load_letters(KNOWLEDGE / "letters")
    chosen = [t for t in templates if "informal-exclusion" in t.articles]
    choice = guided_replies.letter_choice(chosen)
    payloads = [b["payload"] for b in choice[0].buttons]
    assert '/get_letter{"letter_id":"ask-school-confirm-exclusion-or-return"}' in payloads
    template = next(t for t in templates if t.id == "request-ehc-assessment")
    rendered, labels = guided_replies.render_chosen_letter(
        template, {"year_group": "year 4", "school_type": "skipped"}, TODAY
    )
    replies = guided_replies.letter_replies(rendered, labels, with_downloads=True)
    text = "\n".join(r.text for r in replies)
    assert "23 November 2026" in text and "Year 4" in text
    assert "skipped" not in text
    assert "**Fill in these blanks before you send it:**" in text and "[your child's name]" in text
    assert "[Download as Word](/webhooks/webchat/download/letter/request-ehc-assessment.docx)" in text
    assert all(len(r.text) <= 700 for r in replies)
    shell = guided_replies.letter_replies(rendered, labels, with_downloads=False)
    assert "Download" not in "\n".join(r.text for r in shell)


def test_no_letters_offers_an_adviser() -> None:
    assert guided_replies.letter_choice([])[0].buttons == [guided_replies.ADVISER_BUTTON]


def test_letter_facts_use_the_deadline_date_for_the_right_letter() -> None:
    facts = guided_replies.letter_facts(
        {"deadline_kind": "ehc_request", "deadline_date": "2026-09-01", "duration": "skipped"}
    )
    assert facts["request_date"] == "2026-09-01" and facts["duration"] is None
    assert "decision_date" not in facts
    appeal = guided_replies.letter_facts({"deadline_kind": "appealable_decision", "deadline_date": "2026-09-01"})
    assert appeal["decision_date"] == "2026-09-01"


def test_known_facts_bring_back_the_last_deadline_answers() -> None:
    events = [
        {"event": "slot", "name": "deadline_kind", "value": "ehc_request"},
        {"event": "slot", "name": "deadline_date", "value": "2026-09-01"},
        {"event": "slot", "name": "deadline_kind", "value": None},
        {"event": "slot", "name": "deadline_date", "value": None},
    ]
    facts = guided_replies.known_facts({"deadline_kind": None, "deadline_date": None, "year_group": "year 2"}, events)
    assert facts["deadline_kind"] == "ehc_request" and facts["deadline_date"] == "2026-09-01"
    assert facts["year_group"] == "year 2"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("we asked for an assessment", "ehc_request"),
        ("the draft plan came", "draft_plan"),
        ("they refused, I want to appeal", "appealable_decision"),
        ("governors upheld the permanent exclusion", "permanent_exclusion"),
        ("work out my deadlines", None),
        ("banana", None),
    ],
)
def test_reading_what_happened(text: str, kind: str | None) -> None:
    assert forms.read_deadline_kind(text) == kind


def test_date_answers_are_never_guessed() -> None:
    assert forms.check_date_answer("12/01/2026", TODAY) == forms.DateAnswer(value="2026-01-12")
    impossible = forms.check_date_answer("31/02/2026", TODAY)
    assert impossible.value is None and "February 2026 only has 28 days" in impossible.message
    banana = forms.check_date_answer("banana", TODAY)
    assert banana.value is None and "couldn't spot a date" in banana.message
    future = forms.check_date_answer("12/01/2027", TODAY)
    assert future.value is None and future.candidate == "2026-01-12" and "hasn't happened yet" in future.message
    no_year = forms.check_date_answer("3rd March", TODAY)
    assert no_year.value is None and no_year.candidate == "2026-03-03" and "Say yes" in no_year.message
    rough = forms.check_date_answer("about 5 months ago", TODAY)
    assert rough.value == "2026-06-23" and rough.approximate and "around" in rough.message


def test_deadline_replies_flag_overdue_dates_and_cite_the_law() -> None:
    replies = guided_replies.deadline_replies("ehc_request", "2026-06-01", False, TODAY, with_calendar=True)
    text = "\n".join(r.text for r in replies)
    assert replies[0].text == "**We asked for an EHC needs assessment**: counting from Monday 1 June 2026."
    assert "Monday 13 July 2026** (overdue by 133 days)" in text  # 6 weeks
    # 20 weeks: only a condition until the council decides to assess, so never "overdue".
    assert "Monday 19 October 2026** (only if the council decides to carry out the EHC needs assessment)" in text
    assert "**What this means:**" in text and "missed a legal time limit" in text
    assert "[SEND Regulations 2014, reg 5(1)](https://www.legislation.gov.uk/uksi/2014/1530/regulation/5)" in text
    assert "[Add these dates to your calendar (.ics)](/webhooks/webchat/download/deadlines.ics)" in text
    assert "not legal advice" in replies[-1].text


def test_deadline_replies_for_an_approximate_date_say_around() -> None:
    replies = guided_replies.deadline_replies("draft_plan", "2026-11-20", True, TODAY, with_calendar=False)
    text = "\n".join(r.text for r in replies)
    assert "counting from around Friday 20 November 2026." in text
    assert "around Friday 4 December 2026** (due in 11 days)" in text
    assert ".ics" not in text


def test_school_day_limits_have_no_date_and_no_calendar_link() -> None:
    replies = guided_replies.deadline_replies("permanent_exclusion", "2026-11-16", False, TODAY, with_calendar=True)
    text = "\n".join(r.text for r in replies)
    assert "independent review panel (IRP)" in text and "school's term dates" in text
    assert "second working day after posting" in text and "hand it in or email it" in text
    assert ".ics" not in text


def _said(*args, **kwargs) -> str:
    return "\n".join(r.text for r in guided_replies.deadline_replies(*args, **kwargs))


def test_a_deadline_that_depends_on_a_later_decision_is_never_flagged_overdue() -> None:
    # Reported: request 3 March 2026, council not yet decided whether to assess, and the 16-week
    # "no plan" date (Tuesday 23 June 2026) shown as "overdue by 164 days" on 4 December 2026.
    today = dt.date(2026, 12, 4)
    text = _said("ehc_request", "2026-03-03", False, today, with_calendar=True)
    assert "Tuesday 14 April 2026** (overdue by 234 days)" in text  # the 6 weeks apply now
    assert "overdue by 164 days" not in text and "overdue by 136 days" not in text
    condition = "(only if the council decides to carry out the EHC needs assessment)"
    assert f"it must tell you by: Tuesday 23 June 2026** {condition}" in text
    assert f"Council sends the final EHC plan: Tuesday 21 July 2026** {condition}" in text
    assert text.count("**What this means:**") == 1
    # Once the council has said it will assess, both apply now and are flagged.
    assessing = _said("ehc_request", "2026-03-03", False, today, with_calendar=True, council_assessing=True)
    assert "Tuesday 23 June 2026** (overdue by 164 days)" in assessing
    assert "Tuesday 21 July 2026** (overdue by 136 days)" in assessing
    assert "14 April 2026" not in assessing  # the decision to assess is behind them


def test_in_august_an_sen_appeal_is_still_in_time_until_the_moved_date() -> None:
    # Decision sent Wednesday 10 June 2026; the parent asks on 20 August. The usual last day, Monday
    # 10 August, has passed, but the Tribunal rules move it to Tuesday 1 September 2026.
    text = _said("appealable_decision", "2026-06-10", False, dt.date(2026, 8, 20), with_calendar=True)
    assert "The SEND Tribunal must receive your appeal by: Tuesday 1 September 2026** (due in 12 days)" in text
    assert "The usual last day, Monday 10 August 2026, is in August" in text
    assert "r.12(3)(a)" in text
    assert "time limit for appealing has passed" not in text


def test_a_discrimination_claim_in_august_is_not_moved() -> None:
    text = _said("discrimination", "2026-02-15", False, dt.date(2026, 8, 20), with_calendar=True)
    assert "Friday 14 August 2026** (overdue by 6 days)" in text
    assert "no extra time when its last day is in August" in text
    assert "3 months longer: Saturday 14 November 2026 (Sch 17 para 4(2))" in text
    assert "late claim (Equality Act 2010, Sch 17 para 4(3))" in text


def test_skipped_kind_or_date_explains_kindly() -> None:
    assert (
        "Without knowing what happened"
        in guided_replies.deadline_replies("skipped", "skipped", False, TODAY, True)[0].text
    )
    assert "Without a date" in guided_replies.deadline_replies("draft_plan", "skipped", False, TODAY, True)[0].text


@pytest.mark.parametrize("kind", sorted(guided_replies.DEADLINE_KINDS))
def test_every_kind_gives_deadlines(kind: str) -> None:
    assert guided_replies.deadlines_for(kind, dt.date(2026, 1, 31))
    replies = guided_replies.deadline_replies(kind, "2026-01-31", False, TODAY, with_calendar=True)
    assert len(replies) >= 3


def test_calendar_deadlines_from_slots() -> None:
    dated = guided_replies.deadlines_from_slots({"deadline_kind": "appealable_decision", "deadline_date": "2026-11-02"})
    assert [d.key for d in dated] == ["mediation_adviser", "tribunal_appeal"]
    assert (
        guided_replies.deadlines_from_slots({"deadline_kind": "permanent_exclusion", "deadline_date": "2026-11-02"})
        == []
    )
    assert guided_replies.deadlines_from_slots({"deadline_kind": "draft_plan", "deadline_date": "skipped"}) == []


def test_triage_replies_end_with_next_steps() -> None:
    guide, _ = parse_triage(KNOWLEDGE / "triage" / "exclusion.yml")
    replies = guided_replies.triage_replies(triage_route(guide, "suspension", Answers(recorded="yes", days=3)))
    assert replies[0].text.startswith("**A formal suspension (fixed-term exclusion)**\nFrom what you told me:")
    assert any(r.text.startswith("**Sources**") for r in replies)
    assert [b["payload"] for b in replies[-1].buttons] == ["/section_escalation", "/get_letter", "/talk_to_adviser"]


def test_go_back_finds_the_question_before() -> None:
    order = ("exclusion_recorded", "days_missed", "school_type", "support_level", "public_exam")

    def asked(*names):
        return [{"event": "slot", "name": "requested_slot", "value": n} for n in names]

    assert guided_replies.previous_question(asked("exclusion_recorded", "days_missed"), "days_missed", order) == (
        "exclusion_recorded"
    )
    # school_type was known already and never asked: go back to the question that was.
    skipped_one = asked("exclusion_recorded", "days_missed", "support_level")
    assert guided_replies.previous_question(skipped_one, "support_level", order) == "days_missed"
    assert guided_replies.previous_question(asked("exclusion_recorded"), "exclusion_recorded", order) is None
    history = asked("exclusion_recorded", "days_missed", "exclusion_recorded")
    assert guided_replies.previous_question(history, "exclusion_recorded", order) is None


def test_tool_buttons() -> None:
    assert guided_replies.tool_buttons("suspension", None, has_letters=False, has_ladder=True) == [
        guided_replies.TRIAGE_BUTTON
    ]
    assert guided_replies.tool_buttons("ehc-delay", None, has_letters=True, has_ladder=True) == [
        guided_replies.LETTER_BUTTON
    ]
    assert guided_replies.tool_buttons("ehc-delay", "escalation", True, True) == [guided_replies.WHAT_NEXT_BUTTON]
    assert guided_replies.tool_buttons("ehc-delay", "next_steps", True, True) == [guided_replies.LETTER_BUTTON]
    assert guided_replies.tool_buttons("ehc-delay", "law", True, True) == []
    assert guided_replies.tool_buttons("ehc-delay", None, True, True, has_deadlines=True) == [
        guided_replies.DEADLINES_BUTTON,
        guided_replies.LETTER_BUTTON,
    ]


def test_a_later_mediation_certificate_moves_the_appeal_deadline() -> None:
    # Decision sent 1 Oct 2026: 2 months -> 1 Dec 2026. Certificate 20 Nov 2026: 1 month -> 20 Dec 2026, later.
    replies = guided_replies.deadline_replies(
        "appealable_decision", "2026-10-01", False, dt.date(2026, 11, 25), True, certificate="2026-11-20"
    )
    said = "\n".join(r.text for r in replies)
    assert "Sunday 20 December 2026" in said
    assert "Mediation certificate issued Friday 20 November 2026" in said
    assert ".." not in said
    plain = "\n".join(
        r.text
        for r in guided_replies.deadline_replies(
            "appealable_decision", "2026-10-01", False, dt.date(2026, 11, 25), True, certificate="none"
        )
    )
    assert "Tuesday 1 December 2026" in plain
    slots = {"deadline_kind": "appealable_decision", "deadline_date": "2026-10-01", "certificate_date": "2026-11-20"}
    assert dt.date(2026, 12, 20) in [d.due for d in guided_replies.deadlines_from_slots(slots)]


def test_the_exclusion_route_has_numbered_links_not_legal_abbreviations_mid_sentence() -> None:
    from bot.content.render import keep_markers
    from bot.content.triage import load_triage

    guides, _ = load_triage(PROJECT_ROOT / "knowledge" / "triage")
    result = triage_route(keep_markers(guides[0]), "informal-exclusion", Answers("no", 3, "academy", "neither", None))
    texts = [reply.text for reply in guided_replies.triage_replies(result)]
    assert not any("(SI 2012/1033" in text or "[@" in text for text in texts)
    assert any(text.startswith("**Sources**") for text in texts)


def test_the_deadline_calculator_offers_amendments_and_nhs_complaints() -> None:
    # Once unreachable in bot/law/deadlines.py; now two of the calculator's choices (docs/deadlines.md).
    sent = dt.date(2026, 11, 2)
    assert [d.key for d in guided_replies.deadlines_for("amendments", sent)] == [
        "amendment_comments",
        "amended_plan_final",
    ]
    assert [d.key for d in guided_replies.deadlines_for("nhs_complaint", sent)] == ["nhs_complaint", "phso_complaint"]
    assert forms.read_deadline_kind("we got the proposed changes to his plan") == "amendments"
    assert forms.read_deadline_kind("camhs discharged her without telling us") == "nhs_complaint"
    assert forms.read_deadline_kind("we asked the nhs for an ehc needs assessment") == "ehc_request"
    replies = guided_replies.deadline_replies("nhs_complaint", "2026-11-02", False, dt.date(2026, 12, 4), True)
    text = "\n".join(r.text for r in replies)
    assert "Tuesday 2 November 2027" in text and "Health Service Commissioners Act 1993" in text
