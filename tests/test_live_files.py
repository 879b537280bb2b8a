"""The live loader for ladders, letters and triage: edits are picked up, a broken file keeps its last
valid version, a deleted file goes, and files are looked at no more often than the refresh interval."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from bot.content.live import LiveFiles, ladder_files, letter_files, triage_files
from bot.content.triage import parse_triage
from bot.settings import PROJECT_ROOT

KNOWLEDGE = PROJECT_ROOT / "knowledge"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def bump(path: Path, text: str) -> None:
    """Write and move the timestamp on, as an editor saving a file a moment later would."""
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def triage_loader(folder: Path, clock: Clock) -> LiveFiles:
    return LiveFiles(lambda: sorted(folder.glob("*.yml")), parse_triage, refresh_seconds=1.0, clock=clock)


def test_an_edit_is_served_after_the_refresh_interval(tmp_path: Path) -> None:
    folder = tmp_path / "triage"
    folder.mkdir()
    path = folder / "exclusion.yml"
    original = (KNOWLEDGE / "triage" / "exclusion.yml").read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")
    clock = Clock()
    live = triage_loader(folder, clock)
    assert live.items()[0].routes["informal"].title == "Sent home without a formal exclusion"
    bump(path, original.replace("Sent home without a formal exclusion", "Sent home early"))
    assert live.items()[0].routes["informal"].title == "Sent home without a formal exclusion"  # not looked yet
    clock.now += 1.5
    assert live.items()[0].routes["informal"].title == "Sent home early"


def test_a_broken_edit_keeps_the_last_valid_version_until_fixed(tmp_path: Path) -> None:
    folder = tmp_path / "triage"
    folder.mkdir()
    path = folder / "exclusion.yml"
    original = (KNOWLEDGE / "triage" / "exclusion.yml").read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")
    clock = Clock()
    live = triage_loader(folder, clock)
    assert len(live.items()) == 1
    bump(path, original.replace("[@exclusion-r23]", "[@oops]"))
    clock.now += 5
    assert len(live.items()) == 1 and live.items()[0].id == "exclusion"
    assert any("[@oops]" in p.message for p in live.problems[path])
    bump(path, original.replace("Sent home without a formal exclusion", "Fixed"))
    clock.now += 5
    assert live.items()[0].routes["informal"].title == "Fixed"
    path.unlink()
    clock.now += 5
    assert live.items() == []


def test_a_failing_scan_serves_what_was_there(tmp_path: Path) -> None:
    calls = {"n": 0}
    folder = tmp_path / "triage"
    folder.mkdir()
    shutil.copy(KNOWLEDGE / "triage" / "exclusion.yml", folder / "exclusion.yml")

    def paths():
        calls["n"] += 1
        if calls["n"] > 1:
            raise OSError("disk gone")
        return sorted(folder.glob("*.yml"))

    clock = Clock()
    live = LiveFiles(paths, parse_triage, refresh_seconds=1.0, clock=clock)
    assert len(live.items()) == 1
    clock.now += 5
    assert len(live.items()) == 1


def test_the_real_folders_load() -> None:
    assert len(ladder_files(KNOWLEDGE).items()) >= 14
    assert len(letter_files(KNOWLEDGE).items()) >= 9
    assert [g.id for g in triage_files(KNOWLEDGE).items()] == ["exclusion"]


def test_a_missing_folder_is_empty(tmp_path: Path) -> None:
    assert ladder_files(tmp_path).items() == []
    assert letter_files(tmp_path).items() == []
