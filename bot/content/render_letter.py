"""Letters for the parent: a template filled from the conversation's facts, as text and as Word.

Parsing and checking letter templates is in bot/content/letters.py; this module only fills and renders them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

from bot.content.letters import (
    ISO_DATE,
    MARKER_WITH_SPACE,
    PLACEHOLDER,
    LetterTemplate,
    Line,
    Placeholder,
    RenderedLetter,
    Segment,
    body_paragraphs,
)
from bot.content.word import document_bytes, plain_document
from bot.understanding import facts as told
from bot.understanding.entities import SCHOOL_TYPES


def format_letter_date(value: dt.date) -> str:
    """Dates as written in a letter: '23 November 2026'."""
    return f"{value.day} {value:%B %Y}"


def _fact_text(fact: str, value: object) -> str | None:
    """How a conversation fact reads in a letter, or None if there is nothing usable."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return format_letter_date(value)
    text = " ".join(str(value).split())
    # Values are the parent's words: braces and square brackets would look like template syntax.
    text = re.sub(r"[{}\[\]]", "", text).strip()
    if not text:
        return None
    if ISO_DATE.match(text):
        try:
            return format_letter_date(dt.date.fromisoformat(text))
        except ValueError:
            return text
    if fact == "school_type":
        return SCHOOL_TYPES.get(text.lower(), text)
    if fact == "year_group":
        return text[:1].upper() + text[1:]
    return text


def _value(placeholder: Placeholder, facts: Mapping[str, str | None], today: dt.date) -> str | None:
    if placeholder.private:
        return None  # never filled by the assistant, whatever it has been told
    if placeholder.from_fact == "today":
        return format_letter_date(today)
    fact = placeholder.from_fact or placeholder.name
    return _fact_text(fact, facts.get(fact))


# Placeholders whose value is worked out from another fact, which the parent can be asked for instead.
WORKED_OUT_FROM = {"missed_deadline": "request_date", "deadline_date": "request_date"}
# The facts a letter can ask the parent for, one question each (bot/dialogue/forms.py `letter_question_form`).
LETTER_QUESTIONS: dict[str, str] = {
    "request_date": "When did the council get your request? For example 3 March 2026. The date on your email "
    "or letter is best.",
    "date": "What was the date? For example 3 March 2026. The date on a letter or email is best.",
    "duration": 'How long has it lasted so far? For example "6 weeks" or "since September".',
    "year_group": "Which year is your child in at school? For example Year 4 or Reception.",
}


def worked_out(facts: Mapping[str, str | None], today: dt.date) -> dict[str, str]:
    """Values worked out from the conversation's facts (see the module notes)."""
    found = told.from_slots(facts)
    values: dict[str, str] = {}
    missed = told.missed_ehc_deadline(found, today)
    if missed is not None and missed.due is not None:
        values["missed_deadline"] = told.MISSED_DEADLINES[missed.key]
        values["deadline_date"] = format_letter_date(missed.due)
    if found.since is not None:
        values["duration"] = told.since_text(found.since, today)
    elif found.duration is not None:
        values["duration"] = found.duration.length  # "about 3 weeks": the part of each day is not the length
    return values


def deadline_note(facts: Mapping[str, str | None], today: dt.date) -> str | None:
    """Why the missed-deadline blanks stay blank when the parent gave the request date: none has passed."""
    found = told.from_slots(facts)
    deadline = told.current_ehc_deadline(found) if found.request and not found.request.approximate else None
    if deadline is None or deadline.due is None or deadline.due < today:
        return None
    return (
        f"Counting from the date you gave, the council has until {format_letter_date(deadline.due)}, so no "
        "deadline has passed yet: I've left that part blank."
    )


def askable_blank(
    template: LetterTemplate, rendered: RenderedLetter, facts: Mapping[str, str | None], asked: Sequence[str]
) -> tuple[str, str] | None:
    """(fact, label) of the first blank one answer from the parent could fill, if not asked before."""
    for name in rendered.blanks:
        placeholder = template.placeholder(name)
        fact = WORKED_OUT_FROM.get(name) or (placeholder.from_fact if placeholder else None) or name
        if (
            placeholder is None
            or placeholder.private
            or fact not in LETTER_QUESTIONS
            or facts.get(fact)
            or fact in asked
        ):
            continue
        source = next((p for p in template.placeholders if p.from_fact == fact), placeholder)
        return fact, source.label
    return None


def render_letter(template: LetterTemplate, facts: Mapping[str, str | None], today: dt.date) -> RenderedLetter:
    """Fill a template from what the assistant knows; everything else becomes a visible blank."""
    derived = worked_out(facts, today)
    given = {name: value for name, value in facts.items() if value is not None}
    # Values the parent or staff gave win, apart from a length of time, which reads better worked out.
    facts = {**derived, **given, **{k: v for k, v in derived.items() if k == "duration"}}
    values = {p.name: _value(p, facts, today) for p in template.placeholders}
    filled: list[str] = []
    blanks: list[str] = []
    paragraphs: list[tuple[Line, ...]] = []
    for paragraph in body_paragraphs(template.body, 1):
        rendered: list[Line] = []
        for _, raw in paragraph:
            stripped = raw.strip()
            bullet = stripped.startswith("- ")
            if bullet:
                stripped = stripped[2:].lstrip()
            stripped = MARKER_WITH_SPACE.sub("", stripped)
            segments: list[Segment] = []
            position = 0
            for match in PLACEHOLDER.finditer(stripped):
                if match.start() > position:
                    segments.append(Segment(stripped[position : match.start()]))
                name = match.group(1)
                placeholder = template.placeholder(name) or Placeholder(name, name.replace("_", " "), private=True)
                value = values.get(name)
                if value is None:
                    segments.append(Segment(placeholder.blank, placeholder=name, blank=True))
                    if name not in blanks:
                        blanks.append(name)
                else:
                    segments.append(Segment(value, placeholder=name))
                    if name not in filled:
                        filled.append(name)
                position = match.end()
            if position < len(stripped):
                segments.append(Segment(stripped[position:]))
            rendered.append(Line(tuple(segments), bullet))
        paragraphs.append(tuple(rendered))
    text = "\n\n".join("\n".join(("- " if line.bullet else "") + line.text for line in p) for p in paragraphs)
    return RenderedLetter(
        id=template.id,
        title=template.title,
        text=text,
        filled=tuple(filled),
        blanks=tuple(blanks),
        paragraphs=tuple(paragraphs),
        sources=template.sources,
    )


def letter_to_txt(rendered: RenderedLetter) -> bytes:
    """The letter as UTF-8 plain text with a final newline."""
    return (rendered.text + "\n").encode("utf-8")


def letter_to_docx(rendered: RenderedLetter) -> bytes:
    """A plain, accessible Word document: real paragraphs and lists, 12pt Arial, UK English,
    a document title, and blanks in square brackets *and* highlighted (colour is never the only cue)."""
    from docx.enum.text import WD_COLOR_INDEX

    document = plain_document(rendered.title)

    def add_segments(paragraph, segments: tuple[Segment, ...]) -> None:
        for segment in segments:
            run = paragraph.add_run(segment.text)
            if segment.blank:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW

    for block in rendered.paragraphs:
        current = None
        for line in block:
            if line.bullet:
                add_segments(document.add_paragraph(style="List Bullet"), line.segments)
                current = None
                continue
            if current is None:
                current = document.add_paragraph()
            else:
                current.add_run().add_break()
            add_segments(current, line.segments)
    return document_bytes(document)
