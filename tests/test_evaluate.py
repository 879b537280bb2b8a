"""The fresh-set evaluation reads a parse the way the assistant acts on it, with the assistant's own replies."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def evaluate():
    spec = importlib.util.spec_from_file_location("evaluate_script", ROOT / "scripts" / "evaluate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def replies(evaluate, tmp_path_factory):
    return evaluate.Replies(tmp_path_factory.mktemp("evaluate"))


def parse(text: str, *ranking: tuple[str, float]) -> dict:
    entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    return {"text": text, "intent": entries[0], "intent_ranking": entries}


def test_a_confident_answer_has_nothing_one_tap_away(evaluate, replies) -> None:
    got = evaluate.reading(parse("x", ("suspension", 0.9), ("permanent_exclusion", 0.05)), True, replies)
    assert got == ("suspension", [], True)


def test_the_middle_band_offers_the_next_two_guesses_above_the_floor(evaluate, replies) -> None:
    ranking = [("suspension", 0.5), ("permanent_exclusion", 0.3), ("informal_exclusion", 0.1), ("off_rolling", 0.01)]
    got, one_tap, confident = evaluate.reading(parse("x", *ranking), True, replies)
    assert (got, one_tap, confident) == ("suspension", ["permanent_exclusion", "informal_exclusion"], False)
    # A guess under the floor is never shown, so it is never counted as one tap away.
    ranking = [("suspension", 0.5), ("off_rolling", 0.01)]
    assert evaluate.reading(parse("x", *ranking), True, replies)[1] == []


def test_after_emergency_help_the_situation_offered_is_one_tap_away(evaluate, replies) -> None:
    got, one_tap, _ = evaluate.reading(parse("x", ("crisis", 1.0), ("informal_exclusion", 0.6)), True, replies)
    assert (got, one_tap) == ("emergency", ["informal_exclusion", "talk_to_adviser"])
    # The follow-up offers a situation only when the model gave it at least 0.3.
    assert evaluate.reading(parse("x", ("crisis", 1.0), ("informal_exclusion", 0.2)), True, replies)[1] == [
        "talk_to_adviser"
    ]


def test_the_safety_question_carries_on_with_the_best_guess(evaluate, replies) -> None:
    got, one_tap, _ = evaluate.reading(parse("x", ("safety_check", 1.0), ("ehc_delay", 0.4)), True, replies)
    assert (got, one_tap) == ("check", ["ehc_delay"])


def test_did_you_mean_counts_the_guesses_and_what_search_finds(evaluate, replies) -> None:
    ranking = [("nlu_fallback", 0.25), ("ehc_delay", 0.2), ("annual_review", 0.1)]
    got, one_tap, confident = evaluate.reading(
        parse("the school keeps calling me to pick him up early", *ranking), True, replies
    )
    assert (got, confident) == ("unsure", False)
    assert one_tap[:2] == ["ehc_delay", "annual_review"]
    assert "informal_exclusion" in one_tap[2:]  # found by the knowledge search, offered as "These might help"
    assert "talk_to_adviser" in one_tap  # "None of these: talk to an adviser"
    assert "crisis" not in one_tap  # "Someone is in danger now" is never the situation


def figures(first: float, ordinary_emergency: float, openers: float | None = None) -> dict:
    found = {
        "situations": {"first_reply": first, "one_tap": 0.995, "confident_wrong": 0.01, "recall": {"a": 0.9}},
        "risk": {"emergency": 0.98, "check": 0.02},  # none missed
        "ordinary": {"emergency": ordinary_emergency, "check": 0.02},
    }
    if openers is not None:
        found["openers"] = {"opener": openers}
    return found


def test_the_gate_fails_below_a_floor_and_passes_at_it(evaluate) -> None:
    gates = evaluate.GATES["fresh"]
    assert evaluate.failures(figures(gates["situations_first_reply"], 0.02, 0.9), gates) == []
    found = evaluate.failures(figures(gates["situations_first_reply"] - 0.001, 0.05, 0.5), gates)
    assert [f.split(" ")[0] for f in found] == ["first-reply", "ordinary", "openers"]


@pytest.mark.parametrize("name", ["fresh2", "fresh8", "fresh9", "fresh10"])
def test_a_set_without_openers_is_gated_on_the_rest(evaluate, name: str) -> None:
    gates = evaluate.GATES[name]
    assert "openers_opener" not in gates
    assert evaluate.failures(figures(0.96, 0.02), gates) == []


@pytest.mark.parametrize("name", ["fresh3", "fresh4", "fresh5", "fresh6"])
def test_a_set_without_situations_is_gated_on_risk_and_ordinary(evaluate, name: str) -> None:
    gates = evaluate.GATES[name]
    found = {k: v for k, v in figures(0.0, 0.02).items() if k != "situations"}
    assert evaluate.failures(found, gates) == []  # a first reply of 0 is not looked at: there is none
    found["risk"] = {"emergency": gates["risk_emergency_first"] - 0.01, "check": 0.0}
    assert [f.split(" ")[0] for f in evaluate.failures(found, gates)] == ["risk", "risk"]


def test_a_set_of_situations_only_is_gated_on_situations(evaluate) -> None:
    gates = evaluate.GATES["fresh7"]
    assert not any(key.startswith(("risk", "ordinary", "openers")) for key in gates)
    found = {"situations": figures(0.97, 0.02)["situations"]}
    assert evaluate.failures(found, gates) == []
    found["situations"]["first_reply"] = gates["situations_first_reply"] - 0.01
    assert [f.split(" ")[0] for f in evaluate.failures(found, gates)] == ["first-reply"]


def test_the_line_for_the_kind_of_danger_is_read_as_the_action_reads_it(evaluate) -> None:
    quiet = {**parse("it's been hours and it's dark", ("crisis", 1.0)), "risk": {"kind": "missing"}}
    assert evaluate.kind_help_fits(quiet, "missing") is True
    assert evaluate.kind_help_fits({**quiet, "risk": {"kind": None}}, "missing") is False
    assert evaluate.kind_help_fits(parse("the trachy came out", ("crisis", 1.0)), "medical") is True  # a pattern
    assert evaluate.kind_help_fits(quiet, "suicide_selfharm") is None  # no line of its own: not counted


def test_the_line_for_the_kind_has_a_floor_on_every_set_with_risk(evaluate) -> None:
    gates = evaluate.GATES["fresh3"]
    found = {
        "risk": {"emergency": 0.99, "check": 0.01, "kind_line": evaluate.KIND_LINE_FLOOR},
        "ordinary": figures(0.0, 0.02)["ordinary"],
    }
    assert evaluate.failures(found, gates) == []
    found["risk"]["kind_line"] = evaluate.KIND_LINE_FLOOR - 0.01
    assert [f.split(" ")[0] for f in evaluate.failures(found, gates)] == ["kind's"]


def one_set(first: int, n: int, counts: dict, risk: tuple[int, int, int], ordinary: tuple[int, int, int]) -> dict:
    """A set's figures as situation_figures and risk_figures give them, from counts."""
    risk_n, ordinary_n = sum(risk), sum(ordinary)
    return {
        "situations": {
            "n": n,
            "first_reply": first / n,
            "one_tap": 1.0,
            "confident_wrong": 0.0,
            "recall": {k: c["first"] / c["n"] for k, c in counts.items()},
            "counts": counts,
        },
        "risk": {"n": risk_n, "emergency": risk[0] / risk_n, "check": risk[1] / risk_n, "missed": risk[2] / risk_n},
        "ordinary": {"n": ordinary_n, "emergency": ordinary[0] / ordinary_n, "check": ordinary[1] / ordinary_n},
    }


