"""Write the parent's facts into the test stories' messages as entity annotations.

The NLU pipeline sets every fact as an entity (bot/rasa_ext/fact_extractor.py), and `rasa test` compares the
entities it finds with those written in each story, so a story's message must carry its facts. Run this
after adding a story: it annotates every `user:` message that has none yet, counting relative dates
from 4 December 2026 (write dates with their year in stories, so they never depend on the day it runs).

    .venv/bin/python scripts/annotate_stories.py [tests/stories/*.yml]
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.understanding import facts

TODAY = dt.date(2026, 12, 4)
USER = re.compile(r"\s*- user: \|\s*$")


def annotated(text: str) -> str:
    """ "sent home, nothing in writing" -> 'sent home, [nothing in writing]{"entity": ..., "value": "no"}'"""
    if text.startswith("/") or "]{" in text:
        return text
    pieces, last = [], 0
    for entity in facts.message_entities(text, TODAY):
        start, end = int(entity["start"]), int(entity["end"])
        if start < last:
            raise ValueError(f"overlapping facts in {text!r}: write the message differently")
        value = json.dumps({"entity": entity["entity"], "value": entity["value"]})
        pieces += [text[last:start], f"[{text[start:end]}]{value}"]
        last = end
    return "".join([*pieces, text[last:]])


def annotate(path: Path) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    changed = 0
    for index in range(len(lines) - 1):
        if USER.match(lines[index]):
            line = lines[index + 1]
            indent = line[: len(line) - len(line.lstrip())]
            new = indent + annotated(line.strip())
            if new != line:
                lines[index + 1], changed = new, changed + 1
    path.write_text("\n".join(lines), encoding="utf-8")
    return changed


if __name__ == "__main__":
    paths = [Path(p) for p in sys.argv[1:]] or sorted(Path("tests/stories").glob("*.yml"))
    print(sum(annotate(p) for p in paths), "messages annotated")
