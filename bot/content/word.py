"""The one plain, accessible Word style for everything a parent downloads: letters, the summary and the
document checklist. 12pt Arial, UK English, a document title, and no author or other hidden details."""

from __future__ import annotations

import io
from typing import Any


def plain_document(title: str) -> Any:
    """A new `docx.Document` in that style (python-docx is imported here, only when a file is made)."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    properties = document.core_properties
    properties.title = title
    properties.language = "en-GB"
    properties.author = ""
    properties.comments = ""
    properties.keywords = ""
    properties.subject = ""
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(12)
    normal.paragraph_format.space_after = Pt(10)
    run_properties = normal.element.get_or_add_rPr()
    fonts = run_properties.find(qn("w:rFonts"))
    if fonts is not None:
        fonts.set(qn("w:eastAsia"), "Arial")
    for old_language in run_properties.findall(qn("w:lang")):
        run_properties.remove(old_language)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "en-GB")
    run_properties.append(language)
    return document


def document_bytes(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
