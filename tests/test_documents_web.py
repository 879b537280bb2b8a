"""The checker's route in the web chat: paste or upload, see the flags, download the checklist; behind the
channel's website, rate and token checks; and nothing of the document stored or logged."""

from __future__ import annotations

import io
import json
import logging
import shutil
from pathlib import Path

import pytest
from docx import Document

from bot.documents import reading
from bot.settings import PROJECT_ROOT
from tests.documents_helpers import PLAN, SUSPENSION_LETTER, plan_docx, scanned_pdf
from tests.webchat_helpers import SITE, FakeAgent, make_channel, running

# A made-up phrase that appears nowhere else: if it is found anywhere after a check, the document leaked.
MARKER = "Zephyrine Quillfeather"
CHECK = "/documents/check"


def checker_channel(tmp_path: Path):
    channel = make_channel(tmp_path)
    shutil.copytree(PROJECT_ROOT / "knowledge" / "documents", channel.settings.knowledge_dir / "documents")
    return channel


async def send(server, token: str, query: str, body: bytes, content_type: str = "text/plain; charset=utf-8"):
    headers = {"X-Conversation-Token": token, "Content-Type": content_type}
    async with server.http.post(server.base + CHECK + query, data=body, headers=headers) as reply:
        return reply.status, dict(reply.headers), await reply.read()


async def test_pasted_plan_gets_flags_with_sources(tmp_path: Path) -> None:
    async with running(checker_channel(tmp_path)) as server:
        token = await server.session()
        status, headers, body = await send(server, token, "?check=plan", PLAN.encode())
        assert status == 200, body
        assert headers["Cache-Control"] == "no-store"
        data = json.loads(body)
        titles = [p["title"] for g in data["groups"] for p in g["points"]]
        assert 'Vague wording: "access to"' in titles
        assert "Check: is there provision for this?" in titles
        assert all(s["url"].startswith("https://") for s in data["sources"])
        assert "information about the law in England" in data["not_advice"]


async def test_checklist_downloads_as_word_and_text(tmp_path: Path) -> None:
    async with running(checker_channel(tmp_path)) as server:
        token = await server.session()
        status, headers, body = await send(server, token, "?check=plan&format=txt", PLAN.encode())
        assert status == 200
        assert headers["Content-Disposition"] == 'attachment; filename="ehc-plan-checklist.txt"'
        assert '[ ] Vague wording: "access to"' in body.decode()
        status, headers, body = await send(server, token, "?check=plan&format=docx", PLAN.encode())
        assert status == 200
        assert headers["Content-Type"].startswith("application/vnd.openxmlformats")
        words = "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)
        assert "Checklist: the support in my child's EHC plan" in words


async def test_letter_check_and_the_letter_kinds(tmp_path: Path) -> None:
    async with running(checker_channel(tmp_path)) as server:
        token = await server.session()
        status, _, kinds = await server.call("GET", "/documents/kinds", headers={"X-Conversation-Token": token})
        assert status == 200
        assert {"refusal-to-assess", "suspension", "permanent-exclusion"} <= {k["id"] for k in kinds["letters"]}
        status, _, body = await send(server, token, "?check=letter&letter=suspension", SUSPENSION_LETTER.encode())
        data = json.loads(body)
        assert status == 200 and data["groups"][0]["heading"] == "We couldn't find"
        status, _, body = await send(server, token, "?check=letter&letter=nonsense", SUSPENSION_LETTER.encode())
        assert status == 422 and json.loads(body)["error"] == "unknown_letter"


async def test_uploads_are_read_and_bad_files_get_a_kind_message(tmp_path: Path) -> None:
    async with running(checker_channel(tmp_path)) as server:
        token = await server.session()
        octet = "application/octet-stream"
        status, _, body = await send(server, token, "?check=plan&filename=plan.docx", plan_docx(), octet)
        assert status == 200, body
        status, _, body = await send(server, token, "?check=plan&filename=scan.pdf", scanned_pdf(), octet)
        assert status == 422
        reply = json.loads(body)
        assert reply["error"] == "no_text" and "scan" in reply["messages"][0]["text"]
        status, _, body = await send(server, token, "?check=plan&filename=plan.pdf", b"just some text, really", octet)
        assert status == 422 and json.loads(body)["error"] == "mismatch"
        # Too big: refused from its declared length, unread (the test sends only the head).
        too_big = {"X-Conversation-Token": token, "Content-Type": octet}
        too_big["Content-Length"] = str(reading.MAX_UPLOAD_BYTES + 1)
        assert await server.raw("POST", CHECK + "?check=plan&filename=big.pdf", too_big) == 413
        status, _, body = await send(server, token, "?check=plan", b"<script>alert(1)</script>")
        assert status == 422 and json.loads(body)["error"] == "too_short"


async def test_the_checker_needs_a_token_and_an_allowed_website(tmp_path: Path) -> None:
    async with running(checker_channel(tmp_path)) as server:
        status, _, _ = await send(server, "forged", "?check=plan", PLAN.encode())
        assert status == 401
        token = await server.session("charity", origin=SITE)
        headers = {"X-Conversation-Token": token, "Content-Type": "text/plain", "Origin": "https://evil.example.net"}
        async with server.http.post(server.base + CHECK + "?check=plan", data=PLAN.encode(), headers=headers) as reply:
            assert reply.status == 403


@pytest.mark.parametrize("output", ["json", "txt", "docx"])
async def test_nothing_from_a_document_is_stored_or_logged(tmp_path: Path, caplog, output: str) -> None:
    caplog.set_level(logging.DEBUG)
    agent = FakeAgent()
    async with running(checker_channel(tmp_path), agent) as server:
        token = await server.session()
        await server.post("/message", {"token": token, "text": "hello"})
        plan = PLAN.replace("Access to speech and language therapy.", f"Access to therapy for {MARKER}.")
        status, _, body = await send(server, token, f"?check=plan&format={output}", plan.encode())
        assert status == 200
        # A failing check (a damaged file) logs nothing of it either.
        await send(server, token, "?check=plan&filename=x.pdf", b"%PDF-1.4 " + MARKER.encode(), "application/pdf")
        status, _, summary = await server.call("GET", f"/summary?token={token}")
        assert status == 200
        conversation = server.channel.signer.verify(token).id
        tracker = await agent.tracker_store.retrieve(conversation)
        stored = json.dumps([e.as_dict() for e in tracker.events])
    assert MARKER in body.decode("utf-8", "replace") or output == "docx"  # the parent's own checklist quotes it
    assert [m.text for m in agent.received] == ["hello"]  # the document never went to the assistant
    assert MARKER not in stored
    assert MARKER not in summary
    assert MARKER not in caplog.text
    assert not list(tmp_path.rglob("*.pdf")) and not list(tmp_path.rglob("*.docx"))
