"""Training data hygiene: no near-duplicate examples, and no evaluation message ever in the training data.

"Near-duplicate" means the same words after normalising case, punctuation and spacing, the same words in
another order, or (for messages of six words or more) the same message with one word swapped, which is
what a template with a slot looks like. Such examples teach the model little and, across two intents,
teach it a contradiction.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TRAINING = sorted((ROOT / "data" / "nlu").glob("*.yml"))
SAFETY_TRAINING = sorted((ROOT / "data" / "safety").glob("*.txt"))
SAFETY_TUNING = ROOT / "tests" / "safety"
# Every fresh evaluation set (tests/fresh, tests/fresh2, ...): a new one is covered without editing this file.
FRESH_SETS = sorted(path for path in (ROOT / "tests").glob("fresh*") if path.is_dir())
HELD_OUT = sorted((ROOT / "tests" / "nlu").glob("*.yml"))
SITUATION_TUNING = ROOT / "tests" / "situations"
SWAP_MIN_WORDS = 6


def words(text: str) -> tuple[str, ...]:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # entity annotations read as their words
    return tuple(re.findall(r"[a-z0-9]+", text.lower().replace("'", "")))


def nlu_examples(path: Path) -> list[tuple[str, str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    found = []
    for block in data.get("nlu", []):
        if "intent" not in block:
            continue  # lookup tables, synonyms and regexes are not examples
        for line in str(block.get("examples", "")).splitlines():
            if line.strip().startswith("- "):
                found.append((block["intent"], line.strip()[2:].strip()))
    return found


def text_lines(path: Path) -> list[str]:
    if not path.exists():
        return []  # tests/fresh2 has no openers
    lines = (line.split("\t")[-1].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def keys(tokens: tuple[str, ...]) -> set[tuple]:
    found = {("same", tokens), ("reordered", tuple(sorted(tokens)))}
    if len(tokens) >= SWAP_MIN_WORDS:
        found |= {("swapped", i, tokens[:i] + tokens[i + 1 :]) for i in range(len(tokens))}
    return found


def near_duplicates(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Pairs of (label: text) that look the same by `keys`."""
    buckets: dict[tuple, list[tuple[str, str]]] = defaultdict(list)
    for label, text in items:
        tokens = words(text)
        if tokens:
            for key in keys(tokens):
                buckets[key].append((label, text))
    pairs = set()
    for bucket in buckets.values():
        for (la, ta), (lb, tb) in itertools.combinations(bucket, 2):
            if ta != tb or la != lb:
                pairs.add((f"{la}: {ta}", f"{lb}: {tb}"))
    return sorted(pairs)


def training_items() -> list[tuple[str, str]]:
    items = [(f"{path.name}/{intent}", text) for path in TRAINING for intent, text in nlu_examples(path)]
    items += [(path.name, text) for path in SAFETY_TRAINING for text in text_lines(path)]
    return items


def evaluation_items() -> list[tuple[str, str]]:
    items = [(f"{p.name}", t) for p in HELD_OUT for _, t in nlu_examples(p)]
    for fresh in FRESH_SETS:
        if (fresh / "situations.yml").exists():  # tests/fresh3 to fresh6 have risk and ordinary messages only
            items += [(f"{fresh.name}/situations.yml/{i}", t) for i, t in nlu_examples(fresh / "situations.yml")]
        for name in ("risk.tsv", "ordinary.txt", "openers.txt"):
            items += [(f"{fresh.name}/{name}", t) for t in text_lines(fresh / name)]
    # The situation tuning set judges new training data (session 8), so it must not be training data either.
    items += [(f"situations/{p.name}", t) for p in sorted(SITUATION_TUNING.glob("*.yml")) for _, t in nlu_examples(p)]
    # The risk tuning sets choose thresholds and rules, so they must not be training data either.
    items += [(f"safety/{path.name}", t) for path in sorted(SAFETY_TUNING.glob("*.txt")) for t in text_lines(path)]
    return items


def test_near_duplicate_detection_catches_what_it_should() -> None:
    items = [
        ("a", "My son was SENT home, again!"),
        ("b", "my son was sent home again"),
        ("c", "home again my son was sent"),
        ("d", "the council is late with my son's plan"),
        ("e", "the council is late with my daughter's plan"),
        ("f", "something quite different altogether"),
    ]
    found = near_duplicates(items)
    labels = {(a.split(":")[0], b.split(":")[0]) for a, b in found}
    assert {("a", "b"), ("a", "c"), ("b", "c"), ("d", "e")} <= labels
    assert not any("f" in pair for pair in labels)


def test_no_near_duplicates_in_the_training_data() -> None:
    found = near_duplicates(training_items())
    assert found == [], f"{len(found)} near-duplicate pairs, e.g. {found[:10]}"


def test_no_evaluation_message_is_in_the_training_data() -> None:
    training = {key for _, text in training_items() for key in keys(words(text))}
    leaks = [(label, text) for label, text in evaluation_items() if keys(words(text)) & training]
    assert leaks == [], f"{len(leaks)} evaluation messages overlap the training data, e.g. {leaks[:10]}"
