"""The checklist a parent sees and keeps: built once from a plan or letter report, then shown in the
widget (`as_json`) or downloaded as plain text or Word (`checklist_text`, `checklist_docx`).

Citations: each point's `[@key]` markers leave the sentence and become source numbers, numbered in
order of first use across the checklist; the sources are listed at the end with their full addresses.
The checklist quotes the parent's own document (the piece of support a point is about) because it is
for them to attach to their comments; it is made on request and never stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from bot.content.validation import CITATION_MARKER, Source
from bot.content.word import document_bytes, plain_document
from bot.documents.letter import LetterReport
from bot.documents.plan import PlanReport

MAX_QUOTE_CHARS = 300
NOT_ADVICE = "This is information about the law in England, not legal advice."
NOTHING_KEPT = (
    "Nothing you pasted or uploaded was saved: this checklist was made on your device's request and not kept."
)


@dataclass(frozen=True)
class Point:
    title: str
    why: str = ""
    ask: str = ""
    sources: tuple[int, ...] = ()


@dataclass(frozen=True)
class Group:
    heading: str
    quote: str = ""
    points: tuple[Point, ...] = ()


@dataclass
class Checklist:
    title: str
    summary: str
    intro: str = ""
    intro_sources: tuple[int, ...] = ()
    notes: list[str] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)

    def cite(self, text: str, available: tuple[Source, ...]) -> tuple[str, tuple[int, ...]]:
        """`text` without its [@key] markers, and the checklist's numbers for the sources it cites."""
        numbers: list[int] = []
        for key in CITATION_MARKER.findall(text):
            source = next((s for s in available if s.key == key), None)
            if source is None:
                continue
            same_page = next((i for i, s in enumerate(self.sources) if s.url == source.url), None)
            if same_page is None:
                self.sources.append(source)
                same_page = len(self.sources) - 1
            if same_page + 1 not in numbers:
                numbers.append(same_page + 1)
        plain = " ".join(CITATION_MARKER.sub("", text).split())
        for mark in (" .", " ,", " ;", " :"):
            plain = plain.replace(mark, mark[1])
        return plain, tuple(numbers)


def _quote(text: str) -> str:
    return text if len(text) <= MAX_QUOTE_CHARS else text[: MAX_QUOTE_CHARS - 3].rsplit(" ", 1)[0] + "..."


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def plan_checklist(report: PlanReport, intro: str, sources: tuple[Source, ...]) -> Checklist:
    flagged = [r for r in report.provisions if r.flags]
    summary = (
        f"We read {_plural(len(report.provisions), 'piece', 'pieces')} of support and "
        f"{_plural(report.needs_count, 'need', 'needs')}. "
        f"{_plural(len(flagged), 'piece of support has', 'pieces of support have')} points to check"
    )
    if report.unmatched_needs:
        summary += f", and {_plural(len(report.unmatched_needs), 'need', 'needs')} may have no matching support"
    checklist = Checklist(title="Checklist: the support in my child's EHC plan", summary=summary + ".")
    checklist.intro, checklist.intro_sources = checklist.cite(intro, sources)
    checklist.notes = list(report.notes)
    counters: dict[str, int] = {}
    for result in report.provisions:
        counters[result.piece.section] = counters.get(result.piece.section, 0) + 1
        if not result.flags:
            continue
        points = []
        for flag in result.flags:
            why, numbers = checklist.cite(flag.why, sources)
            points.append(Point(flag.title, why, flag.ask, numbers))
        heading = f"Section {result.piece.section}, point {counters[result.piece.section]}"
        if result.piece.heading:
            heading += f" ({result.piece.heading})"
        checklist.groups.append(Group(heading, _quote(result.piece.text), tuple(points)))
    for need, flag in report.unmatched_needs:
        why, numbers = checklist.cite(flag.why, sources)
        checklist.groups.append(
            Group("A need in section B", _quote(need.text), (Point(flag.title, why, flag.ask, numbers),))
        )
    specific = [r for r in report.provisions if not r.flags]
    if specific:
        checklist.groups.append(
            Group(
                f"{_plural(len(specific), 'piece', 'pieces')} of support that look specific",
                "; ".join(_quote(r.piece.text) for r in specific),
                (Point("We found what, how much, how often and who. Still check it matches the advice in the plan."),),
            )
        )
    return checklist


