"""Turn article text into chat messages: inline citations and phone-sized chunks."""

from __future__ import annotations

import re

from bot.knowledge import CITATION_MARKER, Article

# About five short lines on a phone screen; a section longer than this arrives as several messages.
CHUNK_CHARS = 550


def render_citations(text: str, article: Article) -> str:
    """Replace each [@key] marker with the short name of its source, in brackets."""

    def name(match: re.Match[str]) -> str:
        source = article.source(match.group(1))
        return f"({source.inline})" if source else ""

    rendered = CITATION_MARKER.sub(name, text)
    # Two citations side by side read better as one bracket.
    rendered = re.sub(r"\)\s*\(", "; ", rendered)
    return re.sub(r"[ \t]+([.,;:])", r"\1", rendered)


def _units(text: str) -> list[str]:
    """Paragraphs, bullet items and headings: the pieces a chunk boundary may fall between."""
    units: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        new_item = bool(re.match(r"^([-*]|\d+\.)\s|^#{3,}\s|^>\s", stripped)) and not line.startswith((" ", "\t"))
        if not stripped or new_item:
            if current:
                units.append("\n".join(current))
            current = [line.rstrip()] if stripped else []
        else:
            current.append(line.rstrip())
    if current:
        units.append("\n".join(current))
    return units


def _split_long(unit: str, limit: int) -> list[str]:
    """Split one over-long paragraph at sentence ends (never mid-word)."""
    sentences = re.split(r"(?<=[.!?])\s+", unit)
    pieces: list[str] = []
    current = ""
    for sentence in sentences:
        candidate = f"{current} {sentence}".strip()
        if current and len(candidate) > limit:
            pieces.append(current)
            current = sentence
        else:
            current = candidate
    if current:
        pieces.append(current)
    return pieces


# A line that only introduces what follows: a Markdown heading, or a line that is all bold ("**Steps**").
_HEADING_LINE = re.compile(r"^(#+\s|\*\*[^*\n]+\*\*:?$)")


def _is_heading(part: str) -> bool:
    return bool(_HEADING_LINE.match(part.strip().split("\n")[-1]))


def chunk(text: str, limit: int = CHUNK_CHARS, whole_up_to: int | None = None) -> list[str]:
    """Group paragraphs and bullets into messages of at most `limit` characters where possible.

    A heading (or a line in bold on its own) is never left as the last line of a message without the text
    it introduces: if the two don't fit in what is left of a message, the heading starts the next one. A
    paragraph or list item longer than `limit` is split at sentence ends, unless it is at most `whole_up_to`
    characters: then it gets a message of its own, whole (for an escalation ladder's steps, each of which
    reads as one piece).
    """
    keep_whole = max(limit, whole_up_to or limit)
    parts = [part for unit in _units(text) for part in (_split_long(unit, limit) if len(unit) > keep_whole else [unit])]
    messages: list[str] = []
    current: list[str] = []
    size = 0
    for index, part in enumerate(parts):
        needed = len(part) + 1
        if _is_heading(part) and index + 1 < len(parts):
            needed += len(parts[index + 1]) + 1  # the heading and the start of its text, together
        if current and size + needed > limit and not _is_heading(current[-1]):
            messages.append("\n".join(current))
            current, size = [], 0
        current.append(part)
        size += len(part) + 1
    if current:
        messages.append("\n".join(current))
    return messages


def sources_block(article: Article) -> str:
    """The sources of an article as a list of links, with the date it was last checked."""
    lines = ["**Sources**"]
    for source in article.sources:
        lines.append(f"- [{source.citation}]({source.url})")
    lines.append(f"Last checked: {article.last_reviewed.strftime('%-d %B %Y')}")
    return "\n".join(lines)
