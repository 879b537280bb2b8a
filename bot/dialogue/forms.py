"""The guided forms, as pure functions: which question comes next and what an answer means.

`exclusion_triage_form` asks a few questions about an exclusion; `deadline_form` asks what happened and
when; `letter_question_form` asks for one blank in a letter. Questions the parent has already answered in
their own words (bot/understanding/facts.py) are not asked again. A parent can skip any question, "go back", or ask
something else (the form then lets Rasa's rules answer it). The form validation actions
(actions/guided.py) only read the tracker, call `step` and turn the result into events; everything that
decides lives here and is tested directly.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.content.render_letter import LETTER_QUESTIONS
from bot.content.triage import MAX_DAYS_IN_TERM, TRIAGE_ARTICLES, answers_from_slots, read_school_days, recap
from bot.dialogue.guided_replies import (
    CONFIRM_DATE_PROMPT,
    DEADLINE_KINDS,
    SKIPPED,
    YES_BUTTON,
    previous_question,
)
from bot.law.calendar import format_date
from bot.law.parent_dates import parse_parent_date
from bot.understanding import facts
from bot.understanding.entities import read_school_type, read_year_group

TRIAGE_FORM = "exclusion_triage_form"
DEADLINE_FORM = "deadline_form"
LETTER_FORM = "letter_question_form"
# Slots every form uses to talk to its question actions: a re-ask or clarifying message to say instead
# of the plain question, how many times in a row the answer wasn't understood, and a date to confirm.
NOTICE_SLOT = "form_notice"
REASK_SLOT = "reask_count"
CANDIDATE_SLOT = "date_candidate"
APPROXIMATE_SLOT = "deadline_approximate"
# After this many answers in a row that aren't understood, the question is skipped rather than asked
# a fourth time: a parent stuck in a loop is worse off than one with a less tailored answer.
MAX_REASKS = 2

# Intents that mean "this isn't an answer": when the model is this sure of one of them and the text
# doesn't read as an answer, the form steps aside and Rasa's rules handle the message.
NOT_ANSWER_CONFIDENCE = 0.6
# A longer message the model confidently reads as a different situation is a new question even when a
# number or a yes/no could be read out of it ("they want him on two hours a day" is not "2 days").
NEW_TOPIC_CONFIDENCE = 0.8
NEW_TOPIC_MIN_WORDS = 6
# The tools' own intents are answer-like too: "3rd March" may look like "check my deadlines" to the
# model, and treating it as a new request would re-open the very form that is asking.
ANSWER_LIKE_INTENTS = frozenset({"affirm", "deny", "nlu_fallback", "out_of_scope", "check_deadlines", "start_triage"})

STOP_BUTTON = {"title": "Stop these questions", "payload": "/stop"}
SKIP_BUTTON = {"title": "Skip", "payload": "skip"}
BACK_BUTTON = {"title": "Go back", "payload": "go back"}

_SKIP = re.compile(
    r"^\s*(skip( (it|this|that|this one|that one|question))?|pass|next( question)?|"
    r"(i )?(do ?n[o']?t|dont|dunno|don't) know|not sure|no idea|unsure|rather not say|prefer not to say|idk)"
    r"[\s.!]*$",
    re.IGNORECASE,
)
_BACK = re.compile(
    r"^\s*((go|going) back|back|previous( question)?|undo|i made a mistake|wrong answer|"
    r"(can i |let me |i want to |i need to )?change (my|the|that) (last )?answer|that'?s wrong|oops)[\s.!]*$",
    re.IGNORECASE,
)


def read_control(text: str | None) -> str | None:
    """ "skip" or "back" when the whole message is one of those requests; otherwise None."""
    if not text:
        return None
    if _SKIP.match(text):
        return "skip"
    if _BACK.match(text):
        return "back"
    return None


_NO = re.compile(
    r"\b(no|nope|nah|not in writing|nothing in writing|never|verbal(ly)?|just told|only told|"
    r"told me on the phone|phone call|rang me|said it at the gate|not formally|unofficial(ly)?)\b",
    re.IGNORECASE,
)
_YES = re.compile(
    r"\b(yes|yeah|yep|yup|correct|they did|it was|in writing|a letter|by letter|email(ed)?|written|"
    r"formal(ly)?|official(ly)?)\b",
    re.IGNORECASE,
)


def read_yes_no(text: str | None) -> str | None:
    """ "yes" or "no" for a yes/no question; None when the text says neither or both."""
    if not text:
        return None
    written = facts.read_written(text)  # "nothing in writing", "they sent a letter": as in any message
    if written:
        return written
    said_no, said_yes = bool(_NO.search(text)), bool(_YES.search(text))
    if said_no and not said_yes:
        return "no"
    if said_yes and not said_no:
        return "yes"
    # "No, not in writing" matches both word lists only through "writing": the negative wins.
    if said_no and re.search(r"\bnot in writing|nothing in writing\b", text, re.IGNORECASE):
        return "no"
    return None


@dataclass(frozen=True)
class Reading:
    """An answer read with something to say: kept with a note, or (no value) asked again with this text."""

    value: str | None
    note: str


# Two numbers given as a range: "3 or 4", "3-4 days", "between three and four".
_DAYS_RANGE = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?|[a-z]+)\s*(?:days?\s*)?(?:or|to|-|–|and)\s*(\d+(?:\.\d+)?|[a-z]+)(?![\w.])"
)
_NEGATIVE = re.compile(r"(?<![\w.])(?:[-−]|minus\s|negative\s)\s*\d")
NEGATIVE_DAYS = (
    "Sorry, a number of days can't be below 0. How many school days has your child missed this way this term?"
)


def _number(days: float) -> str:
    return str(int(days)) if days == int(days) else str(days)


def _days(text: str) -> str | Reading | None:
    """A number of school days; a range's upper end, said so; a negative number asked again (issue 14, point 8:
    "-5" was read as 5, and "3 or 4" was not read at all)."""
    lowered = text.lower()
    for match in _DAYS_RANGE.finditer(lowered):
        low, high = read_school_days(match.group(1)), read_school_days(match.group(2))
        rest = f"{lowered[: match.start()]} {lowered[match.end() :]}"
        if low is not None and high is not None and low != high and read_school_days(rest) is None:
            upper = _number(max(low, high))
            return Reading(
                upper,
                f"I'll count {upper} days, the higher number, so no rule that starts at more days is missed. "
                'Say "go back" to change it.',
            )
    if _NEGATIVE.search(lowered):
        return Reading(None, NEGATIVE_DAYS)
    days = read_school_days(text)
    return None if days is None else _number(days)


def days_question(span: facts.Span) -> str:
    return (
        f"You told me: {span.text}. The rules count school days, so: about how many school days has your "
        "child missed this way this term? A half day counts as 0.5."
    )


def _days_missed(text: str) -> str | Reading | None:
    """School days, never a length in other units: "most afternoons for about 3 weeks" is part days over
    3 weeks, not 3 school days (the suspension rules start at 5 and 15 school days)."""
    span = facts.read_span(text)
    if span is not None and span.school_days is None:
        return Reading(None, days_question(span))
    if span is not None and re.search(r"afternoon|morning|half|lunchtime|session", text, re.IGNORECASE):
        days = _number(span.school_days or 0)
        return Reading(days, f"I'll count that as {days} school days: a morning or an afternoon is half a day.")
    return _days(text)


def _support_level(text: str) -> str | None:
    return facts.read_support_level(text, answer=True)


# Reading answers to the deadline questions: what happened, and when.


# Words a parent may type instead of pressing a button, checked in this order.
_KIND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("permanent_exclusion", ("permanent", "expel", "governors")),
    ("draft_plan", ("draft",)),
    ("amendments", ("proposed changes", "proposed amendments", "amendment notice", "notice to amend")),
    ("annual_review", ("annual review", "review meeting")),
    ("discrimination", ("discriminat",)),
    ("ombudsman", ("ombudsman",)),
    ("appealable_decision", ("appeal", "decision", "refus", "turned down")),
    ("ehc_request", ("asked for", "applied", "request", "assessment")),
    ("nhs_complaint", ("nhs", "camhs", "hospital", "health visitor")),
)


def read_deadline_kind(text: str | None) -> str | None:
    """A typed answer to "what happened?", or None."""
    lowered = (text or "").lower()
    for kind, words in _KIND_WORDS:
        if any(word in lowered for word in words):
            return kind
    return None


@dataclass(frozen=True)
class DateAnswer:
    """A checked answer to "what was the date?": an ISO date to keep, or what to ask instead."""

    value: str | None = None
    approximate: bool = False
    message: str | None = None  # said when the date is kept with a note, or when asking again
    candidate: str | None = None  # one date the parent can confirm with "yes"


def check_date_answer(text: str | None, today: dt.date) -> DateAnswer:
    """Keep a clear date; say "around" for a rough one; otherwise ask the parser's question. Never guess."""
    parsed = parse_parent_date(text or "", today)
    if parsed.kind == "exact" and parsed.value is not None and parsed.question is None:
        return DateAnswer(value=parsed.value.isoformat())
    if parsed.kind == "approximate" and parsed.value is not None:
        note = (
            f"I'll count from around {format_date(parsed.value)}. The dates below are approximate: "
            "check the date on the letter or email if you can."
        )
        return DateAnswer(value=parsed.value.isoformat(), approximate=True, message=note)
    candidate = None
    if parsed.kind == "exact" and parsed.value is not None:
        candidate = parsed.value.isoformat()  # a filled-in month or year: confirm it
    elif parsed.kind == "future" and len(parsed.candidates) == 1:
        candidate = parsed.candidates[0].isoformat()
    question = parsed.question or "Sorry, I couldn't read that as a date. What was the date, for example 12/01/2026?"
    if candidate:
        question += CONFIRM_DATE_PROMPT
    return DateAnswer(message=question, candidate=candidate)


