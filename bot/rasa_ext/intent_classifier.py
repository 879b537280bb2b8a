"""The situation model: a Rasa intent classifier over tf-idf text features and a logistic regression.

Why not DIET: on this data (about 3,600 examples, 50 intents, short messages) 5-fold cross-validation
gave this model higher accuracy than Rasa's LogisticRegressionClassifier on count features, and DIET
took about ten minutes to train on two cores against well under a minute here (docs/nlu.md has the
table). It is a normal Rasa component: trained with the rest of the model, persisted in the model
archive, and its confidences feed the FallbackClassifier and the safety net like any classifier's.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline

from bot.rasa_ext.stored_model import StoredModelComponent
from bot.understanding import text_features as text_features_module
from bot.understanding.text_features import text_features


def gentle_class_weights(labels: Sequence[str]) -> dict[str, float]:
    """The square root of scikit-learn's "balanced" weights.

    A small intent ("stop", a dozen examples) still counts for more than its share, five times a
    situation's rather than 26 times: weights that far apart made the solver take 580 passes (nine minutes) instead
    of about 40 once the situations had 250 examples each, for the same held-out accuracy
    (docs/nlu.md, "Training time").
    """
    counts = Counter(labels)
    balanced = {label: len(labels) / (len(counts) * count) for label, count in counts.items()}
    return {label: math.sqrt(weight) for label, weight in balanced.items()}


def build_pipeline(config: dict[str, Any], labels: Sequence[str]) -> Pipeline:
    # "sag" reaches the same optimum as the default lbfgs about twice as fast on these l2-normalised
    # tf-idf rows, with the same held-out accuracy and confidence spread: docs/nlu.md, "Training time".
    classifier = LogisticRegression(
        C=float(config["C"]),
        class_weight=gentle_class_weights(labels),
        solver="sag",
        tol=1e-3,
        max_iter=int(config["max_iter"]),
        random_state=config["random_seed"],
    )
    return make_pipeline(text_features(), classifier)


def ready_to_predict(pipeline: Pipeline) -> Pipeline:
    """The same model, with its weights laid out for the product scikit-learn computes.

    Prediction multiplies the message's sparse features by the transposed weights; scipy wants that
    operand in row order and silently copied the whole matrix (52 intents by some 85,000 features) on
    every message, 25 ms of a 30 ms prediction. Stored column-ordered, the transpose is already in row
    order: the same numbers, in about 5 ms (docs/benchmarks.md).
    """
    classifier = pipeline.steps[-1][1]
    if hasattr(classifier, "coef_"):
        classifier.coef_ = np.asfortranarray(classifier.coef_)
    return pipeline


def ranking(probabilities: np.ndarray, labels: list[str], length: int) -> list[dict[str, Any]]:
    order = np.argsort(-probabilities)[:length]
    return [{INTENT_NAME_KEY: labels[i], PREDICTED_CONFIDENCE_KEY: float(probabilities[i])} for i in order]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class TfidfIntentClassifier(StoredModelComponent):
    FILE_NAME = "intent_classifier.joblib"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.model is not None:
            ready_to_predict(self.model)  # a model stored before the weights were laid out this way

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"C": 10.0, "max_iter": 1000, "random_seed": 2026, "ranking_length": 10}

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        return cls.code_fingerprint(Path(__file__), Path(text_features_module.__file__))

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        labels = [e.get(INTENT) for e in examples]
        pipeline = build_pipeline(self.config, labels)
        pipeline.fit([e.get(TEXT) for e in examples], labels)
        return self.store(ready_to_predict(pipeline))

    def process(self, messages: list[Message]) -> list[Message]:
        if self.model is None:
            return messages
        labels = [str(label) for label in self.model.classes_]
        texts = [message.get(TEXT) or "" for message in messages]
        for message, probabilities in zip(messages, self.model.predict_proba(texts), strict=True):
            ranked = ranking(probabilities, labels, int(self.config["ranking_length"]))
            message.set(INTENT, ranked[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranked, add_to_output=True)
        return messages
