"""The validation toolkit every staff file shares: problems located by file and line, the reporter that
collects them, source entries, review dates, web addresses, explained abbreviations and line locators.

Articles, ladders, letters, triage, claims and partners all report through `Reporter`, so `python -m bot
knowledge check` prints every kind of problem the same way: `path:line: severity: message`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlparse

import yaml

from bot.content.jurisdiction import foreign_source_problem

SOURCE_KEYS = ("key", "title", "citation", "url")


ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


CITATION_MARKER = re.compile(r"\[@([a-z0-9][a-z0-9-]*)\]")


# Jargon a parent may not know: the expansion must come before, or in the same sentence as, the first
# use of the abbreviation anywhere in the article (summary first, then the sections in order).
GLOSSARY: dict[str, tuple[str, ...]] = {
    "EHC": ("education, health and care",),
    "EHCP": ("education, health and care",),
    "SENCO": ("special educational needs co-ordinator", "special educational needs coordinator"),
    "LA": ("local authority",),
    "IRP": ("independent review panel",),
    "SENDIASS": ("information, advice and support service",),
    "CAMHS": ("mental health services",),
    "ICB": ("integrated care board",),
    "SEN": ("special educational needs",),
    "SEND": ("special educational needs and disabilities",),
    "PRU": ("pupil referral unit",),
    "EOTAS": ("education otherwise than at school",),
    "OT": ("occupational therap",),
    "SLT": ("speech and language therap",),
    "LGSCO": ("local government and social care ombudsman",),
    "PHSO": ("parliamentary and health service ombudsman",),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a knowledge file, located for a human to fix."""

    path: str
    line: int
    severity: str  # "error" or "warning"
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    citation: str
    url: str
    short: str = ""

    @property
    def inline(self) -> str:
        """How the source is named in running text."""
        return self.short or self.citation


class Reporter:
    """Collects problems for one file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, "error", message))

    def warning(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, "warning", message))

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


def key_lines(front: str) -> dict[str, int]:
    """Line (within the file) of each top-level front matter key, for messages."""
    lines: dict[str, int] = {}
    try:
        node = yaml.compose(front)
    except yaml.YAMLError:
        return lines
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            lines[str(key_node.value)] = key_node.start_mark.line + 2  # +1 for '---', +1 one-based
    return lines


def line_of(text: str, needle: str, start_line: int) -> int:
    """The line of the first `needle` in `text`, counting `text` as starting at `start_line`."""
    index = text.find(needle)
    return start_line if index < 0 else start_line + text.count("\n", 0, index)


def line_containing(lines: list[str], needle: str, default: int = 1) -> int:
    """The first line (1-based) with the start of `needle` in it, for YAML files read line by line."""
    needle = needle.strip()[:40]
    for number, line in enumerate(lines, start=1):
        if needle and needle in line:
            return number
    return default


def as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def valid_url(url: object) -> bool:
    if not isinstance(url, str) or any(ch.isspace() for ch in url):
        return False
    parsed = urlparse(url)
    host = parsed.hostname or ""
    return parsed.scheme == "https" and "." in host and not host.startswith(".")


def check_jargon(text: str, file_text: str, report: Reporter) -> None:
    """Each abbreviation in the glossary must be explained at or before its first use."""
    lowered = text.lower()
    for abbreviation, expansions in GLOSSARY.items():
        # "SEND Information, Advice and Support Service" is a proper name, explained by what follows it.
        match = re.search(rf"(?<![A-Za-z]){abbreviation}(?![A-Za-z])(?! Information, Advice)", text)
        if not match:
            continue
        sentence_end = re.search(r"[.!?\n]", text[match.end() :])
        limit = match.end() + (sentence_end.start() if sentence_end else len(text))
        if not any(0 <= lowered.find(exp) < limit for exp in expansions):
            snippet = text[match.start() : match.start() + 30].split("\n")[0]
            where = line_of(file_text, snippet, 1) if snippet in file_text else line_of(file_text, abbreviation, 1)
            report.error(
                where,
                f"'{abbreviation}' is used before it is explained; write it out first, "
                f"e.g. '{expansions[0]} ({abbreviation})'",
            )


def source_entry(item: dict, existing: list[Source], report: Reporter, line: int, where: str) -> Source | None:
    """Validate one entry of a `sources` list (articles, letters and triage files share the format).

    Returns None when a required field is missing; other problems are reported and the source kept, so
    one typo doesn't hide the rest of a file's problems.
    """
    missing = [k for k in SOURCE_KEYS if not str(item.get(k) or "").strip()]
    if missing:
        report.error(line, f"{where} is missing {', '.join(missing)}")
        return None
    key = str(item["key"]).strip()
    if not ID_PATTERN.match(key):
        report.error(line, f"{where}: key '{key}' must be lowercase words joined by hyphens")
    if any(s.key == key for s in existing):
        report.error(line, f"{where}: key '{key}' is used twice")
    if not valid_url(item["url"]):
        report.error(line, f"{where}: url '{item['url']}' is not a valid https address")
    elif foreign := foreign_source_problem(str(item["url"]), report.path):
        report.error(line, f"{where}: {foreign}")
    return Source(
        key=key,
        title=" ".join(str(item["title"]).split()),
        citation=" ".join(str(item["citation"]).split()),
        url=str(item["url"]).strip(),
        short=" ".join(str(item.get("short") or "").split()),
    )


# Line numbers in YAML files read as nodes (ladders, claims): PyYAML's node tree knows where each key and
# value starts.


def node_line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


class LocatedMapping:
    """A YAML mapping node's keys with their lines, and the line span of each value."""

    def __init__(self, node: yaml.Node | None, fallback: int) -> None:
        self.fallback = fallback
        self.keys: dict[str, int] = {}
        self.values: dict[str, yaml.Node] = {}
        self.duplicates: list[tuple[str, int]] = []
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = str(key_node.value)
                if key in self.keys:
                    self.duplicates.append((key, node_line(key_node)))
                    continue
                self.keys[key] = node_line(key_node)
                self.values[key] = value_node

    def line(self, key: str) -> int:
        return self.keys.get(key, self.fallback)

    def items(self, key: str) -> list[yaml.Node]:
        node = self.values.get(key)
        return list(node.value) if isinstance(node, yaml.SequenceNode) else []

    def span(self, key: str) -> tuple[int, int]:
        node = self.values.get(key)
        if node is None:
            return self.line(key), self.line(key)
        return node_line(node), node.end_mark.line + 1


