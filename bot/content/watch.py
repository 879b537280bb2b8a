"""Noticing which staff files changed, without reading them: the one live-reload check.

Articles (bot/content/service.py), ladders, letters and triage (bot/content/live.py) and partners
(bot/content/partners.py) are edited while the assistant runs. Each keeps a `FileWatch` over its files
and asks it, at most once every `refresh_seconds`, which files are new, changed (time or size) or gone;
only those are parsed again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

Signature = tuple[int, int]  # modification time (ns) and size


@dataclass(frozen=True)
class Changes:
    changed: list[Path]  # new or changed since the last look
    removed: list[Path]  # gone since the last look
    current: frozenset[Path]  # every file there now

    def __bool__(self) -> bool:
        return bool(self.changed or self.removed)


class FileWatch:
    """The files `paths()` lists, compared with how they were at the last look."""

    def __init__(
        self,
        paths: Callable[[], Iterable[Path]],
        refresh_seconds: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._paths = paths
        self.refresh_seconds = refresh_seconds
        self._clock = clock
        self._snapshot: dict[Path, Signature] = {}
        self._checked = float("-inf")
        self.lock = threading.Lock()  # held by the owner around a look and what it does with the answer

    def _scan(self) -> dict[Path, Signature]:
        snapshot: dict[Path, Signature] = {}
        for path in self._paths():
            try:
                stat = path.stat()
            except OSError:
                continue  # deleted between listing and looking: gone
            snapshot[path] = (stat.st_mtime_ns, stat.st_size)
        return snapshot

    def look(self, force: bool = False) -> Changes | None:
        """What changed since the last look, or None when the last look is under `refresh_seconds` old."""
        now = self._clock()
        if not force and now - self._checked < self.refresh_seconds:
            return None
        self._checked = now
        current = self._scan()
        changed = [path for path, signature in current.items() if self._snapshot.get(path) != signature]
        removed = [path for path in self._snapshot if path not in current]
        self._snapshot = current
        return Changes(changed, removed, frozenset(current))

    def mark_seen(self) -> None:
        """Take the files as they are now as read (after a full load)."""
        self._snapshot = self._scan()
        self._checked = self._clock()
