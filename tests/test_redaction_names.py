"""Names in parents' messages (issue 14, point 10): measured on tests/redaction/names.txt, with floors.

Run as a script for the figures in docs/safety-and-privacy.md#names:

    .venv/bin/python tests/test_redaction_names.py
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.storage.redact import NAME, find_personal_data, redact

CORPUS = Path(__file__).resolve().parent / "redaction" / "names.txt"
MARKED = re.compile(r"\{([^{}]+)\}")
# Floors a change must not go under (the figures measured when they were set are in the docs).
MIN_RECALL = 0.95
MIN_EXACT_MESSAGES = 0.90
MAX_CHANGED_WITHOUT_NAMES = 0.01
MAX_WRONG_WORDS_IN_NAMED_MESSAGES = 3
# Names the lists don't hold are found only where the parent introduces them: reported, with a low floor.
UNLISTED = "with names no list knows"
MIN_RECALL_UNLISTED = 0.45


@dataclass(frozen=True)
class Message:
    text: str
    names: tuple[tuple[int, int], ...]  # where the marked names are in `text`

    @property
    def expected(self) -> str:
        parts, position = [], 0
        for start, end in self.names:
            parts += [self.text[position:start], f"[{NAME[1:-1]}]"]
            position = end
        return "".join([*parts, self.text[position:]])


def parse(line: str) -> Message:
    """A corpus line without its braces, and where the braced names were."""
    line = line.replace("\\n", "\n")
    text, names = "", []
    position = 0
    for match in MARKED.finditer(line):
        text += line[position : match.start()]
        names.append((len(text), len(text) + len(match.group(1))))
        text += match.group(1)
        position = match.end()
    return Message(text + line[position:], tuple(names))


def corpus() -> dict[str, list[Message]]:
    sections: dict[str, list[Message]] = {}
    current = None
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = sections.setdefault(line[3:].strip(), [])
        elif line.strip() and not line.startswith("#") and current is not None:
            current.append(parse(line))
    return sections


@dataclass(frozen=True)
class NameFigures:
    names: int
    caught: int
    messages: int
    exact: int  # redacted exactly as marked
    wrong_words: int  # redacted, but no name

    @property
    def recall(self) -> float:
        return self.caught / self.names

    @property
    def exact_share(self) -> float:
        return self.exact / self.messages

    def line(self, label: str) -> str:
        return (
            f"{label}: {self.caught} of {self.names} names found ({self.recall:.1%}); {self.exact} of "
            f"{self.messages} messages exactly as marked ({self.exact_share:.1%}); "
            f"{self.wrong_words} other words redacted"
        )


def _covered(span: tuple[int, int], found: list[tuple[int, int]]) -> bool:
    return all(any(start <= i < end for start, end in found) for i in range(*span))


def measure_names(messages: list[Message]) -> NameFigures:
    caught = wrong = exact = 0
    for message in messages:
        found = [(f.start, f.end) for f in find_personal_data(message.text) if f.tag == NAME]
        caught += sum(_covered(span, found) for span in message.names)
        wrong += sum(not any(s < e2 and s2 < e for s2, e2 in message.names) for s, e in found)
        exact += redact(message.text) == message.expected
    return NameFigures(sum(len(m.names) for m in messages), caught, len(messages), exact, wrong)


def changed_messages(messages: list[Message]) -> list[str]:
    """Messages without names that redaction changes (each one a false redaction)."""
    return [m.text for m in messages if redact(m.text) != m.text]


def report() -> list[str]:
    sections = corpus()
    plain = sections["without names"]
    changed = changed_messages(plain)
    return [
        measure_names(sections["with names"]).line("with names"),
        measure_names(sections[UNLISTED]).line(UNLISTED),
        f"without names: {len(changed)} of {len(plain)} messages changed ({len(changed) / len(plain):.1%}): {changed}",
    ]


def test_the_corpus_is_big_enough_and_well_formed() -> None:
    sections = corpus()
    assert set(sections) == {"with names", "without names", UNLISTED}
    assert len(sections["with names"]) >= 200 and len(sections["without names"]) >= 200
    assert all(m.names for m in [*sections["with names"], *sections[UNLISTED]]), "every message there marks a name"
    assert not any(m.names for m in sections["without names"])
    assert all("{" not in m.text and "}" not in m.text for s in sections.values() for m in s)


def test_names_are_found_and_nothing_else_is_touched() -> None:
    sections = corpus()
    named, unlisted = measure_names(sections["with names"]), measure_names(sections[UNLISTED])
    print("\n".join(report()))
    assert named.recall >= MIN_RECALL and named.exact_share >= MIN_EXACT_MESSAGES, named
    assert named.wrong_words <= MAX_WRONG_WORDS_IN_NAMED_MESSAGES, named
    assert unlisted.recall >= MIN_RECALL_UNLISTED, unlisted
    plain = sections["without names"]
    assert len(changed_messages(plain)) <= MAX_CHANGED_WITHOUT_NAMES * len(plain), changed_messages(plain)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Oliver Smith is my son and he was excluded", "[name] is my son and he was excluded"),
        ("my son OLIVER SMITH was excluded", "my son [name] was excluded"),
        ("Kwame is my son", "[name] is my son"),
        ("Will has autism. Will the council pay?", "[name] has autism. Will the council pay?"),
        ("my daughter May was excluded in May", "my daughter [name] was excluded in May"),
        ("He goes to St Mary's and Mary Hare School said no", "He goes to St Mary's and Mary Hare School said no"),
        ("I called St John's", "I called St John's"),  # a school after "called": a place
        ("ERIC have a helpline", "ERIC have a helpline"),
    ],
)
def test_the_rules_the_issue_names(text: str, expected: str) -> None:
    assert redact(text) == expected


if __name__ == "__main__":
    print("\n".join(report()))
