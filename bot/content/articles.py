"""Load and validate knowledge articles (Markdown with YAML front matter).

Validation reports every problem with its file and line, so a member of staff can fix a typo without
reading code. Errors stop an article from being served; warnings (such as a passed review date) do not.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.content.readability import readability_problems
from bot.content.tailoring import condition_problems
from bot.content.validation import (
    CITATION_MARKER,
    ID_PATTERN,
    Problem,
    Reporter,
    Source,
    as_date,
    check_jargon,
    key_lines,
    line_of,
    source_entry,
)
from bot.law.parent_dates import england_today

# Body sections, in the order they must appear, keyed by the name the actions use.
SECTIONS: dict[str, str] = {
    "law": "What the law says",
    "next_steps": "What you can do now",
    "escalation": "If that doesn't work",
    "who_can_help": "Who can help",
}
REQUIRED_KEYS = (
    "id",
    "title",
    "intents",
    "summary",
    "last_reviewed",
    "review_by",
    "owner",
    "sources",
    "related",
)
MAX_SUMMARY_WORDS = 60


HEADING = re.compile(r"^##\s+(.+?)\s*$")


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    intents: tuple[str, ...]
    summary: str
    last_reviewed: dt.date
    review_by: dt.date
    owner: str
    sources: tuple[Source, ...]
    related: tuple[str, ...]
    sections: dict[str, str]
    path: str
    checksum: str
    extra: dict = field(default_factory=dict)

    def source(self, key: str) -> Source | None:
        return next((s for s in self.sources if s.key == key), None)

    @property
    def ladder_id(self) -> str | None:
        """The escalation ladder the article names in its front matter (`ladder: ...`), if any.

        Kept in `extra`, so it travels through the search index with the rest of the front matter.
        """
        value = self.extra.get("ladder")
        return value if isinstance(value, str) and value else None


@dataclass
class KnowledgeBase:
    articles: list[Article]
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def by_intent(self) -> dict[str, Article]:
        return {intent: a for a in self.articles for intent in a.intents}


def titles_by_intent(articles: Iterable[Article]) -> dict[str, str]:
    """Readable titles for every situation intent that has an article (what a button offering it says)."""
    return {intent: a.title for a in articles for intent in a.intents}


def intent_of_article(articles: Iterable[Article]) -> dict[str, str]:
    """The intent that opens each article (a search hit offered as a button sends it)."""
    return {a.id: a.intents[0] for a in articles if a.intents}


def _split_front_matter(text: str, report: Reporter) -> tuple[str, str, int] | None:
    """Return (front matter, body, line number where the body starts)."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        report.error(1, "the file must start with a line '---' that opens the front matter")
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    report.error(1, "the front matter is never closed: add a line '---' after it")
    return None


def _split_sections(body: str, body_start: int, report: Reporter) -> dict[str, str]:
    """Split the body on `## ` headings, checking the four required sections and their order."""
    expected = list(SECTIONS.items())
    found: list[tuple[str, int, list[str]]] = []
    preamble: list[str] = []
    for offset, line in enumerate(body.splitlines()):
        match = HEADING.match(line)
        if match and not line.startswith("###"):
            found.append((match.group(1), body_start + offset, []))
        elif found:
            found[-1][2].append(line)
        else:
            preamble.append(line)
    if any(line.strip() for line in preamble):
        report.error(body_start, "text before the first section heading: start with '## What the law says'")
    sections: dict[str, str] = {}
    headings = [heading for heading, _, _ in found]
    for index, (heading, line_no, content) in enumerate(found):
        names = [title for _, title in expected]
        if heading not in names:
            report.error(line_no, f"unknown section heading '## {heading}'; the sections are: {', '.join(names)}")
            continue
        if headings.count(heading) > 1 and headings.index(heading) != index:
            report.error(line_no, f"section '## {heading}' appears twice")
            continue
        text = "\n".join(content).strip()
        if not text:
            report.error(line_no, f"section '## {heading}' is empty")
        key = next(k for k, title in expected if title == heading)
        sections[key] = text
    for key, title in expected:
        if key not in sections and title not in headings:
            report.error(body_start, f"missing section '## {title}'")
    present = [title for title in headings if title in dict(expected).values()]
    order = [title for _, title in expected if title in present]
    if present != order and len(set(present)) == len(present):
        report.error(body_start, "sections are out of order; use: " + ", ".join(t for _, t in expected))
    return sections


