"""Downloads from the web chat: a letter (Word or plain text) and the deadlines calendar, built from the
conversation the token names, and refused without a valid token."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet

from bot.settings import PROJECT_ROOT
from tests.webchat_helpers import FakeAgent, make_channel, running

REAL_DOMAIN = Domain.load(str(PROJECT_ROOT / "domain.yml"))


def channel_with_letters(tmp_path: Path):
    channel = make_channel(tmp_path)
    shutil.copytree(PROJECT_ROOT / "knowledge" / "letters", channel.settings.knowledge_dir / "letters")
    return channel


async def conversation_with(server, *slots: SlotSet) -> str:
    """A conversation (one message) whose tracker then has these slots set, as the actions would."""
    token = await server.session()
    await server.post("/message", {"token": token, "text": "hello"})
    conversation_id = server.channel.signer.verify(token).id
    tracker = await server.agent.tracker_store.retrieve(conversation_id)
    for event in slots:
        tracker.update(event)
    await server.agent.tracker_store.save(tracker)
    return token


def agent() -> FakeAgent:
    fake = FakeAgent()
    fake.tracker_store = InMemoryTrackerStore(REAL_DOMAIN)
    return fake


async def test_letter_as_text_is_filled_from_the_conversation(tmp_path: Path) -> None:
    async with running(channel_with_letters(tmp_path), agent()) as server:
        token = await conversation_with(
            server,
            SlotSet("year_group", "year 4"),
            SlotSet("deadline_kind", "ehc_request"),
            SlotSet("deadline_date", "2026-09-01"),
            SlotSet("deadline_kind", None),  # the form clears its answers; the letter still knows them
            SlotSet("deadline_date", None),
        )
        status, headers, text = await server.call(
            "GET", f"/download/letter/chase-missed-ehc-deadline.txt?token={token}"
        )
        assert status == 200, text
        assert headers["Content-Type"] == "text/plain; charset=utf-8"
        assert headers["Content-Disposition"] == 'attachment; filename="chase-missed-ehc-deadline.txt"'
        assert "1 September 2026" in text and "[your child's name]" in text


async def test_letter_as_word_with_the_token_in_a_header(tmp_path: Path) -> None:
    from docx import Document

    async with running(channel_with_letters(tmp_path), agent()) as server:
        token = await conversation_with(server, SlotSet("year_group", "year 4"))
        async with server.http.get(
            server.base + "/download/letter/request-ehc-assessment.docx", headers={"X-Conversation-Token": token}
        ) as reply:
            assert reply.status == 200
            assert reply.headers["Content-Type"].startswith("application/vnd.openxmlformats")
            document = Document(io.BytesIO(await reply.read()))
        assert any("Year 4" in p.text for p in document.paragraphs)


async def test_unknown_letters_and_bad_tokens_are_refused(tmp_path: Path) -> None:
    async with running(channel_with_letters(tmp_path), agent()) as server:
        token = await conversation_with(server)
        for path in (
            f"/download/letter/no-such-letter.txt?token={token}",
            f"/download/letter/request-ehc-assessment.exe?token={token}",
            f"/download/letter/..%2Fsecrets.txt?token={token}",
        ):
            status, _, body = await server.call("GET", path)
            assert status == 404 and body["error"] == "unknown_letter"
        status, _, body = await server.call("GET", "/download/letter/request-ehc-assessment.txt?token=forged")
        assert status == 401
        status, _, _ = await server.call("GET", "/download/letter/request-ehc-assessment.txt")
        assert status == 401


async def test_deadlines_calendar(tmp_path: Path) -> None:
    async with running(make_channel(tmp_path), agent()) as server:
        token = await conversation_with(
            server, SlotSet("deadline_kind", "appealable_decision"), SlotSet("deadline_date", "2026-11-02")
        )
        status, headers, text = await server.call("GET", f"/download/deadlines.ics?token={token}")
        assert status == 200
        assert headers["Content-Type"] == "text/calendar; charset=utf-8"
        assert headers["Content-Disposition"] == 'attachment; filename="send-deadlines.ics"'
        assert "BEGIN:VCALENDAR" in text and text.count("BEGIN:VEVENT") == 2
        assert "DTSTART;VALUE=DATE:20270102" in text  # 2 months after 2 November 2026


async def test_no_deadlines_yet_is_a_kind_404(tmp_path: Path) -> None:
    async with running(make_channel(tmp_path), agent()) as server:
        token = await conversation_with(server)
        status, _, body = await server.call("GET", f"/download/deadlines.ics?token={token}")
        assert status == 404 and "work out your deadlines" in body["messages"][0]["text"]
        status, _, _ = await server.call("GET", "/download/deadlines.ics?token=forged")
        assert status == 401
