"""Rasa with our speed-ups gives the same results as Rasa's own code: same verdicts, same classes, same errors."""

from __future__ import annotations

from typing import Any

import pytest
import rasa
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.utils.common import all_subclasses

from bot.rasa_ext import speedups, version
from tests.webchat_helpers import make_channel, running

GOOD: list[dict[str, Any]] = [
    {"events": [], "responses": []},
    {},
    {
        "events": [
            {"event": "slot", "name": "article_id", "value": "ehc-delay"},
            {"event": "active_loop", "name": None},
        ],
        "responses": [
            {"text": "The council must...", "buttons": [{"title": "What the law says", "payload": "/section_law"}]},
            {"custom": {"answered_from_article": "ehc-delay"}},
        ],
    },
]
BAD: list[Any] = [
    {"events": [{"name": "article_id"}]},  # an event without its type
    {"events": [{"event": "no_such_event"}]},
    {"events": "not a list"},
    {"responses": "not a list"},
]


def outcome(check, *args: Any) -> object:
    try:
        return check(*args)
    except ValidationError as error:
        return ("refused", error.message, list(error.path))
    except ValueError as error:
        return ("error", str(error))


@pytest.mark.parametrize("reply", GOOD + BAD)
def test_action_replies_get_the_same_verdict_and_message(reply: Any) -> None:
    action = RemoteAction("action_answer_situation", None)
    own = outcome(speedups.RASAS_REPLY_CHECK, action, reply)
    assert own == outcome(speedups.validate_action_result, action, reply)
    assert (reply in GOOD) == (own is True)


def test_refusals_point_to_the_docs() -> None:
    action = RemoteAction("action_answer_situation", None)
    refused = outcome(speedups.validate_action_result, action, BAD[0])
    assert isinstance(refused, tuple) and "Failed to validate Action server response" in refused[1]


TYPE_NAMES = sorted({cls.type_name for cls in all_subclasses(Event)})


@pytest.mark.parametrize("type_name", [*TYPE_NAMES, "topic", "no_such_event"])
@pytest.mark.parametrize("default", [None, UserUttered])
def test_event_classes_are_the_ones_rasa_finds(type_name: str, default) -> None:
    own = outcome(speedups.RASAS_EVENT_LOOKUP, type_name, default)
    for _ in range(2):  # the second time comes from what was remembered
        assert outcome(speedups.resolve_event_type, type_name, default) == own


def test_a_stored_conversation_reads_back_the_same() -> None:
    events = [UserUttered("sent home again", {"name": "informal_exclusion"}), ActionExecuted("action_listen")]
    events.append(SlotSet("article_id", "informal-exclusion"))
    assert [Event.from_parameters(e.as_dict()) for e in events] == events


def test_installed_only_on_the_rasa_version_they_were_written_for(monkeypatch) -> None:
    monkeypatch.setattr(RemoteAction, "_validate_action_result", speedups.RASAS_REPLY_CHECK)
    monkeypatch.setattr(Event, "resolve_by_type", staticmethod(speedups.RASAS_EVENT_LOOKUP))
    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    assert speedups.install() is False
    assert RemoteAction._validate_action_result is speedups.RASAS_REPLY_CHECK
    assert Event.resolve_by_type is speedups.RASAS_EVENT_LOOKUP
    monkeypatch.setattr(rasa, "__version__", version.WRITTEN_FOR)
    assert speedups.install() is True
    assert RemoteAction._validate_action_result is speedups.validate_action_result
    assert Event.resolve_by_type is speedups.resolve_event_type


async def test_the_web_chat_server_installs_them_when_it_starts_not_on_import(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(RemoteAction, "_validate_action_result", speedups.RASAS_REPLY_CHECK)
    monkeypatch.setattr(Event, "resolve_by_type", staticmethod(speedups.RASAS_EVENT_LOOKUP))
    import bot.web.channel  # noqa: F401  (Rasa imports it from credentials.yml)

    assert RemoteAction._validate_action_result is speedups.RASAS_REPLY_CHECK
    async with running(make_channel(tmp_path)) as server:
        assert (await server.call("GET", "/"))[0] == 200
        assert RemoteAction._validate_action_result is speedups.validate_action_result
        assert Event.resolve_by_type is speedups.resolve_event_type


def test_one_version_guard_warns_once_per_part_and_keeps_rasas_own_endpoint(monkeypatch, caplog) -> None:
    from rasa.utils.endpoints import EndpointConfig

    from bot.rasa_ext.action_endpoint import GuardedActionEndpoint, guard_action_endpoint

    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    monkeypatch.setattr(version, "_warned", set())

    class Agent:
        action_endpoint = EndpointConfig(url="http://127.0.0.1:5055/webhook")

    agent = Agent()
    guard_action_endpoint(agent, 5)
    guard_action_endpoint(agent, 5)
    assert not isinstance(agent.action_endpoint, GuardedActionEndpoint)
    assert [r.getMessage() for r in caplog.records].count(
        "Rasa 3.7.0 is not 3.6.21: the action endpoint's time limits keeps Rasa's own behaviour"
    ) == 1
    monkeypatch.setattr(rasa, "__version__", version.WRITTEN_FOR)
    guard_action_endpoint(agent, 5)
    assert isinstance(agent.action_endpoint, GuardedActionEndpoint)