def _blocks(section: str) -> list[str]:
    """Bullets and paragraphs of a section: each should carry its own citation in the law section."""
    blocks: list[str] = []
    current: list[str] = []
    for line in section.splitlines():
        stripped = line.strip()
        starts_item = bool(re.match(r"^([-*]|\d+\.)\s", stripped))
        if not stripped or stripped.startswith("#") or (starts_item and not line.startswith((" ", "\t"))):
            if current:
                blocks.append(" ".join(current))
            current = [stripped] if stripped and not stripped.startswith("#") else []
        else:
            current.append(stripped)
    if current:
        blocks.append(" ".join(current))
    return [b for b in blocks if b]


def _check_tailoring(rules: object, line: int, report: Reporter) -> list[str]:
    """Validate optional `tailoring` rules; returns their texts for the citation checks."""
    if not isinstance(rules, list):
        report.error(line, "tailoring must be a list of {when: ..., say: ...} entries")
        return []
    says: list[str] = []
    for number, rule in enumerate(rules, start=1):
        if not isinstance(rule, dict) or not str(rule.get("say") or "").strip():
            report.error(line, f"tailoring rule {number} needs 'when' and 'say'")
            continue
        for problem in condition_problems(rule.get("when")):
            report.error(line, f"tailoring rule {number}: {problem}")
        says.append(str(rule["say"]))
    return says


def read_front_matter(path: Path, report: Reporter) -> tuple[str, dict, str, str, int] | None:
    """Read a Markdown file with YAML front matter: (text, meta, front, body, body start line).

    Shared by articles and letters; every problem is reported with its line, and None means the file
    can't be read further. While an edit awaits sign-off, the last signed-off copy is read instead.
    """
    from bot.content.review import served_path  # here, not at the top: bot.content.review builds on this module

    source = served_path(path, report)
    if source is None:
        return None
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        report.error(1, f"cannot read the file as UTF-8 text: {exc}")
        return None
    split = _split_front_matter(text, report)
    if split is None:
        return None
    front, body, body_start = split
    try:
        meta = yaml.safe_load(front) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 2
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        report.error(line, f"the front matter is not valid YAML: {problem}")
        return None
    if not isinstance(meta, dict):
        report.error(2, "the front matter must be a list of 'key: value' lines")
        return None
    return text, meta, front, body, body_start


