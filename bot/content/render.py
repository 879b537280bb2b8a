"""Turn knowledge text into chat messages ("bubbles") that read well on a phone.

- Citations: the `[@key]` markers leave the sentences. Each bubble ends with a small line of numbered
  links to what it cites ("Sources: 1 2"), and an answer ends with a short "Sources" list of full titles.
  Legal abbreviations and the staff's notes in `citation` fields are never shown to parents.
- Bubbles: at most CHUNK_CHARS characters, cut only between sentences, and never inside a list item; a
  list that fits in one bubble stays in one bubble, with the heading or "...:" line that introduces it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from bot.content.articles import Article
from bot.content.validation import CITATION_MARKER, Source

T = TypeVar("T")

# The most text one bubble holds: about half a phone screen. A single sentence longer than this is kept
# whole rather than broken (see `chunk`).
CHUNK_CHARS = 600
# A "Sources" list names at most this many sources (those cited by the most bubbles); the others are
# linked by number on one short line below it, so every source stays one tap away.
MAX_LISTED_SOURCES = 5


class HasSources(Protocol):
    """An article, a ladder or a triage guide: anything whose text cites its own sources by key."""

    def source(self, key: str) -> Source | None: ...


def render_citations(text: str, cited: HasSources) -> str:
    """Each [@key] as the short name of its source, in brackets, for articles, ladders and triage alike.

    The staff's view (`knowledge show`) and ladder and triage text use this form; an article's messages
    to parents go through `Citations` (numbered links under the message).
    """

    def name(match: re.Match[str]) -> str:
        source = cited.source(match.group(1))
        return f"({source.inline})" if source else ""

    rendered = CITATION_MARKER.sub(name, text)
    # Two citations side by side read better as one bracket.
    rendered = re.sub(r"\)\s*\(", "; ", rendered)
    return re.sub(r"[ \t]+([.,;:])", r"\1", rendered)


# --------------------------------------------------------------------------------------------------
# Source titles and links


# Notes the staff leave for each other ("paragraph numbers not checked"): never shown to a parent. They
# belong in a source's `note:` field, which nothing renders; a title that still has one loses the bracket.
_INTERNAL_NOTE = re.compile(
    r"\s*[(\[][^()\[\]]*\b(not checked|unchecked|to check|to be checked|check this|not verified|unverified|"
    r"todo|tbc|fixme|internal note)\b[^()\[\]]*[)\]]",
    re.IGNORECASE,
)
_MARKDOWN_SPECIAL = re.compile(r"([\\\[\]*_])")


def public_title(source: Source) -> str:
    """The title a parent sees: no internal notes, and safe inside a Markdown link label.

    Case names such as "[1989] 2 FLR 279" keep their brackets, escaped ("\\[1989\\]") so the widget
    shows them as text instead of reading them as a broken link.
    """
    title = _INTERNAL_NOTE.sub("", source.title).strip()
    return _MARKDOWN_SPECIAL.sub(r"\\\1", title)


def link_url(url: str) -> str:
    """A web address that can't end a Markdown link early (brackets and spaces are percent-encoded)."""
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


# --------------------------------------------------------------------------------------------------
# Numbered citations

# The small line of numbered links under a bubble (`Citations.links`); widget/widget.js reads the same.
LINKS_LINE = re.compile(r"^(?:More s|S)ources?: (?:\[\d+\]\(\S+?\)\s*)+$", re.M)
# Where a citation stood, while the text is being cut into bubbles: "[^3]" means source number 3.
_MARK = re.compile(r"[ \t]*\[\^(\d+)\]")
_SPACED_MARKER = re.compile(r"([ \t]*)" + CITATION_MARKER.pattern)


