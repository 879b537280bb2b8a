""" "Check my plan" / "Check my letter" under the first answer: for the situations where a document
matters, in the web chat only, opening the kind of letter the situation is about."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import actions.actions as acts
from bot.documents import chat
from bot.settings import PROJECT_ROOT
from tests.actions_helpers import make_service, payloads, run_action, tracker
from tests.documents_helpers import letter_rules


@pytest.fixture
def service(knowledge_dir: Path, tmp_path: Path, monkeypatch):
    svc = make_service(knowledge_dir, tmp_path / "kb.db")
    monkeypatch.setattr(acts, "knowledge_service", lambda: svc)
    return svc


def test_each_situation_names_a_real_article_and_a_real_kind_of_letter() -> None:
    articles = {path.stem for path in (PROJECT_ROOT / "knowledge" / "articles").glob("*.md")}
    kinds = {kind.id for kind in letter_rules().kinds}
    assert set(chat.ARTICLE_CHECKS) <= articles
    assert {check for check in chat.ARTICLE_CHECKS.values() if check != "plan"} <= kinds
    wanted = {"ehc-draft-plan", "ehc-provision-not-delivered", "annual-review", "ehc-assessment-refused"}
    assert wanted | {"ehc-plan-refused", "suspension", "permanent-exclusion"} == set(chat.ARTICLE_CHECKS)


def test_buttons() -> None:
    assert chat.document_button("ehc-draft-plan") == {
        "title": "Check my plan",
        "payload": '/check_document{"check": "plan"}',
    }
    letter = chat.document_button("suspension")
    assert letter["title"] == "Check my letter"
    assert json.loads(letter["payload"].removeprefix(chat.CHECK_PAYLOAD)) == {"check": "letter", "letter": "suspension"}
    assert chat.document_button("ehc-delay") is None


async def test_offered_in_the_web_chat_only(service, monkeypatch) -> None:
    monkeypatch.setitem(chat.ARTICLE_CHECKS, "ehc-delay", "refusal-to-assess")  # the fixture's article
    web, _ = await run_action(acts.ActionAnswerSituation(), tracker("ehc_delay", channel="webchat"))
    shell, _ = await run_action(acts.ActionAnswerSituation(), tracker("ehc_delay", channel="cmdline"))
    checker = '/check_document{"check": "letter", "letter": "refusal-to-assess"}'
    assert payloads(web)[-1] == checker
    assert checker not in payloads(shell)
    assert payloads(shell) == payloads(web)[:-1]