def marker_line(lines: list[str], marker: str, span: tuple[int, int]) -> int:
    """The line within `span` (inclusive, one-based) that holds `marker`, else the span's first line."""
    start, end = span
    for number in range(start, min(end, len(lines)) + 1):
        if marker in lines[number - 1]:
            return number
    return start


def one_line(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def check_unknown_fields(
    mapping: dict, allowed: Iterable[str], where: str, located: LocatedMapping, report: Reporter
) -> None:
    allowed = tuple(allowed)
    for key in mapping:
        if str(key) not in allowed:
            report.error(
                located.line(str(key)),
                f"{where}unknown field '{key}'; the fields are: {', '.join(allowed)}",
            )


def check_jargon_group(fields: list[tuple[str, tuple[int, int]]], lines: list[str], report: Reporter) -> None:
    """Each abbreviation must be explained at or before its first use within the group (as for articles)."""
    joined = ""
    starts: list[tuple[int, tuple[int, int]]] = []
    for value, span in fields:
        starts.append((len(joined), span))
        joined += CITATION_MARKER.sub("", value) + "\n"
    lowered = joined.lower()
    for abbreviation, expansions in GLOSSARY.items():
        # "SEND Information, Advice and Support Service" is a proper name, explained by what follows it.
        pattern = rf"(?<![A-Za-z]){abbreviation}(?![A-Za-z])(?! Information, Advice)"
        match = re.search(pattern, joined)
        if not match:
            continue
        sentence_end = re.search(r"[.!?\n]", joined[match.end() :])
        limit = match.end() + (sentence_end.start() if sentence_end else len(joined))
        if any(0 <= lowered.find(expansion) < limit for expansion in expansions):
            continue
        span = next(sp for start, sp in reversed(starts) if start <= match.start())
        where = next(
            (n for n in range(span[0], min(span[1], len(lines)) + 1) if re.search(pattern, lines[n - 1])),
            span[0],
        )
        report.error(
            where,
            f"'{abbreviation}' is used before it is explained; write it out first, "
            f"e.g. '{expansions[0]} ({abbreviation})'",
        )


class YamlPathLines:
    """Line numbers of a key path (`line("helpline", "hours", 0)`) in a YAML document, for messages.

    For files read as plain data (partners, the help directory); a key that is not there gives the line of
    the nearest part of the path that is."""

    def __init__(self, text: str) -> None:
        try:
            self.root = yaml.compose(text)
        except yaml.YAMLError:
            self.root = None

    def __call__(self, *path: str | int) -> int:
        node, line = self.root, 1
        for key in path:
            if node is None:
                break
            line = node.start_mark.line + 1
            if isinstance(node, yaml.MappingNode):
                match = next((pair for pair in node.value if str(pair[0].value) == str(key)), None)
                if match is None:
                    return line
                line = match[0].start_mark.line + 1
                node = match[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
                node = node.value[key]
                line = node.start_mark.line + 1
            else:
                return line
        return line