def _deadline_kind(text: str) -> str | None:
    cleaned = text.strip().lower()
    return cleaned if cleaned in DEADLINE_KINDS else read_deadline_kind(text)


@dataclass(frozen=True)
class Question:
    slot: str
    text: str
    hint: str  # said before the question again when an answer isn't understood
    buttons: tuple[dict[str, str], ...] = ()
    read: Callable[[str], str | Reading | None] | None = None  # None: the form reads it itself (dates)


QUESTIONS: dict[str, Question] = {
    q.slot: q
    for q in (
        Question(
            "exclusion_recorded",
            "Did the school put it in writing (a letter or email saying it was an exclusion or suspension)?",
            "Sorry, I didn't catch that. Please answer yes or no.",
            ({"title": "Yes, in writing", "payload": "yes"}, {"title": "No, nothing in writing", "payload": "no"}),
            read_yes_no,
        ),
        Question(
            "days_missed",
            "About how many school days has your child missed this way this term? A half day counts as 0.5.",
            "Sorry, I need a number of school days, like 3 or 4.5.",
            (
                {"title": "1 or 2", "payload": "2"},
                {"title": "3 to 5", "payload": "5"},
                {"title": "6 to 15", "payload": "15"},
                {"title": "More than 15", "payload": "16"},
            ),
            _days_missed,
        ),
        Question(
            "school_type",
            "What kind of school is it?",
            "Sorry, I didn't recognise that kind of school. Is it an academy or free school, a maintained "
            "(council) school, or something else?",
            (
                {"title": "Academy or free school", "payload": "academy"},
                {"title": "Maintained (council) school", "payload": "maintained"},
                {"title": "Special school, independent school or PRU", "payload": "special school"},
            ),
            read_school_type,
        ),
        Question(
            "support_level",
            "Does your child have an EHC plan, SEN support at school, or neither?",
            "Sorry, I didn't catch that. Is it an EHC plan, SEN support, or neither?",
            (
                {"title": "EHC plan", "payload": "ehc plan"},
                {"title": "SEN support", "payload": "sen support"},
                {"title": "Neither", "payload": "neither"},
            ),
            _support_level,
        ),
        Question(
            "public_exam",
            "Does the exclusion mean your child will miss a public exam, such as a GCSE?",
            "Sorry, I didn't catch that. Please answer yes or no.",
            ({"title": "Yes", "payload": "yes"}, {"title": "No", "payload": "no"}),
            read_yes_no,
        ),
        Question(
            "deadline_kind",
            "What happened that you want the dates for?",
            "Sorry, I didn't catch which one. Please choose one of these.",
            tuple({"title": label, "payload": kind} for kind, label in DEADLINE_KINDS.items()),
            _deadline_kind,
        ),
        Question(
            "certificate_date",
            "Have you had a mediation certificate for this decision? If so, what date was it issued? It can "
            "give you more time to appeal.",
            "Sorry, I couldn't read that as a date. When was the certificate issued, for example 12/01/2026? "
            'Or press "No certificate".',
            ({"title": "No certificate (yet)", "payload": "no certificate"},),
        ),
        Question(
            "deadline_date",
            'What was the date? For example 3 March 2026, 12/01/2026 or "last Monday". The date on the '
            "letter or email is best.",
            "Sorry, I couldn't read that as a date. What was the date, for example 12/01/2026?",
            (),
        ),
        # Its question depends on the blank (bot.content.render_letter.LETTER_QUESTIONS); the form reads the answer itself.
        Question("letter_answer", "What should I fill in?", "Sorry, I couldn't read that.", ()),
    )
}
LETTER_DATES = ("request_date", "date")
EXACT_DATE = {
    "certificate_date": "For the appeal deadline I need the exact date on the certificate.",
    "letter_answer": "A letter needs the exact date. What was it? The date on your email or letter is best.",
}

