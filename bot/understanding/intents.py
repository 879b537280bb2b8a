"""Intent names shared by the model, the knowledge base and the actions.

The situation intents are read from `domain.yml` minus the conversation intents listed here, so a new
situation needs only a domain entry, training examples and an article.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.settings import PROJECT_ROOT

CONVERSATION_INTENTS: frozenset[str] = frozenset(
    {
        "greet",
        "goodbye",
        "thank",
        "affirm",
        "deny",
        "bot_challenge",
        "ask_capabilities",
        "out_of_scope",
        "stop",
        "nlu_fallback",
        "section_law",
        "section_next_steps",
        "section_escalation",
        "section_who_can_help",
        "get_letter",
        "check_deadlines",
        "start_triage",
        "opener",
        "something_else",
        "safety_check",
        "follow_up",
        "correct_facts",
    }
)

# Which answer section each section intent asks for.
SECTION_INTENTS: dict[str, str] = {
    "section_law": "law",
    "section_next_steps": "next_steps",
    "section_escalation": "escalation",
    "section_who_can_help": "who_can_help",
}

CRISIS_INTENT = "crisis"


def domain_intents(domain_path: Path | None = None) -> list[str]:
    """All intents declared in the domain file, in file order."""
    path = domain_path or PROJECT_ROOT / "domain.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    names: list[str] = []
    for entry in data.get("intents", []):
        names.append(next(iter(entry)) if isinstance(entry, dict) else str(entry))
    return names


def situation_intents(domain_path: Path | None = None) -> list[str]:
    """The intents that each need exactly one knowledge article."""
    return [name for name in domain_intents(domain_path) if name not in CONVERSATION_INTENTS]
