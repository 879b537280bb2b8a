"""Downloads from the web chat: a letter (Word or plain text), the deadlines calendar and the summary of
the conversation (plain text or Word), built from the conversation the token names, and refused without
a valid token."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, Event, SlotSet, UserUttered

from bot.settings import PROJECT_ROOT
from tests.knowledge_fixtures import VALID_ARTICLE, write_knowledge
from tests.webchat_helpers import FakeAgent, make_channel, running

REAL_DOMAIN = Domain.load(str(PROJECT_ROOT / "domain.yml"))


def channel_with_letters(tmp_path: Path):
    channel = make_channel(tmp_path)
    shutil.copytree(PROJECT_ROOT / "knowledge" / "letters", channel.settings.knowledge_dir / "letters")
    return channel


async def conversation_with(server, *events: Event, text: str = "hello") -> str:
    """A conversation (one message) whose tracker then has these events (slots set, messages sent), as the
    actions would add them."""
    token = await server.session()
    await server.post("/message", {"token": token, "text": text})
    conversation_id = server.channel.signer.verify(token).id
    tracker = await server.agent.tracker_store.retrieve(conversation_id)
    for event in events:
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


async def test_summary_as_text_and_as_word(tmp_path: Path) -> None:
    from docx import Document

    channel = channel_with_letters(tmp_path)
    write_knowledge(channel.settings.knowledge_dir, {"ehc-delay": VALID_ARTICLE})
    async with running(channel, agent()) as server:
        token = await conversation_with(
            server,
            SlotSet("article_id", "ehc-delay"),
            SlotSet("request_date", "2026-03-03"),
            SlotSet("school_type", "academy"),
            BotUttered(
                "**What you can do now**\n- Write to the council.\n"
                "Sources: [1](https://www.legislation.gov.uk/uksi/2014/1530/regulation/13)"
            ),
            UserUttered('/get_letter{"letter_id":"chase-missed-ehc-deadline"}'),
            BotUttered(
                "- [Download as Word](/webhooks/webchat/download/letter/chase-missed-ehc-deadline.docx)\n"
                "- [Download as plain text](/webhooks/webchat/download/letter/chase-missed-ehc-deadline.txt)"
            ),
            text="My name is Alice Example and the council is late",
        )
        status, headers, text = await server.call("GET", f"/summary?token={token}")
        assert status == 200, text
        assert headers["Content-Type"] == "text/plain; charset=utf-8"
        assert headers["Content-Disposition"] == 'attachment; filename="send-assistant-summary.txt"'
        assert "My name is [name] and the council is late" in text and "Alice" not in text
        assert "The council is taking too long with my child's plan" in text  # the article's title
        assert "Type of school: Academy" in text and "(overdue by " in text
        assert "- Write to the council. (see source " in text
        assert "Chase the council about a missed EHC deadline" in text and "received my request on 3 March 2026" in text
        assert "/webhooks/" not in text and "](" not in text
        assert "   https://www.legislation.gov.uk/uksi/2014/1530/regulation/13\n" in text

        async with server.http.get(
            server.base + "/summary?format=docx", headers={"X-Conversation-Token": token}
        ) as reply:
            assert reply.status == 200
            assert reply.headers["Content-Type"].startswith("application/vnd.openxmlformats")
            assert reply.headers["Content-Disposition"] == 'attachment; filename="send-assistant-summary.docx"'
            document = Document(io.BytesIO(await reply.read()))
        for paragraph in document.paragraphs:
            for line in paragraph.text.splitlines():
                assert line in text
        status, _, _ = await server.call("GET", "/summary?format=docx&token=forged")
        assert status == 401
