"""The fact reader (bot/understanding/facts.py): what a parent says in their own words, with units, read the way the law
counts it. Today is fixed: Friday 4 December 2026 (autumn term)."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from bot.law.deadlines import ehc_assessment_deadlines
from bot.settings import PROJECT_ROOT
from bot.understanding import facts
from bot.understanding.facts import Facts, Span, When
from tests.actions_helpers import said

TODAY = dt.date(2026, 12, 4)


def flat(message: facts.MessageFacts) -> dict[str, object]:
    """A message's facts as plain values: dates as ISO ("~" when rough), lengths as shown back."""
    out: dict[str, object] = dict(message.values)
    for name in ("request", "since", "date"):
        when = getattr(message, name)
        if when is not None:
            out[name] = when.value.isoformat() + ("~" if when.approximate else "")
    if message.duration is not None:
        out["duration"] = message.duration.text
    if message.days:
        out["days"] = message.days
    if message.adds:
        out["adds"] = True
    return out


# Every phrasing, with everything the reader finds in it (nothing more: a fact read by mistake fails too).
PHRASINGS = [
    # When the assessment was asked for (day first; the year filled in as the most recent past one)
    ("We asked for an EHC needs assessment on 3 March and have heard nothing", {"request": "2026-03-03"}),
    ("we applied for an EHCP on the 3rd of march", {"request": "2026-03-03"}),
    ("I sent the request for an assessment on 12/01/2026", {"request": "2026-01-12"}),
    ("The council received our request on 5 November 2026", {"request": "2026-11-05"}),
    ("we asked for an ehc assessment in March", {"request": "2026-03-01~"}),
    ("we requested an EHC needs assessment about 3 weeks ago", {"request": "2026-11-13~"}),
    ("we asked for an assessment on Monday", {"request": "2026-11-30"}),
    ("we put in the EHCNA request last month", {"request": "2026-11-01~"}),
    # What the council decided: "whether they will assess" is not a decision
    (
        "we asked for an assessment on 3 March 2026 and the council agreed to assess",
        {"council_decision": "assessing", "request": "2026-03-03"},
    ),
    ("the council has agreed to carry out the assessment", {"council_decision": "assessing"}),
    ("they refused to assess him in July", {"council_decision": "refused", "date": "2026-07-01~"}),
    ("we are still waiting to hear whether they will assess", {}),
    ("the LA said they will do the assessment", {"council_decision": "assessing"}),
    # Lengths of time with their units: part days over weeks are never a count of school days
    (
        "They have been sending him home most afternoons for about 3 weeks, nothing in writing",
        {"exclusion_recorded": "no", "duration": "most afternoons for about 3 weeks"},
    ),
    ("he has been sent home every morning for 2 weeks", {"duration": "every morning for 2 weeks"}),
    ("she's on a part-time timetable for 6 weeks now", {"duration": "part days for 6 weeks"}),
    ("they put him on 2 hours a day for a month", {"duration": "part days for 1 month"}),
    # "Since September" is a start date (the most recent 1 September), not a count
    ("he's been on a reduced timetable since September", {"since": "2026-09-01~"}),
    ("she has been on a part time timetable since the 3rd of November", {"since": "2026-11-03"}),
    ("the part-time timetable started on 2 October", {"since": "2026-10-02"}),
    # Lengths in terms, weeks, months and years
    ("he has been out of school for 2 terms", {"duration": "2 terms"}),
    ("he has been off school for 26 weeks", {"duration": "26 weeks"}),
    ("it has been 26 weeks and no plan", {"duration": "26 weeks"}),
    ("it's been a fortnight since they sent him home", {"duration": "2 weeks"}),
    ("my son has been out of education for a year", {"duration": "1 year"}),
    # School days, added up for this term (the suspension rules count 5 and 15 in a term)
    ("suspended for 3 days", {"days": (3.0,)}),
    ("he was suspended for 5 school days", {"days": (5.0,)}),
    ("she was excluded for one and a half days", {"days": (1.5,)}),
    ("he got a lunchtime exclusion, half a day", {"days": (0.5,)}),
    ("he was suspended for 2 days in October and 4 days last week", {"days": (2.0, 4.0)}),
    (
        "suspended for three days in September and then another three days this week",
        {"days": (3.0, 3.0), "adds": True},
    ),
    ("he was suspended for 3 days last term and 2 days this term", {"days": (2.0,)}),
    # More on days and part days
    (
        "he was suspended in June for 4 days and again yesterday for 2 days",
        {"date": "2026-06-01~", "days": (2.0,), "adds": True},
    ),
    ("sent home 4 afternoons this term", {"days": (2.0,)}),
    ("he has missed 10 days this term", {"days": (10.0,)}),
    # Not the parent's own count: a range (asked, not guessed), the law's time limits, rates, a date
    ("suspended for 3 or 4 days", {}),
    ("the school has to decide within 15 school days", {}),
    ("the council must decide within 6 weeks and it's been 10 weeks", {"duration": "10 weeks"}),
    ("he goes in 3 days a week", {}),
    ("he has speech therapy once a week", {"health_service": "speech and language therapy"}),
    ("the 20 weeks are up", {}),
    ("we asked 10 weeks ago", {"date": "2026-09-25~"}),
    # Whether the school put it in writing
    ("nothing in writing", {"exclusion_recorded": "no"}),
    ("there was no letter", {"exclusion_recorded": "no"}),
    ("they never wrote anything down", {"exclusion_recorded": "no"}),
    ("they didn't put it in writing, they just rang me", {"exclusion_recorded": "no"}),
    ("it wasn't official, they said keep him at home", {"exclusion_recorded": "no"}),
    ("they told me verbally at the gate", {"exclusion_recorded": "no"}),
    ("I got a letter saying he is suspended for 3 days", {"exclusion_recorded": "yes", "days": (3.0,)}),
    ("the school emailed me to say she was excluded", {"exclusion_recorded": "yes"}),
    ("we got the exclusion letter today", {"exclusion_recorded": "yes", "date": "2026-12-04"}),
    # EHC plan, SEN support or neither: asking for a plan is not having one
    ("my son has an EHCP", {"support_level": "ehc_plan"}),
    ("she has an EHC plan and goes to an academy", {"school_type": "academy", "support_level": "ehc_plan"}),
    ("he is on SEN support at a maintained school", {"school_type": "maintained", "support_level": "sen_support"}),
    ("he has no EHCP and no SEN support at school", {"support_level": "neither"}),
    ("we asked for an EHCP because he has no support", {"support_level": "neither"}),
    ("we are applying for an EHC plan", {}),
    ("his ehcp says he needs 1:1", {"support_level": "ehc_plan"}),
    # School type, year group, age and need: the model's own vocabulary (data/nlu/entities.yml)
    ("he goes to a free school", {"school_type": "academy"}),
    ("she is at a special school", {"school_type": "special"}),
    ("he attends a PRU", {"school_type": "pru"}),
    ("it is a community school run by the council", {"school_type": "maintained"}),
    ("not an academy, a council school", {}),
    ("she is in year 9", {"year_group": "Year 9"}),
    ("my son in Y4 is autistic", {"need_type": "autism", "year_group": "Year 4"}),
    ("he is 7 years old and has ADHD", {"need_type": "ADHD", "child_age": "7"}),
    ("my daughter, aged 12, is dyslexic", {"need_type": "dyslexia", "child_age": "12"}),
    ("he's in reception", {"year_group": "Reception"}),
    ("suspended 2 days, then 3 days, then 1 day this term", {"days": (2.0, 3.0, 1.0)}),
    (
        "he was suspended for 2 days on the 3rd of November and 4 days on 1 December",
        {"days": (2.0, 4.0)},
    ),
    ("he's been on a part-time timetable for a couple of weeks", {"duration": "part days for 2 weeks"}),
    ("they've had him on half days for 2 and a half weeks", {"duration": "half days for 2.5 weeks"}),
    ("it started after the start of term", {}),
    ("she's been out of school since Easter", {}),
    ("for the last 3 months he's only been in for mornings", {"duration": "mornings for 3 months"}),
    ("he was sent home 3 times this week", {}),
    ("the school is open 24/7 support they said", {}),
]


