"""Facts in a parent's message that come from the vocabulary's lookup tables: school type, need, year
group, age and health service (and the raw `duration` and `date` regexes, used by follow-up questions).

data/nlu/entities.yml is the one vocabulary for these entities: the NLU pipeline reads messages with it
(bot/rasa_ext/fact_extractor.py, through bot/understanding/facts.py), and so do the forms and the letters. Rasa's own
RegexEntityExtractor is not used: it switches on only for entity types annotated in training examples.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import yaml

from bot.settings import PROJECT_ROOT

ENTITIES_FILE = PROJECT_ROOT / "data" / "nlu" / "entities.yml"

# How each school type (the synonym values in data/nlu/entities.yml) reads in a sentence or a letter.
SCHOOL_TYPES: dict[str, str] = {
    "academy": "academy",
    "maintained": "maintained school",
    "special": "special school",
    "independent": "independent school",
    "college": "college",
    "pru": "pupil referral unit",
}


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


def _normalised(entity: str, value: str, synonyms: Mapping[str, str]) -> str:
    return synonyms.get(value.lower(), value.lower() if entity == "school_type" else value)


def extract_facts(text: str, path: Path = ENTITIES_FILE) -> dict[str, str]:
    """The first value of each entity found in `text`, normalised through the synonyms."""
    facts: dict[str, str] = {}
    if not text:
        return facts
    synonyms = _synonyms(path)
    for entity, pattern in _patterns(path):
        match = pattern.search(text)
        if match and entity not in facts:
            facts[entity] = _normalised(entity, match.group(0), synonyms)
    return facts


def all_values(entity: str, text: str, path: Path = ENTITIES_FILE) -> list[str]:
    """Every value of one entity in `text`, normalised, in order, each once."""
    synonyms = _synonyms(path)
    found: list[str] = []
    for name, pattern in _patterns(path):
        if name == entity:
            for match in pattern.finditer(text or ""):
                value = _normalised(entity, match.group(0), synonyms)
                if value not in found:
                    found.append(value)
    return found


def lookup_examples(entity: str, path: Path = ENTITIES_FILE) -> list[str]:
    """The entries of one lookup table, as written."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [e for block in data.get("nlu") or [] if block.get("lookup") == entity for e in _examples(block)]


# The entities read with this file's lookup tables and regexes (the others are read by bot/understanding/facts.py).
VOCABULARY_ENTITIES = frozenset({"school_type", "need_type", "year_group", "child_age", "health_service"})


def first_span(entity: str, text: str, path: Path = ENTITIES_FILE) -> tuple[int, int] | None:
    """Where the first value of one entity is in `text`."""
    for name, pattern in _patterns(path):
        if name == entity:
            match = pattern.search(text or "")
            if match:
                return match.span()
    return None


def read_school_type(text: str | None) -> str | None:
    """The school type (a key of SCHOOL_TYPES) when the text names exactly one kind, else None.

    "not an academy, a council school" names two: better to ask than to guess which one is meant.
    """
    kinds = all_values("school_type", text or "")
    return kinds[0] if len(kinds) == 1 and kinds[0] in SCHOOL_TYPES else None


def school_type_phrase(kind: str, with_article: bool = False) -> str:
    """ "academy" -> "academy" (or "an academy"); an unknown value is returned as it is."""
    noun = SCHOOL_TYPES.get(kind.lower(), kind)
    if not with_article:
        return noun
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def read_year_group(text: str | None) -> str | None:
    """ "year 9", "Y9", "yr 9" -> "Year 9"; "reception" -> "Reception"; else None."""
    values = all_values("year_group", text or "")
    if not values:
        return None
    value = values[0].lower()
    number = re.search(r"\d+", value)
    return f"Year {int(number.group(0))}" if number else value.capitalize()


def read_child_age(text: str | None) -> str | None:
    """ "7 years old", "aged 7", "7yo" -> "7"; else None."""
    values = all_values("child_age", text or "")
    number = re.search(r"\d+", values[0]) if values else None
    return str(int(number.group(0))) if number else None


def read_need_type(text: str | None) -> str | None:
    """The first need named ("autistic" -> "autism"), else None."""
    values = all_values("need_type", text or "")
    return values[0] if values else None


def read_health_service(text: str | None) -> str | None:
    """The first health service named ("SALT" -> "speech and language therapy"), else None."""
    values = all_values("health_service", text or "")
    return values[0] if values else None
