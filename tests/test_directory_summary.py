"""One tap in the summary a parent keeps: the local help shown in the chat keeps its phone numbers and
e-mail addresses (as words in the text file, as links in the Word file), and the council is named."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.dialogue.summary import build_summary, summary_docx, summary_text
from bot.directory import load_directory
from bot.directory import replies as r
from bot.directory.answers import area_named
from bot.settings import PROJECT_ROOT

DOMAIN = Domain.load(str(PROJECT_ROOT / "domain.yml"))
KNOWLEDGE = PROJECT_ROOT / "knowledge"
TODAY = dt.date(2026, 12, 4)


def _summary(knowledge: Path = KNOWLEDGE):
    directory = load_directory(knowledge, TODAY)
    events = [
        UserUttered("we live in Leeds"),
        SlotSet("area", "leeds"),
        SlotSet("area_asked", True),
        BotUttered(r.local_help(directory, "leeds")),
    ]
    tracker = DialogueStateTracker.from_events("test", events, slots=DOMAIN.slots)
    slots = area_named(tracker.current_slot_values(), knowledge)
    return build_summary([e.as_dict() for e in tracker.events], slots, title="Test", today=TODAY, retention_days=90)


def test_the_text_summary_keeps_the_numbers_and_names_the_council() -> None:
    text = summary_text(_summary())
    assert "0113 378 5020" in text and "tel:" not in text  # the number as the parent dials it
    assert "Your council area: Leeds" in text
    assert "Area asked" not in text  # bookkeeping, not a fact the parent gave
    assert "https://newtoleeds.org/children-with-learning-and-physical-disabilities/" in text  # its source


def test_the_word_summary_makes_the_number_a_link() -> None:
    document = zipfile.ZipFile(io.BytesIO(summary_docx(_summary())))
    relations = document.read("word/_rels/document.xml.rels").decode("utf-8")
    body = document.read("word/document.xml").decode("utf-8")
    assert 'Target="tel:+441133785020"' in relations
    assert "0113 378 5020" in body


def test_an_unknown_area_id_is_left_out(tmp_path: Path) -> None:
    assert area_named({"area": "atlantis", "school_type": "academy"}, KNOWLEDGE) == {
        "area": None,
        "school_type": "academy",
    }
    assert area_named({"area": "leeds"}, tmp_path) == {"area": None}  # no directory: no name, no error