def test_there_are_at_least_60_phrasings() -> None:
    assert len(PHRASINGS) >= 60
    assert len({text for text, _ in PHRASINGS}) == len(PHRASINGS)


@pytest.mark.parametrize(("text", "expected"), PHRASINGS)
def test_a_message_is_read_with_its_units(text: str, expected: dict[str, object]) -> None:
    assert flat(facts.read_message(text, TODAY)) == expected


# --- lengths of time ------------------------------------------------------------------------------------


def test_part_days_over_weeks_are_offered_in_school_days_never_taken_as_a_count() -> None:
    span = facts.read_span("most afternoons for about 3 weeks")
    assert span == Span(3, "weeks", part="most afternoons", approximate=True)
    assert span.school_days is None  # not "3 school days"
    assert span.full_day_offer() == 7.5  # every afternoon for 3 weeks: 15 afternoons, each half a school day
    assert span.every_day == "every afternoon for about 3 weeks"
    assert facts.read_span("2 weeks").full_day_offer() == 10  # 5 school days a week, if no holiday fell in it
    assert facts.read_span("part-time for 6 weeks").full_day_offer() is None  # part of each day: unknown
    assert facts.read_span("4.5 days") == Span(4.5, "school days")


@pytest.mark.parametrize(
    ("today", "start"),
    [
        (TODAY, dt.date(2026, 9, 1)),
        (dt.date(2026, 8, 15), dt.date(2025, 9, 1)),
        (dt.date(2026, 9, 1), dt.date(2026, 9, 1)),
    ],
)
def test_since_september_is_the_most_recent_1_september(today: dt.date, start: dt.date) -> None:
    since = facts.read_message("on a part-time timetable since September", today).since
    assert since is not None and since.value == start


