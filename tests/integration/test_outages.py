"""Outages during a conversation, on the real stack: the parent is told kindly, nothing crashes, and the
conversation carries on when the part comes back (docs/architecture.md#resilience).

The first Rasa server is restarted in the background while the other tests run on the second one, so the
restart (a model load) costs no extra time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest

from bot.web.resilience import ACTIONS_DOWN, STORE_DOWN
from tests.integration.chat import ACTION_TIMEOUT_S, HELPLINE_PHONE, Chat, Reply, stored_events, user_texts

pytestmark = pytest.mark.integration

SITUATION = "the school keeps sending my son home to calm down"
SITUATION_ARTICLE = "informal-exclusion"
OTHER = "the council has refused to carry out an EHC needs assessment for my daughter"
OTHER_ARTICLE = "ehc-assessment-refused"
CRISIS = "My son told me tonight that he wants to die."
CRISIS_FIRST_LINE = "If anyone is in immediate danger, call 999 now."
# actions/actions.py SORRY: what an action says when its own work (the knowledge index) fails.
ACTION_SORRY = "Sorry, something went wrong on my side and I can't show that answer right now."


def answered(reply: Reply, article: str | None = None) -> None:
    assert reply.status == 200, reply.body
    assert "degraded" not in reply.body and reply.texts, reply.body
    assert not any(t.startswith((ACTIONS_DOWN, STORE_DOWN)) for t in reply.texts)
    if article:
        assert reply.body["article_id"] == article, reply.body


def apologised(reply: Reply, *, actions: bool = False, storage: bool = False) -> str:
    """The reply ends with the apology for what failed, and the partner's helpline; returns that message."""
    assert reply.status == 200, reply.body
    assert reply.body.get("degraded") == [n for n, on in (("actions", actions), ("storage", storage)) if on]
    assert reply.body["article_id"] is None  # no "was this helpful?" under an apology
    last = reply.texts[-1]
    assert last.startswith(ACTIONS_DOWN if actions else STORE_DOWN), last
    assert (STORE_DOWN in last) == storage
    assert HELPLINE_PHONE in last, last
    return last


