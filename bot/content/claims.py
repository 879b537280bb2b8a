"""Things parents are told ("we must wait a year", "no diagnosis, no help"), answered first.

A parent often repeats what the school or council said. Before the usual answer, the assistant says
whether that is right, in one short bubble with numbered source links. The claims are a staff-edited
YAML file in `knowledge/claims/`: each claim names the situations (intents) it belongs to, the patterns
that recognise it in a parent's message, what the parent was told, the verdict and why, with `[@key]`
citations that match the file's `sources`. The file is validated like the other knowledge files (every
problem with its file and line; sources through bot.content.articles's shared validator) and signed off before
it is served (bot/content/review.py).

Patterns are read against the message in a plain form: lower case, apostrophes dropped ("can't" is
"cant"), any other punctuation but full stops, question and exclamation marks turned into spaces
("part-time" is "part time"). A pattern is a regular expression that matches whole words; " ... " in it
stands for up to eight words in between. A pattern found in a sentence that asks ("Do I have to go to
mediation?", "... whether mediation is mandatory") is not a report of what someone said, so it doesn't
count. Apart from `claim_files` and `verdict_reply`, everything here is pure.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.content.readability import MIN_READING_EASE, reading_ease
from bot.content.render import Citations
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

logger = logging.getLogger(__name__)

CLAIMS_DIRNAME = "claims"
REQUIRED_KEYS = ("id", "title", "sources", "claims")
CLAIM_REQUIRED = ("id", "intents", "told", "patterns", "verdict", "why", "examples")
CLAIM_OPTIONAL = ("context",)
SOURCE_OPTIONAL = ("short", "note")
VERDICTS = ("That isn't right.", "That's right.", "That depends.")
# The verdict bubble, citations left out, is at most this long: one short bubble on a phone.
MAX_BUBBLE_CHARS = 450

# " ... " in a pattern: up to eight words in between (in the plain form, words are separated by one space).
GAP = r"(?: \S+){0,8} "
# A sentence that asks, rather than reports, after any opening filler ("so", "hi").
_FILLER = re.compile(r"^(?:(?:hi|hello|hey|so|and|but|ok|okay|well|also|please|sorry|um|right)\s+)+")
_ASKS = re.compile(r"^(?:do|does|did|is|are|am|can|could|should|shall|will|would|was|were|may|might)\s")
_QUESTION_WORD = re.compile(r"^(?:what|when|why|how|who|which|where)\s")
# "... whether mediation is mandatory", "I asked if it's not an exclusion", "..., do I have to wait": asked.
_ASKED = re.compile(
    r"(?:^|\s)(?:(?:whether|if)(?: \S+){0,2}|(?:do|does|did|can|could|will|would|should|must|is|are|am) "
    r"(?:i|we|you|they|he|she|it)) $"
)
_MALFORMED_MARKER = re.compile(r"\[@(?![a-z0-9][a-z0-9-]*\])")


@dataclass(frozen=True)
class Claim:
    id: str
    intents: tuple[str, ...]
    told: str
    patterns: tuple[re.Pattern[str], ...]
    context: tuple[re.Pattern[str], ...]
    verdict: str
    why: str
    line: int

    def heard_in(self, text: str) -> bool:
        """Whether the message repeats this claim: a pattern found in a sentence that doesn't ask, and
        (when the claim has `context`) one of the context patterns anywhere in the message."""
        sentences = told_sentences(text)
        if self.context and not any(p.search(s) for p in self.context for s in sentences):
            return False
        return any(
            not _ASKED.search(sentence[: match.start()])
            for pattern in self.patterns
            for sentence in sentences
            if not _asks(sentence)
            for match in pattern.finditer(sentence)
        )


@dataclass(frozen=True)
class ClaimGuide:
    """One claims file: its sources and its claims, in file order."""

    id: str
    title: str
    sources: tuple[Source, ...]
    claims: tuple[Claim, ...]
    path: str

    def source(self, key: str) -> Source | None:
        return next((s for s in self.sources if s.key == key), None)

    def claims_in(self, text: str, intent: str | None) -> list[Claim]:
        """The claims of the situation `intent` that the parent's message repeats, in file order."""
        if not intent or not text.strip():
            return []
        return [claim for claim in self.claims if intent in claim.intents and claim.heard_in(text)]


# --------------------------------------------------------------------------------------------------
# Reading a parent's message