def test_how_long_since_a_start_date_is_counted_exactly() -> None:
    assert facts.since_text(When(dt.date(2026, 9, 1)), TODAY) == "13 weeks and 3 days, since 1 September 2026"
    assert [facts.weeks_and_days(n) for n in (0, 1, 7, 8, 14, 234)] == [
        "0 days",
        "1 day",
        "1 week",
        "1 week and 1 day",
        "2 weeks",
        "33 weeks and 3 days",
    ]


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("EHCP", "ehc_plan"),
        ("ehc plan", "ehc_plan"),
        ("sen support", "sen_support"),
        ("neither", "neither"),
        ("no", "neither"),
    ],
)
def test_support_level_as_an_answer_to_the_question(text: str, level: str) -> None:
    assert facts.read_support_level(text, answer=True) == level
    assert facts.read_support_level("we asked for an EHCP", answer=True) == "ehc_plan"  # the question was asked
    assert facts.read_support_level("we asked for an EHCP") is None  # in a message about something else


# --- the whole conversation -----------------------------------------------------------------------------


def told(*texts: str, slots: dict[str, object] | None = None) -> Facts:
    """The facts after these messages, as the slots hold them (tests/actions_helpers.said)."""
    return facts.from_slots(said(list(texts), TODAY, slots))


def test_every_fact_is_an_entity_that_fills_the_slot_of_the_same_name() -> None:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    for name in (*facts.SLOTS, facts.DAYS_ADDED):
        assert name in domain["entities"], name
        mappings = domain["slots"][name]["mappings"]
        assert {"type": "from_entity", "entity": name} in mappings, name


def test_facts_come_from_every_message_not_just_the_latest() -> None:
    found = told(
        "my son is in year 9 at an academy",
        "they sent him home most afternoons for 3 weeks",
        "and there was nothing in writing",
    )
    assert found.get("school_type") == "academy" and found.get("year_group") == "Year 9"
    assert found.duration == Span(3, "weeks", part="most afternoons")
    assert found.get("exclusion_recorded") == "no"


def test_a_later_message_corrects_an_earlier_one() -> None:
    found = told("he goes to an academy", "sorry, it's a council school actually")
    assert found.get("school_type") == "maintained"


def test_message_entities_are_named_after_their_slots() -> None:
    entities = facts.message_entities(
        "We asked for an EHC needs assessment on 3 March; he's in year 4 at an academy", TODAY
    )
    assert {e["entity"]: e["value"] for e in entities} == {
        "request_date": "2026-03-03",
        "year_group": "Year 4",
        "school_type": "academy",
    }
    assert facts.message_entities("/start_triage", TODAY) == [] and facts.message_entities("", TODAY) == []


def test_form_answers_are_facts_and_skipped_answers_are_not() -> None:
    slots = {"exclusion_recorded": "yes", "support_level": "skipped", "deadline_kind": "ehc_request"}
    found = facts.from_slots({**slots, "deadline_date": "2026-03-03"})
    assert found.get("exclusion_recorded") == "yes" and found.get("support_level") is None
    assert found.request == When(dt.date(2026, 3, 3))  # the deadline form's date for a request


def test_suspensions_add_up_across_messages_when_the_parent_says_another() -> None:
    first = said(["he was suspended for 2 days in October"], TODAY)
    assert first["days_missed"] == "2"
    latest = {e["entity"]: e["value"] for e in facts.message_entities("now another 4 days", TODAY)}
    assert latest == {"days_added": "4"}
    found = facts.from_slots({**first, **latest})
    assert found.days == (2, 4) and found.days_this_term == 6
    assert found.slots()["days_missed"] == "6" and found.slots()["days_added"] is None  # added once
    assert told("he was suspended for 2 days in October", "now another 4 days", "what can I do").days_this_term == 6
    assert told("suspended for 2 days", "sorry, it was 3 days").days_this_term == 3