@dataclass
class Citations:
    """The sources one answer cites, numbered in the order they first appear: one number per web page.

    `mark` swaps the `[@key]` markers of a text for numbered marks, `bubbles` cuts the text into bubbles
    with their links, and `sources_list` ends the answer.
    """

    sources: list[Source] = field(default_factory=list)
    # How many bubbles cite each source number: the most cited are the most relevant to list in full.
    uses: Counter[int] = field(default_factory=Counter)

    def number(self, source: Source) -> int:
        for number, known in enumerate(self.sources, start=1):
            if known.url == source.url:
                return number
        self.sources.append(source)
        return len(self.sources)

    def mark(self, text: str, lookup: Callable[[str], Source | None]) -> str:
        """`text` with each [@key] replaced by the numbered mark of its source (`lookup` finds it)."""

        def numbered(match: re.Match[str]) -> str:
            source = lookup(match.group(2))
            return f"{match.group(1)}[^{self.number(source)}]" if source else ""

        return _SPACED_MARKER.sub(numbered, text)

    def links(self, numbers: Sequence[int], label: str = "Sources") -> str:
        """One line of numbered links, e.g. "Sources: [1](...) [2](...)"; the widget shows it small."""
        label = label[:-1] if len(numbers) == 1 and label == "Sources" else label
        return f"{label}: " + " ".join(f"[{n}]({link_url(self.sources[n - 1].url)})" for n in numbers)

    def finish(self, bubble: str) -> str:
        """A bubble without its marks, with the links to what it cites on a line below."""
        numbers = sorted({int(n) for n in _MARK.findall(bubble)})
        self.uses.update(numbers)
        text = re.sub(r"[ \t]+([.,;:])", r"\1", _MARK.sub("", bubble)).strip()
        return f"{text}\n{self.links(numbers)}" if numbers else text

    def bubbles(self, text: str, whole_up_to: int | None = None) -> list[str]:
        """`text` (with marks) as finished bubbles; see `chunk`."""
        return [self.finish(part) for part in chunk(text, whole_up_to=whole_up_to)]

    def sources_list(self, checked: dt.date | None = None) -> str:
        """The answer's "Sources": full titles of the most cited, links to the rest, the date checked."""
        ranked = sorted(range(1, len(self.sources) + 1), key=lambda n: (-self.uses[n], n))
        listed = sorted(ranked[:MAX_LISTED_SOURCES])
        lines = ["**Sources**"]
        lines += [f"{n}. [{public_title(self.sources[n - 1])}]({link_url(self.sources[n - 1].url)})" for n in listed]
        rest = sorted(ranked[MAX_LISTED_SOURCES:])
        if rest:
            lines.append(self.links(rest, label="More sources"))
        if checked is not None:
            lines.append(f"Last checked: {checked.day} {checked:%B %Y}")
        return "\n".join(lines)


def titled_sources(sources: Sequence[Source], checked: dt.date | None = None) -> str:
    """Sources as a "Sources" list of full titles, one number per web page ("" when there are none).

    Fits where bot.content.ladders takes a `sources_renderer` (a step, a letter), in place of `sources_links`,
    which shows the staff's `citation` text.
    """
    cited = Citations()
    for source in sources:
        cited.uses[cited.number(source)] += 1
    return cited.sources_list(checked) if cited.sources else ""


def sources_block(article: Article) -> str:
    """The sources of an article as a list of links, with the date it was last checked.

    The staff's view (`knowledge show`): it names each source by its precise `citation`.
    """
    lines = ["**Sources**"]
    for source in article.sources:
        lines.append(f"- [{source.citation}]({source.url})")
    lines.append(f"Last checked: {article.last_reviewed.strftime('%-d %B %Y')}")
    return "\n".join(lines)


def marker_sources(sources: Sequence[Source]) -> tuple[Source, ...]:
    """Copies of `sources` whose short name is their own [@key] marker.

    bot.content.ladders and bot.content.triage write a citation as "(short name)"; text rendered with these copies, then
    passed through `unwrap_markers`, has its markers back, ready for `Citations.mark`.
    """
    return tuple(dataclasses.replace(source, short=f"[@{source.key}]") for source in sources)


def keep_markers(owner: T) -> T:
    """A copy of a ladder or triage guide (anything with `sources`) that renders its citations as markers."""
    return dataclasses.replace(owner, sources=marker_sources(owner.sources))  # type: ignore[type-var]


_MARKER = CITATION_MARKER.pattern


def unwrap_markers(text: str) -> str:
    """Markers back out of their brackets: "([@a]; [@b])" -> "[@a][@b]", "(after 2; [@a])" -> "(after 2 [@a])"."""
    text = re.sub(rf";\s*({_MARKER})", r" \1", text)
    return re.sub(rf"\(\s*((?:{_MARKER}\s*)+)\)", lambda m: re.sub(r"\s+", "", m.group(1)), text)


# --------------------------------------------------------------------------------------------------
# Bubbles