FORM_SLOTS: dict[str, tuple[str, ...]] = {
    TRIAGE_FORM: ("exclusion_recorded", "days_missed", "school_type", "support_level", "public_exam"),
    DEADLINE_FORM: ("deadline_kind", "deadline_date", "certificate_date"),
    LETTER_FORM: ("letter_answer",),
}
# Slots a form clears when it starts again (school_type is a fact about the child's school: kept).
FRESH_SLOTS: dict[str, tuple[str, ...]] = {
    TRIAGE_FORM: ("exclusion_recorded", "days_missed", "support_level", "public_exam"),
    DEADLINE_FORM: ("deadline_kind", "deadline_date", "certificate_date", APPROXIMATE_SLOT),
    LETTER_FORM: ("letter_answer",),
}
INTROS = {
    TRIAGE_FORM: "I'll ask {count} so I can tell you which rules fit your case. You can skip any of them, "
    'say "go back" to change an answer, or stop at any time. No names needed.',
    DEADLINE_FORM: "I'll work out the dates you are owed. I just need to ask {count}.",
}
_COUNTS = {1: "one short question", 2: "two short questions", 3: "three short questions"}


def intro(form: str, remaining: int) -> str:
    count = _COUNTS.get(remaining, f"{remaining} short questions")
    # Some exclusion questions drop out depending on earlier answers, so the count is a maximum.
    if form == TRIAGE_FORM and remaining > 1:
        count = f"up to {remaining} short questions"
    return INTROS[form].format(count=count)