def plain_form(text: str) -> str:
    """A message as patterns read it: lower case, no apostrophes, only words and sentence ends."""
    text = re.sub(r"['\u2018\u2019`]", "", text.lower())
    text = re.sub(r"[^a-z0-9.?!\n£]+", " ", text)
    return re.sub(r" *\n[\s\n]*", "\n", text).strip()


def told_sentences(text: str) -> list[str]:
    """The message's sentences in plain form, without end marks or opening filler words."""
    pieces = re.split(r"[.!?]+(?:\s+|$)|\n", plain_form(text))
    return [_FILLER.sub("", piece.strip(" .!?")) for piece in pieces if piece.strip(" .!?")]


def _asks(sentence: str) -> bool:
    return bool(_ASKS.match(sentence) or _QUESTION_WORD.match(sentence))


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """A staff pattern as a regular expression on the plain form (raises re.error or ValueError)."""
    parts = [part.strip() for part in pattern.split("...")]
    if any(not part for part in parts):
        raise ValueError("'...' needs words on both sides")
    body = GAP.join(f"(?:{part})" for part in parts)
    return re.compile(rf"(?<![a-z0-9£])(?:{body})(?![a-z0-9])", re.IGNORECASE)


# --------------------------------------------------------------------------------------------------
# What the parent sees


def bubble_text(claim: Claim) -> str:
    """The verdict bubble with its [@key] markers: what the parent was told, the verdict, and why."""
    first = claim.why.split(" ", 1)[0]
    # "That isn't right: you can ask ...", but an abbreviation such as "IPSEA" keeps its capitals.
    why = claim.why if len(first) > 1 and first.isupper() else claim.why[:1].lower() + claim.why[1:]
    return f"You said you were told that {claim.told}. {claim.verdict[:-1]}: {why}"


def verdict_text(guide: ClaimGuide, claim: Claim) -> str:
    """The verdict as one bubble, its citations as numbered source links on a line below."""
    cited = Citations()
    return cited.finish(cited.mark(bubble_text(claim), guide.source))


# --------------------------------------------------------------------------------------------------
# Validation


def _strings(raw: object, nodes: list[yaml.Node], fallback: int) -> list[tuple[str, int]] | None:
    """A YAML list of texts with the line of each, or None if it isn't one."""
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        return None
    return [(item, node_line(nodes[i]) if i < len(nodes) else fallback) for i, item in enumerate(raw)]


def _patterns(raw: object, at: LocatedMapping, key: str, where: str, report: Reporter) -> list[re.Pattern[str]]:
    items = _strings(raw, at.items(key), at.line(key))
    if items is None:
        report.error(at.line(key), f"{where}{key} must be a list of patterns, one a line")
        return []
    compiled: list[re.Pattern[str]] = []
    for number, (pattern, line) in enumerate(items, start=1):
        label = f"{where}{key} {number}"
        if "'" in pattern or "\u2019" in pattern or re.search(r"[a-z]{2}-[a-z]{2}", pattern):
            report.error(
                line,
                f"{label}: messages are read without apostrophes or hyphens: write 'cant', 'isnt', 'part time'",
            )
            continue
        try:
            found = compile_pattern(pattern)
        except (re.error, ValueError) as exc:
            report.error(line, f"{label} is not a valid pattern: {exc}")
            continue
        if found.search(""):
            report.error(line, f"{label} matches any message: make it name the words it looks for")
            continue
        compiled.append(found)
    return compiled