_ITEM = re.compile(r"^([-*]|\d+\.)\s")
_STARTS_BLOCK = re.compile(r"^([-*]\s|>|\d+\.\s|#)")
# A line that stands alone and only introduces what follows: a Markdown heading or a line all in bold.
_HEADING = re.compile(r"^(#{1,6}\s.*|\*\*[^*\n]+\*\*:?)$")


@dataclass
class _Unit:
    """A paragraph, a list item (with its indented lines), a quote or a heading: never cut between
    bubbles, except a paragraph longer than a bubble, which is cut between sentences."""

    text: str
    kind: str  # "item", "quote", "intro" (a heading, or a paragraph ending in ":") or "para"


def unwrap(markdown: str) -> str:
    """Knowledge text with the lines a file wraps a paragraph or list item over joined into one.

    In Markdown a single line break inside a paragraph is only wrapping; the widget would show it as a
    break in mid-sentence. Quotes, headings and lines that start an item keep their own lines.
    """
    lines: list[str] = []
    for line in markdown.splitlines():
        stripped, before = line.strip(), lines[-1].strip() if lines else ""
        continues = before and not before.startswith(">") and not _HEADING.match(before)
        if stripped and continues and not _STARTS_BLOCK.match(stripped) and not _HEADING.match(stripped):
            lines[-1] = f"{lines[-1].rstrip()} {stripped}"
        else:
            lines.append(line.rstrip())
    return "\n".join(lines)


def _units(text: str) -> list[_Unit]:
    units: list[_Unit] = []
    lines: list[str] = []

    def close() -> None:
        if lines:
            first, joined = lines[0].strip(), "\n".join(lines)
            if _ITEM.match(first):
                kind = "item"
            elif first.startswith(">"):
                kind = "quote"
            elif (len(lines) == 1 and _HEADING.match(first)) or joined.endswith(":"):
                # Only the last line of several introduces what follows ("The law allows these exceptions:").
                if len(lines) > 1:
                    units.append(_Unit("\n".join(lines[:-1]), "para"))
                joined, kind = lines[-1], "intro"
            else:
                kind = "para"
            units.append(_Unit(joined, kind))
            lines.clear()

    for line in text.splitlines():
        stripped = line.strip()
        indented = line[:1] in (" ", "\t")
        in_quote = bool(lines) and lines[-1].lstrip().startswith(">")
        starts = not indented and bool(_ITEM.match(stripped) or _HEADING.match(stripped) or stripped[:1] == ">")
        if not stripped or (starts and not (in_quote and stripped[:1] == ">")):
            close()
        if stripped:
            lines.append(line.rstrip())
        if _HEADING.match(stripped) and not indented:
            close()
    close()
    return units


# Words whose full stop doesn't end a sentence ("e.g. a letter", "s. 19", "para. 4", "R v. X").
_ABBREVIATIONS = {"e.g", "i.e", "etc", "eg", "ie", "para", "paras", "reg", "regs", "s", "ss", "sch", "no", "st", "mr"}
_ABBREVIATIONS |= {"mrs", "ms", "dr", "v", "cf", "approx", "art", "pt", "vol", "ch", "cl", "inc", "ltd", "co"}
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[A-Z0-9\"'(\[*])")


