"""Facts in a parent's message (school type, need, year group, age, a number of days or weeks, a date).

Read with the same lookup tables, regexes and synonyms the model is given (data/nlu/entities.yml), so a
staff member or developer extends one list. The actions use these when the model's own extractor has
not filled the slot: Rasa's RegexEntityExtractor only switches on for entity types that are annotated
in the training examples, and ours are not yet (see docs/nlu.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import yaml

from bot.settings import PROJECT_ROOT

ENTITIES_FILE = PROJECT_ROOT / "data" / "nlu" / "entities.yml"


def _examples(block: Mapping) -> list[str]:
    return [line[2:].strip() for line in str(block.get("examples") or "").splitlines() if line.startswith("- ")]


@lru_cache(maxsize=4)
def _patterns(path: Path) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(entity, compiled pattern) pairs: lookups as whole words or phrases, regexes as written."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    patterns: list[tuple[str, re.Pattern[str]]] = []
    for block in data.get("nlu") or []:
        if "lookup" in block:
            # Longest first, so "special school" wins over "school"-like shorter entries.
            words = sorted(_examples(block), key=len, reverse=True)
            alternation = "|".join(re.escape(w) for w in words)
            patterns.append((block["lookup"], re.compile(rf"\b(?:{alternation})\b", re.IGNORECASE)))
        elif "regex" in block:
            alternation = "|".join(f"(?:{r})" for r in _examples(block))
            patterns.append((block["regex"], re.compile(rf"\b(?:{alternation})\b", re.IGNORECASE)))
    return tuple(patterns)


@lru_cache(maxsize=4)
def _synonyms(path: Path) -> dict[str, str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    table: dict[str, str] = {}
    for block in data.get("nlu") or []:
        if "synonym" in block:
            for example in _examples(block):
                table[example.lower()] = str(block["synonym"])
    return table


def extract_facts(text: str, path: Path = ENTITIES_FILE) -> dict[str, str]:
    """The first value of each entity found in `text`, normalised through the synonyms."""
    facts: dict[str, str] = {}
    if not text:
        return facts
    synonyms = _synonyms(path)
    for entity, pattern in _patterns(path):
        match = pattern.search(text)
        if match and entity not in facts:
            value = match.group(0)
            facts[entity] = synonyms.get(value.lower(), value.lower() if entity == "school_type" else value)
    return facts