def test_rough_dates_have_their_own_slot_so_letters_never_state_them() -> None:
    found = told("we asked for an EHC assessment in March")
    assert found.request is not None and found.request.approximate
    assert found.slots()["request_date"] is None
    assert found.slots()["request_date_approx"] == "2026-03-01/2026-03-31"
    exact = told("we asked for an EHC assessment in March", "it was 3 March")
    assert exact.slots()["request_date"] is None or exact.request is not None
    exact = told("we asked for an EHC assessment on 3 March")
    assert exact.slots()["request_date"] == "2026-03-03" and exact.slots()["request_date_approx"] is None


# --- shown back, and what the numbers mean ---------------------------------------------------------------


def test_what_the_parent_told_us_is_shown_back() -> None:
    events = ["they've been sending my son home most afternoons for about 3 weeks, nothing in writing"]
    assert facts.shown_back(told(*events), TODAY) == (
        "From what you told me: nothing in writing; how long: most afternoons for about 3 weeks."
    )
    suspended = told("he was suspended for 2 days in October and 4 days last week")
    assert "2 + 4 = 6 school days this term" in facts.shown_back(suspended, TODAY)
    assert facts.shown_back(Facts(), TODAY) is None


def test_the_3_march_request_is_overdue_by_the_exact_number_of_weeks() -> None:
    found = told("We asked for an EHC needs assessment on 3 March and have heard nothing")
    decision = ehc_assessment_deadlines(dt.date(2026, 3, 3))[0]
    assert decision.due == dt.date(2026, 4, 14)
    late = facts.weeks_and_days((TODAY - decision.due).days)
    assert late == "33 weeks and 3 days"
    text, next_step = facts.request_status(found, TODAY)
    assert "until Tuesday 14 April 2026" in text and f"That date passed {late} ago, so the council is late." in text
    assert "21 July 2026" not in text and "20 weeks" not in text  # only a condition until the council decides
    assert "formal complaint" in next_step


def test_the_20_week_limit_applies_only_once_the_council_has_agreed_to_assess() -> None:
    said = "We asked for an EHC needs assessment on 3 March and the council agreed to assess"
    text, _ = facts.request_status(told(said), TODAY)
    assert "final EHC plan: until Tuesday 21 July 2026" in text and "14 April" not in text
    refused = told("we asked for an assessment on 3 March", "they refused to assess")
    assert facts.request_status(refused, TODAY) is None


def test_within_time_and_rough_dates() -> None:
    recent = told("we asked for an EHC needs assessment on 20 November")
    text, next_step = facts.request_status(recent, TODAY)
    assert "until Friday 1 January 2027, in 4 weeks" in text and next_step == facts.WITHIN_TIME
    rough = told("we asked for an EHC needs assessment in March")
    text, _ = facts.request_status(rough, TODAY)
    # Counted from the last day it could have been (31 March), so "late" is never overstated.
    assert "until Tuesday 12 May 2026 at the latest" in text


SUSPENSION_RULES = [{"when": {"days_over": 5}, "say": "..."}, {"when": {"school_type": "academy"}, "say": "..."}]
DELAY_RULES = [{"when": {"weeks_over": 6}, "say": "..."}]


def test_tailoring_gets_school_days_added_up_and_never_weeks_as_days() -> None:
    two = told("suspended for 2 days in October and 4 days last week")
    assert facts.tailoring_values(two, SUSPENSION_RULES)["duration"] == "6 school days"
    part_days = told("sent home most afternoons for about 3 weeks")
    assert facts.tailoring_values(part_days, SUSPENSION_RULES)["duration"] is None
    assert facts.tailoring_values(part_days, DELAY_RULES)["duration"] == "3 weeks"
    half = told("suspended for 5 and a half days")
    assert facts.tailoring_values(half, SUSPENSION_RULES)["duration"] == "6 school days"  # 5.5 > 5 stays true


def test_a_length_with_part_days_survives_its_slot() -> None:
    kept = told("sent home most afternoons for about 3 weeks", "what can I do")
    assert kept.duration == Span(3, "weeks", part="most afternoons", approximate=True)


def test_a_rule_the_school_stated_is_not_a_fact_about_the_child() -> None:
    said = "the school said he has to have a term of SEN support before we can ask for an EHC needs assessment"
    found = facts.read_message(said, TODAY)
    assert "support_level" not in found.values and found.duration is None
    own = facts.read_message("he has had a term of SEN support and nothing has changed", TODAY)
    assert own.values.get("support_level") == "sen_support" and own.duration == Span(1, "terms")
