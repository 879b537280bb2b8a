"""The NLU component that sets the parent's facts as entities (bot/rasa_ext/fact_extractor.py)."""

from __future__ import annotations

import datetime as dt

from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_ext import fact_extractor
from bot.rasa_ext.fact_extractor import FactEntityExtractor


def extract(text: str, monkeypatch, today: dt.date = dt.date(2026, 12, 4)) -> dict[str, object]:
    monkeypatch.setattr(fact_extractor, "england_today", lambda: today)
    message = Message(data={TEXT: text})
    FactEntityExtractor().process([message])
    entities = message.get(ENTITIES, [])
    assert all(e["extractor"] == "FactEntityExtractor" for e in entities)
    return {e["entity"]: e["value"] for e in entities}


def test_facts_become_entities_named_after_their_slots(monkeypatch) -> None:
    said = "We asked for an EHC needs assessment on 3 March, she's in year 4 at an academy and on the CAMHS list"
    assert extract(said, monkeypatch) == {
        "request_date": "2026-03-03",
        "year_group": "Year 4",
        "school_type": "academy",
        "health_service": "CAMHS",
    }


def test_lengths_days_and_writing_keep_their_meaning(monkeypatch) -> None:
    sent_home = extract("sent home most afternoons for about 3 weeks, nothing in writing", monkeypatch)
    assert sent_home == {"duration": "most afternoons for about 3 weeks", "exclusion_recorded": "no"}
    assert extract("suspended for 2 days in October and 4 days last week", monkeypatch) == {"days_missed": "2 + 4"}
    assert extract("now another 3 days", monkeypatch) == {"days_added": "3"}
    assert extract("my son is 7 and autistic", monkeypatch) == {"child_age": "7", "need_type": "autism"}


def test_dates_are_read_against_today_in_england(monkeypatch) -> None:
    assert extract("we asked for an assessment last week", monkeypatch, dt.date(2026, 12, 4)) == {
        "request_date_approx": "2026-11-27"
    }
    assert extract("on the part-time timetable since September", monkeypatch)["since_date"] == "2026-09-01"


def test_button_payloads_and_empty_messages_are_left_alone(monkeypatch) -> None:
    assert extract('/get_letter{"letter_id": "x"}', monkeypatch) == {}
    assert extract("", monkeypatch) == {}
    assert extract("hello", monkeypatch) == {}
