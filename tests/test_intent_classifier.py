"""The situation model's class weights: small intents count for more, but not so much that training crawls."""

from __future__ import annotations

import math

import pytest

from bot.rasa_ext.intent_classifier import gentle_class_weights


def test_a_small_intent_weighs_more_than_a_large_one_by_the_square_root_of_balanced() -> None:
    labels = ["situation"] * 250 + ["stop"] * 10
    weights = gentle_class_weights(labels)
    balanced_stop, balanced_situation = 260 / (2 * 10), 260 / (2 * 250)
    assert weights["stop"] == pytest.approx(math.sqrt(balanced_stop))
    assert weights["situation"] == pytest.approx(math.sqrt(balanced_situation))
    assert weights["stop"] / weights["situation"] == pytest.approx(5.0)  # balanced would make it 25


def test_equal_intents_weigh_the_same() -> None:
    assert set(gentle_class_weights(["a", "b", "a", "b"]).values()) == {1.0}


def test_weights_laid_out_for_prediction_give_the_same_probabilities() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from bot.rasa_ext.intent_classifier import ready_to_predict

    texts = ["sent home early", "excluded for five days", "ehcp is late", "no reply from the council"] * 3
    labels = ["informal", "suspension", "delay", "delay"] * 3
    pipeline = make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=200)).fit(texts, labels)
    before = pipeline.predict_proba(["the school sent him home"])
    ready_to_predict(pipeline)
    # The transpose scipy multiplies by is in row order, so it is not copied on every message.
    assert pipeline.steps[-1][1].coef_.T.flags["C_CONTIGUOUS"]
    assert pipeline.predict_proba(["the school sent him home"]) == pytest.approx(before)
