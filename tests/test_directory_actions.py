"""The actions with the help directory: a message that only names a place gets its local help (even when
the model reads it as out of scope), "Who can help" leads with the remembered council, and the town is
asked for once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import actions.actions as acts
from bot.directory.load import served_directory
from bot.directory.replies import ASK_AREA
from bot.settings import PROJECT_ROOT
from tests.actions_helpers import make_service, payloads, run_action, texts, tracker

LEEDS = "tel:+441133785020"


@pytest.fixture
def service(knowledge_dir: Path, tmp_path: Path, monkeypatch):
    shutil.copytree(PROJECT_ROOT / "knowledge" / "directory", knowledge_dir / "directory")
    svc = make_service(knowledge_dir, tmp_path / "kb.db")
    monkeypatch.setattr(acts, "knowledge_service", lambda: svc)
    return svc


def slots_set(events: list[dict]) -> dict[str, object]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


async def test_a_town_read_as_out_of_scope_gets_its_local_help(service) -> None:
    messages, events = await run_action(acts.ActionOutOfScope(), tracker("out_of_scope", text="Leeds"))
    said = texts(messages)
    assert said[0].startswith("**Help near you: Leeds (Leeds City Council)**") and LEEDS in said[0]
    assert slots_set(events) == {"area": "leeds", "area_asked": True}
    assert payloads(messages)  # what to do next: the situations as buttons


async def test_anything_else_out_of_scope_gets_the_usual_reply(service) -> None:
    messages, events = await run_action(
        acts.ActionOutOfScope(), tracker("out_of_scope", text="is it going to rain this weekend")
    )
    assert [m.get("response") for m in messages] == ["utter_out_of_scope"] and events == []


async def test_a_misspelt_town_read_as_unclear_gets_its_local_help(service) -> None:
    messages, events = await run_action(
        acts.ActionDidYouMean(), tracker("nlu_fallback", text="Tower Hamlts", slots={"article_id": "ehc-delay"})
    )
    said = texts(messages)
    assert said[0].startswith("I've taken that as Tower Hamlets")
    assert "I haven't checked its contact details yet" in said[1]
    assert slots_set(events)["area"] == "tower-hamlets"
    assert "/section_who_can_help" in payloads(messages)  # back to the article's sections


async def test_who_can_help_leads_with_the_remembered_council(service) -> None:
    messages, events = await run_action(
        acts.ActionShowSection(),
        tracker("section_who_can_help", slots={"article_id": "ehc-delay", "area": "leeds", "area_asked": True}),
    )
    said = texts(messages)
    assert said[0].startswith("**Help near you: Leeds") and LEEDS in said[0]
    assert any(t.startswith("**Who can help**") for t in said[1:])
    assert any(t.startswith("**Free national help**") for t in said)
    assert said[-1] == "Anything else about this?" and slots_set(events) == {}


async def test_the_town_is_asked_for_once(service) -> None:
    first, events = await run_action(
        acts.ActionShowSection(), tracker("section_who_can_help", slots={"article_id": "ehc-delay"})
    )
    assert ASK_AREA in texts(first)[0] and slots_set(events) == {"area_asked": True}
    again, events = await run_action(
        acts.ActionShowSection(),
        tracker("section_who_can_help", slots={"article_id": "ehc-delay", "area_asked": True}),
    )
    assert not any(ASK_AREA in t for t in texts(again)) and slots_set(events) == {}


async def test_a_broken_directory_never_takes_the_answer_away(service, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise OSError("directory unreadable")

    monkeypatch.setattr(acts, "served_directory", broken)
    messages, _ = await run_action(
        acts.ActionShowSection(), tracker("section_who_can_help", slots={"article_id": "ehc-delay"})
    )
    assert texts(messages)[0].startswith("**Who can help**")
    fallback, _ = await run_action(acts.ActionOutOfScope(), tracker("out_of_scope", text="Leeds"))
    assert [m.get("response") for m in fallback] == ["utter_out_of_scope"]


# England only: a situation message that names Wales, Scotland or Northern Ireland is told so before the answer.
async def test_a_message_naming_wales_is_told_the_answer_is_englands_law(service) -> None:
    messages, _ = await run_action(
        acts.ActionAnswerSituation(), tracker("ehc_delay", text="we live in wales and the ehcp is 6 months late")
    )
    first = messages[0]
    assert first["text"].startswith("You mentioned Wales. What follows is the law in England.")
    assert [b["payload"] for b in first["buttons"]] == ["/outside_england"]
    assert len(messages) > 1  # the England answer still follows, for a parent who has moved to England


async def test_a_town_in_another_nation_is_named_with_its_nation(service) -> None:
    messages, _ = await run_action(
        acts.ActionAnswerSituation(),
        tracker("ehc_delay", text="we moved from Cardiff to Bristol and the new council is late with the plan"),
    )
    assert messages[0]["text"].startswith("You mentioned Cardiff, in Wales.")


@pytest.mark.parametrize(
    ("intent", "text"),
    [
        ("ehc_delay", "my son Barry is waiting for his ehcp, it is 6 months late"),
        ("ehc_delay", "the ehcp is 6 months late, we are in Leeds"),
    ],
)
async def test_no_nation_note_without_another_nation(service, intent: str, text: str) -> None:
    messages, _ = await run_action(acts.ActionAnswerSituation(), tracker(intent, text=text))
    assert messages and messages[0]["text"] != acts.SORRY  # answered, without the note
    assert not any("What follows is the law in England" in (m.get("text") or "") for m in messages)


def test_the_answer_about_living_outside_england_needs_no_note() -> None:
    from bot.directory.answers import other_nation_note

    directory = served_directory(PROJECT_ROOT / "knowledge")
    text = "we live in wales, does my son get an ehcp"
    assert other_nation_note(directory, text, "outside_england") is None
    assert other_nation_note(directory, text, "ehc_delay") is not None
