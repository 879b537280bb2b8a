"""Staff-edited YAML and Markdown files, kept in step with the disk while the assistant runs.

Ladders, letters and the triage guide are read through `LiveFiles`, as articles are through the
knowledge service: at most once every `refresh_seconds` it compares file timestamps and sizes, and
re-reads only the files that changed. A file that fails validation is logged and its last valid
version keeps being served, so a typo never takes a ladder or a letter away from a parent. A deleted
file stops being served. A file whose legal text changed since its sign-off is served as it was signed
off (bot/content/review.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Generic, TypeVar

from bot.content.articles import Problem, _Reporter
from bot.content.ladders import LADDERS_DIRNAME, Ladder, ladder_paths, parse_ladder
from bot.content.letters import LetterTemplate, letter_paths, parse_letter
from bot.content.review import served_path
from bot.content.triage import TRIAGE_DIRNAME, TriageGuide, parse_triage

logger = logging.getLogger(__name__)

T = TypeVar("T")


class LiveFiles(Generic[T]):
    """The valid items parsed from the files `paths()` lists, re-read when a file changes."""

    def __init__(
        self,
        paths: Callable[[], Iterable[Path]],
        parse: Callable[[Path], tuple[T | None, list[Problem]]],
        refresh_seconds: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._paths = paths
        self._parse = parse
        self.refresh_seconds = refresh_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._snapshot: dict[Path, tuple[int, int]] = {}
        self._items: dict[Path, T] = {}
        self._checked = float("-inf")
        self.problems: dict[Path, list[Problem]] = {}

    def _scan(self) -> dict[Path, tuple[int, int]]:
        snapshot: dict[Path, tuple[int, int]] = {}
        for path in self._paths():
            try:
                stat = path.stat()
            except OSError:
                continue
            snapshot[path] = (stat.st_mtime_ns, stat.st_size)
        return snapshot

    def refresh(self, force: bool = False) -> None:
        with self._lock:
            now = self._clock()
            if not force and now - self._checked < self.refresh_seconds:
                return
            self._checked = now
            current = self._scan()
            for path in [p for p in self._items if p not in current]:
                del self._items[path]
                self.problems.pop(path, None)
            for path, signature in current.items():
                if self._snapshot.get(path) == signature:
                    continue
                item, problems = self._parse(path)
                self.problems[path] = problems
                for problem in problems:
                    (logger.error if problem.severity == "error" else logger.warning)("knowledge: %s", problem)
                if item is None:
                    if path in self._items:
                        logger.error("knowledge: %s is invalid; still serving its last valid version", path)
                    continue
                self._items[path] = item
            self._snapshot = current

    def items(self) -> list[T]:
        """The valid items, in file-name order. A failed refresh serves what was there before."""
        try:
            self.refresh()
        except Exception:
            logger.exception("knowledge: refreshing %s failed; serving the last versions", self._paths)
        with self._lock:
            return [self._items[path] for path in sorted(self._items)]


# --------------------------------------------------------------------------------------------------
# The staff-edited folders the actions read. One loader per folder and process; cross-file checks
# (one ladder per article, letters naming real articles) are left to `python -m bot knowledge check`.


def signed_off(
    parse: Callable[[Path], tuple[T | None, list[Problem]]],
) -> Callable[[Path], tuple[T | None, list[Problem]]]:
    """Parse the version of a file parents may see: its last signed-off copy while an edit awaits sign-off.

    For the YAML files (ladders, triage), which their parsers read themselves; letters and articles get
    the same from the shared front matter reader.
    """

    def parse_served(path: Path) -> tuple[T | None, list[Problem]]:
        report = _Reporter(str(path))
        source = served_path(path, report)
        return (None, report.problems) if source is None else parse(source)

    return parse_served


@lru_cache(maxsize=8)
def ladder_files(knowledge_dir: Path, refresh_seconds: float = 1.0) -> LiveFiles[Ladder]:
    folder = knowledge_dir / LADDERS_DIRNAME
    return LiveFiles(lambda: ladder_paths(folder), signed_off(lambda path: parse_ladder(path)[:2]), refresh_seconds)


@lru_cache(maxsize=8)
def letter_files(knowledge_dir: Path, refresh_seconds: float = 1.0) -> LiveFiles[LetterTemplate]:
    folder = knowledge_dir / "letters"
    return LiveFiles(lambda: letter_paths(folder), parse_letter, refresh_seconds)


@lru_cache(maxsize=8)
def triage_files(knowledge_dir: Path, refresh_seconds: float = 1.0) -> LiveFiles[TriageGuide]:
    folder = knowledge_dir / TRIAGE_DIRNAME
    return LiveFiles(lambda: sorted(folder.glob("*.yml")), signed_off(parse_triage), refresh_seconds)
