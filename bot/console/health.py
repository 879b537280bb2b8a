"""Knowledge health: every article, ladder, letter, triage, claims and partner file with its review
date, sign-off state and validation problems; overdue and due-soon first.

The working files are read as staff left them (`review.drafts()`), like `python -m bot knowledge check`,
so the page shows the same problems the check prints.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.content import review
from bot.content.partners import parse_partner, partner_paths
from bot.content.validation import Problem

DUE_SOON_DAYS = 30
OVERDUE = "overdue"
DUE_SOON = "due soon"
IN_DATE = "in date"
NO_DATE = "no review date"
_ORDER = {OVERDUE: 0, DUE_SOON: 1, NO_DATE: 2, IN_DATE: 3}


@dataclass
class FileHealth:
    key: str
    kind: str
    review_by: dt.date | None
    last_reviewed: dt.date | None
    due: str
    sign_off: str
    problems: list[Problem] = field(default_factory=list)
    changes: str | None = None  # what changed in the legal text since its sign-off

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors


def _front(path: Path) -> dict:
    """The YAML front matter of a Markdown file, or the YAML file itself; {} when unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".md":
            parts = text.split("---", 2)
            text = parts[1] if text.startswith("---") and len(parts) == 3 else ""
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def due_state(review_by: dt.date | None, today: dt.date) -> str:
    if review_by is None:
        return NO_DATE
    if review_by < today:
        return OVERDUE
    return DUE_SOON if (review_by - today).days <= DUE_SOON_DAYS else IN_DATE


def knowledge_health(knowledge_dir: Path, today: dt.date) -> list[FileHealth]:
    """One row per file, most urgent first (overdue, due soon, no date, in date; then by date and name)."""
    found: list[FileHealth] = []
    with review.drafts():
        for path in review.content_paths(knowledge_dir):
            found.append(_content_file(path, today))
    for path in partner_paths(knowledge_dir / "partners"):
        front = _front(path)
        review_by = _date(front.get("review_by"))
        found.append(
            FileHealth(
                key=review.file_key(path),
                kind="partner",
                review_by=review_by,
                last_reviewed=_date(front.get("last_reviewed")),
                due=due_state(review_by, today),
                sign_off="not signed off (partner details, not legal text)",
                problems=parse_partner(path)[1],
            )
        )
    return sorted(found, key=lambda f: (_ORDER[f.due], f.review_by or dt.date.max, f.key))


def _content_file(path: Path, today: dt.date) -> FileHealth:
    front = _front(path)
    review_by = _date(front.get("review_by"))
    try:
        status = review.status(path)
        state, changes = status.state, review.diff_since_sign_off(status) if status.pending else None
    except (review.RegisterError, OSError) as exc:
        state, changes = f"unknown ({exc})", None
    return FileHealth(
        key=review.file_key(path),
        kind=path.parent.name.rstrip("s") if path.parent.name != "claims" else "claims",
        review_by=review_by,
        last_reviewed=_date(front.get("last_reviewed")),
        due=due_state(review_by, today),
        sign_off=state,
        problems=review.VALIDATORS[path.parent.name](path),
        changes=changes,
    )
