"""The document checker's rules: staff-edited YAML in `knowledge/documents/`, validated like the ladders.

Two files:

- `plan-wording.yml`: what each piece of support in an EHC plan should say (`checks`: what, how much,
  how often, who), the vague words to flag (`vague_words`), speech and language therapy outside
  section F, the note for a need in section B with no matching support, and the areas of need used to
  match section B with section F.
- `letter-contents.yml`: for each kind of letter (`kinds`), what it must tell the parent (`items`).

Every `why` is a legal statement and cites the file's `sources` with `[@key]`; every source must be
cited. Patterns are regular expressions matched as whole words against text in the checker's plain
form (`plain`); each rule's `examples` must match and its `not_examples` must not, so a pattern edit
that breaks a rule is caught by `python -m bot knowledge check`, with the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.content.validation import (
    CITATION_MARKER,
    ID_PATTERN,
    SOURCE_KEYS,
    LocatedMapping,
    Problem,
    Reporter,
    Source,
    check_jargon_group,
    check_unknown_fields,
    node_line,
    one_line,
    source_entry,
)

DOCUMENTS_DIRNAME = "documents"
PLAN_RULES = "plan-wording"
LETTER_RULES = "letter-contents"
SOURCE_OPTIONAL = ("short", "note")
LETTER_GROUPS = ("council", "school")

_APOSTROPHES = re.compile(r"['\u2018\u2019`]")
_DASHES = re.compile(r"[-\u2010-\u2015\u2212]")


def plain(text: str) -> str:
    """Text as the patterns read it: lower case, apostrophes dropped, hyphens and dashes as spaces, one
    space between words ("Full-time" is "full time", "child's" is "childs")."""
    text = _DASHES.sub(" ", _APOSTROPHES.sub("", text.lower()))
    return " ".join(text.split())


def whole_words(pattern: str) -> re.Pattern[str]:
    """A staff pattern that matches whole words only ("may" is not found in "mayor")."""
    return re.compile(rf"(?<![a-z0-9])(?:{pattern})(?![a-z0-9])")


def found(patterns: Iterable[re.Pattern[str]], text: str) -> re.Match[str] | None:
    """The first match of any pattern in `text` (already in plain form)."""
    return next((m for p in patterns if (m := p.search(text))), None)


@dataclass(frozen=True)
class Explained:
    """What a flag says: why (with [@key] citations) and the question to ask."""

    why: str
    ask: str


@dataclass(frozen=True)
class ElementCheck:
    id: str
    missing: str
    explained: Explained
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class VagueWord:
    id: str
    label: str
    explained: Explained
    patterns: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...]

    def found_in(self, text: str) -> re.Match[str] | None:
        if found(self.unless, text):
            return None
        return found(self.patterns, text)


@dataclass(frozen=True)
class NeedArea:
    id: str
    words: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class PlanRules:
    intro: str
    sources: tuple[Source, ...]
    checks: tuple[ElementCheck, ...]
    vague_words: tuple[VagueWord, ...]
    therapy_patterns: tuple[re.Pattern[str], ...]
    therapy_outside_f: Explained
    unmatched_need: Explained
    need_areas: tuple[NeedArea, ...]
    path: str


@dataclass(frozen=True)
class LetterItem:
    id: str
    label: str
    why: str
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class LetterKind:
    id: str
    title: str
    group: str
    items: tuple[LetterItem, ...]


@dataclass(frozen=True)
class LetterRules:
    sources: tuple[Source, ...]
    kinds: tuple[LetterKind, ...]
    path: str

    def kind(self, kind_id: str) -> LetterKind | None:
        return next((k for k in self.kinds if k.id == kind_id), None)


# --------------------------------------------------------------------------------------------------
# Reading one file.


class _File:
    """One rules file being validated: its data, node tree, lines, sources and the texts to check."""

    def __init__(self, path: Path, report: Reporter, data: dict, node: yaml.Node, text: str) -> None:
        self.path = path
        self.report = report
        self.data = data
        self.root = LocatedMapping(node, 1)
        self.lines = text.splitlines()
        self.sources: list[Source] = []
        self.source_lines: dict[str, int] = {}
        self.cited: set[str] = set()
        # (group, text, line span): each group (a rule, an item) may be shown on its own.
        self.texts: list[tuple[str, str, tuple[int, int]]] = []

    def text(self, group: str, at: LocatedMapping, key: str, item: dict, where: str, cited: bool = False) -> str:
        value = item.get(key)
        if not isinstance(value, str) or not value.strip():
            self.report.error(at.line(key), f"{where}'{key}' must be some text")
            return ""
        markers = CITATION_MARKER.findall(value)
        if cited and not markers:
            self.report.error(at.line(key), f"{where}'{key}' is a legal statement: cite it with [@key]")
        for key_cited in markers:
            self.cited.add(key_cited)
            if key_cited not in self.source_lines:
                self.report.error(at.line(key), f"{where}citation [@{key_cited}] does not match any source key")
        self.texts.append((group, value, at.span(key)))
        return one_line(value)

    def patterns(self, at: LocatedMapping, key: str, item: dict, where: str, required: bool = True) -> list[re.Pattern]:
        raw = item.get(key)
        if raw is None and not required:
            return []
        if not isinstance(raw, list) or not raw or not all(isinstance(p, str) and p.strip() for p in raw):
            self.report.error(at.line(key), f"{where}'{key}' must be a list of patterns in quotes")
            return []
        compiled: list[re.Pattern] = []
        for pattern in raw:
            try:
                compiled.append(whole_words(pattern.strip()))
            except re.error as exc:
                self.report.error(at.line(key), f"{where}pattern '{pattern}' is not a valid pattern: {exc}")
        return compiled

    def tried(self, at: LocatedMapping, item: dict, where: str, matches: object) -> None:
        """Each example must be matched by `matches` (a text -> bool) and each not_example must not."""
        for key, wanted in (("examples", True), ("not_examples", False)):
            raw = item.get(key, [])
            if key == "examples" and not raw:
                self.report.error(at.line(key) if key in item else at.fallback, f"{where}add at least one example")
                continue
            if not isinstance(raw, list) or not all(isinstance(e, str) for e in raw):
                self.report.error(at.line(key), f"{where}'{key}' must be a list of sentences in quotes")
                continue
            for example in raw:
                if bool(matches(plain(example))) != wanted:  # type: ignore[operator]
                    verb = "is not found by" if wanted else "is found by"
                    self.report.error(at.line(key), f"{where}the example '{example}' {verb} the patterns")

    def finish(self) -> None:
        for key, line in self.source_lines.items():
            if key not in self.cited:
                self.report.error(line, f"source '{key}' is never cited: add [@{key}] where it is used")
        groups: dict[str, list[tuple[str, tuple[int, int]]]] = {}
        for group, value, span in self.texts:
            groups.setdefault(group, []).append((value, span))
        for fields in groups.values():
            check_jargon_group(fields, self.lines, self.report)


def _open(path: Path, required: tuple[str, ...], optional: tuple[str, ...]) -> tuple[_File | None, Reporter]:
    report = Reporter(str(path))
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        node = yaml.compose(text)
    except (OSError, UnicodeDecodeError) as exc:
        report.error(1, f"cannot read the file as UTF-8 text: {exc}")
        return None, report
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        report.error(mark.line + 1 if mark else 1, f"not valid YAML: {problem} (check the indentation and quotes)")
        return None, report
    if not isinstance(data, dict):
        report.error(1, "a rules file must be a list of 'key: value' lines starting with 'id:'")
        return None, report
    file = _File(path, report, data, node, text)
    for key, dup_line in file.root.duplicates:
        report.error(dup_line, f"field '{key}' appears twice")
    check_unknown_fields(data, required + optional, "", file.root, report)
    for key in required:
        if key not in data or data[key] in (None, "", []):
            report.error(file.root.line(key) if key in data else 1, f"missing required field '{key}'")
    if one_line(data.get("id")) != path.stem:
        report.error(file.root.line("id"), f"id must be '{path.stem}', the file name without '{path.suffix}'")
    raw = data.get("sources") or []
    nodes = file.root.items("sources")
    for number, item in enumerate(raw if isinstance(raw, list) else [], start=1):
        at = LocatedMapping(nodes[number - 1] if number <= len(nodes) else None, file.root.line("sources"))
        if not isinstance(item, dict):
            report.error(at.fallback, f"source {number} must have key, title, citation and url")
            continue
        check_unknown_fields(item, SOURCE_KEYS + SOURCE_OPTIONAL, f"source {number}: ", at, report)
        source = source_entry(item, file.sources, report, at.line("key"), f"source {number}")
        if source is not None:
            file.sources.append(source)
            file.source_lines.setdefault(source.key, at.line("key"))
    return file, report


def _entries(file: _File, key: str, where: str) -> list[tuple[dict, LocatedMapping, str]]:
    """The entries of a top-level list, each with its located node and a 'where' prefix for messages."""
    raw = file.data.get(key) or []
    if not isinstance(raw, list):
        file.report.error(file.root.line(key), f"'{key}' must be a list of entries, each starting with '- id:'")
        return []
    nodes = file.root.items(key)
    entries: list[tuple[dict, LocatedMapping, str]] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        node = nodes[index] if index < len(nodes) else None
        at = LocatedMapping(node, node_line(node) if node is not None else file.root.line(key))
        if not isinstance(item, dict):
            file.report.error(at.fallback, f"{where} {index + 1} must be an entry starting with '- id:'")
            continue
        entry_id = one_line(item.get("id"))
        if not ID_PATTERN.match(entry_id):
            file.report.error(at.line("id"), f"{where} {index + 1}: id must be lowercase words joined by hyphens")
        elif entry_id in seen:
            file.report.error(at.line("id"), f"{where} {index + 1}: id '{entry_id}' is used twice")
        seen.add(entry_id)
        entries.append((item, at, f"{where} '{entry_id or index + 1}': "))
    return entries


def _explained(file: _File, group: str, at: LocatedMapping, item: dict, where: str) -> Explained:
    return Explained(
        why=file.text(group, at, "why", item, where, cited=True),
        ask=file.text(group, at, "ask", item, where),
    )


# --------------------------------------------------------------------------------------------------
# plan-wording.yml


PLAN_REQUIRED = (
    "id",
    "title",
    "intro",
    "last_reviewed",
    "review_by",
    "owner",
    "sources",
    "checks",
    "vague_words",
    "therapy_outside_f",
    "unmatched_need",
    "need_areas",
)


def parse_plan_rules(path: Path) -> tuple[PlanRules | None, list[Problem]]:
    file, report = _open(path, PLAN_REQUIRED, ())
    if file is None:
        return None, report.problems
    intro = file.text("intro", file.root, "intro", file.data, "", cited=True)
    checks: list[ElementCheck] = []
    for item, at, where in _entries(file, "checks", "check"):
        check_unknown_fields(item, ("id", "missing", "why", "ask", "patterns"), where, at, report)
        group = f"check-{item.get('id')}"
        checks.append(
            ElementCheck(
                id=one_line(item.get("id")),
                missing=file.text(group, at, "missing", item, where),
                explained=_explained(file, group, at, item, where),
                patterns=tuple(file.patterns(at, "patterns", item, where)),
            )
        )
    words: list[VagueWord] = []
    for item, at, where in _entries(file, "vague_words", "vague word"):
        allowed = ("id", "label", "patterns", "unless", "why", "ask", "examples", "not_examples")
        check_unknown_fields(item, allowed, where, at, report)
        group = f"word-{item.get('id')}"
        word = VagueWord(
            id=one_line(item.get("id")),
            label=file.text(group, at, "label", item, where),
            explained=_explained(file, group, at, item, where),
            patterns=tuple(file.patterns(at, "patterns", item, where)),
            unless=tuple(file.patterns(at, "unless", item, where, required=False)),
        )
        if word.patterns:
            file.tried(at, item, where, word.found_in)
        words.append(word)

    therapy = file.data.get("therapy_outside_f")
    therapy_at = LocatedMapping(file.root.values.get("therapy_outside_f"), file.root.line("therapy_outside_f"))
    therapy_patterns: list[re.Pattern] = []
    therapy_explained = Explained("", "")
    if isinstance(therapy, dict):
        check_unknown_fields(therapy, ("patterns", "why", "ask"), "therapy_outside_f: ", therapy_at, report)
        therapy_patterns = file.patterns(therapy_at, "patterns", therapy, "therapy_outside_f: ")
        therapy_explained = _explained(file, "therapy", therapy_at, therapy, "therapy_outside_f: ")
    elif therapy is not None:
        report.error(file.root.line("therapy_outside_f"), "therapy_outside_f must have patterns, why and ask")

    unmatched = file.data.get("unmatched_need")
    unmatched_at = LocatedMapping(file.root.values.get("unmatched_need"), file.root.line("unmatched_need"))
    unmatched_explained = Explained("", "")
    if isinstance(unmatched, dict):
        check_unknown_fields(unmatched, ("why", "ask"), "unmatched_need: ", unmatched_at, report)
        unmatched_explained = _explained(file, "unmatched", unmatched_at, unmatched, "unmatched_need: ")
    elif unmatched is not None:
        report.error(file.root.line("unmatched_need"), "unmatched_need must have why and ask")

    areas: list[NeedArea] = []
    for item, at, where in _entries(file, "need_areas", "need area"):
        check_unknown_fields(item, ("id", "words"), where, at, report)
        areas.append(NeedArea(id=one_line(item.get("id")), words=tuple(file.patterns(at, "words", item, where))))
    file.finish()
    if report.has_errors:
        return None, report.problems
    return (
        PlanRules(
            intro=intro,
            sources=tuple(file.sources),
            checks=tuple(checks),
            vague_words=tuple(words),
            therapy_patterns=tuple(therapy_patterns),
            therapy_outside_f=therapy_explained,
            unmatched_need=unmatched_explained,
            need_areas=tuple(areas),
            path=str(path),
        ),
        report.problems,
    )


# --------------------------------------------------------------------------------------------------
# letter-contents.yml


LETTER_REQUIRED = ("id", "title", "last_reviewed", "review_by", "owner", "sources", "kinds")


def parse_letter_rules(path: Path) -> tuple[LetterRules | None, list[Problem]]:
    file, report = _open(path, LETTER_REQUIRED, ())
    if file is None:
        return None, report.problems
    kinds: list[LetterKind] = []
    for item, at, where in _entries(file, "kinds", "kind"):
        check_unknown_fields(item, ("id", "title", "group", "items"), where, at, report)
        group = one_line(item.get("group"))
        if group not in LETTER_GROUPS:
            report.error(at.line("group"), f"{where}group must be one of: {', '.join(LETTER_GROUPS)}")
        raw_items = item.get("items")
        if not isinstance(raw_items, list) or not raw_items:
            report.error(at.line("items"), f"{where}items must be a list with at least one item")
            raw_items = []
        item_nodes = at.items("items")
        items: list[LetterItem] = []
        seen: set[str] = set()
        for index, entry in enumerate(raw_items):
            node = item_nodes[index] if index < len(item_nodes) else None
            entry_at = LocatedMapping(node, node_line(node) if node is not None else at.line("items"))
            entry_id = one_line(entry.get("id")) if isinstance(entry, dict) else ""
            entry_where = f"{where}item '{entry_id or index + 1}': "
            if not isinstance(entry, dict):
                report.error(entry_at.fallback, f"{entry_where}must be an entry starting with '- id:'")
                continue
            if not ID_PATTERN.match(entry_id) or entry_id in seen:
                report.error(entry_at.line("id"), f"{entry_where}id must be lowercase words, used once per kind")
            seen.add(entry_id)
            allowed = ("id", "label", "why", "patterns", "examples", "not_examples")
            check_unknown_fields(entry, allowed, entry_where, entry_at, report)
            text_group = f"{item.get('id')}-{entry_id}"
            patterns = tuple(file.patterns(entry_at, "patterns", entry, entry_where))
            letter_item = LetterItem(
                id=entry_id,
                label=file.text(text_group, entry_at, "label", entry, entry_where),
                why=file.text(text_group, entry_at, "why", entry, entry_where, cited=True),
                patterns=patterns,
            )
            if patterns:
                file.tried(entry_at, entry, entry_where, lambda text, p=patterns: found(p, text))
            items.append(letter_item)
        kinds.append(
            LetterKind(
                id=one_line(item.get("id")),
                title=file.text(f"kind-{item.get('id')}", at, "title", item, where),
                group=group,
                items=tuple(items),
            )
        )
    file.finish()
    if report.has_errors:
        return None, report.problems
    return LetterRules(sources=tuple(file.sources), kinds=tuple(kinds), path=str(path)), report.problems


# --------------------------------------------------------------------------------------------------
# The folder.

PARSERS = {PLAN_RULES: parse_plan_rules, LETTER_RULES: parse_letter_rules}


def rule_paths(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.yml"))


def parse_rules(path: Path) -> tuple[PlanRules | LetterRules | None, list[Problem]]:
    """Validate one file of `knowledge/documents/`, by its name."""
    parser = PARSERS.get(path.stem)
    if parser is None:
        known = ", ".join(f"{name}.yml" for name in PARSERS)
        return None, [Problem(str(path), 1, "error", f"unknown rules file: the checker reads only {known}")]
    return parser(path)


def load_rules(folder: Path) -> tuple[list[PlanRules | LetterRules], list[Problem]]:
    """Every rules file in `folder` (normally knowledge/documents), validated. Once the folder exists, both
    files must be in it; an installation without the folder simply has no checker."""
    rules: list[PlanRules | LetterRules] = []
    problems: list[Problem] = []
    names = {path.stem for path in rule_paths(folder)}
    for name in PARSERS:
        if folder.is_dir() and name not in names:
            problems.append(Problem(str(folder), 0, "error", f"{name}.yml is missing: the checker needs it"))
    for path in rule_paths(folder):
        parsed, found_problems = parse_rules(path)
        problems.extend(found_problems)
        if parsed is not None:
            rules.append(parsed)
    return rules, problems
