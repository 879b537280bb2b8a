"""Escalation ladders: the ordered steps a parent can take when the first approach doesn't work.

A ladder is a YAML file in `knowledge/ladders/`, edited by staff. It serves one or more situation
articles (`articles: [...]`) and lists its steps in order: who to go to, how, any time limit, and which
earlier steps must come first. Routes that look open but are not (for example the Ombudsman for a
decision you can appeal) go under `closed_routes`. Every time limit and every closed route carries a
`[@key]` citation that must match one of the ladder's `sources`.

Validation reports every problem with its file and line, in the same form as article validation
(`bot.content.articles.Problem`). A ladder with errors is not served; warnings (a passed review date) do not
stop it. Rendering produces Markdown for the chat: one step at a time ("what next?") or all steps as a
numbered overview for an article's "If that doesn't work" section.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.content.articles import LadderClaims
from bot.content.jurisdiction import foreign_source_problem
from bot.content.validation import (
    CITATION_MARKER,
    ID_PATTERN,
    SOURCE_KEYS,
    LocatedMapping,
    Problem,
    Reporter,
    Source,
    as_date,
    check_jargon_group,
    check_unknown_fields,
    marker_line,
    node_line,
    one_line,
    valid_url,
)
from bot.law.parent_dates import england_today

LADDERS_DIRNAME = "ladders"
# These articles deliberately have no ladder: crisis help is immediate, talking to an adviser is itself
# the route, and families outside England use other systems.
NO_LADDER_ARTICLES = frozenset({"crisis", "talk-to-adviser", "outside-england"})

LADDER_REQUIRED = ("id", "title", "articles", "last_reviewed", "review_by", "owner", "sources", "steps")
LADDER_OPTIONAL = ("closed_routes",)
STEP_REQUIRED = ("id", "title", "who", "how", "time_limit")  # time_limit may be null, but must be written
STEP_OPTIONAL = ("requires", "note")
STEP_TEXT_FIELDS = ("title", "who", "how", "time_limit", "note")
SOURCE_OPTIONAL = ("short",)
CLOSED_ROUTE_KEYS = ("route", "why")

SourcesRenderer = Callable[[Sequence[Source]], str]
# A text field for the citation and jargon checks: (group, where, value, (first line, last line)).
# Fields of one group (a step, a closed route, the title) can be shown on their own in the chat.
_Field = tuple[str, str, str, tuple[int, int]]


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    who: str
    how: str
    time_limit: str | None
    requires: tuple[str, ...]
    note: str | None
    line: int

    def texts(self) -> list[str]:
        return [t for t in (self.title, self.who, self.how, self.time_limit, self.note) if t]


@dataclass(frozen=True)
class ClosedRoute:
    route: str
    why: str
    line: int


@dataclass(frozen=True)
class Ladder:
    id: str
    title: str
    articles: tuple[str, ...]
    last_reviewed: dt.date
    review_by: dt.date
    owner: str
    sources: tuple[Source, ...]
    steps: tuple[Step, ...]
    closed_routes: tuple[ClosedRoute, ...]
    path: str
    checksum: str

    def source(self, key: str) -> Source | None:
        return next((s for s in self.sources if s.key == key), None)

    def step_index(self, step_id: str) -> int | None:
        return next((i for i, s in enumerate(self.steps) if s.id == step_id), None)


# --------------------------------------------------------------------------------------------------
# Parsing and validation of one file.


@dataclass
class _Parsed:
    ladder: Ladder | None
    problems: list[Problem]
    claims: list[tuple[str, int]]  # (article id, line): what the file says it serves, even if invalid


def _parse_sources(raw: object, root: LocatedMapping, report: Reporter) -> list[tuple[Source, int]]:
    sources: list[tuple[Source, int]] = []
    if not isinstance(raw, list):
        report.error(root.line("sources"), "sources must be a list of entries with key, title, citation and url")
        return sources
    nodes = root.items("sources")
    for number, item in enumerate(raw, start=1):
        node = nodes[number - 1] if number - 1 < len(nodes) else None
        at = LocatedMapping(node, root.line("sources"))
        line = node_line(node) if node is not None else root.line("sources")
        where = f"source {number}: "
        if not isinstance(item, dict):
            report.error(line, f"{where}must have key, title, citation and url")
            continue
        check_unknown_fields(item, SOURCE_KEYS + SOURCE_OPTIONAL, where, at, report)
        missing = [k for k in SOURCE_KEYS if not one_line(item.get(k))]
        if missing:
            report.error(line, f"{where}missing {', '.join(missing)}")
            continue
        key = one_line(item["key"])
        if not ID_PATTERN.match(key):
            report.error(at.line("key"), f"{where}key '{key}' must be lowercase words joined by hyphens")
        if any(s.key == key for s, _ in sources):
            report.error(at.line("key"), f"{where}key '{key}' is used twice")
        url = item["url"]
        if not valid_url(url):
            report.error(at.line("url"), f"{where}url '{url}' is not a valid https address")
        elif foreign := foreign_source_problem(str(url), report.path):
            report.error(at.line("url"), f"{where}{foreign}")
        sources.append(
            (
                Source(
                    key=key,
                    title=one_line(item["title"]),
                    citation=one_line(item["citation"]),
                    url=str(url).strip(),
                    short=one_line(item.get("short")),
                ),
                at.line("key"),
            )
        )
    return sources


def _parse_steps(raw: object, root: LocatedMapping, report: Reporter) -> tuple[list[Step], list[_Field]]:
    """Returns the steps and every text field with its line span (for citation checks)."""
    steps: list[Step] = []
    texts: list[_Field] = []
    if not isinstance(raw, list) or not raw:
        report.error(root.line("steps"), "steps must be a list with at least one step")
        return steps, texts
    nodes = root.items("steps")
    all_ids = [one_line(item.get("id")) if isinstance(item, dict) else "" for item in raw]
    seen: dict[str, int] = {}
    for index, item in enumerate(raw):
        number = index + 1
        node = nodes[index] if index < len(nodes) else None
        line = node_line(node) if node is not None else root.line("steps")
        at = LocatedMapping(node, line)
        if not isinstance(item, dict):
            report.error(line, f"step {number} must have id, title, who, how and time_limit")
            continue
        step_id = one_line(item.get("id"))
        where = f"step {number} ('{step_id}'): " if step_id else f"step {number}: "
        for key, dup_line in at.duplicates:
            report.error(dup_line, f"{where}field '{key}' appears twice")
        check_unknown_fields(item, STEP_REQUIRED + STEP_OPTIONAL, where, at, report)
        for key in STEP_REQUIRED:
            if key not in item:
                hint = " (write 'time_limit: null' if the law sets none)" if key == "time_limit" else ""
                report.error(line, f"{where}missing required field '{key}'{hint}")
            elif key != "time_limit" and not one_line(item.get(key)):
                report.error(at.line(key), f"{where}'{key}' is empty")
        if step_id and not ID_PATTERN.match(step_id):
            report.error(at.line("id"), f"{where}id '{step_id}' must be lowercase words joined by hyphens")
        if step_id in seen:
            report.error(at.line("id"), f"{where}duplicate step id '{step_id}' (also step {seen[step_id]})")
        elif step_id:
            seen[step_id] = number

        time_limit = item.get("time_limit")
        if time_limit is not None and not isinstance(time_limit, str):
            report.error(at.line("time_limit"), f"{where}time_limit must be text in quotes, or null")
            time_limit = None
        if isinstance(time_limit, str) and not time_limit.strip():
            time_limit = None
        if time_limit and not CITATION_MARKER.search(time_limit):
            report.error(
                at.line("time_limit"),
                f"{where}a time limit is a legal statement: add a [@key] citation to it",
            )
        note = item.get("note")
        if note is not None and not isinstance(note, str):
            report.error(at.line("note"), f"{where}note must be text")
            note = None

        requires = item.get("requires", [])
        if requires is None:
            requires = []
        if not isinstance(requires, list) or not all(isinstance(r, str) for r in requires):
            report.error(at.line("requires"), f"{where}requires must be a list of earlier step ids, e.g. [ask-first]")
            requires = []
        earlier = set(all_ids[:index])
        later = set(all_ids[index + 1 :])
        for required in requires:
            if required == step_id:
                report.error(at.line("requires"), f"{where}a step cannot require itself ('{required}')")
            elif required in earlier:
                continue
            elif required in later:
                report.error(
                    at.line("requires"),
                    f"{where}requires '{required}', which comes later in the ladder; "
                    f"a step can only require earlier steps, so move '{required}' above it",
                )
            else:
                known = ", ".join(i for i in all_ids[:index] if i) or "none"
                report.error(
                    at.line("requires"),
                    f"{where}requires unknown step '{required}' (earlier steps: {known})",
                )

        for key in STEP_TEXT_FIELDS:
            value = item.get(key)
            if isinstance(value, str) and value.strip():
                texts.append((f"step-{number}", f"{where}{key}", value, at.span(key)))
        steps.append(
            Step(
                id=step_id,
                title=one_line(item.get("title")),
                who=one_line(item.get("who")),
                how=one_line(item.get("how")),
                time_limit=one_line(time_limit) or None,
                requires=tuple(requires),
                note=one_line(note) or None,
                line=line,
            )
        )
    return steps, texts


def _parse_closed_routes(raw: object, root: LocatedMapping, report: Reporter) -> tuple[list[ClosedRoute], list[_Field]]:
    routes: list[ClosedRoute] = []
    texts: list[_Field] = []
    if raw is None:
        return routes, texts
    if not isinstance(raw, list):
        report.error(root.line("closed_routes"), "closed_routes must be a list of {route: ..., why: ...} entries")
        return routes, texts
    nodes = root.items("closed_routes")
    for index, item in enumerate(raw):
        number = index + 1
        node = nodes[index] if index < len(nodes) else None
        line = node_line(node) if node is not None else root.line("closed_routes")
        at = LocatedMapping(node, line)
        where = f"closed route {number}: "
        if not isinstance(item, dict):
            report.error(line, f"{where}must have 'route' and 'why'")
            continue
        check_unknown_fields(item, CLOSED_ROUTE_KEYS, where, at, report)
        missing = [k for k in CLOSED_ROUTE_KEYS if not one_line(item.get(k))]
        if missing:
            report.error(line, f"{where}missing {', '.join(missing)}")
            continue
        why = str(item["why"])
        if not CITATION_MARKER.search(why):
            report.error(at.line("why"), f"{where}saying a route is closed is a legal statement: cite it with [@key]")
        for key in CLOSED_ROUTE_KEYS:
            texts.append((f"route-{number}", f"{where}{key}", str(item[key]), at.span(key)))
        routes.append(ClosedRoute(route=one_line(item["route"]), why=one_line(why), line=line))
    return routes, texts


def parse_ladder(
    path: Path,
    article_ids: Iterable[str] | None = None,
    today: dt.date | None = None,
) -> tuple[Ladder | None, list[Problem], list[tuple[str, int]]]:
    """Parse and validate one ladder file.

    Returns (ladder or None if it has errors, problems, the article ids it claims with their line).
    """
    parsed = _parse(path, set(article_ids) if article_ids is not None else None, today or england_today())
    return parsed.ladder, parsed.problems, parsed.claims


def _parse(path: Path, known_articles: set[str] | None, today: dt.date) -> _Parsed:
    report = Reporter(str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        report.error(1, f"cannot read the file as UTF-8 text: {exc}")
        return _Parsed(None, report.problems, [])
    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        report.error(line, f"not valid YAML: {problem} (check the indentation and quotes on this line)")
        return _Parsed(None, report.problems, [])
    if not isinstance(data, dict):
        report.error(1, "a ladder must be a list of 'key: value' lines starting with 'id:'")
        return _Parsed(None, report.problems, [])
    lines = text.splitlines()
    root = LocatedMapping(node, 1)
    for key, dup_line in root.duplicates:
        report.error(dup_line, f"field '{key}' appears twice")
    check_unknown_fields(data, LADDER_REQUIRED + LADDER_OPTIONAL, "", root, report)
    for key in LADDER_REQUIRED:
        if key not in data or data[key] in (None, "", []):
            report.error(root.line(key) if key in data else 1, f"missing required field '{key}'")

    ladder_id = one_line(data.get("id"))
    if ladder_id and not ID_PATTERN.match(ladder_id):
        report.error(root.line("id"), f"id '{ladder_id}' must be lowercase words joined by hyphens")
    if ladder_id and path.stem != ladder_id:
        report.error(root.line("id"), f"id '{ladder_id}' must match the file name '{path.stem}{path.suffix}'")

    # Articles served.
    claims: list[tuple[str, int]] = []
    articles = data.get("articles") or []
    if not isinstance(articles, list) or not all(isinstance(a, str) for a in articles):
        report.error(root.line("articles"), "articles must be a list of article ids, e.g. [ehc-delay]")
        articles = []
    article_nodes = root.items("articles")
    for index, article_id in enumerate(articles):
        line = node_line(article_nodes[index]) if index < len(article_nodes) else root.line("articles")
        if any(a == article_id for a, _ in claims):
            report.error(line, f"article '{article_id}' is listed twice")
            continue
        if article_id in NO_LADDER_ARTICLES:
            report.error(line, f"article '{article_id}' must not have a ladder (see docs/ladders.md)")
        elif known_articles is not None and article_id not in known_articles:
            report.error(line, f"unknown article '{article_id}' (no file knowledge/articles/{article_id}.md)")
        claims.append((article_id, line))

    # Dates and owner.
    dates: dict[str, dt.date | None] = {}
    for key in ("last_reviewed", "review_by"):
        if key in data and data[key] not in (None, ""):
            dates[key] = as_date(data[key])
            if dates[key] is None:
                report.error(root.line(key), f"{key} must be a date written YYYY-MM-DD")
    reviewed, review_by = dates.get("last_reviewed"), dates.get("review_by")
    if reviewed and review_by and review_by <= reviewed:
        report.error(root.line("review_by"), "review_by must be after last_reviewed")
    if reviewed and reviewed > today:
        report.error(root.line("last_reviewed"), "last_reviewed is in the future")
    if review_by and review_by < today:
        report.warning(
            root.line("review_by"), f"review was due on {review_by.isoformat()}: please re-check this ladder"
        )
    owner = one_line(data.get("owner"))

    sources = _parse_sources(data.get("sources") or [], root, report) if "sources" in data else []
    steps, step_texts = _parse_steps(data.get("steps"), root, report) if "steps" in data else ([], [])
    routes, route_texts = _parse_closed_routes(data.get("closed_routes"), root, report)

    # Citations: every marker must name a source, and every source must be cited somewhere.
    keys = {s.key for s, _ in sources}
    title = str(data.get("title") or "")
    all_texts: list[_Field] = [("title", "title", title, root.span("title")), *step_texts, *route_texts]
    cited: set[str] = set()
    for _, where, value, span in all_texts:
        for marker in CITATION_MARKER.finditer(value):
            cited.add(marker.group(1))
            if marker.group(1) not in keys:
                report.error(
                    marker_line(lines, marker.group(0), span),
                    f"{where}: citation [@{marker.group(1)}] does not match any source key",
                )
    for source, line in sources:
        if source.key not in cited:
            report.error(line, f"source '{source.key}' is never cited: add [@{source.key}] where it is used")

    # Plain English: a step or closed route may be shown on its own, so each explains its own jargon.
    groups: dict[str, list[tuple[str, tuple[int, int]]]] = {}
    for group, _, value, span in all_texts:
        groups.setdefault(group, []).append((value, span))
    for fields in groups.values():
        check_jargon_group(fields, lines, report)

    if report.has_errors:
        return _Parsed(None, report.problems, claims)
    ladder = Ladder(
        id=ladder_id,
        title=one_line(title),
        articles=tuple(a for a, _ in claims),
        last_reviewed=reviewed,  # type: ignore[arg-type]
        review_by=review_by,  # type: ignore[arg-type]
        owner=owner,
        sources=tuple(s for s, _ in sources),
        steps=tuple(steps),
        closed_routes=tuple(routes),
        path=str(path),
        checksum=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )
    return _Parsed(ladder, report.problems, claims)


# --------------------------------------------------------------------------------------------------
# Loading a folder.


def ladder_paths(ladders_dir: Path) -> list[Path]:
    return sorted([*ladders_dir.glob("*.yml"), *ladders_dir.glob("*.yaml")])


def load_ladders(
    ladders_dir: Path,
    article_ids: set[str] | None = None,
    today: dt.date | None = None,
) -> tuple[list[Ladder], list[Problem]]:
    """Load and validate every ladder in `ladders_dir` (normally `knowledge/ladders`).

    With `article_ids` (the stems of `knowledge/articles/*.md`), it also checks that each listed article
    exists and that every article except `NO_LADDER_ARTICLES` is served by exactly one ladder.
    Returns the valid ladders and every problem found.
    """
    known = set(article_ids) if article_ids is not None else None
    today = today or england_today()
    ladders: list[Ladder] = []
    problems: list[Problem] = []
    ids: dict[str, str] = {}
    served_by: dict[str, str] = {}
    for path in ladder_paths(ladders_dir):
        parsed = _parse(path, known, today)
        problems.extend(parsed.problems)
        if parsed.ladder is not None:
            if parsed.ladder.id in ids:
                problems.append(
                    Problem(
                        str(path),
                        1,
                        "error",
                        f"duplicate ladder id '{parsed.ladder.id}' (also {ids[parsed.ladder.id]})",
                    )
                )
            ids.setdefault(parsed.ladder.id, str(path))
            ladders.append(parsed.ladder)
        for article_id, line in parsed.claims:
            if article_id in served_by:
                problems.append(
                    Problem(
                        str(path),
                        line,
                        "error",
                        f"article '{article_id}' is already served by {served_by[article_id]}; "
                        "each article can have only one ladder",
                    )
                )
            else:
                served_by[article_id] = str(path)
    if known is not None:
        for article_id in sorted(known - NO_LADDER_ARTICLES - set(served_by)):
            problems.append(
                Problem(
                    str(ladders_dir),
                    0,
                    "error",
                    f"article '{article_id}' has no escalation ladder: add it to the 'articles' list of one ladder",
                )
            )
    return ladders, problems


def ladder_claims(ladders_dir: Path) -> dict[str, LadderClaims]:
    """What each ladder file lists in `articles`, by ladder id (the file name), for
    `bot.content.articles.ladder_cross_check`. A file with errors that lists no article maps to None."""
    claims: dict[str, LadderClaims] = {}
    for path in ladder_paths(ladders_dir):
        parsed = _parse(path, None, england_today())
        listed = parsed.claims if parsed.ladder is not None or parsed.claims else None
        claims.setdefault(path.stem, (str(path), listed))
    return claims


def ladder_for_article(ladders: Iterable[Ladder], article_id: str) -> Ladder | None:
    return next((ladder for ladder in ladders if article_id in ladder.articles), None)
