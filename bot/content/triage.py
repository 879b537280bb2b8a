"""Exclusion triage: from a few answers about the case to the route that fits, with citations.

The words come from a staff-editable file, `knowledge/triage/exclusion.yml`: three routes (informal,
suspension, permanent), each a list of paragraphs with an optional `when:` condition on the answers.
This module validates that file (like articles: sources, citations, jargon, review dates, each problem
with its file and line), reads the parent's typed answers, and picks the paragraphs. Apart from
`load_triage`, everything here is pure.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.content import conditions
from bot.content.render import render_citations
from bot.content.validation import (
    CITATION_MARKER,
    SOURCE_KEYS,
    Problem,
    Reporter,
    Source,
    as_date,
    check_jargon,
    line_containing,
    source_entry,
)
from bot.law.parent_dates import england_today
from bot.text import NUMBER_WORDS
from bot.understanding.facts import SKIPPED  # the one "skipped" answer, shared by every form

TRIAGE_DIRNAME = "triage"
EXCLUSION_FILE = "exclusion.yml"

ROUTES = ("informal", "suspension", "permanent")
REQUIRED_KEYS = ("id", "title", "last_reviewed", "review_by", "owner", "sources", "routes")
ROUTE_KEYS = ("title", "paragraphs")
PARAGRAPH_KEYS = ("say", "when")
SOURCE_OPTIONAL = ("short",)

# What a `when:` condition may test, and the values it may name ("unknown" = skipped or not asked).
CHOICES: dict[str, tuple[str, ...]] = {
    "recorded": ("yes", "no", "unknown"),
    "school_type": ("academy", "maintained", "other", "unknown"),
    "support_level": ("ehc_plan", "sen_support", "neither", "unknown"),
    "public_exam": ("yes", "no", "unknown"),
}
# One `when:` language with the articles (bot/content/conditions.py); here the facts are the answers.
VOCABULARY = conditions.Vocabulary(
    words=CHOICES, numbers=("days",), number_hint="a number of school days, e.g. 5", whole_numbers=False
)

# The articles that offer the questions, and the route each one starts from.
TRIAGE_ARTICLES: dict[str, str] = {
    "informal-exclusion": "informal",
    "reduced-timetable": "informal",
    "off-rolling": "informal",
    "suspension": "suspension",
    "permanent-exclusion": "permanent",
}
# The questions, in the order the form asks them (domain.yml lists the same slots).


@dataclass(frozen=True)
class Paragraph:
    say: str
    when: Mapping[str, object]
    line: int


@dataclass(frozen=True)
class Route:
    id: str
    title: str
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class TriageGuide:
    id: str
    title: str
    sources: tuple[Source, ...]
    routes: Mapping[str, Route]
    path: str

    def source(self, key: str) -> Source | None:
        return next((s for s in self.sources if s.key == key), None)


@dataclass(frozen=True)
class Answers:
    """The parent's answers, normalised: None means skipped or not asked."""

    recorded: str | None = None  # "yes" / "no"
    days: float | None = None
    school_type: str | None = None  # "academy" / "maintained" / "other"
    support_level: str | None = None  # "ehc_plan" / "sen_support" / "neither"
    public_exam: str | None = None  # "yes" / "no"


@dataclass(frozen=True)
class TriageResult:
    route: str
    title: str
    recap: str
    paragraphs: tuple[str, ...]
    sources: tuple[Source, ...]


# --------------------------------------------------------------------------------------------------
# Reading typed answers


_NUMBER_WORDS = {**NUMBER_WORDS, "none": 0, "no": 0}
_NUMBER = re.compile(r"(?<![\d./])(\d{1,3}(?:\.\d+)?)(?![\d/])")
_HALF = re.compile(r"\band a half\b|½")
# More school days than a term can have: not a believable answer to "this term".
MAX_DAYS_IN_TERM = 80