# Which deadline each article's situation usually needs, so the form doesn't ask what it can tell.
ARTICLE_DEADLINE_KIND: dict[str, str] = {
    "request-ehc-assessment": "ehc_request",
    "ehc-delay": "ehc_request",
    "ehc-draft-plan": "draft_plan",
    "ehc-assessment-refused": "appealable_decision",
    "ehc-plan-refused": "appealable_decision",
    "tribunal-appeal": "appealable_decision",
    "annual-review": "annual_review",
    "disability-discrimination": "discrimination",
    "permanent-exclusion": "permanent_exclusion",
}


def triage_order(article_id: str | None, values: Mapping[str, object]) -> tuple[str, ...]:
    """The exclusion questions that matter for this article and these answers, in order.

    Permanent exclusions are always formal and their route doesn't depend on days or exams; a public
    exam only matters for a formal suspension, so it isn't asked once the parent says "not in writing".
    """
    if TRIAGE_ARTICLES.get(article_id or "") == "permanent":
        return ("school_type", "support_level")
    order = ["exclusion_recorded", "days_missed", "school_type", "support_level"]
    if values.get("exclusion_recorded") != "no":
        order.append("public_exam")
    return tuple(order)


def deadline_order(values: Mapping[str, object]) -> tuple[str, ...]:
    """A mediation certificate only changes the appeal deadline, so it is asked only for a decision."""
    if values.get("deadline_kind") == "appealable_decision":
        return FORM_SLOTS[DEADLINE_FORM]
    return ("deadline_kind", "deadline_date")


