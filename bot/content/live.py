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
import time
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Generic, TypeVar

from bot.content.ladders import LADDERS_DIRNAME, Ladder, ladder_paths, parse_ladder
from bot.content.letters import LetterTemplate, letter_paths, parse_letter
from bot.content.review import served_path
from bot.content.triage import TRIAGE_DIRNAME, TriageGuide, parse_triage
from bot.content.validation import Problem, Reporter
from bot.content.watch import FileWatch

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
        self._watch = FileWatch(paths, refresh_seconds, clock)
        self._items: dict[Path, T] = {}
        self.problems: dict[Path, list[Problem]] = {}

    @property
    def refresh_seconds(self) -> float:
        return self._watch.refresh_seconds

    def refresh(self, force: bool = False) -> None:
        with self._watch.lock:
            changes = self._watch.look(force)
            if changes is None:
                return
            for path in [p for p in self._items if p not in changes.current]:
                del self._items[path]
                self.problems.pop(path, None)
            for path in changes.changed:
                item, problems = self._parse(path)
                self.problems[path] = problems
                for problem in problems:
                    (logger.error if problem.severity == "error" else logger.warning)("knowledge: %s", problem)
                if item is None:
                    if path in self._items:
                        logger.error("knowledge: %s is invalid; still serving its last valid version", path)
                    continue
                self._items[path] = item

    def items(self) -> list[T]:
        """The valid items, in file-name order. A failed refresh serves what was there before."""
        try:
            self.refresh()
        except Exception:
            logger.exception("knowledge: refreshing %s failed; serving the last versions", self._paths)
        with self._watch.lock:
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
        report = Reporter(str(path))
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