def read_school_days(text: str | None) -> float | None:
    """ "4", "4.5", "three and a half days", "half a day", "about 6" -> days; anything else -> None.

    Two numbers ("3 or 4", a date) give None: the form asks again rather than guess.
    """
    if not text:
        return None
    lowered = text.lower().replace(",", " ").strip()
    numbers = _NUMBER.findall(lowered)
    words = [_NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", lowered) if w in _NUMBER_WORDS]
    if len(numbers) + len(words) > 1 or "/" in lowered:
        return None
    if numbers:
        value = float(numbers[0])
    elif words:
        value = float(words[0])
    elif re.search(r"\bhalf\b", lowered):
        return 0.5
    else:
        return None
    if _HALF.search(lowered) and value == int(value):
        value += 0.5
    return value if 0 <= value <= MAX_DAYS_IN_TERM else None


# --------------------------------------------------------------------------------------------------
# Loading and validation


def _check_condition(when: object, where: str, line: int, report: Reporter) -> dict[str, object]:
    if when is None:
        return {}
    for problem in conditions.condition_problems(when, VOCABULARY):
        report.error(line, f"{where}{problem}")
    return dict(when) if isinstance(when, dict) else {}


def parse_triage(path: Path, today: dt.date | None = None) -> tuple[TriageGuide | None, list[Problem]]:
    """Validate one triage file; the guide is None when there is any error."""
    today = today or england_today()
    report = Reporter(str(path))
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError) as exc:
        report.error(0, f"cannot read the file: {exc}")
        return None, report.problems
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        report.error(mark.line + 1 if mark else 1, f"not valid YAML: {getattr(exc, 'problem', exc)}")
        return None, report.problems
    lines = text.splitlines()
    if not isinstance(data, dict):
        report.error(1, "the file must be a set of labelled fields (id, title, sources, routes...)")
        return None, report.problems

    def line(key: str) -> int:
        return line_containing(lines, f"{key}:")

    for key in REQUIRED_KEYS:
        if key not in data or data[key] in (None, "", []):
            report.error(1, f"missing required field '{key}'")
    for key in data:
        if key not in REQUIRED_KEYS:
            report.error(line(str(key)), f"unknown field '{key}'; the fields are: {', '.join(REQUIRED_KEYS)}")
    guide_id = str(data.get("id") or "")
    if guide_id and guide_id != path.stem:
        report.error(line("id"), f"id '{guide_id}' must match the file name '{path.stem}'")
    reviewed, review_by = as_date(data.get("last_reviewed")), as_date(data.get("review_by"))
    if "last_reviewed" in data and reviewed is None:
        report.error(line("last_reviewed"), "last_reviewed must be a date written YYYY-MM-DD")
    if "review_by" in data and review_by is None:
        report.error(line("review_by"), "review_by must be a date written YYYY-MM-DD")
    if reviewed and review_by:
        if review_by <= reviewed:
            report.error(line("review_by"), "review_by must be after last_reviewed")
        elif review_by < today:
            report.warning(line("review_by"), f"review_by ({review_by}) has passed: please check this file again")

    sources: list[Source] = []
    raw_sources = data.get("sources")
    if raw_sources is not None and not isinstance(raw_sources, list):
        report.error(line("sources"), "sources must be a list of entries with key, title, citation and url")
        raw_sources = []
    for number, item in enumerate(raw_sources or [], start=1):
        if not isinstance(item, dict):
            report.error(line("sources"), f"source {number}: needs key, title, citation and url")
            continue
        where = line_containing(lines, f"key: {str(item.get('key') or '').strip()}", line("sources"))
        for extra in item:
            if extra not in (*SOURCE_KEYS, *SOURCE_OPTIONAL):
                report.error(where, f"source {number}: unknown field '{extra}'")
        source = source_entry(item, sources, report, where, f"source {number}")
        if source is not None:
            sources.append(source)
    known_keys = {s.key for s in sources}
    cited: set[str] = set()

    routes: dict[str, Route] = {}
    raw_routes = data.get("routes")
    if raw_routes is not None and not isinstance(raw_routes, dict):
        report.error(line("routes"), f"routes must have the routes {', '.join(ROUTES)}")
        raw_routes = {}
    for route_id in ROUTES:
        if isinstance(raw_routes, dict) and "routes" in data and route_id not in raw_routes:
            report.error(line("routes"), f"missing route '{route_id}'")
    for route_id, raw in (raw_routes or {}).items():
        route_line = line_containing(lines, f"{route_id}:", line("routes"))
        if route_id not in ROUTES:
            report.error(route_line, f"unknown route '{route_id}'; the routes are: {', '.join(ROUTES)}")
            continue
        if not isinstance(raw, dict) or not str(raw.get("title") or "").strip() or not raw.get("paragraphs"):
            report.error(route_line, f"route '{route_id}' needs a title and at least one paragraph")
            continue
        for extra in raw:
            if extra not in ROUTE_KEYS:
                report.error(route_line, f"route '{route_id}': unknown field '{extra}'")
        paragraphs: list[Paragraph] = []
        for number, item in enumerate(raw["paragraphs"] if isinstance(raw["paragraphs"], list) else [], start=1):
            where = f"route '{route_id}', paragraph {number}: "
            if not isinstance(item, dict) or not str(item.get("say") or "").strip():
                report.error(route_line, f"{where}needs 'say' (the text)")
                continue
            say = " ".join(str(item["say"]).split())
            at = line_containing(lines, say[:40], route_line)
            for extra in item:
                if extra not in PARAGRAPH_KEYS:
                    report.error(at, f"{where}unknown field '{extra}'; the fields are: say, when")
            markers = CITATION_MARKER.findall(say)
            if not markers:
                report.error(at, f"{where}every paragraph states the law or guidance: add a [@key] citation")
            for key in markers:
                if key not in known_keys:
                    report.error(at, f"{where}citation [@{key}] does not match any source key")
                cited.add(key)
            if re.search(r"\[@(?![a-z0-9][a-z0-9-]*\])", say):
                report.error(at, f"{where}a citation marker is malformed: write it as [@key]")
            # The parent may see any paragraph without the others, so each explains its own abbreviations.
            check_jargon(CITATION_MARKER.sub("", say), text, report)
            when = _check_condition(item.get("when"), where, at, report)
            paragraphs.append(Paragraph(say=say, when=when, line=at))
        routes[route_id] = Route(id=route_id, title=" ".join(str(raw["title"]).split()), paragraphs=tuple(paragraphs))
    for source in sources:
        if source.key not in cited:
            report.error(line_containing(lines, f"key: {source.key}"), f"source '{source.key}' is never cited")

    if report.has_errors:
        return None, report.problems
    return (
        TriageGuide(
            id=guide_id,
            title=" ".join(str(data["title"]).split()),
            sources=tuple(sources),
            routes=routes,
            path=str(path),
        ),
        report.problems,
    )