def question_order(form: str, article_id: str | None, values: Mapping[str, object]) -> tuple[str, ...]:
    if form == LETTER_FORM:
        return FORM_SLOTS[LETTER_FORM]
    return triage_order(article_id, values) if form == TRIAGE_FORM else deadline_order(values)


def next_question(order: Sequence[str], values: Mapping[str, object]) -> str | None:
    return next((slot for slot in order if values.get(slot) in (None, "")), None)


@dataclass
class Step:
    """What one message does to a form: slots to set, the next question (None: done), what to say."""

    slots: dict[str, object] = field(default_factory=dict)
    requested: str | None = None
    notice: str | None = None
    messages: list[str] = field(default_factory=list)
    # True: the message isn't an answer; the form steps aside (no slot set) and Rasa's rules reply.
    not_an_answer: bool = False

    def finish(self, form: str, article_id: str | None, values: Mapping[str, object]) -> Step:
        merged = {**values, **self.slots}
        self.requested = next_question(question_order(form, article_id, merged), merged)
        return self


_MENTIONS_DATE = re.compile(
    r"\d|yesterday|\blast\b|\bago\b|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.IGNORECASE
)
_ANSWER_LOOKS = {
    "deadline_date": _MENTIONS_DATE,
    "certificate_date": _MENTIONS_DATE,
    "days_missed": re.compile(r"\d"),
    "letter_answer": _MENTIONS_DATE,
}


def _told_triage(step: Step, found: facts.Facts) -> None:
    """Fill the exclusion questions the parent has already answered in their own words, and say so."""
    known = found.slots()
    told = {slot: known[slot] for slot in FORM_SLOTS[TRIAGE_FORM] if known.get(slot)}
    if told:
        step.slots.update(told)
        step.messages.append(f'{recap(answers_from_slots(told))} Say "go back" to change an answer.')


def _told_date(step: Step, when: facts.When) -> None:
    """Count from the request date the parent gave, rather than ask for it again."""
    step.slots["deadline_date"] = when.count_from.isoformat()
    step.slots[APPROXIMATE_SLOT] = when.approximate
    note = f"You told me you asked {when.text()}, so I'll count from {format_date(when.count_from)}."
    if when.approximate:
        note += " The dates below are approximate: check the date on your email or letter if you can."
    step.messages.append(note)


def start(
    form: str,
    article_id: str | None,
    text: str,
    today: dt.date,
    values: Mapping[str, object],
    found: facts.Facts | None = None,
) -> Step:
    """The form has just been opened: clear old answers, fill what the article, the message and the rest of
    the conversation (`found`) already say."""
    step = Step()
    step.slots = {slot: None for slot in FRESH_SLOTS[form]}
    step.slots.update({NOTICE_SLOT: None, REASK_SLOT: 0.0, CANDIDATE_SLOT: None})
    if form == TRIAGE_FORM and found is not None:
        _told_triage(step, found)
    if form == LETTER_FORM:
        step.slots[NOTICE_SLOT] = LETTER_QUESTIONS.get(str(values.get("letter_fact")), QUESTIONS["letter_answer"].text)
    if form == DEADLINE_FORM:
        kind = read_deadline_kind(text) or ARTICLE_DEADLINE_KIND.get(article_id or "")
        if kind:
            step.slots["deadline_kind"] = kind
            label = DEADLINE_KINDS[kind]
            step.messages.append(f'I\'ll count from when {label[0].lower()}{label[1:]}. Say "go back" to change it.')
            if kind == "ehc_request" and found is not None and found.request is not None:
                _told_date(step, found.request)
            # A date in the same message ("we applied on 3 March") is used when it is clear; one that
            # needs confirming is left for the date question, which asks properly.
            # The message that opened the form first, then a date the parent gave earlier (the `date` slot).
            earlier = values.get("date")
            sources = [t for t in (text, earlier if isinstance(earlier, str) else "") if _MENTIONS_DATE.search(t)]
            date = check_date_answer(sources[0], today) if sources else None
            if date is not None and date.value and step.slots.get("deadline_date") is None:
                step.slots["deadline_date"] = date.value
                step.slots[APPROXIMATE_SLOT] = date.approximate
                if date.message:
                    step.messages.append(date.message)
    merged = {**values, **step.slots}
    step.finish(form, article_id, merged)
    if step.requested is not None and form in INTROS:
        order = question_order(form, article_id, merged)
        remaining = sum(1 for slot in order if merged.get(slot) in (None, ""))
        step.messages.insert(0, intro(form, remaining))
    return step


