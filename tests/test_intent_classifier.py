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
