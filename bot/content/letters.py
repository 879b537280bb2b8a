"""Letter templates for parents: load, validate and render (Markdown with YAML front matter).

Staff edit the templates in ``knowledge/letters/``. Each one is a letter a parent can send to a school
or council, with ``{{name}}`` placeholders and ``[@key]`` citation markers, checked as strictly as the
articles: every problem is reported with its file and line (see ``docs/letters.md``).

Rendering decisions:

- Citation markers are **removed** from the letter. The letter itself names the law in words ("section
  36 of the Children and Families Act 2014"), so a bracketed citation after it would repeat it, and
  secondary sources (a council page, an advice charity) do not belong in a letter to a school. The
  check therefore insists that every paragraph carrying a marker names an Act, section, regulation,
  guidance or code in words. The sources travel with the rendered letter (``RenderedLetter.sources``)
  so the assistant can list them for the parent beside the letter.
- A placeholder the assistant cannot fill becomes a visible blank: its label in square brackets,
  e.g. ``[your child's name]`` (highlighted in the Word version too).
- ``private: true`` placeholders (names, addresses, dates of birth, anything the parent writes about
  their child) are **never** filled by the assistant, whatever facts it is given.
- Some values are worked out from the conversation's facts (bot/understanding/facts.py): from the date the council got
  the request, which time limit has passed and the date it fell (``missed_deadline``, ``deadline_date``,
  only once it has passed, and never a time limit that is only a condition); from when something
  started ("since September"), how long it has lasted ("13 weeks and 3 days, since 1 September 2026").
  A blank the parent could fill by answering one question is offered as that question (``askable_blank``).

Apart from reading files in :func:`load_letters`, everything here is pure.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.content.articles import read_front_matter
from bot.content.validation import (
    CITATION_MARKER,
    ID_PATTERN,
    Problem,
    Reporter,
    Source,
    as_date,
    check_jargon,
    source_entry,
)
from bot.law.parent_dates import england_today

# Conversation facts the assistant may know and a template may ask for with `from:`.
# The parent's and child's names, addresses and dates of birth are deliberately not here: the
# assistant never collects them, so they are always blanks the parent fills in.
FACTS: tuple[str, ...] = (
    "today",
    "school_type",
    "duration",
    "date",
    "year_group",
    "need_type",
    "request_date",
    "decision_date",
)
REQUIRED_KEYS = ("id", "title", "articles", "last_reviewed", "review_by", "owner", "sources", "placeholders")
OPTIONAL_KEYS: tuple[str, ...] = ()
PLACEHOLDER_SETTINGS = ("label", "private", "from")

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
PLACEHOLDER_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# Anything that looks like a citation marker, to catch malformed ones such as "[@ cfa s36]".
ANY_MARKER = re.compile(r"\[@[^\]\n]*\]?")
# Removed from the letter together with the space before it, so "2014 [@cfa-s36]." becomes "2014.".
MARKER_WITH_SPACE = re.compile(r"[ \t]*\[@[a-z0-9][a-z0-9-]*\]")
# A paragraph that cites the law must also name it in words, because the markers are removed.
LAW_NAMED = re.compile(
    r"\bAct\b|\bRegulations\b|(?i:\b(?:sections?|regulations?|guidance|code of practice|schedule|rules?)\b)"
)
# Square brackets are for blanks only, apart from the year in a case name: "Tandy [1998]".
CASE_YEAR = re.compile(r"\[\d{4}\]")
# Placeholders with these words in the name hold personal details, which must never be filled in.
PERSONAL = re.compile(r"name|address|birth|dob|postcode|phone|email")

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Placeholder:
    """One ``{{name}}`` in a letter: how to fill it, or how to show it when it stays blank."""

    name: str
    label: str
    private: bool = False
    from_fact: str | None = None  # `from:` in the front matter

    @property
    def blank(self) -> str:
        """The visible blank shown when there is no value, e.g. "[your child's name]"."""
        return f"[{self.label}]"


@dataclass(frozen=True)
class LetterTemplate:
    id: str
    title: str
    articles: tuple[str, ...]
    sources: tuple[Source, ...]
    placeholders: tuple[Placeholder, ...]
    body: str
    path: str
    last_reviewed: dt.date
    review_by: dt.date
    owner: str

    def placeholder(self, name: str) -> Placeholder | None:
        return next((p for p in self.placeholders if p.name == name), None)

    def source(self, key: str) -> Source | None:
        return next((s for s in self.sources if s.key == key), None)


@dataclass(frozen=True)
class Segment:
    """A run of letter text: fixed wording, a filled value, or a visible blank."""

    text: str
    placeholder: str | None = None  # the placeholder name, for filled values and blanks
    blank: bool = False


@dataclass(frozen=True)
class Line:
    segments: tuple[Segment, ...]
    bullet: bool = False

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)


@dataclass(frozen=True)
class RenderedLetter:
    id: str
    title: str
    text: str  # plain text, ready to copy
    filled: tuple[str, ...]  # placeholder names filled from facts (or today's date)
    blanks: tuple[str, ...]  # placeholder names left as visible blanks for the parent
    paragraphs: tuple[tuple[Line, ...], ...]
    sources: tuple[Source, ...]

    def filename(self, extension: str) -> str:
        return f"{self.id}.{extension.lstrip('.')}"


# --------------------------------------------------------------------------------------
# Loading and validation
# --------------------------------------------------------------------------------------


@dataclass
class _Lines:
    """Line numbers (in the file) of front matter keys and list items, for messages."""

    keys: dict[str, int]
    items: dict[str, list[int]]  # sequence items of a top-level key
    entries: dict[str, dict[str, int]]  # mapping entries of a top-level key

    def key(self, name: str) -> int:
        return self.keys.get(name, 2)

    def item(self, name: str, index: int) -> int:
        lines = self.items.get(name, [])
        return lines[index] if index < len(lines) else self.key(name)

    def entry(self, name: str, entry: str) -> int:
        return self.entries.get(name, {}).get(entry, self.key(name))


def _front_lines(front: str) -> _Lines:
    lines = _Lines({}, {}, {})
    try:
        node = yaml.compose(front)
    except yaml.YAMLError:
        return lines
    if not isinstance(node, yaml.MappingNode):
        return lines
    for key_node, value_node in node.value:
        key = str(key_node.value)
        lines.keys[key] = key_node.start_mark.line + 2  # +1 for the opening '---', +1 to count from 1
        if isinstance(value_node, yaml.SequenceNode):
            lines.items[key] = [item.start_mark.line + 2 for item in value_node.value]
        elif isinstance(value_node, yaml.MappingNode):
            lines.entries[key] = {str(k.value): k.start_mark.line + 2 for k, _ in value_node.value}
    return lines


def _check_sources(raw_sources: object, lines: _Lines, report: Reporter) -> list[Source]:
    if not isinstance(raw_sources, list):
        if raw_sources not in (None, "", []):
            report.error(lines.key("sources"), "sources must be a list of entries with key, title, citation and url")
        return []
    sources: list[Source] = []
    for index, raw in enumerate(raw_sources):
        line = lines.item("sources", index)
        where = f"source {index + 1}"
        if not isinstance(raw, dict):
            report.error(line, f"{where} must have key, title, citation and url")
            continue
        source = source_entry(raw, sources, report, line, where)
        if source is not None:
            sources.append(source)
    return sources


def _check_placeholders(raw: object, lines: _Lines, report: Reporter) -> list[Placeholder]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, dict):
        report.error(
            lines.key("placeholders"),
            "placeholders must be a list of 'name: {label: \"...\", private: true}' lines",
        )
        return []
    placeholders: list[Placeholder] = []
    for name, spec in raw.items():
        name = str(name)
        line = lines.entry("placeholders", name)
        if not PLACEHOLDER_NAME.match(name):
            report.error(line, f"placeholder name '{name}' must be lowercase letters, digits and underscores")
            continue
        if not isinstance(spec, dict):
            report.error(line, f"placeholder '{name}' needs settings, e.g. {name}: {{label: \"what to fill in\"}}")
            continue
        unknown = [str(k) for k in spec if k not in PLACEHOLDER_SETTINGS]
        if unknown:
            report.error(
                line,
                f"placeholder '{name}' has unknown setting(s) {', '.join(unknown)}; "
                f"use {', '.join(PLACEHOLDER_SETTINGS)}",
            )
        label = spec.get("label")
        if not isinstance(label, str) or not label.strip():
            report.error(line, f"placeholder '{name}' needs a label, e.g. label: \"your child's name\"")
            continue
        if any(ch in label for ch in "[]{}"):
            report.error(line, f"placeholder '{name}': the label must not contain brackets or braces")
        private = spec.get("private", False)
        if not isinstance(private, bool):
            report.error(line, f"placeholder '{name}': private must be true or false")
            private = True
        source = spec.get("from")
        if source is not None and (not isinstance(source, str) or source not in FACTS):
            report.error(
                line,
                f"placeholder '{name}': from '{source}' is not a fact the assistant knows; use one of "
                + ", ".join(FACTS),
            )
            source = None
        if private and source is not None:
            report.error(line, f"placeholder '{name}' cannot be private and also filled from '{source}'")
        if PERSONAL.search(name) and not private:
            report.error(
                line,
                f"placeholder '{name}' holds personal details: add private: true "
                "(the assistant never collects names, addresses or dates of birth)",
            )
            private = True
        placeholders.append(Placeholder(name=name, label=label.strip(), private=private, from_fact=source))
    return placeholders


def body_paragraphs(body: str, body_start: int) -> list[list[tuple[int, str]]]:
    """Blocks of non-blank lines, each line with its line number in the file."""
    paragraphs: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for offset, line in enumerate(body.splitlines()):
        if line.strip():
            current.append((body_start + offset, line.rstrip()))
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return paragraphs


def _check_body(
    body: str,
    body_start: int,
    file_text: str,
    declared: dict[str, Placeholder],
    placeholder_lines: Mapping[str, int],
    source_keys: set[str],
    sources_line: int,
    report: Reporter,
) -> None:
    paragraphs = body_paragraphs(body, body_start)
    if not paragraphs:
        report.error(body_start, "the letter is empty: write it below the closing '---'")
        return
    used: set[str] = set()
    cited: set[str] = set()
    for paragraph in paragraphs:
        has_marker = False
        for number, line in paragraph:
            if line.lstrip().startswith("#"):
                report.error(number, "letters are plain text: remove the '#' heading marker")
            for match in PLACEHOLDER.finditer(line):
                name = match.group(1)
                if not PLACEHOLDER_NAME.match(name):
                    report.error(
                        number,
                        f"'{{{{{name}}}}}' is not a valid placeholder: use lowercase letters, digits and underscores, "
                        "e.g. {{child_name}}",
                    )
                    continue
                used.add(name)
                if name not in declared:
                    report.error(
                        number,
                        f"placeholder '{{{{{name}}}}}' is not declared: add it under 'placeholders' with a label",
                    )
            without_placeholders = PLACEHOLDER.sub("", line)
            for match in ANY_MARKER.finditer(without_placeholders):
                marker = match.group(0)
                proper = CITATION_MARKER.fullmatch(marker)
                if not proper:
                    report.error(number, f"'{marker}' is not a valid citation: write [@key] with a source key")
                    continue
                has_marker = True
                key = proper.group(1)
                cited.add(key)
                if key not in source_keys:
                    report.error(number, f"citation [@{key}] does not match any source key")
            rest = CASE_YEAR.sub("", ANY_MARKER.sub("", without_placeholders))
            if "{" in rest or "}" in rest:
                report.error(number, "stray '{' or '}': write placeholders as {{name}}")
            if "[" in rest or "]" in rest:
                report.error(
                    number,
                    "square brackets in the letter: write a blank as a {{name}} placeholder, "
                    "so the assistant can show it and track it",
                )
        text = " ".join(line for _, line in paragraph)
        if has_marker and not LAW_NAMED.search(CITATION_MARKER.sub("", text)):
            report.error(
                paragraph[0][0],
                "this paragraph cites a source but does not name the law in words (citation markers are "
                "removed from the letter): say which Act, section, regulation or guidance, e.g. "
                "'section 36 of the Children and Families Act 2014'",
            )
    for name, placeholder in declared.items():
        if name not in used:
            report.error(
                placeholder_lines.get(name, 2),
                f"placeholder '{placeholder.name}' is declared but never used in the letter: use "
                f"{{{{{placeholder.name}}}}} or remove it",
            )
    for key in sorted(source_keys - cited):
        report.error(sources_line, f"source '{key}' is never cited: add [@{key}] where the letter relies on it")
    if not cited:
        report.error(body_start, "the letter cites no law: add a [@key] marker after the sentence that relies on it")
    # The parent reads the letter too: abbreviations must be written out first, as in the articles.
    check_jargon(ANY_MARKER.sub("", body), file_text, report)


def parse_letter(
    path: Path, article_ids: set[str] | None = None, today: dt.date | None = None
) -> tuple[LetterTemplate | None, list[Problem]]:
    """Parse and validate one template file. Returns (template or None if it has errors, problems)."""
    report = Reporter(str(path))
    parsed = read_front_matter(path, report)
    if parsed is None:
        return None, report.problems
    text, meta, front, body, body_start = parsed
    lines = _front_lines(front)

    for key in REQUIRED_KEYS:
        if key not in meta or meta[key] in (None, "", []):
            report.error(lines.key(key) if key in meta else 2, f"missing required field '{key}'")
    for key in meta:
        if key not in REQUIRED_KEYS and key not in OPTIONAL_KEYS:
            report.warning(lines.key(str(key)), f"unknown field '{key}' is ignored (check the spelling)")

    letter_id = str(meta.get("id") or "")
    if letter_id and not ID_PATTERN.match(letter_id):
        report.error(lines.key("id"), f"id '{letter_id}' must be lowercase words joined by hyphens")
    if letter_id and path.stem != letter_id:
        report.error(lines.key("id"), f"id '{letter_id}' must match the file name '{path.stem}.md'")
    title = " ".join(str(meta.get("title") or "").split())
    owner = str(meta.get("owner") or "").strip()

    articles = meta.get("articles") or []
    if not isinstance(articles, list) or not all(isinstance(a, str) for a in articles):
        report.error(lines.key("articles"), "articles must be a list of article ids, e.g. [ehc-delay]")
        articles = []
    for index, article in enumerate(articles):
        if article_ids is not None and article not in article_ids:
            report.error(
                lines.item("articles", index),
                f"unknown article '{article}' (no file knowledge/articles/{article}.md)",
            )

    dates: dict[str, dt.date | None] = {}
    for key in ("last_reviewed", "review_by"):
        if key in meta:
            dates[key] = as_date(meta[key])
            if dates[key] is None:
                report.error(lines.key(key), f"{key} must be a date written YYYY-MM-DD")
    reviewed, review_by = dates.get("last_reviewed"), dates.get("review_by")
    if reviewed and review_by and review_by <= reviewed:
        report.error(lines.key("review_by"), "review_by must be after last_reviewed")
    today = today or england_today()
    if reviewed and reviewed > today:
        report.error(lines.key("last_reviewed"), "last_reviewed is in the future")
    if review_by and review_by < today:
        report.warning(
            lines.key("review_by"), f"review was due on {review_by.isoformat()}: please re-check this letter"
        )

    sources = _check_sources(meta.get("sources"), lines, report)
    placeholders = _check_placeholders(meta.get("placeholders"), lines, report)
    _check_body(
        body,
        body_start,
        text,
        {p.name: p for p in placeholders},
        lines.entries.get("placeholders", {}),
        {s.key for s in sources},
        lines.key("sources"),
        report,
    )

    if report.has_errors:
        return None, report.problems
    template = LetterTemplate(
        id=letter_id,
        title=title,
        articles=tuple(articles),
        sources=tuple(sources),
        placeholders=tuple(placeholders),
        body=body.strip("\n"),
        path=str(path),
        last_reviewed=reviewed,  # type: ignore[arg-type]
        review_by=review_by,  # type: ignore[arg-type]
        owner=owner,
    )
    return template, report.problems


def letter_paths(letters_dir: Path) -> list[Path]:
    return sorted(p for p in letters_dir.glob("*.md") if p.name.lower() != "readme.md")


def load_letters(
    letters_dir: Path, article_ids: set[str] | None = None, today: dt.date | None = None
) -> tuple[list[LetterTemplate], list[Problem]]:
    """Load and validate every template in a folder.

    ``article_ids`` (the stems of ``knowledge/articles/*.md``) turns on the check that each template is
    offered with articles that exist. Templates with errors are left out; warnings do not exclude them.
    """
    if not letters_dir.is_dir():
        return [], [Problem(str(letters_dir), 0, "error", "letters folder not found")]
    templates: list[LetterTemplate] = []
    problems: list[Problem] = []
    for path in letter_paths(letters_dir):
        template, found = parse_letter(path, article_ids, today)
        problems.extend(found)
        if template is not None:
            templates.append(template)
    return templates, problems


def article_ids_in(knowledge_dir: Path) -> set[str]:
    """The article ids a template may name: the stems of knowledge/articles/*.md."""
    return {p.stem for p in (knowledge_dir / "articles").glob("*.md")}


def letters_for_article(templates: Sequence[LetterTemplate], article_id: str) -> list[LetterTemplate]:
    """The templates to offer alongside an article, in file order."""
    return [t for t in templates if article_id in t.articles]
