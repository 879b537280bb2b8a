"""The summary download (GET /summary, or /summary?format=docx for Word): gathers what the summary needs
for one conversation and returns the file. The summary itself is made in bot/dialogue/summary.py.

Read here, because the builder does no I/O: the partner's contact details (without an "open now" that is
out of date by the time it is read), today's date where the partner is, the articles the conversation
answered from (their served, signed-off version) and the letters it made, filled the way the letter
download fills them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bot.dialogue import guided_replies as guided
from bot.directory.answers import area_named
from bot.content.validation import ID_PATTERN
from bot.content.articles import Article, parse_article
from bot.content.letters import RenderedLetter
from bot.content.live import letter_files
from bot.content.partners import Partner, contact_text, national_services_text
from bot.settings import Settings
from bot.dialogue.summary import build_summary, letters_made, situation_ids, summary_docx, summary_text

logger = logging.getLogger(__name__)

FILENAME = "send-assistant-summary"
FORMATS = ("txt", "docx")


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
            made.append(guided.render_chosen_letter(templates[letter_id], facts, today)[0])
    return made


def summary_file(
    events: list[dict[str, Any]],
    slots: Mapping[str, object],
    partner: Partner,
    now: dt.datetime,
    settings: Settings,
    requested_format: str | None,
) -> tuple[bytes, str, str]:
    """The summary file: its content, its file name and its format ("txt" or "docx")."""
    contact = "\n\n".join(
        text for text in (contact_text(partner, now, with_status=False), national_services_text(partner)) if text
    )
    today = now.astimezone(partner.helpline.zone).date()
    summary = build_summary(
        events,
        area_named(slots, settings.knowledge_dir),  # "tower-hamlets" -> "Tower Hamlets"
        title=partner.display_name,
        today=today,
        retention_days=settings.retention_days,
        articles=read_articles(settings, situation_ids(events)),
        letters=make_letters(settings, letters_made(events), guided.known_facts(slots, events), today),
        contact=contact or None,
    )
    kind = file_format(requested_format)
    content = summary_docx(summary) if kind == "docx" else summary_text(summary).encode("utf-8")
    return content, f"{FILENAME}.{kind}", kind
