"""Sign-off: the legal text of every knowledge file is reviewed before the assistant serves it.

Each article, ladder, letter, triage and claims file has a history of sign-offs in `knowledge/reviews.yml`,
newest first: the date, the reviewer's role (never a name), a short reason and the sha256 fingerprint
of the legal text that was signed off. A copy of the file as signed off is kept in
`knowledge/reviewed/<folder>/<file name>`.

The legal text is the file with its bookkeeping fields (`last_reviewed`, `review_by`, `owner`) left out
and its whitespace normalised, so updating a review date needs no new sign-off but changing a word does.

While a file's legal text differs from its last sign-off, the assistant serves the signed-off copy
(`served_path`, called by the shared readers), and `python -m bot knowledge check` fails. Setting
KNOWLEDGE_ALLOW_UNREVIEWED=1 serves the working files as they are, for drafting on your own machine.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import logging
import os
import re
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import yaml

from bot.content.articles import article_paths, parse_article
from bot.content.claims import CLAIMS_DIRNAME, claim_paths, parse_claims
from bot.content.ladders import LADDERS_DIRNAME, ladder_paths, parse_ladder
from bot.content.letters import letter_paths, parse_letter
from bot.content.triage import TRIAGE_DIRNAME, parse_triage
from bot.content.validation import Problem, Reporter, as_date
from bot.documents.rules import DOCUMENTS_DIRNAME, parse_rules, rule_paths
from bot.law.parent_dates import england_today
from bot.settings import allow_unreviewed_knowledge
from bot.understanding.intents import situation_intents

logger = logging.getLogger(__name__)

REGISTER_NAME = "reviews.yml"
REVIEWED_DIRNAME = "reviewed"
BOOKKEEPING_FIELDS = ("last_reviewed", "review_by", "owner")
RECORD_FIELDS = ("date", "role", "reason", "sha256")

# The folders whose files carry legal content, and how each kind of file is validated before sign-off.
VALIDATORS: dict[str, Callable[[Path], list[Problem]]] = {
    "articles": lambda path: parse_article(path, situation_intents())[1],
    LADDERS_DIRNAME: lambda path: parse_ladder(path)[1],
    "letters": lambda path: parse_letter(path)[1],
    TRIAGE_DIRNAME: lambda path: parse_triage(path)[1],
    CLAIMS_DIRNAME: lambda path: parse_claims(path, situation_intents())[1],
    DOCUMENTS_DIRNAME: lambda path: parse_rules(path)[1],
}

SIGNED_OFF = "signed off"
CHANGED = "changed since review"
NOT_REVIEWED = "not yet reviewed"
COPY_MISSING = "signed-off copy missing"

_BOOKKEEPING_LINE = re.compile(rf"^(?:{'|'.join(BOOKKEEPING_FIELDS)})\s*:")
_reading_drafts: ContextVar[bool] = ContextVar("reading_drafts", default=False)


class RegisterError(ValueError):
    """knowledge/reviews.yml can't be read: `path` and `line` locate the problem for staff."""

    def __init__(self, message: str, path: Path, line: int = 1) -> None:
        super().__init__(message)
        self.path = path
        self.line = line

    def problem(self) -> Problem:
        return Problem(str(self.path), self.line, "error", str(self))


class ReviewError(Exception):
    """A sign-off that must not be recorded, with the reason for the person signing off."""


@dataclass(frozen=True)
class SignOff:
    date: dt.date
    role: str
    reason: str
    sha256: str


# --------------------------------------------------------------------------------------------------
# The legal text and its fingerprint


