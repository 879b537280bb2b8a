"""The one `when:` language shared by articles' tailoring rules and the triage file."""

from __future__ import annotations

from bot.content import conditions, tailoring, triage


def test_both_kinds_of_file_check_conditions_the_same_way() -> None:
    for vocabulary in (tailoring.VOCABULARY, triage.VOCABULARY):
        assert conditions.condition_problems({"days_over": 5, "days_at_least": 6, "days_at_most": 15}, vocabulary) == []
        assert conditions.condition_problems({"days_unknown": True}, vocabulary) == []
        assert "unknown condition 'colour'" in conditions.condition_problems({"colour": "red"}, vocabulary)[0]
        assert conditions.condition_problems({"days_unknown": "yes"}, vocabulary) == ["'days_unknown' can only be true"]
    assert conditions.condition_problems({"days_over": 5.5}, tailoring.VOCABULARY) == [
        "'days_over' must be a whole number"
    ]
    assert conditions.condition_problems({"days_over": 5.5}, triage.VOCABULARY) == []
    assert conditions.condition_problems({"school_type": "castle"}, triage.VOCABULARY) == [
        "school_type can be academy, maintained, other, unknown, not 'castle'"
    ]
    assert conditions.condition_problems({"weeks_over": 20}, triage.VOCABULARY)  # triage counts days only


def test_conditions_hold_on_words_lists_unknowns_and_numbers() -> None:
    words = {"school_type": "Academy", "support_level": None}
    assert conditions.holds({"school_type": "academy"}, words, {"days": 6})
    assert conditions.holds({"school_type": ["maintained", "academy"]}, words, {})
    assert conditions.holds({"support_level": "unknown"}, words, {})
    assert not conditions.holds({"support_level": "ehc_plan"}, words, {})
    assert conditions.holds({"days_over": 5, "days_at_most": 6, "days_at_least": 6}, words, {"days": 6})
    assert not conditions.holds({"days_over": 6}, words, {"days": 6})
    assert not conditions.holds({"days_at_most": 5}, words, {"days": 6})
    assert not conditions.holds({"days_over": 1}, words, {"days": None})
    assert conditions.holds({"days_unknown": True}, words, {"days": None})
    assert not conditions.holds({"days_unknown": True}, words, {"days": 2})