def _reask(step: Step, question: Question, count: int, message: str | None = None) -> Step:
    step.slots[REASK_SLOT] = float(count)
    step.slots[NOTICE_SLOT] = message or f"{question.hint}\n{question.text}"
    step.requested = question.slot
    return step


def answer(
    form: str,
    requested: str,
    text: str,
    intent: str | None,
    confidence: float,
    values: Mapping[str, object],
    events: Sequence[Mapping[str, object]],
    article_id: str | None,
    today: dt.date,
    other_topic: bool = False,
) -> Step:
    """Read the parent's message as the answer to `requested` (the question just asked).

    `other_topic`: the model's intent is a situation other than the one these questions are about.
    """
    question = QUESTIONS[requested]
    if other_topic and confidence >= NEW_TOPIC_CONFIDENCE and len(text.split()) >= NEW_TOPIC_MIN_WORDS:
        return Step(not_an_answer=True)
    step = Step(slots={NOTICE_SLOT: None})
    control = read_control(text)
    if control == "back":
        order = question_order(form, article_id, values)
        previous = previous_question(events, requested, order) or _earlier_answered(order, requested, values)
        if previous is None:
            step.messages.append("That was the first question.")
        else:
            step.slots[previous] = None
        step.slots.update({REASK_SLOT: 0.0, CANDIDATE_SLOT: None})
        step.requested = previous or requested
        return step
    if control == "skip":
        step.slots.update({requested: SKIPPED, REASK_SLOT: 0.0, CANDIDATE_SLOT: None})
        return step.finish(form, article_id, values)

    value, clarify, candidate, approximate = _read(question, text, values, today)
    if value is not None:
        step.slots.update({requested: value, REASK_SLOT: 0.0, CANDIDATE_SLOT: None})
        if requested == "letter_answer":
            step.slots.update(letter_slots(str(values.get("letter_fact")), value))
        if approximate is not None and requested == "deadline_date":
            step.slots[APPROXIMATE_SLOT] = approximate
        if clarify:
            step.messages.append(clarify)  # e.g. "I'll count from around ..."
        return step.finish(form, article_id, values)

    # Something that looks like a date to a date question, or a number to the days question, is an attempt
    # at an answer whatever the model thinks: it is asked again (with the parser's or reader's reason, such
    # as "-5" days), never taken as a change of topic.
    looks_like_answer = _ANSWER_LOOKS.get(requested)
    attempt = (
        candidate is not None
        or (question.read is not None and clarify is not None)
        or bool(looks_like_answer and looks_like_answer.search(text))
    )
    if not attempt and intent not in ANSWER_LIKE_INTENTS and intent is not None and confidence >= NOT_ANSWER_CONFIDENCE:
        return Step(not_an_answer=True)

    count = int(float(values.get(REASK_SLOT) or 0)) + 1
    if count > MAX_REASKS:
        step.messages.append("Let's leave that one out; I'll work with what I have.")
        step.slots.update({requested: SKIPPED, REASK_SLOT: 0.0, CANDIDATE_SLOT: None})
        return step.finish(form, article_id, values)
    step.slots[CANDIDATE_SLOT] = candidate
    if requested == "letter_answer" and clarify is None:
        clarify = f"{question.hint}\n{LETTER_QUESTIONS.get(str(values.get('letter_fact')), question.text)}"
    return _reask(step, question, count, clarify)