def legal_text(text: str, suffix: str) -> str:
    """The part of a file that a sign-off covers: bookkeeping fields dropped, whitespace normalised.

    Bookkeeping fields are top-level YAML keys: anywhere in a `.yml` file, in the front matter of a `.md`
    file. Spaces at line ends, runs of spaces inside a line and extra blank lines don't count; indentation
    does, because in these files it says which step, route or list a line belongs to.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    yaml_lines = range(1, _front_matter_end(lines)) if suffix == ".md" else range(len(lines))
    kept: list[str] = []
    in_bookkeeping = False
    for number, line in enumerate(lines):
        if number in yaml_lines:
            if _BOOKKEEPING_LINE.match(line):
                in_bookkeeping = True
                continue
            if in_bookkeeping and line[:1] in (" ", "\t"):  # the field's value, continued
                continue
        in_bookkeeping = False
        words = line.split()
        kept.append(line[: len(line) - len(line.lstrip())] + " ".join(words) if words else "")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n") + "\n"


def _front_matter_end(lines: list[str]) -> int:
    """Index of the line closing the front matter, or 0 when there is none."""
    if lines and lines[0].strip() == "---":
        return next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
    return 0


def fingerprint(text: str, suffix: str) -> str:
    """sha256 of the legal text: what reviews.yml records for each sign-off."""
    return _sha256(legal_text(text, suffix))


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _file_fingerprint(path: Path) -> str:
    return fingerprint(path.read_text(encoding="utf-8"), path.suffix)


# --------------------------------------------------------------------------------------------------
# Where things are


def content_paths(knowledge_dir: Path) -> list[Path]:
    """Every file that needs sign-off, in the order the check reports them."""
    return [
        *article_paths(knowledge_dir),
        *ladder_paths(knowledge_dir / LADDERS_DIRNAME),
        *letter_paths(knowledge_dir / "letters"),
        *sorted((knowledge_dir / TRIAGE_DIRNAME).glob("*.yml")),
        *claim_paths(knowledge_dir / CLAIMS_DIRNAME),
        *rule_paths(knowledge_dir / DOCUMENTS_DIRNAME),
    ]


def file_key(path: Path) -> str:
    """How reviews.yml names a file: its folder and file name, e.g. `articles/ehc-delay.md`."""
    return f"{path.parent.name}/{path.name}"


def register_path(knowledge_dir: Path) -> Path:
    return knowledge_dir / REGISTER_NAME


def reviewed_copy_path(knowledge_dir: Path, key: str) -> Path:
    return knowledge_dir / REVIEWED_DIRNAME / key


def find_files(knowledge_dir: Path, wanted: str) -> list[Path]:
    """The files `wanted` names: an id (`ehc-delay`), `articles/ehc-delay(.md)` or a path to the file.

    An id can name two files (an article and its letter or ladder), so callers say which when there are two.
    """
    target = Path(wanted)
    has_suffix = target.suffix in (".md", ".yml", ".yaml")
    parts = target.with_suffix("").parts if has_suffix else target.parts
    return [
        path
        for path in content_paths(knowledge_dir)
        if parts
        and path.resolve().with_suffix("").parts[-len(parts) :] == parts
        and (not has_suffix or path.suffix == target.suffix)
    ]


# --------------------------------------------------------------------------------------------------
# The register: knowledge/reviews.yml


def read_register(knowledge_dir: Path) -> Mapping[str, tuple[SignOff, ...]]:
    """Each file's sign-offs, newest first; empty when no file has been signed off yet."""
    path = register_path(knowledge_dir)
    try:
        stat = path.stat()
    except FileNotFoundError:
        return {}
    return _parse_register(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _parse_register(path: Path, mtime_ns: int, size: int) -> Mapping[str, tuple[SignOff, ...]]:
    # Cached by timestamp and size: the live readers ask for every file they re-read.
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise RegisterError(f"not valid YAML: {getattr(exc, 'problem', exc)}", path, line) from None
    if not isinstance(data, dict):
        raise RegisterError("must list files, each with its sign-offs", path)
    register: dict[str, tuple[SignOff, ...]] = {}
    for key, records in data.items():
        if not isinstance(records, list) or not records:
            raise RegisterError(f"'{key}' must have a list of sign-offs", path)
        register[str(key)] = tuple(_sign_off_from(path, str(key), record) for record in records)
    return register


def _sign_off_from(path: Path, key: str, record: object) -> SignOff:
    if not isinstance(record, dict) or any(not str(record.get(name) or "").strip() for name in RECORD_FIELDS):
        raise RegisterError(f"each sign-off of '{key}' needs {', '.join(RECORD_FIELDS)}", path)
    date = as_date(record["date"])
    sha256 = str(record["sha256"]).strip()
    if date is None or not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise RegisterError(f"a sign-off of '{key}' needs a date written YYYY-MM-DD and a 64-digit sha256", path)
    return SignOff(date, str(record["role"]).strip(), str(record["reason"]).strip(), sha256)


def _write_register(knowledge_dir: Path, register: Mapping[str, tuple[SignOff, ...]]) -> None:
    data = {
        key: [{"date": r.date, "role": r.role, "reason": r.reason, "sha256": r.sha256} for r in register[key]]
        for key in sorted(register)
    }
    header = (
        "# Sign-offs of the legal text of each knowledge file, newest first (see knowledge/README.md).\n"
        "# Written by `python -m bot knowledge review`: don't edit it by hand.\n"
    )
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120)
    _replace(register_path(knowledge_dir), (header + body).encode("utf-8"))


