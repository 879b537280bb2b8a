"""What staff decide about a group of messages, and the review file of would-be training examples.

"An existing situation" appends the messages, under the situation's intent, to
data/nlu/review/from-console.yml. That file's top-level key is `review:`, not `nlu:`, so Rasa's
training and `rasa data validate` pass over it (docs/staff-console.md): a developer reads it, moves the
examples they agree with into data/nlu/, and trains. Nothing is retrained by the console.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from pathlib import Path

import yaml
from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine

from bot.console.accounts import utc_now
from bot.console.tables import decisions
from bot.law.parent_dates import england_today
from bot.settings import PROJECT_ROOT

EXISTING = "existing situation"
NEW_ARTICLE = "needs a new article"
DISMISSED = "dismissed"
DECISIONS = (EXISTING, NEW_ARTICLE, DISMISSED)
REVIEW_FILE = PROJECT_ROOT / "data" / "nlu" / "review" / "from-console.yml"
REVIEW_HEADER = (
    "# Written by the staff console (docs/staff-console.md): parents' messages (redacted) that staff say\n"
    "# belong to an existing situation. NOT training data: Rasa reads only `nlu:` files. A developer checks\n"
    "# each example, moves the good ones into data/nlu/<situation>.yml, trains and commits.\n"
)
_file_lock = threading.Lock()


def decided_hashes(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(select(decisions.c.message_hash)).scalars())


def decide(engine: Engine, hashes: Iterable[str], decision: str, username: str, intent: str | None = None) -> int:
    """Record one decision for each message hash (replacing an earlier one); returns how many."""
    if decision not in DECISIONS:
        raise ValueError(f"unknown decision '{decision}'")
    keys = sorted(set(hashes))
    now = utc_now()
    with engine.begin() as conn:
        conn.execute(delete(decisions).where(decisions.c.message_hash.in_(keys)))
        for key in keys:
            conn.execute(
                insert(decisions).values(message_hash=key, decision=decision, intent=intent, username=username, at=now)
            )
    return len(keys)


def append_examples(intent: str, texts: Iterable[str], path: Path = REVIEW_FILE, today: dt.date | None = None) -> int:
    """Add the messages as examples of `intent` to the review file (no duplicates); returns how many new."""
    with _file_lock:
        existing = _read(path)
        known = {text for entry in existing for text in entry.get("examples") or []}
        new = [t for t in dict.fromkeys(" ".join(t.split()) for t in texts) if t and t not in known]
        if not new:
            return 0
        existing.append({"intent": intent, "added": (today or england_today()).isoformat(), "examples": new})
        path.parent.mkdir(parents=True, exist_ok=True)
        body = yaml.safe_dump({"review": existing}, allow_unicode=True, sort_keys=False, width=120)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(REVIEW_HEADER + body, encoding="utf-8")
        temporary.replace(path)
    return len(new)


def _read(path: Path) -> list[dict]:
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = data.get("review") if isinstance(data, dict) else None
    return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []
