"""The benchmark's pure parts: percentile maths, ratios and the report (no servers, no models)."""

from __future__ import annotations

import pytest

from bench import parents, report
from bench.stats import median_by_position, percentile, ratio, summarise_ms
from bench.training import is_heavy_rasa, is_rasa_train


def test_percentile_interpolates_like_numpy_linear():
    values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert percentile(values, 50) == pytest.approx(5.5)
    assert percentile(values, 95) == pytest.approx(9.55)
    assert percentile(values, 99) == pytest.approx(9.91)
    assert percentile(values, 0) == 1
    assert percentile(values, 100) == 10


def test_percentile_ignores_order_and_handles_one_value():
    assert percentile([30, 10, 20], 50) == 20
    assert percentile([7.5], 99) == 7.5


def test_percentile_refuses_nonsense():
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1, 2], 101)


def test_summary_is_in_milliseconds():
    summary = summarise_ms([0.1, 0.2, 0.3, 0.4])
    assert summary["n"] == 4
    assert summary["p50"] == pytest.approx(250)
    assert summary["max"] == pytest.approx(400)
    assert summarise_ms([])["p95"] is None


def test_ratio_is_ours_over_baseline_and_safe():
    assert ratio(120, 100) == pytest.approx(1.2)
    assert ratio(None, 100) is None
    assert ratio(5, 0) is None


def test_median_by_position_skips_missing_turns():
    assert median_by_position([[1, 10, None], [3, 20, 5], [2, 30]]) == [2, 20, 5]


def test_long_conversation_repeats_its_first_message_at_turn_50():
    turns = parents.long_conversation(50)
    assert len(turns) == 50
    assert 50 in parents.same_message_turns(50)
    assert turns[49] == turns[0]


def test_rasa_train_is_found_however_it_was_started():
    assert is_rasa_train(["/w/.venv/bin/python", "/w/.venv/bin/rasa", "train", "--quiet"])
    assert is_rasa_train(["rasa", "train"])
    assert not is_rasa_train(["bash", "-c", "pgrep -f 'rasa train'"])
    assert not is_rasa_train(["rasa", "run"])


def test_rasa_test_also_counts_as_heavy_work_but_a_server_does_not():
    assert is_heavy_rasa([".venv/bin/rasa", "test", "nlu"])
    assert is_heavy_rasa(["rasa", "train"])
    assert not is_heavy_rasa(["rasa", "run", "actions"])


def test_number_and_ratio_formatting():
    assert report.fmt_number(1234.4, " ms") == "1,234 ms"
    assert report.fmt_number(42.26) == "42.3"
    assert report.fmt_number(0.4242) == "0.42"
    assert report.fmt_number(None) == "–"
    assert report.fmt_ratio(1.234) == "1.23×"


def _level(p95: float, errors: int = 0) -> dict:
    return {
        "turns": 100,
        "messages_per_second": 10.0,
        "latency_ms": {"p50": p95 / 2, "p95": p95, "p99": p95 * 1.5},
        "errors": {"total": errors, "http": errors},
    }


def _results() -> dict:
    return {
        "started": "2026-12-02 17:00 UTC",
        "machine": {"summary": "test machine"},
        "load": {"before": [0.5, 0.4, 0.3], "after": [1.0, 0.8, 0.6]},
        "setups": {
            "baseline": {
                "levels": {"1": _level(100), "50": _level(400)},
                "long": {"per_turn_ms": [100, 110], "same_message_turns": [1, 2]},
                "training": {"seconds": 80.0, "how": "timed"},
            },
            "ours": {
                "levels": {"1": _level(110), "50": _level(600, errors=2)},
                "long": {"per_turn_ms": [200, 300], "same_message_turns": [1, 2]},
                "training": {"seconds": 300.0, "how": "observed"},
            },
        },
        "notes": ["a note"],
    }


def test_aims_are_judged_from_the_figures():
    found = {a["aim"]: a for a in report.aims(_results())}
    assert found["Full-turn p95 at 1 concurrent within 1.2× baseline"]["met"]
    assert not found["Full-turn p95 at 50 concurrent within 1.2× baseline"]["met"]
    assert not found["Turn 50 within 1.2× turn 1 (ours, one long conversation)"]["met"]
    errors = found["No errors at 50 concurrent conversations (ours)"]
    assert not errors["met"] and errors["shown"] == "2 of 100 turns"


def test_render_puts_the_ratio_next_to_each_figure():
    text = report.render(_results())
    assert "| 1 concurrent: p95 latency | 100 ms | 110 ms | 1.10× |" in text
    assert "| 50 concurrent: p95 latency | 400 ms | 600 ms | 1.50× |" in text
    assert "| Training time | 80.0 s | 300 s | 3.75× |" in text
    assert "| turn 50 ÷ turn 1 | 1.10× | 1.50× |  |" in text
    assert "a note" in text


def test_update_doc_keeps_the_hand_written_parts(tmp_path):
    doc = tmp_path / "benchmarks.md"
    doc.write_text(f"# Benchmarks\n\nWritten by hand.\n\n{report.BEGIN}\nold table\n{report.END}\n\nMore by hand.\n")
    report.update_doc(doc, "new table")
    text = doc.read_text()
    assert "Written by hand." in text and "More by hand." in text
    assert "new table" in text and "old table" not in text
    report.update_doc(doc, "newer table")
    assert doc.read_text().count(report.BEGIN) == 1


def test_the_stock_bot_is_seeded_everywhere_it_learns(tmp_path) -> None:
    import yaml

    from bench.main import STOCK_SEED, seed_stock_config

    path = tmp_path / "config.yml"
    seed_stock_config(path)
    config = yaml.safe_load(path.read_text())
    learners = {"DIETClassifier", "ResponseSelector", "UnexpecTEDIntentPolicy", "TEDPolicy"}
    components = config["pipeline"] + config["policies"]
    seeded = {c["name"] for c in components if c.get("random_seed") == STOCK_SEED}
    assert seeded == learners


def test_the_stock_bot_gets_rasas_fallback_recipe_so_it_answers_every_message(tmp_path) -> None:
    import yaml

    from bench.main import STOCK_FALLBACK_TEXT, add_stock_fallback

    (tmp_path / "data").mkdir()
    (tmp_path / "domain.yml").write_text(
        'version: "3.1"\nintents: [greet]\nresponses:\n  utter_greet:\n  - text: Hey!\n'
    )
    (tmp_path / "data" / "rules.yml").write_text(
        'version: "3.1"\nrules:\n- rule: Say hi\n  steps:\n  - intent: greet\n  - action: utter_greet\n'
    )
    add_stock_fallback(tmp_path)
    domain = yaml.safe_load((tmp_path / "domain.yml").read_text())
    rules = yaml.safe_load((tmp_path / "data" / "rules.yml").read_text())["rules"]
    assert domain["responses"]["utter_default"] == [{"text": STOCK_FALLBACK_TEXT}]
    assert domain["responses"]["utter_greet"] == [{"text": "Hey!"}]
    assert rules[-1]["steps"] == [{"intent": "nlu_fallback"}, {"action": "utter_default"}]
    assert len(rules) == 2