def _replace(path: Path, data: bytes) -> None:
    """Write a whole file at once, so a running assistant never reads half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    os.replace(partial, path)


# --------------------------------------------------------------------------------------------------
# A file's state, and what the assistant serves


@dataclass(frozen=True)
class Status:
    path: Path
    key: str
    state: str
    latest: SignOff | None
    copy: Path | None  # the signed-off copy, when it is there and matches the latest sign-off
    legal_text: str  # of the working file, as read for this status

    @property
    def pending(self) -> bool:
        return self.state != SIGNED_OFF

    @property
    def fingerprint(self) -> str:
        return _sha256(self.legal_text)

    def describe(self) -> str:
        if self.latest is None:
            return f"{NOT_REVIEWED}: nobody has signed off its legal text"
        copy_gone = (
            f"the signed-off copy {reviewed_copy_path(self.path.parent.parent, self.key)} is missing or was edited"
        )
        if self.state == COPY_MISSING:
            return f"{COPY_MISSING}: {copy_gone}; sign the file off again to restore it"
        changed = (
            f"{CHANGED}: its legal text differs from the version signed off on {self.latest.date} ({self.latest.role})"
        )
        return changed if self.copy is not None else f"{changed}, and {copy_gone}"

    def command(self) -> str:
        return f'python -m bot knowledge review {self.key} --role "..." --reason "..."'


def status(path: Path) -> Status:
    """Compare a file's legal text with its latest sign-off (reads the file; raises RegisterError)."""
    knowledge_dir = path.parent.parent
    key = file_key(path)
    now = legal_text(path.read_text(encoding="utf-8"), path.suffix)
    history = read_register(knowledge_dir).get(key, ())
    if not history:
        return Status(path, key, NOT_REVIEWED, None, None, now)
    latest = history[0]
    copy = reviewed_copy_path(knowledge_dir, key)
    try:
        copy_ok = _file_fingerprint(copy) == latest.sha256
    except (OSError, UnicodeDecodeError):
        copy_ok = False
    found = Status(path, key, SIGNED_OFF, latest, copy if copy_ok else None, now)
    if found.fingerprint != latest.sha256:
        return replace(found, state=CHANGED)
    return found if copy_ok else replace(found, state=COPY_MISSING)


@contextmanager
def drafts() -> Iterator[None]:
    """Read the working files as they are, e.g. to check them: staff need to see their own edits."""
    token = _reading_drafts.set(True)
    try:
        yield
    finally:
        _reading_drafts.reset(token)


def served_path(path: Path, report: Reporter) -> Path | None:
    """The file to read for `path` when serving parents: the file itself, or its signed-off copy.

    None (with the reason reported) when there is nothing signed off to serve. Files outside the
    reviewed folders, reads inside `drafts()`, KNOWLEDGE_ALLOW_UNREVIEWED=1 and a folder where nothing has
    been signed off yet (no reviews.yml: a new installation or a test folder) read the file itself.
    """
    if path.parent.name not in VALIDATORS or _reading_drafts.get() or allow_unreviewed_knowledge():
        return path
    if not register_path(path.parent.parent).is_file():
        return path
    try:
        found = status(path)
    except RegisterError as exc:
        report.error(1, f"{exc.path}:{exc.line}: {exc}; nothing is served until it is fixed")
        return None
    except (OSError, UnicodeDecodeError):
        return path  # unreadable: the reader reports why
    if found.state in (SIGNED_OFF, COPY_MISSING):
        return path
    if found.copy is None:
        report.error(1, f"{found.describe()}, so it is not served until it is signed off: {found.command()}")
        return None
    logger.warning("knowledge: %s: %s; serving its signed-off copy %s", path, found.describe(), found.copy)
    return found.copy


