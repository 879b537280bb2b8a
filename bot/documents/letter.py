"""The letter checker: what a decision or exclusion letter must tell the parent, and what we can't find.

Pure: the (cleaned) letter text and the kind of letter the parent chose, against the staff's list
(`bot.documents.rules.LetterRules`). Finding words is not the same as the letter saying the right thing,
and not finding them doesn't prove they are missing (they may be on a page not pasted), so the report
says "we found something about this" and "we couldn't find this", never more.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.documents.rules import LetterItem, LetterKind, found, plain

SNIPPET_CHARS = 70


@dataclass(frozen=True)
class ItemResult:
    item: LetterItem
    found: bool
    snippet: str  # the words found, with a little context, for the parent to look at


@dataclass(frozen=True)
class LetterReport:
    kind: LetterKind
    results: tuple[ItemResult, ...]

    @property
    def missing(self) -> list[ItemResult]:
        return [r for r in self.results if not r.found]


def _snippet(text: str, start: int, end: int) -> str:
    left = max(0, start - SNIPPET_CHARS // 2)
    right = min(len(text), end + SNIPPET_CHARS // 2)
    prefix = "..." if left else ""
    suffix = "..." if right < len(text) else ""
    return f"{prefix}{text[left:right].strip()}{suffix}"


def check_letter(text: str, kind: LetterKind) -> LetterReport:
    readable = plain(text)
    results = []
    for item in kind.items:
        match = found(item.patterns, readable)
        snippet = _snippet(readable, match.start(), match.end()) if match else ""
        results.append(ItemResult(item, match is not None, snippet))
    return LetterReport(kind, tuple(results))