def letter_slots(fact: str, value: str) -> dict[str, str]:
    """The fact slot a letter answer fills: "since September" for a length of time is a start date."""
    if fact == "duration" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return {"since_date": value}
    return {fact: value} if fact in LETTER_QUESTIONS else {}


def _letter_answer(fact: str, text: str, today: dt.date) -> str | None:
    """A year group, or a length of time ("6 weeks") or when it started ("since September": ISO)."""
    if fact == "year_group":
        return read_year_group(text)
    said = facts.read_message(text, today)
    if said.since is not None:
        return said.since.value.isoformat()
    span = facts.read_span(text)
    return span.text if span is not None else None


NO_CERTIFICATE = "none"
_NO_CERTIFICATE = re.compile(
    r"^\s*(no|nope|not yet|none|no certificate( yet)?|(we )?(have ?n[o']?t|haven't|did ?n[o']?t|didn't) "
    r"(had|got|get|have)( one| a certificate)?( yet)?|we didn'?t go to mediation)[\s.!]*$",
    re.IGNORECASE,
)


def _earlier_answered(order: Sequence[str], requested: str, values: Mapping[str, object]) -> str | None:
    """The nearest earlier question that was filled in without being asked (from the article or message)."""
    earlier = order[: order.index(requested)] if requested in order else order
    filled = [slot for slot in earlier if values.get(slot) not in (None, "")]
    return filled[-1] if filled else None


def _read(
    question: Question, text: str, values: Mapping[str, object], today: dt.date
) -> tuple[str | None, str | None, str | None, bool | None]:
    """(value, message, date to confirm, approximate?) for one answer."""
    if question.read is not None:
        read = question.read(text)
        return (read.value, read.note, None, None) if isinstance(read, Reading) else (read, None, None, None)
    if question.slot == "certificate_date" and _NO_CERTIFICATE.search(text):
        return NO_CERTIFICATE, None, None, None
    if question.slot == "letter_answer" and values.get("letter_fact") not in LETTER_DATES:
        return _letter_answer(str(values.get("letter_fact")), text, today), None, None, None
    # The date questions: a "yes" confirms the date offered last time; anything else is parsed afresh.
    candidate = values.get(CANDIDATE_SLOT)
    if isinstance(candidate, str) and read_yes_no(text) == "yes":
        return candidate, None, None, False
    checked = check_date_answer(text, today)
    if question.slot in ("certificate_date", "letter_answer"):
        decided = values.get("deadline_date") if question.slot == "certificate_date" else None
        if checked.value is not None and isinstance(decided, str) and checked.value < decided:
            return None, "The certificate can't be dated before the decision. When was it issued?", None, None
        # An approximate issue date could move an appeal deadline the wrong way, and a letter states its
        # dates as facts: ask for the exact date.
        if checked.value is not None and checked.approximate:
            return None, EXACT_DATE[question.slot], None, None
        if checked.value is not None:
            return checked.value, None, None, None
        return None, checked.message, checked.candidate, None
    if checked.value is not None:
        return checked.value, checked.message, None, checked.approximate
    return None, checked.message, checked.candidate, None


def ask(
    requested: str, notice: str | None, first: bool, told: facts.Span | None = None
) -> tuple[str, list[dict[str, str]]]:
    """The question to send (or the re-ask notice instead of it) and its buttons.

    `told`: a length of time the parent gave. The days question then says what it understood and, where
    it can be counted, offers it in school days ("7.5 (every afternoon for 3 weeks)").
    """
    question = QUESTIONS[requested]
    text, buttons = notice or question.text, [*question.buttons]
    if requested == "days_missed" and told is not None and told.school_days is None:
        text = notice or days_question(told)
        offer = told.full_day_offer()
        if offer is not None and offer <= MAX_DAYS_IN_TERM:
            buttons.insert(0, {"title": f"{offer:g} ({told.every_day})", "payload": f"{offer:g}"})
    if notice and notice.endswith(CONFIRM_DATE_PROMPT):
        buttons.insert(0, YES_BUTTON)
    buttons.append(SKIP_BUTTON)
    if not first:
        buttons.append(BACK_BUTTON)
    buttons.append(STOP_BUTTON)
    return text, buttons
