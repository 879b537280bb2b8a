"""The guided tools in the chat, as pure functions: "what next?", letters, the deadline calculator,
the exclusion questions and the "go back" control of the forms.

The actions (actions/guided.py) read the tracker and the live files, call these, and send the replies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from bot.content.ladders import Ladder
from bot.content.letters import LetterTemplate, RenderedLetter
from bot.content.render import Citations, chunk, titled_sources, unwrap_markers
from bot.content.render_ladder import next_step_index, render_closed_routes
from bot.content.render_letter import render_letter
from bot.content.triage import TRIAGE_ARTICLES, TriageResult
from bot.dialogue.answers import ADVISER_BUTTON, Reply, cited_replies, step_replies
from bot.law import deadlines as dl
from bot.law.calendar import format_date
from bot.understanding.facts import SKIPPED, is_real_answer  # the one "skipped" answer, shared by every form

# "What next?" is the same question as "what if that doesn't work?": one intent walks the ladder.
WHAT_NEXT_BUTTON = {"title": "Step by step: what next?", "payload": "/section_escalation"}
LETTER_BUTTON = {"title": "Get a letter", "payload": "/get_letter"}
TRIAGE_BUTTON = {"title": "Answer a few questions about your case", "payload": "/start_triage"}
DEADLINES_BUTTON = {"title": "Work out my deadlines", "payload": "/check_deadlines"}
DOWNLOAD_PREFIX = "/webhooks/webchat/download"

# What the deadline form's first question offers, as its buttons (bot/dialogue/forms.py) and in the summary.
DEADLINE_KINDS: dict[str, str] = {
    "ehc_request": "We asked for an EHC needs assessment",
    "draft_plan": "We got a draft EHC plan",
    "appealable_decision": "We got a decision letter we may appeal",
    "annual_review": "We had an annual review meeting",
    "amendments": "We got the council's proposed changes to the EHC plan",
    "ombudsman": "Something happened that I may complain about to the Ombudsman",
    "discrimination": "Disability discrimination happened",
    "permanent_exclusion": "The governors upheld a permanent exclusion",
    "nhs_complaint": "Something went wrong with NHS care (for example CAMHS or therapy)",
}


# --------------------------------------------------------------------------------------------------
# "What next?": one ladder step at a time


def ladder_walk(ladder: Ladder | None, current: int | None) -> tuple[list[Reply], int | None]:
    """The next step after `current` (None: the first), and the index to remember.

    After the last step: the routes that are closed here, and an adviser. The index then goes back to
    None, so asking again starts from the top.
    """
    if ladder is None:
        return [
            Reply(
                "I don't have a step-by-step route for this one. An adviser can talk it through with you.",
                [ADVISER_BUTTON],
            )
        ], None
    index = next_step_index(ladder, current if current is None or current < len(ladder.steps) else None)
    if index is None:
        replies = [Reply("That's the last step I know of for this situation.")]
        closed = render_closed_routes(ladder)
        if closed:
            replies.append(Reply(closed))
        replies.append(Reply("An adviser can help you decide what to do from here.", [ADVISER_BUTTON]))
        return replies, None
    replies = step_replies(ladder, index)
    if index + 1 < len(ladder.steps):
        replies.append(Reply("If this step doesn't work:", [{**WHAT_NEXT_BUTTON, "title": "What next?"}]))
    else:
        replies.append(Reply("That was the last step.", [{**WHAT_NEXT_BUTTON, "title": "Anything else?"}]))
    return replies, index


# --------------------------------------------------------------------------------------------------
# Letters


def letter_facts(slots: Mapping[str, object]) -> dict[str, str | None]:
    """What the conversation knows that a letter may use. Skipped answers are not facts."""
    facts: dict[str, str | None] = {}
    # The conversation's facts (bot/understanding/facts.py) too: letters work out missed deadlines and lengths from them.
    names = ("school_type", "year_group", "duration", "date", "need_type", "request_date", "since_date")
    for name in (*names, "council_decision"):
        value = slots.get(name)
        facts[name] = value if isinstance(value, str) and value not in (SKIPPED, "other") else None
    kind, when = slots.get("deadline_kind"), slots.get("deadline_date")
    if isinstance(when, str) and when != SKIPPED:
        if kind == "ehc_request":
            facts["request_date"] = facts["request_date"] or when
        elif kind == "appealable_decision":
            facts["decision_date"] = when
    return facts


def letter_choice(templates: Sequence[LetterTemplate]) -> list[Reply]:
    """The letters for an article as buttons."""
    if not templates:
        return [
            Reply("I don't have a letter for this situation yet. An adviser can help you write one.", [ADVISER_BUTTON])
        ]
    buttons = [{"title": t.title, "payload": f'/get_letter{{"letter_id":"{t.id}"}}'} for t in templates]
    return [
        Reply("Which letter would you like? I'll fill in what you've told me and leave blanks for the rest.", buttons)
    ]


# After a letter: keep a record, know the route if it doesn't work, or talk it through with a person.
AFTER_A_LETTER = [
    {"title": "Work out my deadlines", "payload": "/check_deadlines"},
    {"title": "If that doesn't work", "payload": "/section_escalation"},
    ADVISER_BUTTON,
]


def letter_replies(rendered: RenderedLetter, labels: Mapping[str, str], with_downloads: bool) -> list[Reply]:
    """The letter as copyable text in phone-sized messages, the blanks to fill, and download links."""
    replies = [Reply(f"**{rendered.title}**\nHere is your letter. Copy it, or download it below.")]
    replies += [Reply(part) for part in chunk(rendered.text)]
    if rendered.blanks:
        blanks = "\n".join(f"- [{labels.get(name, name.replace('_', ' '))}]" for name in rendered.blanks)
        replies.append(Reply(f"**Fill in these blanks before you send it:**\n{blanks}"))
    if rendered.sources:
        replies.append(Reply(titled_sources(rendered.sources)))
    if with_downloads:
        base = f"{DOWNLOAD_PREFIX}/letter/{rendered.id}"
        replies.append(Reply(f"- [Download as Word]({base}.docx)\n- [Download as plain text]({base}.txt)"))
    replies.append(Reply("What would you like to do next?", AFTER_A_LETTER))
    return replies


def render_chosen_letter(
    template: LetterTemplate, slots: Mapping[str, object], today: dt.date
) -> tuple[RenderedLetter, dict[str, str]]:
    rendered = render_letter(template, letter_facts(slots), today)
    return rendered, {p.name: p.label for p in template.placeholders}


# --------------------------------------------------------------------------------------------------
# The deadline form


# A date offered back for confirmation ends with this; the question then carries a "Yes" button.
CONFIRM_DATE_PROMPT = " Say yes, or type the full date."
YES_BUTTON = {"title": "Yes, that's right", "payload": "yes"}


def deadlines_for(
    kind: str, start: dt.date, certificate: dt.date | None = None, council_assessing: bool = False
) -> list[dl.Deadline]:
    """The statutory time limits that start from this kind of event (`certificate`: a mediation
    certificate's issue date, which can move the appeal deadline later; `council_assessing`: the
    council has said it will assess, so the 16- and 20-week limits apply now, not only as conditions)."""
    if kind == "ehc_request":
        return list(dl.ehc_assessment_deadlines(start, council_assessing=council_assessing))
    if kind == "draft_plan":
        return [dl.draft_plan_comment_deadline(start)]
    if kind == "appealable_decision":
        if certificate is not None and certificate < start:
            certificate = None  # a certificate can't predate the decision; the form checks this too
        return [dl.mediation_adviser_deadline(start), dl.tribunal_appeal_deadline(start, certificate)]
    if kind == "annual_review":
        return [dl.annual_review_decision_deadline(start), dl.next_annual_review_deadline(start)]
    if kind == "ombudsman":
        return [dl.ombudsman_deadline(start)]
    if kind == "discrimination":
        return [dl.equality_act_claim_deadline(start)]
    if kind == "permanent_exclusion":
        return [dl.irp_request_deadline(start)]
    if kind == "amendments":
        return list(dl.amendment_deadlines(start))
    if kind == "nhs_complaint":
        return [dl.nhs_complaint_deadline(start), dl.phso_deadline(start)]
    raise ValueError(f"unknown deadline kind: {kind!r}")


def _deadline_text(deadline: dl.Deadline, today: dt.date, approximate: bool, exceptions_shown: bool) -> str:
    around = "around " if approximate else ""
    if deadline.due is not None:
        # A conditional deadline's status is "only if ...", never "overdue".
        lines = [f"**{deadline.label}: {around}{format_date(deadline.due)}** ({dl.overdue_status(deadline, today)})"]
    else:
        lines = [f"**{deadline.label}**"]
    lines.append(f"How it's counted: {deadline.counting.rstrip('.')}.")
    if deadline.note:
        lines.append(deadline.note)
    if deadline.exceptions and exceptions_shown:
        lines.append("The same exceptions as above apply.")
    elif deadline.exceptions:
        lines.append("The law allows these exceptions:")
        lines.extend(f"- {item}" for item in deadline.exceptions)
    next_step = dl.next_step_if_overdue(deadline, today)
    if next_step:
        lines.extend(["", f"**What this means:** {next_step}"])
    lines.extend(["", f"Source: [{deadline.citation}]({deadline.url})"])
    return "\n".join(lines)


def _iso(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def deadline_replies(
    kind: str | None,
    when: str | None,
    approximate: bool,
    today: dt.date,
    with_calendar: bool,
    certificate: str | None = None,
    council_assessing: bool = False,
) -> list[Reply]:
    """The dates the parent is owed, each with whether it has passed, what that means and the source.

    Only the deadlines that apply now are flagged; conditional ones say "only if ..." (see `deadlines_for`).
    """
    if kind not in DEADLINE_KINDS:
        return [
            Reply(
                "Without knowing what happened I can't work out the dates. You can start again at any time.",
                [DEADLINES_BUTTON],
            )
        ]
    try:
        start = dt.date.fromisoformat(when or "")
    except ValueError:
        return [
            Reply(
                "Without a date I can't work out exact deadlines. When you find the date on the letter or email, "
                "ask me again.",
                [DEADLINES_BUTTON],
            )
        ]
    issued = _iso(certificate)
    items = deadlines_for(kind, start, issued, council_assessing)
    intro = f"**{DEADLINE_KINDS[kind]}**: counting from {'around ' if approximate else ''}{format_date(start)}."
    if issued is not None and issued >= start:
        intro += f" Mediation certificate issued {format_date(issued)}."
    replies = [Reply(intro)]
    shown: set[int] = set()
    for deadline in items:
        # The three EHC time limits have the same four exceptions: list them once.
        repeat = len(deadline.exceptions) in shown
        replies += [Reply(part) for part in chunk(_deadline_text(deadline, today, approximate, repeat))]
        if deadline.exceptions:
            shown.add(len(deadline.exceptions))
    if with_calendar and any(d.due is not None for d in items):
        replies.append(Reply(f"[Add these dates to your calendar (.ics)]({DOWNLOAD_PREFIX}/deadlines.ics)"))
    replies.append(Reply("This is general information about the law in England, not legal advice.", [ADVISER_BUTTON]))
    return replies


def deadlines_from_slots(slots: Mapping[str, object]) -> list[dl.Deadline]:
    """The dated deadlines for the calendar download, from what the form collected."""
    kind, when = slots.get("deadline_kind"), slots.get("deadline_date")
    if kind not in DEADLINE_KINDS or not isinstance(when, str):
        return []
    start = _iso(when)
    if start is None:
        return []
    certificate = _iso(slots.get("certificate_date"))
    return [d for d in deadlines_for(str(kind), start, certificate) if d.due is not None]


# --------------------------------------------------------------------------------------------------
# The exclusion questions


def triage_replies(result: TriageResult) -> list[Reply]:
    """The route as messages: title and recap, the paragraphs with numbered source links, then what next.

    A result picked from a guide with its sources as markers (`render.keep_markers`) gets numbered links
    and a titled "Sources" list, like the answers; one picked from the plain guide keeps "(short name)".
    """
    replies = [Reply(f"**{result.title}**\n{result.recap}")]
    cited = Citations()
    lookup = {source.key: source for source in result.sources}.get
    text = cited.mark(unwrap_markers("\n\n".join(result.paragraphs)), lookup)
    if cited.sources:
        replies += cited_replies(cited, text)
    else:
        replies += [Reply(part) for part in chunk(text)]
        if result.sources:
            replies.append(Reply(titled_sources(result.sources)))
    replies.append(
        Reply(
            "This is general information, not legal advice. What would you like to do next?",
            [WHAT_NEXT_BUTTON, LETTER_BUTTON, ADVISER_BUTTON],
        )
    )
    return replies


# --------------------------------------------------------------------------------------------------
# "Go back" inside a form


def previous_question(events: Iterable[Mapping[str, object]], current: str | None, order: Sequence[str]) -> str | None:
    """The question to go back to: the one asked most recently among those before `current` in the form.

    `events` are the tracker's events (the form's `requested_slot` history); `order` is the form's
    question order. None when `current` is the first question (then it is simply asked again).
    """
    position = order.index(current) if current in order else len(order)
    asked = [
        value
        for event in events
        if event.get("event") == "slot" and event.get("name") == "requested_slot"
        for value in [event.get("value")]
        if isinstance(value, str) and value in order and order.index(value) < position
    ]
    return asked[-1] if asked else None


def last_answers(events: Iterable[Mapping[str, object]], names: Iterable[str]) -> dict[str, object]:
    """The latest real value each slot had (not empty, not skipped), even if it was reset since.

    The forms clear their answers when they finish, so they can be used again; the calendar download
    and the letters still need the last dates the parent gave.
    """
    wanted = set(names)
    found: dict[str, object] = {}
    for event in events:
        name, value = event.get("name"), event.get("value")
        if event.get("event") == "slot" and name in wanted and is_real_answer(value):
            found[str(name)] = value
    return found


def tool_buttons(
    article_id: str, section: str | None, has_letters: bool, has_ladder: bool, has_deadlines: bool = False
) -> list[dict[str, str]]:
    """The guided tools to offer under an answer (section None) or under one of its sections."""
    buttons: list[dict[str, str]] = []
    if section is None and article_id in TRIAGE_ARTICLES:
        buttons.append(TRIAGE_BUTTON)
    if section is None and has_deadlines:
        buttons.append(DEADLINES_BUTTON)
    if section == "escalation" and has_ladder:
        buttons.append(WHAT_NEXT_BUTTON)
    if section in (None, "next_steps") and has_letters:
        buttons.append(LETTER_BUTTON)
    return buttons


def known_facts(slots: Mapping[str, object], events: Iterable[Mapping[str, object]]) -> dict[str, object]:
    """The current slots, with the deadline form's last answers filled back in once it has cleared them."""
    facts = dict(slots)
    for name, value in last_answers(events, ("deadline_kind", "deadline_date", "certificate_date")).items():
        if facts.get(name) in (None, SKIPPED):
            facts[name] = value
    return facts
