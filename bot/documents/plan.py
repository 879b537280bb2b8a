"""The EHC plan checker: is each piece of support specific, and does each need have some?

Pure: text in, a `PlanReport` out, using the staff's rules (`bot.documents.rules.PlanRules`).

1. The text is split into the plan's sections by their headings ("Section F", "F: Special educational
   provision", "SECTION H1 ..."). Pasted text with no headings is read as section F, and the report says so.
2. Each section is split into pieces: bullet points, numbered points, table rows (tab-separated cells,
   which is how Word tables paste and how `reading` writes them) and paragraphs. A line wrapped by odd
   spacing stays with its piece; a short line ending in ":" is a sub-heading, kept as context.
3. Each piece of support in F, G and H is checked for vague words and for what, how much, how often and
   who; therapy in G or H gets the Code of Practice note.
4. Each need in B is matched with the support in F by area of need (or, failing that, by an uncommon
   word). A need with no match is only ever "check: is there provision for this?".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.documents.rules import PlanRules, found, plain

PROVISION_SECTIONS = ("F", "G", "H")
NEEDS_SECTION = "B"
SECTION_NAMES = {
    "A": "views, interests and aspirations",
    "B": "special educational needs",
    "C": "health needs",
    "D": "social care needs",
    "E": "outcomes",
    "F": "special educational provision",
    "G": "health provision",
    "H": "social care provision",
    "I": "school or placement",
    "J": "personal budget",
    "K": "advice and information",
}
MAX_HEADING_CHARS = 90
MAX_SUBHEADING_WORDS = 8
MIN_PIECE_WORDS = 4

_SECTION_WORD = re.compile(r"^section\s+([a-k])(\d)?\b", re.IGNORECASE)
_LETTER_TITLE = re.compile(
    r"^([a-k])(\d)?\s*[:.)\-\u2013\u2014]\s*(?:special|needs|provision|outcomes|health|social|views|school|"
    r"placement|direct|personal|educational|education|advice|name)",
    re.IGNORECASE,
)
_TITLE_ONLY = {
    "special educational needs": "B",
    "special educational provision": "F",
    "health provision": "G",
    "health care provision": "G",
    "social care provision": "H",
    "outcomes": "E",
}
_BULLET = re.compile(
    r"^(?:[-\u2022*\u00b7\u25aa\u25e6\u25cf\u2023\u2043o]|\(?\d{1,2}[.)]|\(?[a-z][.)]|\(?[ivx]{1,4}\))\s+"
)
_PIPE_CELLS = re.compile(r"\s*\|\s*")
_HEADER_WORDS = re.compile(
    r"^(?:provision|need|needs|outcome|outcomes|frequency|how often|who|by whom|staffing|staff|delivered by|"
    r"resources|amount|hours|area of need|section [a-k]|description|provider|review)$"
)
_STOPWORDS = frozenset(
    "about above after again against because before being below between during having other should their "
    "there these they those through under until which while would could shall child childs young person "
    "needs needed support supported school schools difficulties difficulty including requires required "
    "within around without himself herself themselves learning".split()
)


@dataclass(frozen=True)
class Flag:
    """One point to check: `kind` is 'vague', 'missing', 'therapy' or 'unmatched'."""

    kind: str
    title: str
    why: str  # with [@key] citations to the rules' sources
    ask: str


@dataclass(frozen=True)
class Piece:
    section: str
    text: str
    heading: str = ""  # the sub-heading it sits under, if any


@dataclass(frozen=True)
class ProvisionResult:
    piece: Piece
    flags: tuple[Flag, ...]


@dataclass
class PlanReport:
    sections: list[str]
    provisions: list[ProvisionResult]
    unmatched_needs: list[tuple[Piece, Flag]]
    needs_count: int
    notes: list[str] = field(default_factory=list)

    @property
    def flag_count(self) -> int:
        return sum(len(p.flags) for p in self.provisions) + len(self.unmatched_needs)


# --------------------------------------------------------------------------------------------------
# Sections and pieces.


def heading_section(line: str) -> str | None:
    """The section letter ("F", "H") a line is a heading for, or None."""
    stripped = line.strip().strip("*#").strip()
    if not stripped or len(stripped) > MAX_HEADING_CHARS or "\t" in stripped:
        return None
    match = _SECTION_WORD.match(stripped) or _LETTER_TITLE.match(stripped)
    if match:
        return match.group(1).upper()
    return _TITLE_ONLY.get(plain(stripped).rstrip(":. "))


def split_sections(text: str) -> list[tuple[str, list[str]]]:
    """(section letter, lines) in order; text before the first heading has the letter ''."""
    sections: list[tuple[str, list[str]]] = [("", [])]
    for line in text.split("\n"):
        letter = heading_section(line)
        if letter is not None:
            sections.append((letter, []))
        else:
            sections[-1][1].append(line)
    return [(letter, lines) for letter, lines in sections if letter or any(line.strip() for line in lines)]


def _cells(line: str) -> list[str] | None:
    if "\t" in line:
        cells = line.split("\t")
    elif line.count("|") >= 1 and not _BULLET.match(line):
        cells = _PIPE_CELLS.split(line.strip().strip("|"))
    else:
        return None
    return [c.strip() for c in cells if c.strip()]


def _is_header_row(cells: list[str]) -> bool:
    return all(_HEADER_WORDS.match(plain(c).rstrip(":")) for c in cells)


def _is_subheading(text: str, bulleted: bool) -> bool:
    """A short line introducing what follows: "Communication and interaction:" or, not as a bullet point,
    "Social, emotional and mental health" (no full stop)."""
    words = text.split()
    if text.endswith(":"):
        return len(words) <= MAX_SUBHEADING_WORDS
    return not bulleted and len(words) <= MAX_SUBHEADING_WORDS and not text.endswith((".", ";", "!", "?"))


def split_pieces(section: str, lines: list[str]) -> list[Piece]:
    """The bullet points, numbered points, table rows and paragraphs of one section."""
    pieces: list[Piece] = []
    current: list[str] = []
    heading = ""
    bulleted = False

    def close() -> None:
        nonlocal current, heading, bulleted
        text = " ".join(" ".join(current).split())
        current = []
        was_bulleted, bulleted = bulleted, False
        if not text:
            return
        if _is_subheading(text, was_bulleted):
            heading = text.rstrip(":")
            return
        if len(text.split()) >= MIN_PIECE_WORDS:
            pieces.append(Piece(section, text, heading))

    for line in lines:
        stripped = line.strip()
        if not stripped:
            close()
            continue
        cells = _cells(stripped)
        if cells is not None:
            close()
            if cells and not _is_header_row(cells):
                current = ["; ".join(cells)]
                bulleted = True  # a table row is never a sub-heading
                close()
            continue
        bullet = _BULLET.match(stripped)
        if bullet:
            close()
            current = [stripped[bullet.end() :]]
            bulleted = True
            continue
        # A line after a finished sentence starts a new piece; any other line continues a wrapped one.
        if current and (current[-1].endswith(":") or (current[-1].endswith((".", "!", "?")) and stripped[0].isupper())):
            close()
        current.append(stripped)
    close()
    return pieces


# --------------------------------------------------------------------------------------------------
# Checking.


def provision_flags(piece: Piece, rules: PlanRules) -> list[Flag]:
    text = plain(piece.text if not piece.heading else f"{piece.heading}: {piece.text}")
    flags: list[Flag] = []
    for word in rules.vague_words:
        match = word.found_in(text)
        if match:
            flags.append(Flag("vague", f'Vague wording: "{match.group(0)}"', word.explained.why, word.explained.ask))
    for check in rules.checks:
        if not found(check.patterns, text):
            flags.append(Flag("missing", check.missing, check.explained.why, check.explained.ask))
    if piece.section in ("G", "H") and found(rules.therapy_patterns, text):
        explained = rules.therapy_outside_f
        flags.append(Flag("therapy", "Speech and language therapy outside section F", explained.why, explained.ask))
    return flags


def _areas(text: str, rules: PlanRules) -> set[str]:
    return {area.id for area in rules.need_areas if found(area.words, text)}


def _uncommon_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{6,}", text) if w not in _STOPWORDS}


def need_is_matched(need: Piece, provision_text: str, provision_areas: set[str], rules: PlanRules) -> bool:
    text = plain(need.text)
    # The need's own words first; the sub-heading ("Communication and interaction") only if they name no area.
    areas = _areas(text, rules) or _areas(plain(need.heading), rules)
    if areas:
        return bool(areas & provision_areas)
    words = _uncommon_words(text)
    return not words or bool(words & _uncommon_words(provision_text))


def check_plan(text: str, rules: PlanRules) -> PlanReport:
    """Check the (cleaned) text of a plan, or of the part of it a parent pasted."""
    sections = split_sections(text)
    letters = [letter for letter, _ in sections if letter]
    notes: list[str] = []
    if not letters:
        notes.append(
            "We couldn't find the plan's section headings, so we read all of it as support (section F). "
            "If you pasted needs too, paste them under a line saying 'Section B'."
        )
        sections = [("F", lines) for _, lines in sections]
    elif not any(letter in PROVISION_SECTIONS for letter in letters):
        notes.append("We couldn't find section F (the support), so there was no support to check.")

    needs: list[Piece] = []
    provisions: list[Piece] = []
    for letter, lines in sections:
        if letter == NEEDS_SECTION:
            needs.extend(split_pieces(letter, lines))
        elif letter in PROVISION_SECTIONS:
            provisions.extend(split_pieces(letter, lines))
    results = [ProvisionResult(piece, tuple(provision_flags(piece, rules))) for piece in provisions]

    unmatched: list[tuple[Piece, Flag]] = []
    f_text = " ".join(plain(f"{p.heading} {p.text}") for p in provisions if p.section == "F")
    if needs and f_text:
        f_areas = _areas(f_text, rules)
        explained = rules.unmatched_need
        for need in needs:
            if not need_is_matched(need, f_text, f_areas, rules):
                flag = Flag("unmatched", "Check: is there provision for this?", explained.why, explained.ask)
                unmatched.append((need, flag))
    elif letters and NEEDS_SECTION not in letters and any(p.section == "F" for p in provisions):
        notes.append("We didn't find section B (the needs), so we couldn't check that each need has support.")
    return PlanReport(
        sections=[f"{letter}: {SECTION_NAMES.get(letter, '')}".rstrip(": ") for letter in dict.fromkeys(letters)],
        provisions=results,
        unmatched_needs=unmatched,
        needs_count=len(needs),
        notes=notes,
    )