def sentences(paragraph: str) -> list[str]:
    """A paragraph's sentences; a full stop after an abbreviation or an initial doesn't end one."""
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        before = paragraph[start : match.start()].rstrip(".!?")
        last_word = re.split(r"[\s(]", before)[-1].lower()
        if paragraph[match.start() - 1] == "." and (last_word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", last_word)):
            continue
        pieces.append(paragraph[start : match.end()].strip())
        start = match.end()
    pieces.append(paragraph[start:].strip())
    return [piece for piece in pieces if piece]


def _pieces(text: str) -> list[tuple[str, str]]:
    """A unit's sentences, each with what separated it from the one before: a line break or a space."""
    pieces = []
    for number, line in enumerate(text.split("\n")):
        indent = line[: len(line) - len(line.lstrip())]
        for index, sentence in enumerate(sentences(line)):
            pieces.append(("\n" if number and not index else " ", indent + sentence if not index else sentence))
    return pieces


def _pack(pieces: Sequence[tuple[str, str]], limit: int) -> list[str]:
    """Group sentences, never cut, into texts of at most `limit` characters where possible."""
    groups: list[str] = []
    for separator, piece in pieces:
        if groups and _length(groups[-1]) + 1 + _length(piece) <= limit:
            groups[-1] += separator + piece
        else:
            groups.append(piece)
    return groups


def _blocks(units: Sequence[_Unit]) -> list[list[_Unit]]:
    """Units that belong together: a whole list (its items in a row), led by the lines that introduce it."""
    blocks: list[list[_Unit]] = []
    lead: list[_Unit] = []
    for unit in units:
        if unit.kind == "intro":
            lead.append(unit)
        elif unit.kind == "item" and not lead and blocks and blocks[-1][-1].kind == "item":
            blocks[-1].append(unit)
        else:
            blocks.append([*lead, unit])
            lead = []
    return [*blocks, lead] if lead else blocks


def _length(text: str) -> int:
    """Characters a parent sees: the numbered marks of citations become a line of their own, later."""
    return len(_MARK.sub("", text))


def _size(units: Sequence[_Unit]) -> int:
    return sum(_length(unit.text) + 1 for unit in units)


def chunk(text: str, limit: int = CHUNK_CHARS, whole_up_to: int | None = None) -> list[str]:
    """Cut text into bubbles of at most `limit` characters, at places that don't break the reading.

    A list, with the heading or "...:" line that introduces it, starts the next bubble when it doesn't fit
    in what is left of this one; a list that fits in a bubble is never cut (its introducing line may take
    the bubble over `limit`), a longer one only between items; a heading never ends a bubble. A paragraph
    longer than a bubble is cut between sentences. An item longer than a bubble gets a bubble of its own,
    whole if it is at most `whole_up_to` characters (an escalation step reads as one piece), otherwise cut
    between sentences. A sentence is never cut.
    """
    keep_whole = max(limit, whole_up_to or limit)
    bubbles: list[list[_Unit]] = []

    def add(piece: _Unit, new_bubble: bool, fits: bool = False) -> None:
        current = bubbles[-1] if bubbles else []
        only_intros = bool(current) and all(unit.kind == "intro" for unit in current)
        full = _size(current) + _length(piece.text) + 1 > limit and not fits
        if not bubbles or not only_intros and (new_bubble or full):
            carried: list[_Unit] = []
            while len(current) > 1 and current[-1].kind == "intro":  # a heading goes with its text
                carried.insert(0, current.pop())
            bubbles.append(carried)
        bubbles[-1].append(piece)

    def kept_whole(unit: _Unit) -> bool:
        return _length(unit.text) <= limit or unit.kind != "para" and _length(unit.text) <= keep_whole

    for block in _blocks(_units(text)):
        # One idea per bubble: what doesn't fit in what is left of this bubble starts the next one.
        new_first = bool(bubbles) and _size(bubbles[-1]) + _size(block) > limit
        if _size([unit for unit in block if unit.kind != "intro"]) <= limit or all(map(kept_whole, block)):
            for number, group in enumerate(_even_groups(block, limit)):
                for index, unit in enumerate(group):
                    add(unit, index == 0 and (number > 0 or new_first), fits=index > 0)
            continue
        for index, unit in enumerate(block):
            if kept_whole(unit):
                add(unit, new_first and index == 0)
                continue
            for number, piece in enumerate(_pack(_pieces(unit.text), limit)):
                add(_Unit(piece, unit.kind), number > 0 or (new_first and index == 0))
    return ["\n".join(unit.text for unit in units) for units in bubbles if units]


def _even_groups(block: Sequence[_Unit], limit: int) -> list[list[_Unit]]:
    """A block cut between units into as few bubbles as it needs, as even as they can be (no item left
    alone at the end of a long list). A block whose items fit in one bubble stays whole, with its lead."""

    def pack(capacity: int) -> list[list[_Unit]]:
        groups: list[list[_Unit]] = []
        for unit in block:
            leading = bool(groups) and all(u.kind == "intro" for u in groups[-1])
            if groups and (leading or _size(groups[-1]) + _length(unit.text) + 1 <= capacity):
                groups[-1].append(unit)
            else:
                groups.append([unit])
        return groups

    if _size([unit for unit in block if unit.kind != "intro"]) <= limit:
        return [list(block)]
    count = len(pack(limit))
    low, high = 1, limit
    while low < high:  # the smallest bubble size that needs no more bubbles than `limit` does
        middle = (low + high) // 2
        low, high = (low, middle) if len(pack(middle)) <= count else (middle + 1, high)
    return pack(low)
