"""Many conversations across two Rasa servers at once, then PostgreSQL is checked event by event.

Issue 6 §2: 20 conversations of 5 messages go through nginx, which shares them between the two Rasa
servers; in each, messages 2-4 are sent at the same moment. Rasa's Redis lock must serialise each
conversation's turns across the servers, so in the `events` table every message is stored exactly once,
in order, with the replies the parent received right after it, and nothing is duplicated.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.integration.chat import Chat, Reply, stored_events

pytestmark = pytest.mark.integration

CONVERSATIONS = 20
SITUATIONS = [
    "the school keeps sending my son home early",
    "the council has refused to carry out an EHC needs assessment for my daughter",
    "it's been 26 weeks and still no plan",
    "my daughter has been excluded for five days",
    "the school says he doesn't need any extra support",
]


def message(conversation: int, number: int) -> str:
    situation = SITUATIONS[(conversation + number) % len(SITUATIONS)]
    return f"{situation} (conversation {conversation}, message {number})"


def hold_conversation(chat: Chat, conversation: int, pool: ThreadPoolExecutor) -> dict[str, Reply]:
    """Message 1, then 2-4 at the same moment, then 5 (after the burst has been answered)."""
    replies = {message(conversation, 1): chat.say(message(conversation, 1))}
    burst = [message(conversation, n) for n in (2, 3, 4)]
    replies.update(zip(burst, pool.map(chat.say, burst), strict=True))
    replies[message(conversation, 5)] = chat.say(message(conversation, 5))
    return replies


def upstream_counts(access_log: Path, path: str) -> Counter[str]:
    """How many requests for `path` each upstream server took, from nginx's access log."""
    counts: Counter[str] = Counter()
    for line in access_log.read_text(encoding="utf-8").splitlines():
        if f'"POST {path}"' in line:
            counts.update(re.findall(r"127\.0\.0\.1:\d+", line.split('"')[-1]))
    return counts


def check_conversation(events: list[dict], replies: dict[str, Reply]) -> None:
    """Every message once, in order, each followed by exactly the replies the parent got, then listening."""
    ids = [e["id"] for e in events]
    assert ids == sorted(set(ids))
    stamps = [e["timestamp"] for e in events]
    assert stamps == sorted(stamps), "events are stored out of time order"
    assert all(e["timestamp"] == e["row_timestamp"] for e in events)
    rows = [
        json.dumps({k: v for k, v in e.items() if k not in ("id", "row_timestamp")}, sort_keys=True) for e in events
    ]
    assert len(rows) == len(set(rows)), "an event is stored twice"

    users = [i for i, e in enumerate(events) if e["event"] == "user"]
    sent = [e["text"] for e in events if e["event"] == "user"]
    assert sorted(sent) == sorted(replies), "a message is missing or stored twice"
    # Message 1 first and message 5 last; 2-4 in whichever order the lock let them in.
    assert sent[0].endswith("message 1)") and sent[-1].endswith("message 5)")
    for start, end in zip(users, [*users[1:], len(events)], strict=True):
        turn = events[start:end]
        # Messages with text; an answer's article mark (a custom message) is not something the parent sees.
        said = [e["text"] for e in turn if e["event"] == "bot" and e.get("text")]
        assert said == replies[turn[0]["text"]].texts, f"the replies stored after {turn[0]['text']!r} differ"
        assert said, f"no reply stored for {turn[0]['text']!r}"
        assert turn[-1]["event"] == "action" and turn[-1]["name"] == "action_listen", "a turn was cut short"


def test_many_conversations_across_two_servers_lose_nothing(stack) -> None:
    access_log = stack.nginx.log.parent / "nginx" / "logs" / "access.log"
    chats = [Chat(stack.web) for _ in range(CONVERSATIONS)]
    started = time.monotonic()
    with ThreadPoolExecutor(CONVERSATIONS) as conversations, ThreadPoolExecutor(3 * CONVERSATIONS) as bursts:
        results = list(conversations.map(lambda n: hold_conversation(chats[n], n, bursts), range(CONVERSATIONS)))
    seconds = time.monotonic() - started

    replies = [reply for result in results for reply in result.values()]
    assert len(replies) == 5 * CONVERSATIONS
    assert all(r.status == 200 for r in replies), [r.body for r in replies if r.status != 200][:3]
    unhappy = [r.body for r in replies if not r.texts or "degraded" in r.body]
    assert not unhappy, unhappy[:3]

    for chat, result in zip(chats, results, strict=True):
        check_conversation(stored_events(stack.database_url, chat.conversation_id), result)

    # Both servers of each kind really took part.
    web = upstream_counts(access_log, "/webhooks/webchat/message")
    assert len(web) == 2 and min(web.values()) >= 10, web
    actions = upstream_counts(access_log, "/webhook")
    assert len(actions) == 2 and min(actions.values()) >= 10, actions
    print(f"\n{5 * CONVERSATIONS} messages in {seconds:.1f} s; web chat {dict(web)}; actions {dict(actions)}")