def test_every_set_pooled_weighs_each_by_its_size(evaluate) -> None:
    small = one_set(8, 10, {"a": {"first": 3, "n": 5}, "b": {"first": 5, "n": 5}}, (9, 1, 0), (1, 1, 8))
    big = one_set(90, 100, {"a": {"first": 50, "n": 50}, "b": {"first": 40, "n": 50}}, (99, 0, 1), (0, 0, 100))
    risk_only = {k: v for k, v in one_set(1, 1, {}, (10, 0, 0), (0, 10, 0)).items() if k != "situations"}
    found = evaluate.pooled([small, big, risk_only])
    assert found["situations"]["n"] == 110
    assert found["situations"]["first_reply"] == pytest.approx(98 / 110)
    # Recall from counts over every set: "a" 53 of 55, not the mean of 0.6 and 1.0.
    assert found["situations"]["recall"] == pytest.approx({"a": 53 / 55, "b": 45 / 55})
    assert found["risk"]["n"] == 120 and found["risk"]["missed"] == pytest.approx(1 / 120)
    assert found["ordinary"]["check"] == pytest.approx(11 / 120)
    # The aims on the pooled figures: here 89%, "b" at 0.82, 1 of 120 risk messages given neither and 11 of
    # 120 ordinary messages asked are each past a floor.
    failed = evaluate.failures(found, evaluate.POOLED_GATES)
    assert [f.split(" ")[0] for f in failed] == ["first-reply", "lowest", "risk", "ordinary"]


def test_every_fresh_set_on_disk_is_read_and_gated(evaluate) -> None:
    # `--set all` (make test) reads SETS and gates each by GATES: a new set must be in both.
    on_disk = {path.name for path in (ROOT / "tests").glob("fresh*") if path.is_dir()}
    assert set(evaluate.SETS) == on_disk == set(evaluate.GATES)