def wait_until(condition: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@dataclass
class Restart:
    chat: Chat
    first: Reply
    thread: threading.Thread
    result: dict[str, object] = field(default_factory=dict)


@pytest.fixture(scope="module", autouse=True)
def restart(stack) -> Iterator[Restart]:
    """A conversation on the first Rasa server, which then restarts while the other tests run."""
    chat = Chat(stack.rasa_urls[0])
    first = chat.say(SITUATION)
    answered(first, SITUATION_ARTICLE)
    result: dict[str, object] = {}

    def run() -> None:
        try:
            result["seconds"] = stack.restart_rasa(0)
        except Exception as exc:  # reported by the restart test
            result["error"] = exc

    handle = Restart(chat, first, threading.Thread(target=run, name="restart-rasa", daemon=True), result)
    handle.thread.start()
    yield handle
    handle.thread.join(timeout=300)


@pytest.fixture
def chat(stack) -> Iterator[Chat]:
    """A new conversation on the second Rasa server; every line is put back and every server still runs."""
    yield Chat(stack.rasa_urls[1])
    for line in (stack.actions_line, stack.conversations_line, stack.knowledge_line, stack.locks_line):
        line.restore()
    for process in [stack.nginx, *stack.actions, stack.rasa[1]]:
        process.check_running()


def test_action_server_down_gets_the_helpline_and_the_chat_carries_on(stack, chat: Chat) -> None:
    answered(chat.say(SITUATION), SITUATION_ARTICLE)

    stack.actions_line.cut()
    down = chat.say(OTHER)
    apologised(down, actions=True)
    assert len(down.texts) == 1 and down.seconds < ACTION_TIMEOUT_S  # refused at once: no waiting
    # Crisis help is a domain response: it comes first even now, then the apology.
    crisis = chat.say(CRISIS)
    assert crisis.texts[0].startswith(CRISIS_FIRST_LINE)
    apologised(crisis, actions=True)

    stack.actions_line.restore()
    answered(chat.say(OTHER), OTHER_ARTICLE)
    answered(chat.say(payload="/section_law"), OTHER_ARTICLE)

    assert "action server unavailable for action_answer_situation" in stack.rasa[1].log_text()
    assert user_texts(stored_events(stack.database_url, chat.conversation_id)) == [
        SITUATION,
        OTHER,
        CRISIS,
        OTHER,
        "/section_law",
    ]


def test_a_hanging_action_server_is_given_up_on_in_seconds(stack, chat: Chat) -> None:
    stack.actions_line.hang()
    stuck = chat.say(SITUATION)
    apologised(stuck, actions=True)
    # One wait per turn (Rasa's own limit is five minutes per action).
    assert ACTION_TIMEOUT_S <= stuck.seconds < ACTION_TIMEOUT_S + 10, stuck.seconds
    stack.actions_line.restore()
    answered(chat.say(SITUATION), SITUATION_ARTICLE)
    assert f"no answer within {ACTION_TIMEOUT_S} s" in stack.rasa[1].log_text()


def test_knowledge_index_down_gets_the_actions_own_sorry(stack, chat: Chat) -> None:
    stack.knowledge_line.cut()
    sorry = chat.say(SITUATION)
    assert sorry.status == 200 and "degraded" not in sorry.body
    assert sorry.texts == [sorry.texts[0]] and sorry.texts[0].startswith(ACTION_SORRY), sorry.texts
    assert "/talk_to_adviser" in sorry.payloads
    stack.knowledge_line.restore()
    answered(chat.say(SITUATION), SITUATION_ARTICLE)


def test_conversation_database_down_is_said_kindly_and_nothing_stored_is_lost(stack, chat: Chat) -> None:
    answered(chat.say(SITUATION), SITUATION_ARTICLE)
    before = stored_events(stack.database_url, chat.conversation_id)

    stack.conversations_line.cut()
    # Typed words are still answered (a crisis must never depend on the database), with the notice.
    during = chat.say(OTHER)
    apologised(during, storage=True)
    assert len(during.texts) > 1 and not during.texts[0].startswith(STORE_DOWN)
    # A button can't be checked against a conversation that can't be read: not answered, kept for later.
    button = chat.say(payload="/section_law")
    assert button.status == 503 and button.body["error"] == "store_unavailable"
    assert button.texts[0].startswith(STORE_DOWN) and HELPLINE_PHONE in button.texts[0]
    # The widget's "Someone in danger?" is always offered, so it needs no stored conversation: the help comes.
    help_now = chat.say(payload="/crisis")
    assert help_now.status == 200 and help_now.texts[0].startswith(CRISIS_FIRST_LINE), help_now.texts

    stack.conversations_line.restore()
    # The same button works now: the stored conversation offered it, and its article slot is read back.
    answered(chat.say(payload="/section_law"), SITUATION_ARTICLE)
    after = stored_events(stack.database_url, chat.conversation_id)
    assert after[: len(before)] == before
    assert user_texts(after) == [SITUATION, "/section_law"]
    log = stack.rasa[1].log_text()
    assert "conversation store: can't read a conversation, the database is unavailable" in log


def test_redis_down_nothing_is_answered_emergency_help_still_is_and_the_chat_carries_on(stack, chat: Chat) -> None:
    answered(chat.say(SITUATION), SITUATION_ARTICLE)
    before = stored_events(stack.database_url, chat.conversation_id)

    stack.locks_line.cut()
    # Without its lock Rasa can't answer safely: nothing is answered or stored, and the parent is told.
    refused = chat.say(OTHER)
    assert refused.status == 503 and refused.body["error"] == "unavailable"
    assert refused.texts[0].startswith(ACTIONS_DOWN) and HELPLINE_PHONE in refused.texts[0]
    # Emergency help never depends on it.
    crisis = chat.say(CRISIS)
    assert crisis.status == 503 and crisis.texts[0].startswith(CRISIS_FIRST_LINE)
    assert HELPLINE_PHONE in crisis.texts[0]
    assert stored_events(stack.database_url, chat.conversation_id) == before

    stack.locks_line.restore()
    answered(chat.say(OTHER), OTHER_ARTICLE)
    assert user_texts(stored_events(stack.database_url, chat.conversation_id)) == [SITUATION, OTHER]
    assert "conversation locks: Redis is unavailable" in stack.rasa[1].log_text()


def test_database_lost_or_back_in_the_middle_of_a_turn_never_mixes_up_the_stored_conversation(
    stack, chat: Chat
) -> None:
    answered(chat.say("hello"))
    before = stored_events(stack.database_url, chat.conversation_id)

    def during_a_stuck_action(change: Callable[[], None], text: str) -> Reply:
        """Send `text`; once Rasa is waiting on the (hanging) action server, make `change`."""
        stack.actions_line.hang()
        seen = stack.actions_line.connections
        with ThreadPoolExecutor(1) as pool:
            pending = pool.submit(chat.say, text)
            wait_until(lambda: stack.actions_line.connections > seen)
            change()
            reply = pending.result()
        stack.actions_line.restore()
        return reply

    # Read fine, then the database goes before the turn is saved: answered, not saved.
    lost = during_a_stuck_action(stack.conversations_line.cut, SITUATION)
    apologised(lost, actions=True, storage=True)
    stack.conversations_line.restore()
    assert stored_events(stack.database_url, chat.conversation_id) == before

    # Read while the database is down (so Rasa starts the conversation afresh in memory), and the database
    # is back before the turn is saved: that fresh start must not be written into the stored conversation.
    stack.conversations_line.cut()
    back = during_a_stuck_action(stack.conversations_line.restore, CRISIS)
    assert back.texts[0].startswith(CRISIS_FIRST_LINE)
    apologised(back, actions=True, storage=True)
    assert stored_events(stack.database_url, chat.conversation_id) == before
    assert "doesn't continue the stored conversation" in stack.rasa[1].log_text()

    # And the conversation carries on from what was stored.
    answered(chat.say(SITUATION), SITUATION_ARTICLE)
    assert user_texts(stored_events(stack.database_url, chat.conversation_id)) == ["hello", SITUATION]


def test_a_restarted_rasa_server_continues_the_conversation_from_the_database(stack, restart: Restart) -> None:
    restart.thread.join(timeout=300)
    assert "error" not in restart.result, restart.result.get("error")
    assert stack.rasa[0].starts == 2 and "seconds" in restart.result
    # The button offered before the restart is accepted (history read back), and the section comes from
    # the article chosen before it (slots read back).
    section = restart.chat.say(payload="/section_law")
    answered(section, SITUATION_ARTICLE)
    events = stored_events(stack.database_url, restart.chat.conversation_id)
    assert user_texts(events) == [SITUATION, "/section_law"]
    assert [e["event"] for e in events].count("session_started") == 1  # the same session, not a new one
    print(f"\nRasa server restarted and answering again in {restart.result['seconds']:.0f} s")