def parse_article(path: Path, known_intents: Iterable[str] | None = None, today: dt.date | None = None):
    """Parse and validate one file. Returns (article or None, problems)."""
    report = Reporter(str(path))
    parsed = read_front_matter(path, report)
    if parsed is None:
        return None, report.problems
    text, meta, front, body, body_start = parsed
    key_line = key_lines(front)

    def line(key: str) -> int:
        return key_line.get(key, 2)

    for key in REQUIRED_KEYS:
        if key not in meta or meta[key] in (None, "", []):
            report.error(line(key) if key in meta else 2, f"missing required field '{key}'")

    article_id = str(meta.get("id", ""))
    if article_id and not ID_PATTERN.match(article_id):
        report.error(line("id"), f"id '{article_id}' must be lowercase words joined by hyphens")
    if article_id and path.stem != article_id:
        report.error(line("id"), f"id '{article_id}' must match the file name '{path.stem}.md'")

    intents = meta.get("intents") or []
    if not isinstance(intents, list) or not all(isinstance(i, str) for i in intents):
        report.error(line("intents"), "intents must be a list of intent names, e.g. [ehc_delay]")
        intents = []
    known = set(known_intents) if known_intents is not None else None
    for intent in intents:
        if known is not None and intent not in known:
            report.error(line("intents"), f"unknown intent '{intent}' (not a situation intent in domain.yml)")

    summary = " ".join(str(meta.get("summary") or "").split())
    words = len(CITATION_MARKER.sub("", summary).split())
    if words > MAX_SUMMARY_WORDS:
        report.error(line("summary"), f"summary has {words} words; keep it to {MAX_SUMMARY_WORDS} or fewer")

    dates: dict[str, dt.date | None] = {}
    for key in ("last_reviewed", "review_by"):
        if key in meta:
            dates[key] = as_date(meta[key])
            if dates[key] is None:
                report.error(line(key), f"{key} must be a date written YYYY-MM-DD")
    reviewed, review_by = dates.get("last_reviewed"), dates.get("review_by")
    if reviewed and review_by and review_by <= reviewed:
        report.error(line("review_by"), "review_by must be after last_reviewed")
    today = today or england_today()
    if reviewed and reviewed > today:
        report.error(line("last_reviewed"), "last_reviewed is in the future")
    if review_by and review_by < today:
        report.warning(line("review_by"), f"review was due on {review_by.isoformat()}: please re-check this article")

    sources: list[Source] = []
    raw_sources = meta.get("sources") or []
    if not isinstance(raw_sources, list):
        report.error(line("sources"), "sources must be a list")
        raw_sources = []
    for number, raw in enumerate(raw_sources, start=1):
        if not isinstance(raw, dict):
            report.error(line("sources"), f"source {number} must have key, title, citation and url")
            continue
        source = source_entry(raw, sources, report, line("sources"), f"source {number}")
        if source is not None:
            sources.append(source)

    related = meta.get("related") or []
    if not isinstance(related, list) or not all(isinstance(r, str) for r in related):
        report.error(line("related"), "related must be a list of article ids")
        related = []
    owner = str(meta.get("owner") or "").strip()

    ladder = meta.get("ladder")
    if "ladder" in meta and (not isinstance(ladder, str) or not ID_PATTERN.match(ladder)):
        report.error(
            line("ladder"),
            "ladder must be the id of one escalation ladder (its file name in knowledge/ladders without "
            ".yml), e.g. 'ladder: unlawful-exclusion'",
        )

    sections = _split_sections(body, body_start, report)
    if isinstance(ladder, str) and re.search(r"^\d+\.\s", sections.get("escalation", ""), re.M):
        report.warning(
            line_of(text, "## " + SECTIONS["escalation"], 1),
            f"this article names the ladder '{ladder}', whose steps are shown after '{SECTIONS['escalation']}'; "
            "keep only a short lead-in here, and put numbered steps in the ladder",
        )
    keys = {s.key for s in sources}
    tailoring = meta.get("tailoring") or []
    says = _check_tailoring(tailoring, line("tailoring"), report)
    full_text = summary + "\n" + body + "\n" + "\n".join(says)
    for marker in CITATION_MARKER.finditer(full_text):
        if marker.group(1) not in keys:
            where = line("summary") if marker.start() < len(summary) else line_of(text, marker.group(0), 1)
            report.error(where, f"citation [@{marker.group(1)}] does not match any source key")
    cited = set(CITATION_MARKER.findall(full_text))
    for source in sources:
        if source.key not in cited:
            report.error(line("sources"), f"source '{source.key}' is never cited: add [@{source.key}] where it is used")
    for block in _blocks(sections.get("law", "")):
        if not CITATION_MARKER.search(block):
            report.error(
                line_of(text, block[:40], 1),
                f"this statement in 'What the law says' has no citation: '{block[:70]}'",
            )
    if "next_steps" in sections and not re.search(r"^\s*>\s*\S", sections["next_steps"], re.M):
        report.error(
            line_of(text, "## " + SECTIONS["next_steps"], 1),
            "'What you can do now' needs a sentence the parent can use, as a line starting with '> '",
        )
    # Titles are button labels in the parent's own words ("my child's EHCP"), so only the text is checked.
    check_jargon(summary + "\n" + body, text, report)
    for part, message in readability_problems(summary, sections.get("next_steps", "")):
        where = line("summary") if part == "summary" else line_of(text, "## " + SECTIONS["next_steps"], 1)
        report.error(where, message)

    if report.has_errors:
        return None, report.problems
    article = Article(
        id=article_id,
        title=str(meta["title"]).strip(),
        intents=tuple(intents),
        summary=summary,
        last_reviewed=reviewed,  # type: ignore[arg-type]
        review_by=review_by,  # type: ignore[arg-type]
        owner=owner,
        sources=tuple(sources),
        related=tuple(related),
        sections=sections,
        path=str(path),
        checksum=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        extra={k: v for k, v in meta.items() if k not in REQUIRED_KEYS},
    )
    return article, report.problems


def article_paths(knowledge_dir: Path) -> list[Path]:
    return sorted((knowledge_dir / "articles").glob("*.md"))


def _field_line(path: str, key: str) -> int:
    """Line of a top-level front matter key in a file, for cross-article messages."""
    try:
        for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
            if line.startswith(f"{key}:"):
                return number
    except OSError:
        pass
    return 1


def cross_check(articles: list[Article], situation_intents: Iterable[str] | None, knowledge_dir: Path) -> list[Problem]:
    """Checks that need every article: duplicate ids, intents covered once, related ids that exist."""
    problems: list[Problem] = []
    seen_ids: dict[str, Article] = {}
    owner_of: dict[str, Article] = {}
    for article in articles:
        if article.id in seen_ids:
            problems.append(
                Problem(
                    article.path,
                    _field_line(article.path, "id"),
                    "error",
                    f"duplicate id '{article.id}' (also in {seen_ids[article.id].path})",
                )
            )
        seen_ids.setdefault(article.id, article)
        for intent in article.intents:
            if intent in owner_of:
                problems.append(
                    Problem(
                        article.path,
                        _field_line(article.path, "intents"),
                        "error",
                        f"intent '{intent}' already has an article ({owner_of[intent].path}); "
                        "each intent needs exactly one",
                    )
                )
            owner_of.setdefault(intent, article)
    for article in articles:
        for rel in article.related:
            if rel not in seen_ids:
                problems.append(
                    Problem(
                        article.path,
                        _field_line(article.path, "related"),
                        "error",
                        f"related article '{rel}' does not exist",
                    )
                )
    if situation_intents is not None:
        for intent in situation_intents:
            if intent not in owner_of:
                problems.append(
                    Problem(
                        str(knowledge_dir / "articles"),
                        0,
                        "error",
                        f"intent '{intent}' in domain.yml has no article: add one that lists it in 'intents'",
                    )
                )
    return problems