def load_triage(triage_dir: Path, today: dt.date | None = None) -> tuple[list[TriageGuide], list[Problem]]:
    """Every triage file in `knowledge/triage/`; the exclusion one must exist."""
    if not (triage_dir / EXCLUSION_FILE).is_file():
        return [], [Problem(str(triage_dir / EXCLUSION_FILE), 0, "error", "the exclusion triage file is missing")]
    guides: list[TriageGuide] = []
    problems: list[Problem] = []
    for path in sorted(triage_dir.glob("*.yml")):
        guide, found = parse_triage(path, today)
        problems.extend(found)
        if guide is not None:
            guides.append(guide)
    return guides, problems


# --------------------------------------------------------------------------------------------------
# Choosing the route


def answers_from_slots(slots: Mapping[str, object]) -> Answers:
    """The form's slot values as `Answers` ("skipped", empty or unreadable values become None)."""

    def choice(name: str, allowed: Sequence[str]) -> str | None:
        value = slots.get(name)
        return str(value) if isinstance(value, str) and value in allowed else None

    school = slots.get("school_type")
    if school in ("special", "independent", "college", "pru"):
        school = "other"
    days = slots.get("days_missed")
    return Answers(
        recorded=choice("exclusion_recorded", ("yes", "no")),
        days=read_school_days(days) if isinstance(days, str) and days != SKIPPED else None,
        school_type=school if school in ("academy", "maintained", "other") else None,
        support_level=choice("support_level", ("ehc_plan", "sen_support", "neither")),
        public_exam=choice("public_exam", ("yes", "no")),
    )


def route_for(article_id: str | None, answers: Answers) -> str:
    """Permanent exclusions keep their route; otherwise "recorded in writing" decides, then the article."""
    start = TRIAGE_ARTICLES.get(article_id or "", "informal")
    if start == "permanent":
        return "permanent"
    if answers.recorded == "yes":
        return "suspension"
    if answers.recorded == "no":
        return "informal"
    return start


def _matches(when: Mapping[str, object], answers: Answers) -> bool:
    """True when every condition holds for the answers ("unknown" matches a skipped question)."""
    words = {
        "recorded": answers.recorded,
        "school_type": answers.school_type,
        "support_level": answers.support_level,
        "public_exam": answers.public_exam,
    }
    return conditions.holds(when, words, {"days": answers.days})


def recap(answers: Answers) -> str:
    """What the parent told us, in one line, so they can spot a wrong answer."""
    parts = []
    if answers.recorded:
        parts.append("recorded in writing" if answers.recorded == "yes" else "not recorded in writing")
    if answers.days is not None:
        parts.append(f"{answers.days:g} school day{'s' if answers.days != 1 else ''} missed this term")
    school = {"academy": "an academy", "maintained": "a council-maintained school", "other": "another kind of school"}
    if answers.school_type:
        parts.append(school[answers.school_type])
    level = {
        "ehc_plan": "an education, health and care (EHC) plan",
        "sen_support": "special educational needs (SEN) support",
        "neither": "no EHC plan or SEN support",
    }
    if answers.support_level:
        parts.append(level[answers.support_level])
    if answers.public_exam:
        parts.append("a public exam is affected" if answers.public_exam == "yes" else "no public exam affected")
    if not parts:
        return "You skipped the questions, so this covers every case."
    return "From what you told me: " + "; ".join(parts) + "."


def triage_route(guide: TriageGuide, article_id: str | None, answers: Answers) -> TriageResult:
    """The route that fits the answers: its title, the matching paragraphs and the sources they cite."""
    route = guide.routes[route_for(article_id, answers)]
    chosen = [p.say for p in route.paragraphs if _matches(p.when, answers)]
    keys = {key for text in chosen for key in CITATION_MARKER.findall(text)}
    return TriageResult(
        route=route.id,
        title=route.title,
        recap=recap(answers),
        paragraphs=tuple(render_citations(text, guide) for text in chosen),
        sources=tuple(s for s in guide.sources if s.key in keys),
    )
