"""A Rasa NLU component that decides, last in the pipeline, whether a message shows immediate risk.

It runs after the FallbackClassifier, so it overrides both a confident wrong intent and an "I'm not
sure" fallback. The decision itself is `bot.understanding.risk_model.assess` (patterns, the learned detector, the
situation model's crisis guess, and openers such as "my son"), and sets one of:

- `crisis`: emergency help first; the model's own ranking is kept after it, so the follow-up can offer
  to continue with what the parent was asking about;
- `safety_check`: "Before I answer: is anyone in danger right now?" with one-tap answers;
- `opener`: "tell me what's happening", never emergency help and never a guess at a situation.

The learned detector is trained with the rest of the model (`train`) on its own split: `crisis`
examples and data/safety/risk.txt against everything else and data/safety/ordinary.txt. Those two files
and the detector's code are part of the component's fingerprint, so Rasa retrains it when they change.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.dialogue.clarify import CONFIDENT_AT
from bot.directory.entities import only_names_a_place
from bot.rasa_ext.stored_model import StoredModelComponent
from bot.settings import PROJECT_ROOT
from bot.understanding import danger_kind, risk_model, text_features
from bot.understanding.danger_kind import read_labelled
from bot.understanding.intents import CRISIS_INTENT
from bot.understanding.openers import OPENER_INTENT
from bot.understanding.risk_model import (
    LineReading,
    RiskDetector,
    Verdict,
    assess,
    is_unsure,
    read_examples,
    reading,
    top_guess,
)
from bot.understanding.safety import risk_signals

SAFETY_CHECK_INTENT = "safety_check"
# Where a message that only names a place goes: its rule answers with the place's local help.
OUT_OF_SCOPE_INTENT = "out_of_scope"
SAFETY_DATA = PROJECT_ROOT / "data" / "safety"
RISK_FILE, ORDINARY_FILE = "risk.txt", "ordinary.txt"
_INTENT_FOR = {Verdict.EMERGENCY: CRISIS_INTENT, Verdict.CHECK: SAFETY_CHECK_INTENT, Verdict.OPENER: OPENER_INTENT}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class CrisisSafetyNet(StoredModelComponent):
    # Without a trained detector (an old model archive) the patterns and openers still work.
    FILE_NAME = "risk_detector.joblib"

    @property
    def detector(self) -> RiskDetector | None:
        return self.model

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        # The examples and the detector's own code: a change to either retrains it.
        return cls.code_fingerprint(
            SAFETY_DATA / RISK_FILE,
            SAFETY_DATA / ORDINARY_FILE,
            Path(risk_model.__file__),
            Path(danger_kind.__file__),
            Path(text_features.__file__),
        )

    def train(self, training_data: TrainingData) -> Resource:
        risk, ordinary = training_split(training_data.intent_examples, SAFETY_DATA)
        return self.store(RiskDetector.train(risk, ordinary, read_labelled(SAFETY_DATA / RISK_FILE)))

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/"):  # a button's payload: the RegexMessageHandler reads it
                continue
            ranking = message.get(INTENT_RANKING_KEY) or []
            guess, confidence = top_guess(ranking)
            probability = self.detector.probability(text) if self.detector else 0.0
            lines = self.detector.read_lines(text) if self.detector else LineReading()
            unsure = is_unsure(ranking, CONFIDENT_AT)
            bands = risk_model.BANDS if self.detector else risk_model.WITHOUT_DETECTOR
            assessed = assess(text, probability, guess, confidence, lines, unsure, bands)
            verdict = settled(text, assessed)
            if verdict is not assessed:
                # The place's local help answers it (action_out_of_scope), as for any other place name.
                put_first(message, OUT_OF_SCOPE_INTENT)
            # The kind of danger and the patterns that matched, for the line of help that fits it
            # (action_crisis_follow_up reads them here rather than running the patterns again).
            asked_or_helped = verdict in (Verdict.EMERGENCY, Verdict.CHECK)
            kind = self.detector.kind(text) if self.detector and asked_or_helped else None
            patterns = risk_signals(text) if asked_or_helped else None
            # Kept in the parse result (not in the stored conversation's text) for evaluation and logs.
            kept = reading(probability, lines, guess, confidence, unsure, verdict, kind, patterns)
            message.set("risk", kept, add_to_output=True)
            if verdict in _INTENT_FOR:
                put_first(message, _INTENT_FOR[verdict])
        return messages


def training_split(examples: list[Message], safety_data: Path) -> tuple[list[str], list[str]]:
    """Risk: `crisis` examples and risk.txt. Ordinary: every other example and ordinary.txt."""
    risk = read_examples(safety_data / RISK_FILE)
    ordinary = read_examples(safety_data / ORDINARY_FILE)
    for example in examples:
        text = example.get(TEXT) or ""
        (risk if example.get(INTENT) == CRISIS_INTENT else ordinary).append(text)
    return risk, ordinary


def settled(text: str, verdict: Verdict) -> Verdict:
    """The verdict the assistant acts on: a town typed alone ("Hull") that would be asked the safety question is
    where the parent is, not a sign of danger (scripts/choose_bands.py reads verdicts through this too)."""
    if verdict is Verdict.CHECK and only_names_a_place(text):
        return Verdict.NONE
    return verdict


def put_first(message: Message, intent: str) -> None:
    """Make `intent` the top intent with full confidence, keeping the model's other guesses after it."""
    ranking = [r for r in (message.get(INTENT_RANKING_KEY) or []) if r.get(INTENT_NAME_KEY) != intent]
    top = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: 1.0}
    message.set(INTENT, top, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [top, *ranking], add_to_output=True)