def letter_checklist(report: LetterReport, sources: tuple[Source, ...]) -> Checklist:
    missing = report.missing
    if missing:
        summary = (
            f"We couldn't find {_plural(len(missing), 'thing', 'things')} this letter should tell you. "
            "It may be on a page you didn't paste, so check the whole letter."
        )
    else:
        summary = "We found something about each thing this letter should tell you. Read each part to check it."
    checklist = Checklist(title=f"Checklist: {report.kind.title}", summary=summary)
    if missing:
        points = []
        for result in missing:
            why, numbers = checklist.cite(result.item.why, sources)
            points.append(Point(result.item.label, why, "Ask for this in writing.", numbers))
        checklist.groups.append(Group("We couldn't find", "", tuple(points)))
    present = [r for r in report.results if r.found]
    if present:
        points = []
        for result in present:
            why, numbers = checklist.cite(result.item.why, sources)
            points.append(Point(result.item.label, why, f'We found: "{result.snippet}"', numbers))
        checklist.groups.append(Group("We found something about", "", tuple(points)))
    return checklist


# --------------------------------------------------------------------------------------------------
# Output.


def as_json(checklist: Checklist) -> dict:
    return {
        "title": checklist.title,
        "summary": checklist.summary,
        "intro": checklist.intro,
        "intro_sources": list(checklist.intro_sources),
        "notes": checklist.notes,
        "groups": [
            {
                "heading": g.heading,
                "quote": g.quote,
                "points": [
                    {"title": p.title, "why": p.why, "ask": p.ask, "sources": list(p.sources)} for p in g.points
                ],
            }
            for g in checklist.groups
        ],
        "sources": [{"number": n, "title": s.title, "url": s.url} for n, s in enumerate(checklist.sources, 1)],
        "not_advice": NOT_ADVICE,
    }


def _see(numbers: tuple[int, ...]) -> str:
    if not numbers:
        return ""
    joined = ", ".join(str(n) for n in numbers)
    return f" (see source{'s' if len(numbers) > 1 else ''} {joined})"


def _lines(checklist: Checklist, made: dt.date) -> list[tuple[str, str]]:
    """(kind, text) lines shared by the text and Word versions: title, para, heading, quote, point, detail."""
    lines: list[tuple[str, str]] = [
        ("title", checklist.title),
        ("para", f"Made on {made.strftime('%d %B %Y').lstrip('0')}. {NOT_ADVICE}"),
        ("para", checklist.summary),
    ]
    if checklist.intro:
        lines.append(("para", checklist.intro + _see(checklist.intro_sources)))
    lines.extend(("para", note) for note in checklist.notes)
    for group in checklist.groups:
        lines.append(("heading", group.heading))
        if group.quote:
            lines.append(("quote", f'"{group.quote}"'))
        for point in group.points:
            lines.append(("point", point.title))
            if point.why:
                lines.append(("detail", f"Why: {point.why}{_see(point.sources)}"))
            if point.ask:
                lines.append(("detail", point.ask if point.ask.startswith("We found") else f"Ask: {point.ask}"))
    if checklist.sources:
        lines.append(("heading", "Sources"))
        for number, source in enumerate(checklist.sources, 1):
            lines.append(("source", f"{number}. {source.title}: {source.url}"))
    lines.append(("para", NOTHING_KEPT))
    return lines


def checklist_text(checklist: Checklist, made: dt.date) -> bytes:
    out: list[str] = []
    for kind, text in _lines(checklist, made):
        if kind == "title":
            out.extend([text, "=" * len(text), ""])
        elif kind == "heading":
            out.extend(["", text, "-" * len(text)])
        elif kind == "quote":
            out.append(text)
        elif kind == "point":
            out.append(f"[ ] {text}")
        elif kind == "detail":
            out.append(f"    {text}")
        else:
            out.extend([text, ""] if kind == "para" else [text])
    return ("\n".join(out).rstrip() + "\n").encode("utf-8")


def checklist_docx(checklist: Checklist, made: dt.date) -> bytes:
    """Word, in the one plain style of every download (bot/content/word.py), with real headings and lists."""
    document = plain_document(checklist.title)
    for kind, text in _lines(checklist, made):
        if kind == "title":
            document.add_heading(text, level=1)
        elif kind == "heading":
            document.add_heading(text, level=2)
        elif kind == "quote":
            document.add_paragraph(text, style="Quote")
        elif kind == "point":
            document.add_paragraph(f"\u2610 {text}", style="List Bullet")
        elif kind == "detail":
            document.add_paragraph(text, style="List Continue")
        else:
            document.add_paragraph(text)
    return document_bytes(document)
