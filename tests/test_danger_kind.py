"""The kind of danger a risk message tells of, and the line of help that fits it."""

from __future__ import annotations

import joblib
import pytest

from bot.dialogue.emergency import fitting_help
from bot.understanding.danger_kind import KindReader, read_labelled
from bot.understanding.risk_model import RiskDetector

LABELLED = (
    [("medical", f"her trachy came out and they can't get the spare in {i}") for i in range(6)]
    + [("medical", f"sats dropping and he is breathing really fast {i}") for i in range(6)]
    + [("missing", f"she didn't come back from the shop and it's dark {i}") for i in range(6)]
    + [("missing", f"he walked off from the park an hour ago {i}") for i in range(6)]
    + [("domestic_abuse", f"my partner is shouting and throwing things at me {i}") for i in range(6)]
)


def test_the_reader_learns_the_kind() -> None:
    reader = KindReader.train(LABELLED)
    assert reader.kind("the trachy came out") == "medical"
    assert reader.kind("she didn't come back from the shop") == "missing"
    assert reader.kind("   ") is None


def test_an_unsure_reading_is_no_kind(monkeypatch) -> None:
    from bot.understanding import danger_kind

    reader = KindReader.train(LABELLED)
    assert reader.kind("the trachy came out") == "medical"
    monkeypatch.setattr(danger_kind, "KIND_SURE_AT", 0.999)
    assert reader.kind("the trachy came out") is None


def test_the_reader_needs_two_kinds() -> None:
    with pytest.raises(ValueError):
        KindReader.train([("medical", "fitting")])


def test_labelled_lines_only(tmp_path) -> None:
    path = tmp_path / "risk.txt"
    path.write_text("# comment\nmedical\the is fitting\nno label here\n\tno kind\n", encoding="utf-8")
    assert read_labelled(path) == [("medical", "he is fitting")]
    assert read_labelled(tmp_path / "absent.txt") == []


def test_the_detector_keeps_its_kind_reader_in_the_model_archive(tmp_path) -> None:
    risk = [text for _, text in LABELLED]
    ordinary = [f"the school sent him home again {i}" for i in range(10)]
    joblib.dump(RiskDetector.train(risk, ordinary, LABELLED), tmp_path / "detector.joblib")
    assert joblib.load(tmp_path / "detector.joblib").kind("he walked off from the park") == "missing"


def test_a_detector_stored_before_the_kind_reader_reads_no_kind() -> None:
    detector = RiskDetector.train(["he is fitting"] * 3, ["sent home again"] * 3)
    assert detector.kind("he is fitting") is None
    del detector._kinds  # as a model archive pickled before session 12 comes back
    assert detector.kind("he is fitting") is None


def test_the_patterns_and_words_come_before_the_learned_kind() -> None:
    lines = fitting_help("we have nowhere to sleep tonight", "missing")
    assert "Shelter" in lines[0] and "Missing People" in lines[1]  # the words first, the learned kind after
    # A word that only names a family member does not push out the kind the parse read.
    lines = fitting_help("my husband is driving round, her bed is empty", "missing")
    assert any("Missing People" in line for line in lines)
    assert len(fitting_help("he had a seizure, his dad is out looking for the meds, nowhere to sleep", "missing")) == 2
    assert any("Missing People" in line for line in fitting_help("it's been hours and it's dark", "missing"))
    assert fitting_help("it's been hours and it's dark", "suicide_selfharm") == []  # the general help serves it
    assert fitting_help("it's been hours and it's dark", None) == []


def test_every_kind_with_a_line_of_its_own_is_found_by_its_data_name() -> None:
    from bot.dialogue.emergency import line_for_kind

    assert "Missing People" in line_for_kind("missing")
    assert "Shelter" in line_for_kind("homeless_tonight")
    assert "Domestic Abuse Helpline" in line_for_kind("domestic_abuse")
    assert line_for_kind("parent_may_harm") is None


def test_the_help_reads_the_patterns_the_safety_net_kept() -> None:
    from bot.dialogue.emergency import help_for_parse

    kept = {"text": "he's sucking in under his ribs", "risk": {"kind": None, "patterns": ["medical emergency"]}}
    assert any("999" in line for line in help_for_parse(kept))
    # The parse's reading decides: the patterns are not run again when it names none.
    assert help_for_parse({**kept, "risk": {"kind": None, "patterns": []}}) == []
    # Not read (an ordinary answer, then a tap on "someone is in danger"; or a parse stored before session 13): run.
    assert any("999" in line for line in help_for_parse({**kept, "risk": {"kind": None, "patterns": None}}))
    assert any("999" in line for line in help_for_parse({**kept, "risk": {"kind": None}}))