def statuses(knowledge_dir: Path) -> list[Status]:
    """The state of every file that needs sign-off (unreadable files are left to their own check)."""
    found: list[Status] = []
    for path in content_paths(knowledge_dir):
        try:
            found.append(status(path))
        except (OSError, UnicodeDecodeError):
            continue
    return found


def review_problems(knowledge_dir: Path, allow_unreviewed: bool) -> tuple[int, list[Problem]]:
    """For the check: (files signed off, one problem per file needing sign-off).

    Problems are errors, or warnings while KNOWLEDGE_ALLOW_UNREVIEWED=1 lets drafts be served.
    """
    try:
        found = statuses(knowledge_dir)
    except RegisterError as exc:
        return 0, [exc.problem()]
    severity = "warning" if allow_unreviewed else "error"
    problems = [
        Problem(str(s.path), 1, severity, f"{s.describe()}; sign it off with: {s.command()}")
        for s in found
        if s.pending
    ]
    return len(found) - len(problems), problems


# --------------------------------------------------------------------------------------------------
# Signing off


def diff_since_sign_off(found: Status) -> str:
    """What the reviewer is asked to sign off: a unified diff, or the whole text when there is no copy."""
    if found.latest is None:
        return "first review: the whole legal text follows\n\n" + found.legal_text
    if found.copy is None:
        return "the signed-off copy is missing: the whole legal text follows\n\n" + found.legal_text
    before = legal_text(found.copy.read_text(encoding="utf-8"), found.copy.suffix)
    if before == found.legal_text:
        return "no change to the legal text since the last sign-off\n"
    signed = f"{found.key} (signed off {found.latest.date})"
    diff = difflib.unified_diff(before.splitlines(), found.legal_text.splitlines(), signed, f"{found.key} (now)")
    return "\n".join(line.rstrip("\n") for line in diff) + "\n"


def errors_before_sign_off(path: Path) -> list[Problem]:
    """Validation errors in the working file: a file with errors can't be served, so it can't be signed off."""
    with drafts():
        return [p for p in VALIDATORS[path.parent.name](path) if p.severity == "error"]


def sign_off(shown: Status, role: str, reason: str, today: dt.date | None = None) -> SignOff:
    """Record a sign-off of the legal text `shown` to the reviewer, and keep a copy of the file as it is."""
    role, reason = " ".join(role.split()), " ".join(reason.split())
    if not role or not reason:
        raise ReviewError("a sign-off needs the reviewer's role and a short reason")
    path = shown.path
    data = path.read_bytes()
    # The file may have been saved again since the reviewer saw it: sign off only what they saw.
    if fingerprint(data.decode("utf-8"), path.suffix) != shown.fingerprint:
        raise ReviewError(f"{shown.key} changed while it was being reviewed: run the review again")
    knowledge_dir = path.parent.parent
    record = SignOff(today or england_today(), role, reason, shown.fingerprint)
    _replace(reviewed_copy_path(knowledge_dir, shown.key), data)
    register = dict(read_register(knowledge_dir))
    register[shown.key] = (record, *register.get(shown.key, ()))
    _write_register(knowledge_dir, register)
    _nudge(path)
    return record


def _nudge(path: Path) -> None:
    """Move the file's timestamp on: running assistants re-read a file only when its timestamp or size
    changes, and the signed-off text must replace the copy they serve."""
    before = path.stat()
    later = max(time.time_ns(), before.st_mtime_ns + 1_000_000_000)
    os.utime(path, ns=(before.st_atime_ns, later))


def changelog(knowledge_dir: Path, since: dt.date | None = None) -> list[tuple[str, SignOff]]:
    """Every sign-off, newest first: (file, sign-off)."""
    entries = [(key, record) for key, records in sorted(read_register(knowledge_dir).items()) for record in records]
    # A stable sort keeps each file's own order (newest first) for sign-offs on the same day.
    entries.sort(key=lambda entry: entry[1].date, reverse=True)
    return [entry for entry in entries if since is None or entry[1].date >= since]
