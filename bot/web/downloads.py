"""The downloads of a conversation: its summary (GET /summary, ?format=docx for Word), a letter
(GET /download/letter/<id>.<docx|txt>) and its deadlines as a calendar file (GET /download/deadlines.ics).

All three start from one `ConversationRecord` (`read_conversation`): the stored events, the slots, the
facts the parent gave (with the deadline form's last answers) and today's date where the partner is.
The channel only checks the caller and sends the file back. The summary itself is made in
bot/dialogue/summary.py; letters in bot/content/letters.py; calendar files in bot/law/ics.py.

Read here for the summary, because its builder does no I/O: the partner's contact details (without an "open now" that is
out of date by the time it is read), today's date where the partner is, the articles the conversation
answered from (their served, signed-off version) and the letters it made, filled the way the letter
download fills them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.content.articles import Article, parse_article
from bot.content.letters import RenderedLetter
from bot.content.live import letter_files
from bot.content.partners import Partner, contact_text, national_services_text
from bot.content.render_letter import letter_to_docx, letter_to_txt
from bot.content.validation import ID_PATTERN
from bot.dialogue import guided_replies
from bot.dialogue.summary import build_summary, letters_made, situation_ids, summary_docx, summary_text
from bot.directory.answers import area_named
from bot.law.ics import deadlines_to_ics
from bot.settings import Settings

logger = logging.getLogger(__name__)

FILENAME = "send-assistant-summary"
FORMATS = ("txt", "docx")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {"docx": DOCX_TYPE, "txt": "text/plain; charset=utf-8", "ics": "text/calendar; charset=utf-8"}


@dataclass(frozen=True)
class File:
    content: bytes
    filename: str
    content_type: str


@dataclass(frozen=True)
class ConversationRecord:
    """What the downloads read from one conversation."""

    events: list[dict[str, Any]]
    slots: dict[str, Any]
    facts: dict[str, object]  # the slots, with the deadline form's last answers filled back in
    today: dt.date  # where the partner is


def read_conversation(tracker: Any, partner: Partner, now: dt.datetime) -> ConversationRecord:
    """The one reading of a stored conversation (None: nothing stored yet) that every download uses."""
    events = [event.as_dict() for event in tracker.events] if tracker is not None else []
    slots = tracker.current_slot_values() if tracker is not None else {}
    facts = guided_replies.known_facts(slots, events)
    return ConversationRecord(events, slots, facts, now.astimezone(partner.helpline.zone).date())


def file_format(requested: str | None) -> str:
    """ "docx" when asked for, otherwise plain text."""
    return requested if requested in FORMATS else "txt"


def read_articles(settings: Settings, article_ids: Iterable[str]) -> dict[str, Article]:
    """The served version of each article that can be read; one that can't is left out (the summary
    then names it by its id)."""
    found: dict[str, Article] = {}
    for article_id in article_ids:
        if not ID_PATTERN.match(article_id):
            continue
        try:
            article, _ = parse_article(settings.knowledge_dir / "articles" / f"{article_id}.md")
        except Exception:
            logger.exception("summary: the article %s could not be read", article_id)
            continue
        if article is not None:
            found[article_id] = article
    return found


def make_letters(
    settings: Settings, letter_ids: Sequence[str], facts: Mapping[str, object], today: dt.date
) -> list[RenderedLetter]:
    """The letters, filled from the conversation as GET /download/letter fills them."""
    templates = {t.id: t for t in letter_files(settings.knowledge_dir, settings.knowledge_refresh_seconds).items()}
    made: list[RenderedLetter] = []
    for letter_id in letter_ids:
        if letter_id in templates:
            made.append(guided_replies.render_chosen_letter(templates[letter_id], facts, today)[0])
    return made


def summary_file(
    record: ConversationRecord, partner: Partner, now: dt.datetime, settings: Settings, requested_format: str | None
) -> File:
    """The summary file, as plain text or ("docx") Word."""
    contact = "\n\n".join(
        text for text in (contact_text(partner, now, with_status=False), national_services_text(partner)) if text
    )
    summary = build_summary(
        record.events,
        area_named(record.slots, settings.knowledge_dir),  # "tower-hamlets" -> "Tower Hamlets"
        title=partner.display_name,
        today=record.today,
        retention_days=settings.retention_days,
        articles=read_articles(settings, situation_ids(record.events)),
        letters=make_letters(settings, letters_made(record.events), record.facts, record.today),
        contact=contact or None,
    )
    kind = file_format(requested_format)
    content = summary_docx(summary) if kind == "docx" else summary_text(summary).encode("utf-8")
    return File(content, f"{FILENAME}.{kind}", CONTENT_TYPES[kind])


def letter_file(record: ConversationRecord, settings: Settings, filename: str) -> File | None:
    """A letter (`<letter id>.docx` or `.txt`) filled from the conversation; None for no such letter."""
    letter_id, _, extension = filename.rpartition(".")
    if extension not in FORMATS or not ID_PATTERN.match(letter_id):
        return None
    templates = letter_files(settings.knowledge_dir, settings.knowledge_refresh_seconds).items()
    template = next((t for t in templates if t.id == letter_id), None)
    if template is None:
        return None
    rendered, _ = guided_replies.render_chosen_letter(template, record.facts, record.today)
    build = letter_to_docx if extension == "docx" else letter_to_txt
    return File(build(rendered), rendered.filename(extension), CONTENT_TYPES[extension])


def calendar_file(record: ConversationRecord) -> File | None:
    """The deadlines worked out in the conversation as an iCalendar file; None when there are none yet."""
    deadlines = guided_replies.deadlines_from_slots(record.facts)
    if not deadlines:
        return None
    return File(deadlines_to_ics(deadlines, "SEND deadlines", record.today), "send-deadlines.ics", CONTENT_TYPES["ics"])
