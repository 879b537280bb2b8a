"""Legal review (issue 11): warnings that must go wherever a time limit appears in the knowledge files.

Independent review panel (IRP) requests after a permanent exclusion: SI 2012/1033 Sch 1 para 1(2) says a
request sent by first class post is taken to be made on the second working day after posting. A parent who
posts on day 14 of the 15 school days is out of time, and the panel has no discretion. So every place in
knowledge/ that gives the 15-school-day window must also warn about posting: hand it in or email it.

The files are read as they are on disk (not through the loaders, which may serve a signed-off copy), and
split into the pieces a parent can see on their own: an article's summary, each bullet or paragraph of its
body and each tailoring line; each step, closed route and triage paragraph of a YAML file; each paragraph
of a letter.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
# Folders whose files state the law to parents (partners hold helpline details, not law).
LEGAL_FOLDERS = ("articles", "ladders", "letters", "triage")

# "15 school days" near a mention of the review panel is the request window...
_IRP = re.compile(r"\b(independent review panel|review panel|IRP)\b", re.IGNORECASE)
_FIFTEEN = re.compile(r"\b15 school days?\b", re.IGNORECASE)
# ...except where it is how soon the panel (or the governors) should meet, which is not a parent's deadline.
_MEETING = re.compile(r"\b(?:should|must) meet within 15 school days\b", re.IGNORECASE)
# The warning: the posting rule, and what to do instead.
_WARNING = (
    re.compile(r"second working day after (?:posting|you post)", re.IGNORECASE),
    re.compile(r"\bhand (?:it|them|your request) in\b|\bhand-deliver|\bby hand\b", re.IGNORECASE),
    re.compile(r"\bemail\b", re.IGNORECASE),
)


def states_irp_window(text: str) -> bool:
    """True when the text gives the 15-school-day window for asking for an independent review panel."""
    return bool(_IRP.search(text)) and bool(_FIFTEEN.search(_MEETING.sub("", text)))


def warns_about_posting(text: str) -> bool:
    """True when the text says a posted request counts late, and to hand it in or email it instead."""
    return all(pattern.search(text) for pattern in _WARNING)


def _strings(node: object) -> Iterator[str]:
    """Every string directly in a mapping (not in nested mappings): one step, paragraph or route."""
    if isinstance(node, dict):
        yield " ".join(str(v) for v in node.values() if isinstance(v, (str, int, float)) and not isinstance(v, bool))
        for value in node.values():
            if isinstance(value, (dict, list)):
                yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)


def _markdown_blocks(body: str) -> Iterator[str]:
    """Each bullet (with its indented lines and quotes) or paragraph of a Markdown body."""
    block: list[str] = []
    for line in body.splitlines():
        starts_bullet = bool(re.match(r"^[-*] |^\d+\. ", line))
        if not line.strip() or line.startswith("#") or starts_bullet:
            if block:
                yield " ".join(block)
            block = [] if not line.strip() or line.startswith("#") else [line.strip()]
        else:
            block.append(line.strip())
    if block:
        yield " ".join(block)


def units(path: Path) -> Iterator[str]:
    """The pieces of a knowledge file that a parent may see on their own."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".yml":
        yield from _strings(yaml.safe_load(text))
        return
    _, front, body = text.split("---", 2)
    yield from _strings(yaml.safe_load(front))
    yield from _markdown_blocks(body)


def knowledge_files() -> list[Path]:
    return sorted(p for folder in LEGAL_FOLDERS for p in (KNOWLEDGE / folder).glob("*") if p.suffix in (".md", ".yml"))


def irp_window_places() -> list[tuple[Path, str]]:
    return [(path, unit) for path in knowledge_files() for unit in units(path) if states_irp_window(unit)]


def test_the_irp_window_is_found_where_we_know_it_is() -> None:
    """Guards the search itself: if it found nothing, the next test would pass without checking anything."""
    found = {path.relative_to(KNOWLEDGE).as_posix() for path, _ in irp_window_places()}
    assert found >= {
        "articles/permanent-exclusion.md",
        "ladders/permanent-exclusion-review.yml",
        "triage/exclusion.yml",
    }


@pytest.mark.parametrize(
    ("path", "unit"),
    irp_window_places(),
    ids=lambda value: value.relative_to(KNOWLEDGE).as_posix() if isinstance(value, Path) else value[:40],
)
def test_every_irp_window_warns_about_posting(path: Path, unit: str) -> None:
    assert warns_about_posting(unit), (
        f"{path.relative_to(ROOT)} gives the 15-school-day window for an independent review panel without "
        "the posting warning (SI 2012/1033 Sch 1 para 1(2)): say that a request sent by first class post "
        "counts as made on the second working day after posting, so hand it in or email it well before "
        f"day 15. Text: {unit[:200]!r}"
    )


@pytest.mark.parametrize(
    ("text", "window", "warned"),
    [
        ("Ask for an independent review panel within 15 school days after the day you get the decision.", True, False),
        (
            "Ask for an IRP within 15 school days. A request sent by first class post only counts as made on "
            "the second working day after posting, so hand it in or email it well before day 15.",
            True,
            True,
        ),
        ("The panel should meet within 15 school days of your request.", False, False),
        ("Over 15 school days in a term, the governors must consider reinstatement.", False, False),
        ("Only a permanent exclusion can go to an independent review panel.", False, False),
    ],
)
def test_the_detectors(text: str, window: bool, warned: bool) -> None:
    assert states_irp_window(text) is window
    assert warns_about_posting(text) is warned
