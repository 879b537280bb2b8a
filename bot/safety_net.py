"""A Rasa NLU component that routes any message showing immediate risk to the `crisis` intent.

It runs last in the pipeline, after the FallbackClassifier, so it overrides both a confident wrong
intent and an "I'm not sure" fallback. The model's own ranking is kept after `crisis`, so the follow-up
can offer to continue with what the parent was asking about once they have seen the emergency help.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.intents import CRISIS_INTENT
from bot.safety import risk_signals

FALLBACK_INTENT = "nlu_fallback"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisSafetyNet(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CrisisSafetyNet:
        return cls()

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if risk_signals(message.get(TEXT) or "") or unsure_but_crisis_likeliest(message):
                apply_crisis_override(message)
        return messages


def unsure_but_crisis_likeliest(message: Message) -> bool:
    """The model fell back ("not sure") but its best guess was crisis.

    The fallback threshold exists to avoid confident wrong answers; for crisis the costs are the other
    way round (an unneeded emergency number costs seconds, a missed one may cost a life), so an unsure
    crisis guess is treated as crisis.
    """
    if (message.get(INTENT) or {}).get(INTENT_NAME_KEY) != FALLBACK_INTENT:
        return False
    guesses = [r for r in (message.get(INTENT_RANKING_KEY) or []) if r.get(INTENT_NAME_KEY) != FALLBACK_INTENT]
    return bool(guesses) and guesses[0].get(INTENT_NAME_KEY) == CRISIS_INTENT


def apply_crisis_override(message: Message) -> None:
    """Make `crisis` the top intent with full confidence, keeping the model's other guesses after it."""
    ranking = [r for r in (message.get(INTENT_RANKING_KEY) or []) if r.get(INTENT_NAME_KEY) != CRISIS_INTENT]
    top = {INTENT_NAME_KEY: CRISIS_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
    message.set(INTENT, top, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [top, *ranking], add_to_output=True)
