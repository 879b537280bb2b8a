"""Knowledge health: review dates (overdue and due soon first), sign-off state, what changed since
review, and the knowledge check's problems, on a copy of the real knowledge folder."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from bot.console import health
from tests.console_helpers import ROOT

TODAY = dt.date(2026, 12, 4)


def test_overdue_and_due_soon_come_first_with_changes_and_problems(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    articles = knowledge / "articles"
    overdue = articles / "annual-review.md"
    overdue.write_text(
        overdue.read_text(encoding="utf-8")
        .replace("review_by: 2027-05-23", "review_by: 2026-11-30")
        .replace("## What you can do now\n", "## What you can do now\n\nA new sentence nobody has reviewed.\n"),
        encoding="utf-8",
    )
    soon = articles / "camhs-waiting.md"
    text = soon.read_text(encoding="utf-8")
    soon.write_text(text.replace("review_by: 2027-05-23", "review_by: 2026-12-20"), encoding="utf-8")
    broken = articles / "eotas.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("\nowner:", "\nowner_typo:"), encoding="utf-8")

    rows = health.knowledge_health(knowledge, TODAY)
    first, second = rows[0], rows[1]
    assert (first.key, first.due) == ("articles/annual-review.md", health.OVERDUE)
    assert (second.key, second.due) == ("articles/camhs-waiting.md", health.DUE_SOON)
    assert first.sign_off == "changed since review" and "+A new sentence nobody has reviewed." in first.changes
    assert second.sign_off == "signed off" and second.changes is None
    eotas = next(r for r in rows if r.key == "articles/eotas.md")
    assert eotas.errors >= 1 and any("owner" in p.message for p in eotas.problems)
    kinds = {r.kind for r in rows}
    assert {"article", "ladder", "letter", "partner"} <= kinds
    assert [r for r in rows if r.due == health.IN_DATE] == rows[-len([r for r in rows if r.due == health.IN_DATE]) :]


def test_due_state_boundaries() -> None:
    assert health.due_state(None, TODAY) == health.NO_DATE
    assert health.due_state(TODAY - dt.timedelta(days=1), TODAY) == health.OVERDUE
    assert health.due_state(TODAY, TODAY) == health.DUE_SOON
    assert health.due_state(TODAY + dt.timedelta(days=30), TODAY) == health.DUE_SOON
    assert health.due_state(TODAY + dt.timedelta(days=31), TODAY) == health.IN_DATE
