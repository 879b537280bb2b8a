"""Staff edits reach the running assistant without retraining or restart; typos never take it down."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import actions.actions as acts
from tests.actions_helpers import make_service, run_action, texts, tracker


@pytest.fixture
def service(knowledge_dir: Path, tmp_path: Path, monkeypatch):
    svc = make_service(knowledge_dir, tmp_path / "kb.db")
    monkeypatch.setattr(acts, "knowledge_service", lambda: svc)
    return svc


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    # Make sure the change is visible even on file systems with coarse timestamps.
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


async def test_edited_wording_is_served_on_the_next_question(service, knowledge_dir: Path) -> None:
    article = knowledge_dir / "articles" / "ehc-delay.md"
    before, _ = await run_action(acts.ActionAnswerSituation(), tracker("ehc_delay"))
    assert "It has 20 weeks from" in texts(before)[0]

    edit(article, "The council must send the final", "Your council has to send the final")
    after, _ = await run_action(acts.ActionAnswerSituation(), tracker("ehc_delay"))
    assert texts(after)[0].startswith("Your council has to send the final")


async def test_invalid_edit_keeps_serving_the_last_valid_version(service, knowledge_dir: Path, caplog) -> None:
    article = knowledge_dir / "articles" / "ehc-delay.md"
    edit(article, "The council must send the final", "Your council has to send the final")
    await run_action(acts.ActionAnswerSituation(), tracker("ehc_delay"))

    edit(article, "intents: [ehc_delay]", "intents: [ehc_delay")  # a staff typo: broken YAML
    messages, _ = await run_action(acts.ActionAnswerSituation(), tracker("ehc_delay"))
    assert texts(messages)[0].startswith("Your council has to send the final")
    assert "still serving its last valid version" in caplog.text
    assert "ehc-delay.md" in caplog.text

    edit(article, "intents: [ehc_delay", "intents: [ehc_delay]")  # fixed: the new text goes live
    edit(article, "Your council has to send", "The council should send")
    messages, _ = await run_action(acts.ActionAnswerSituation(), tracker("ehc_delay"))
    assert texts(messages)[0].startswith("The council should send")


async def test_new_section_text_is_live_too(service, knowledge_dir: Path) -> None:
    article = knowledge_dir / "articles" / "ehc-delay.md"
    edit(article, "- Write to the council.", "- Email the council's special needs team today.")
    messages, _ = await run_action(
        acts.ActionShowSection(), tracker("section_next_steps", slots={"article_id": "ehc-delay"})
    )
    assert "Email the council's special needs team today." in "\n".join(texts(messages))


def test_refresh_is_throttled(service, knowledge_dir: Path) -> None:
    service.refresh_seconds = 3600
    service.refresh(force=True)
    edit(knowledge_dir / "articles" / "ehc-delay.md", "must send", "has to send")
    assert service.refresh() == []  # too soon: no file system scan on every message
    assert [a.id for a in service.refresh(force=True)] == ["ehc-delay"]