def _parse_claim(
    item: object,
    at: LocatedMapping,
    line: int,
    where: str,
    known_intents: set[str] | None,
    keys: set[str],
    lines: list[str],
    report: Reporter,
) -> Claim | None:
    """Validate one entry of `claims`; None when it can't be served (its problems are reported)."""
    if not isinstance(item, dict):
        report.error(line, f"{where}must have {', '.join(CLAIM_REQUIRED)}")
        return None
    before = len(report.problems)
    for key, dup_line in at.duplicates:
        report.error(dup_line, f"{where}field '{key}' appears twice")
    check_unknown_fields(item, CLAIM_REQUIRED + CLAIM_OPTIONAL, where, at, report)
    for key in CLAIM_REQUIRED:
        if key not in item or item[key] in (None, "", []):
            report.error(at.line(key) if key in item else line, f"{where}missing required field '{key}'")

    claim_id = one_line(item.get("id"))
    if claim_id and not ID_PATTERN.match(claim_id):
        report.error(at.line("id"), f"{where}id '{claim_id}' must be lowercase words joined by hyphens")
    intents = _strings(item.get("intents") or [], at.items("intents"), at.line("intents"))
    if intents is None:
        report.error(at.line("intents"), f"{where}intents must be a list of situation intents, e.g. [mediation]")
        intents = []
    for intent, intent_line in intents:
        if known_intents is not None and intent not in known_intents:
            close = difflib.get_close_matches(intent, sorted(known_intents), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            report.error(intent_line, f"{where}unknown intent '{intent}' (not a situation intent in domain.yml){hint}")

    verdict = one_line(item.get("verdict"))
    if verdict and verdict not in VERDICTS:
        report.error(at.line("verdict"), f"{where}verdict must be one of: {' / '.join(VERDICTS)}")
    told = one_line(item.get("told")).rstrip(".")
    why = one_line(item.get("why"))
    if CITATION_MARKER.search(told):
        report.error(at.line("told"), f"{where}'told' is what the parent heard: put citations in 'why'")
    if why and not CITATION_MARKER.search(why):
        report.error(at.line("why"), f"{where}'why' states the law: add a [@key] citation")
    for key in CITATION_MARKER.findall(why):
        if key not in keys:
            report.error(at.line("why"), f"{where}citation [@{key}] does not match any source key")
    if _MALFORMED_MARKER.search(why):
        report.error(at.line("why"), f"{where}a citation marker is malformed: write it as [@key]")
    # The parent sees the bubble on its own, so it explains its own abbreviations.
    check_jargon_group([(told, at.span("told")), (why, at.span("why"))], lines, report)

    patterns = _patterns(item.get("patterns"), at, "patterns", where, report)
    context = _patterns(item.get("context"), at, "context", where, report) if "context" in item else []
    if _new_errors(report, before):
        return None
    claim = Claim(
        id=claim_id,
        intents=tuple(intent for intent, _ in intents),
        told=told,
        patterns=tuple(patterns),
        context=tuple(context),
        verdict=verdict,
        why=why,
        line=line,
    )
    shown = CITATION_MARKER.sub("", bubble_text(claim))
    if len(shown) > MAX_BUBBLE_CHARS:
        report.error(
            at.line("why"),
            f"{where}the bubble is {len(shown)} characters; keep 'told' and 'why' to {MAX_BUBBLE_CHARS} "
            "or fewer together, so it fits one short message",
        )
    if reading_ease(why) < MIN_READING_EASE:
        report.error(
            at.line("why"),
            f"{where}'why' is hard to read (reading ease {reading_ease(why):.0f}; it must be at least "
            f"{MIN_READING_EASE}): use shorter sentences and everyday words",
        )
    examples = _strings(item.get("examples") or [], at.items("examples"), at.line("examples"))
    if examples is None:
        report.error(at.line("examples"), f"{where}examples must be a list of messages a parent might send")
        examples = []
    for number, (example, example_line) in enumerate(examples, start=1):
        if not claim.heard_in(example):
            report.error(
                example_line,
                f"{where}example {number} is not recognised by the patterns (or asks rather than reports): "
                f"'{one_line(example)[:70]}'",
            )
    return None if _new_errors(report, before) else claim


def _new_errors(report: Reporter, before: int) -> bool:
    return any(problem.severity == "error" for problem in report.problems[before:])


def parse_claims(path: Path, known_intents: Iterable[str] | None = None) -> tuple[ClaimGuide | None, list[Problem]]:
    """Validate one claims file; the guide is None when there is any error."""
    report = Reporter(str(path))
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        node = yaml.compose(text)
    except (OSError, UnicodeDecodeError) as exc:
        report.error(1, f"cannot read the file as UTF-8 text: {exc}")
        return None, report.problems
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        report.error(mark.line + 1 if mark else 1, f"not valid YAML: {problem} (check the indentation and quotes)")
        return None, report.problems
    if not isinstance(data, dict):
        report.error(1, "a claims file must be a list of 'key: value' lines starting with 'id:'")
        return None, report.problems
    lines = text.splitlines()
    root = LocatedMapping(node, 1)
    for key, dup_line in root.duplicates:
        report.error(dup_line, f"field '{key}' appears twice")
    check_unknown_fields(data, REQUIRED_KEYS, "", root, report)
    for key in REQUIRED_KEYS:
        if key not in data or data[key] in (None, "", []):
            report.error(root.line(key) if key in data else 1, f"missing required field '{key}'")
    guide_id = one_line(data.get("id"))
    if guide_id and guide_id != path.stem:
        report.error(root.line("id"), f"id '{guide_id}' must match the file name '{path.stem}{path.suffix}'")

    sources: list[Source] = []
    source_lines: dict[str, int] = {}
    raw_sources = data.get("sources") or []
    if not isinstance(raw_sources, list):
        report.error(root.line("sources"), "sources must be a list of entries with key, title, citation and url")
        raw_sources = []
    source_nodes = root.items("sources")
    for number, item in enumerate(raw_sources, start=1):
        at = LocatedMapping(source_nodes[number - 1] if number <= len(source_nodes) else None, root.line("sources"))
        if not isinstance(item, dict):
            report.error(at.fallback, f"source {number} must have key, title, citation and url")
            continue
        check_unknown_fields(item, SOURCE_KEYS + SOURCE_OPTIONAL, f"source {number}: ", at, report)
        source = source_entry(item, sources, report, at.line("key"), f"source {number}")
        if source is not None:
            sources.append(source)
            source_lines.setdefault(source.key, at.line("key"))
    keys = {s.key for s in sources}

    claims: list[Claim] = []
    raw_claims = data.get("claims") or []
    if not isinstance(raw_claims, list):
        report.error(root.line("claims"), "claims must be a list of claims, each starting with '- id:'")
        raw_claims = []
    known = set(known_intents) if known_intents is not None else None
    claim_nodes = root.items("claims")
    seen: dict[str, int] = {}
    for index, item in enumerate(raw_claims):
        claim_node = claim_nodes[index] if index < len(claim_nodes) else None
        line = node_line(claim_node) if claim_node is not None else root.line("claims")
        at = LocatedMapping(claim_node, line)
        claim_id = one_line(item.get("id")) if isinstance(item, dict) else ""
        where = f"claim {index + 1} ('{claim_id}'): " if claim_id else f"claim {index + 1}: "
        if claim_id in seen:
            report.error(at.line("id"), f"{where}duplicate claim id (also claim {seen[claim_id]})")
        elif claim_id:
            seen[claim_id] = index + 1
        claim = _parse_claim(item, at, line, where, known, keys, lines, report)
        if claim is not None:
            claims.append(claim)
    cited = {
        key for claim in raw_claims if isinstance(claim, dict) for key in CITATION_MARKER.findall(str(claim.get("why")))
    }
    for source in sources:
        if source.key not in cited:
            report.error(
                source_lines[source.key], f"source '{source.key}' is never cited: add [@{source.key}] to a 'why'"
            )

    if report.has_errors:
        return None, report.problems
    return (
        ClaimGuide(
            id=guide_id, title=one_line(data["title"]), sources=tuple(sources), claims=tuple(claims), path=str(path)
        ),
        report.problems,
    )


def claim_paths(claims_dir: Path) -> list[Path]:
    return sorted(claims_dir.glob("*.yml"))


def load_claims(claims_dir: Path, known_intents: Iterable[str] | None = None) -> tuple[list[ClaimGuide], list[Problem]]:
    """Every valid claims file in the folder, and every problem (a claim id used in two files included)."""
    guides: list[ClaimGuide] = []
    problems: list[Problem] = []
    owner: dict[str, str] = {}
    for path in claim_paths(claims_dir):
        guide, found = parse_claims(path, known_intents)
        problems.extend(found)
        if guide is None:
            continue
        for claim in guide.claims:
            if claim.id in owner:
                problems.append(
                    Problem(str(path), claim.line, "error", f"claim id '{claim.id}' is also in {owner[claim.id]}")
                )
            owner.setdefault(claim.id, str(path))
        guides.append(guide)
    return guides, problems


# --------------------------------------------------------------------------------------------------
# Serving


@lru_cache(maxsize=8)
def claim_files(knowledge_dir: Path, refresh_seconds: float = 1.0):
    """The claims files as the staff last saved and signed them off, re-read when a file changes."""
    from bot.content.live import (
        LiveFiles,
        signed_off,
    )  # here: bot.content.live reads sign-offs, and bot.content.review checks this module's files

    folder = knowledge_dir / CLAIMS_DIRNAME
    return LiveFiles(lambda: claim_paths(folder), signed_off(parse_claims), refresh_seconds)


def verdict_reply(knowledge_dir: Path, refresh_seconds: float, text: str, intent: str | None) -> str | None:
    """The verdict bubble for the first claim of `intent` that the message repeats, or None.

    Best effort: a broken claims file must never take the answer itself away.
    """
    try:
        guides: Sequence[ClaimGuide] = claim_files(knowledge_dir, refresh_seconds).items()
        for guide in guides:
            found = guide.claims_in(text, intent)
            if found:
                return verdict_text(guide, found[0])
    except Exception:
        logger.exception("claims could not be checked")
    return None
