"""Every Word download (letters, the summary, the document checklist) comes in one plain, accessible style."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.shared import Pt

from bot.content.word import document_bytes, plain_document
from bot.dialogue.summary import build_summary, summary_docx


def style_of(content: bytes) -> tuple[str, str, str, str | None, object, bool]:
    document = Document(io.BytesIO(content))
    normal = document.styles["Normal"]
    props = document.core_properties
    uk_text = 'w:val="en-GB"' in normal.element.xml  # the text itself, so screen readers read UK English
    return props.title, props.language, props.author, normal.font.name, normal.font.size, uk_text


def test_the_plain_style_has_a_title_uk_english_arial_12pt_and_no_author() -> None:
    assert style_of(document_bytes(plain_document("Our letter"))) == ("Our letter", "en-GB", "", "Arial", Pt(12), True)


def test_the_summary_uses_it_without_starting_from_an_empty_letter() -> None:
    summary = build_summary([], {}, title="SEND rights assistant (demo)", today=dt.date(2026, 12, 4), retention_days=1)
    title, *rest = style_of(summary_docx(summary))
    assert rest == ["en-GB", "", "Arial", Pt(12), True]
    assert title  # the summary's own first line, not a letter's