# --------------------------------------------------------------------------------------------------
# Articles and escalation ladders name each other: an article's `ladder: <id>` and the ladder's
# `articles: [...]` list must agree, so that the chat shows the right steps after the article's lead-in.


@dataclass(frozen=True)
class LadderName:
    """What one article file says about its ladder: `ladder: <id>` on `line`, or no ladder (None)."""

    path: str
    line: int
    ladder: str | None


# What one ladder file lists in `articles`: its path, and (article id, line) for each article. None when the
# file has errors and lists no article: its own problems say what to fix, so its links are not checked.
LadderClaims = tuple[str, Sequence[tuple[str, int]] | None]


def article_ladder_names(knowledge_dir: Path) -> dict[str, LadderName]:
    """The ladder each article file names, by article id (the file name).

    Read from the front matter even when the article has other errors, which load_knowledge reports. A file
    whose front matter can't be read, or whose `ladder` is not text, is left out: its own error says why.
    """
    names: dict[str, LadderName] = {}
    for path in article_paths(knowledge_dir):
        parsed = read_front_matter(path, Reporter(str(path)))
        if parsed is None:
            continue
        _, meta, front, _, _ = parsed
        value = meta.get("ladder")
        if value is not None and not isinstance(value, str):
            continue
        names[path.stem] = LadderName(str(path), key_lines(front).get("ladder", 2), value or None)
    return names


def ladder_cross_check(names: Mapping[str, LadderName], ladders: Mapping[str, LadderClaims]) -> list[Problem]:
    """Articles and ladders must name each other: `names` from article_ladder_names, `ladders` by ladder id.

    Reports, with file and line: an article naming a ladder that doesn't exist; a ladder that doesn't list
    an article naming it; and a ladder listing an article that doesn't name it back. Articles a ladder lists
    that don't exist, or that no ladder lists, are left to bot.content.ladders.load_ladders.
    """
    problems: list[Problem] = []
    for article_id, named in sorted(names.items()):
        if named.ladder is None:
            continue
        if named.ladder not in ladders:
            close = difflib.get_close_matches(named.ladder, list(ladders), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problems.append(
                Problem(
                    named.path,
                    named.line,
                    "error",
                    f"ladder '{named.ladder}' does not exist: there is no file '{named.ladder}.yml' in the "
                    f"ladders folder{hint}",
                )
            )
            continue
        ladder_path, claims = ladders[named.ladder]
        if claims is not None and article_id not in {listed for listed, _ in claims}:
            problems.append(
                Problem(
                    named.path,
                    named.line,
                    "error",
                    f"ladder '{named.ladder}' does not list this article: add '{article_id}' to the 'articles' "
                    f"list in {ladder_path}, or name the ladder that does",
                )
            )
    for ladder_id, (ladder_path, claims) in sorted(ladders.items()):
        for article_id, line in claims or ():
            named = names.get(article_id)
            if named is None or named.ladder == ladder_id:
                continue
            if named.ladder is None:
                message = (
                    f"article '{article_id}' is listed here but does not name this ladder: add "
                    f"'ladder: {ladder_id}' to the front matter of {named.path}"
                )
            else:
                message = (
                    f"article '{article_id}' is listed here but names the ladder '{named.ladder}' "
                    f"({named.path}:{named.line}); an article has one ladder, so change one of them"
                )
            problems.append(Problem(ladder_path, line, "error", message))
    return problems


def load_knowledge(
    knowledge_dir: Path,
    situation_intents: Iterable[str] | None = None,
    today: dt.date | None = None,
) -> KnowledgeBase:
    """Load every article, validating each one and then the set as a whole."""
    intents = list(situation_intents) if situation_intents is not None else None
    articles: list[Article] = []
    problems: list[Problem] = []
    for path in article_paths(knowledge_dir):
        article, found = parse_article(path, intents, today)
        problems.extend(found)
        if article is not None:
            articles.append(article)
    # An article that failed validation still "covers" its intents for the missing-article check only
    # if it parsed; otherwise the missing article is reported too, which is what staff need to know.
    problems.extend(cross_check(articles, intents, knowledge_dir))
    return KnowledgeBase(articles=articles, problems=problems)
