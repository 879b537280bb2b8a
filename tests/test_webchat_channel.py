"""The web chat channel over real HTTP: Rasa's app and our routes, with a scripted stand-in for the model."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import inspect

from bot.web import guard
from bot.web.channel import BAD_REQUEST, MAX_BODY_BYTES, WebChatInput
from bot.web.feedback import all_feedback, feedback_engine
from bot.web.limits import WAIT_MESSAGE
from bot.web.tokens import SqlRevocations, TokenSigner
from tests.db import drop_postgres, postgres_url
from tests.webchat_helpers import OTHER_SITE, SECRET, SITE, FakeAgent, ManualClock, Reply, make_channel, running


def texts(body: dict) -> list[str]:
    return [m["text"] for m in body["messages"]]


def assert_no_cors(headers: dict[str, str]) -> None:
    assert not [h for h in headers if h.lower().startswith("access-control-")]


# --- tokens and conversation ids --------------------------------------------------------------------


async def test_session_issues_a_signed_token_for_the_partner(tmp_path: Path) -> None:
    channel = make_channel(tmp_path)
    async with running(channel) as server:
        status, headers, body = await server.post("/session", {"partner": "charity"}, origin=SITE)
        assert status == 200 and body["partner"] == "charity"
        assert headers["Cache-Control"] == "no-store"
        conversation = channel.signer.verify(body["token"])
        assert conversation is not None and conversation.partner == "charity"
        other = await server.session("charity", origin=SITE)
        assert channel.signer.verify(other).id != conversation.id
        status, _, body = await server.post("/session", {})
        assert status == 200 and body["partner"] == "default"
        status, _, body = await server.post("/session", {"partner": "nobody"})
        assert status == 400 and body["error"] == "unknown_partner"


async def test_forged_and_altered_tokens_are_refused(tmp_path: Path) -> None:
    async with running(make_channel(tmp_path)) as server:
        token = await server.session()
        version, payload, signature = token.split(".")
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        data["c"] = "a-conversation-id-the-browser-chose"
        altered = ".".join(
            [version, base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode(), signature]
        )
        foreign = TokenSigner(b"somebody-elses-secret-which-is-long-enough").issue("default")[0]
        for bad in [altered, foreign, "v1.abc.def", "", None]:
            status, _, body = await server.post("/message", {"token": bad, "text": "hello"})
            assert status == 401, bad
            assert body["error"] == "bad_token" and "start a new chat" in texts(body)[0]
        assert server.agent.received == []


async def test_a_client_chosen_sender_id_is_never_used(tmp_path: Path) -> None:
    channel = make_channel(tmp_path)
    async with running(channel) as server:
        token = await server.session()
        chosen = {"sender": "victim", "sender_id": "victim", "conversation_id": "victim", "metadata": {"partner": "x"}}
        status, _, _ = await server.post("/message", {"token": token, "text": "hello", **chosen})
        assert status == 200
        status, _, _ = await server.post("/message", {"text": "again"}, headers={"X-Conversation-Token": token})
        assert status == 200
        status, _, _ = await server.post("/message", {"text": "no token", "sender": "victim"})
        assert status == 401
    expected = channel.signer.verify(token).id
    received = server.agent.received
    assert [m.sender_id for m in received] == [expected, expected]
    assert all(m.input_channel == "webchat" and m.metadata == {"partner": "default"} for m in received)
    assert "victim" not in str(await server.agent.tracker_store.keys())


# --- what reaches Rasa ---------------------------------------------------------------------------------


async def test_unknown_intent_payloads_are_treated_as_text(tmp_path: Path) -> None:
    async with running(make_channel(tmp_path)) as server:
        token = await server.session()
        for sent in ['/crisis{"risk": "none"}', "/section_law", "//greet", " /talk_to_adviser"]:
            status, _, _ = await server.post("/message", {"token": token, "text": sent})
            assert status == 200
        # The first message has not been answered yet, so even a real button payload is not "offered".
        status, _, _ = await server.post("/message", {"token": token, "payload": "/stop"})
        assert status == 200
    assert [m.text for m in server.agent.received] == [
        'crisis{"risk": "none"}',
        "/section_law",  # offered by the reply to the first message
        "greet",
        "talk_to_adviser",
        "stop",
    ]


async def test_only_buttons_from_the_latest_turn_are_accepted_as_payloads(tmp_path: Path) -> None:
    turns = iter(
        [
            [Reply("Answer", [{"title": "What the law says", "payload": "/section_law"}])],
            [Reply("Law", [{"title": "Talk to an adviser", "payload": "/talk_to_adviser"}])],
            [Reply("Adviser")],
            [Reply("Again")],
        ]
    )
    agent = FakeAgent(lambda message: (next(turns), None))
    async with running(make_channel(tmp_path), agent) as server:
        token = await server.session()
        await server.post("/message", {"token": token, "text": "my child's plan is late"})
        await server.post("/message", {"token": token, "payload": "/section_law"})
        await server.post("/message", {"token": token, "payload": "/section_law"})  # no longer offered
        await server.post("/message", {"token": token, "payload": "/talk_to_adviser"})  # offered two turns ago
    assert [m.text for m in agent.received] == [
        "my child's plan is late",
        "/section_law",
        "section_law",
        "talk_to_adviser",
    ]


async def test_oversize_and_empty_messages_get_a_friendly_reply(tmp_path: Path) -> None:
    async with running(make_channel(tmp_path)) as server:
        token = await server.session()
        status, _, body = await server.post("/message", {"token": token, "text": "a" * 1001})
        assert status == 400 and texts(body) == [guard.TOO_LONG] and "1000 characters" in guard.TOO_LONG
        for empty in ["", "   \n ", "///", None]:
            status, _, body = await server.post("/message", {"token": token, "text": empty})
            assert status == 400 and texts(body) == [guard.EMPTY if empty is not None else guard.NOT_TEXT]
        status, _, body = await server.post("/message", {"token": token, "text": "a" * 1000})
        assert status == 200
        status, _, body = await server.call("POST", "/message", data=b"{not json", origin=None)
        assert status == 400 and body["error"] == "bad_request"
        status, _, body = await server.call("POST", "/message", data=b"x" * 20_000)
        assert status == 413 and body["error"] == "too_large" and texts(body) == [guard.TOO_LONG]
    assert [m.text for m in server.agent.received] == ["a" * 1000]


async def test_html_and_script_reach_rasa_as_plain_text_and_come_back_unchanged(tmp_path: Path) -> None:
    sneaky = "<script>alert('hi')</script><img src=x onerror=\"alert(1)\"> & <b>bold</b>"
    async with running(make_channel(tmp_path)) as server:
        token = await server.session()
        status, headers, body = await server.post("/message", {"token": token, "text": sneaky})
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert server.agent.received[0].text == sneaky
    assert body["messages"][0] == {"text": f"You said: {sneaky}", "buttons": []}


async def test_reply_has_text_buttons_and_the_answer_article(tmp_path: Path) -> None:
    async with running(make_channel(tmp_path)) as server:
        token = await server.session()
        _, _, first = await server.post("/message", {"token": token, "text": "hello"})
        _, _, second = await server.post("/message", {"token": token, "text": "the plan is in delay"})
    assert first["article_id"] is None
    assert second["article_id"] == "ehc-delay"
    assert second["messages"][1] == {
        "text": "What would you like to know next?",
        "buttons": [
            {"title": "What the law says", "payload": "/section_law"},
            {"title": "Who can help", "payload": "/section_who_can_help"},
        ],
    }


async def test_no_model_loaded_yet(tmp_path: Path) -> None:
    agent = FakeAgent()
    agent.is_ready = lambda: False  # type: ignore[method-assign]
    async with running(make_channel(tmp_path), agent) as server:
        token = await server.session()
        status, _, body = await server.post("/message", {"token": token, "text": "hello"})
    assert status == 503 and "starting up" in texts(body)[0]


# --- websites (origins) ----------------------------------------------------------------------------------


async def test_a_website_no_partner_allows_is_refused_without_cors_headers(tmp_path: Path) -> None:
    async with running(make_channel(tmp_path)) as server:
        token = await server.session("charity", origin=SITE)
        for method, path, body in [
            ("POST", "/session", {"partner": "charity"}),
            ("POST", "/message", {"token": token, "text": "hello"}),
            ("GET", "/partner/charity", None),
            ("GET", f"/summary?token={token}", None),
        ]:
            status, headers, reply = await server.call(method, path, json=body, origin=OTHER_SITE)
            assert status == 403, path
            assert reply["error"] == "origin_not_allowed"
            assert_no_cors(headers)
        preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
        status, headers, _ = await server.call("OPTIONS", "/message", origin=OTHER_SITE, headers=preflight)
        assert status == 403
        assert_no_cors(headers)
        # An origin allowed for one partner cannot use another partner's chat. (A page on this machine's
        # loopback is the demo page, allowed for every partner: origins.from_this_machine.)
        default_token = await server.session()
        status, headers, _ = await server.post("/session", {"partner": "default"}, origin=SITE)
        assert status == 403
        status, _, _ = await server.post("/message", {"token": default_token, "text": "hi"}, origin=SITE)
        assert status == 403
    assert server.agent.received == []


async def test_an_allowed_website_gets_cors_headers(tmp_path: Path) -> None:
    async with running(make_channel(tmp_path)) as server:
        preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
        status, headers, _ = await server.call("OPTIONS", "/message", origin=SITE, headers=preflight)
        assert status == 204
        assert headers["Access-Control-Allow-Origin"] == SITE
        assert "POST" in headers["Access-Control-Allow-Methods"]
        assert "Content-Type" in headers["Access-Control-Allow-Headers"]
        status, headers, body = await server.post("/session", {"partner": "charity"}, origin=SITE)
        assert status == 200 and headers["Access-Control-Allow-Origin"] == SITE and headers["Vary"] == "Origin"
        status, headers, _ = await server.post("/message", {"token": body["token"], "text": "hi"}, origin=SITE)
        assert status == 200 and headers["Access-Control-Allow-Origin"] == SITE
        # Errors from an allowed website carry the header too, so the widget can read the kind words.
        status, headers, _ = await server.post("/message", {"token": "forged", "text": "hi"}, origin=SITE)
        assert status == 401 and headers["Access-Control-Allow-Origin"] == SITE
        # The server's own demo page (same origin) is always allowed.
        status, headers, _ = await server.post("/session", {"partner": "default"}, origin=server.origin)
        assert status == 200


# --- rate limits --------------------------------------------------------------------------------------------


async def test_rate_limit_per_conversation(tmp_path: Path) -> None:
    clock = ManualClock()
    async with running(make_channel(tmp_path, per_conversation="3/minute", clock=clock)) as server:
        token, other = await server.session(), await server.session()
        for _ in range(3):
            assert (await server.post("/message", {"token": token, "text": "hi"}))[0] == 200
        status, headers, body = await server.post("/message", {"token": token, "text": "hi"})
        assert status == 429 and texts(body) == [WAIT_MESSAGE] and "wait a few seconds" in WAIT_MESSAGE
        assert headers["Retry-After"] == "20"
        assert (await server.post("/message", {"token": other, "text": "hi"}))[0] == 200
        clock.advance(20)
        assert (await server.post("/message", {"token": token, "text": "hi"}))[0] == 200
    assert len(server.agent.received) == 5


async def test_rate_limit_per_address(tmp_path: Path) -> None:
    clock = ManualClock()
    async with running(make_channel(tmp_path, per_address="4/minute", clock=clock)) as server:
        first = await server.session()
        for _ in range(3):
            assert (await server.post("/message", {"token": first, "text": "hi"}))[0] == 200
        status, _, body = await server.post("/session", {"partner": "default"})  # a new conversation doesn't help
        assert status == 429 and texts(body) == [WAIT_MESSAGE]
        status, _, _ = await server.post("/message", {"token": first, "text": "hi"})
        assert status == 429
        clock.advance(15)
        assert (await server.post("/message", {"token": first, "text": "hi"}))[0] == 200


# --- feedback --------------------------------------------------------------------------------------------


async def _rate_an_answer(tmp_path: Path, database_url: str) -> None:
    channel = make_channel(tmp_path, database_url=database_url)
    async with running(channel) as server:
        token = await server.session()
        _, _, reply = await server.post("/message", {"token": token, "text": "my name is Jo and the plan is in delay"})
        assert reply["article_id"] == "ehc-delay"
        reason = "Not clear. Email jo@example.com or call 07700 900123."
        status, headers, body = await server.post(
            "/feedback",
            {
                "token": token,
                "article_id": "ehc-delay",
                "helpful": False,
                "reason": reason,
                "reason_code": "hard_to_understand",
            },
        )
        assert status == 200 and body == {"ok": True}
        status, _, _ = await server.post("/feedback", {"token": token, "article_id": "ehc-delay", "helpful": True})
        assert status == 200
        refused = [
            {"token": token, "article_id": "permanent-exclusion", "helpful": True},  # not answered in this chat
            {"token": token, "article_id": "ehc-delay", "helpful": "yes"},
            {"token": token, "article_id": "../../etc", "helpful": True},
            {"token": token, "article_id": "ehc-delay", "helpful": True, "reason": "x" * 501},
            {"token": "forged", "article_id": "ehc-delay", "helpful": True},
            {"token": token, "article_id": "ehc-delay", "helpful": False, "reason_code": "rubbish"},
            {"token": token, "article_id": "ehc-delay", "helpful": True, "reason_code": "other"},
        ]
        for body in refused:
            status, _, reply = await server.post("/feedback", body)
            assert status in (400, 401) and reply["messages"], body
    engine = feedback_engine(database_url)
    rows = all_feedback(engine)
    assert [(r["article_id"], r["helpful"], r["reason"], r["partner"]) for r in rows] == [
        ("ehc-delay", False, "Not clear. Email [removed] or call [removed].", "default"),
        ("ehc-delay", True, None, "default"),
    ]
    assert [r["reason_code"] for r in rows] == ["hard_to_understand", None]
    # The time of the rated answer, so the staff console can find the question while it is kept.
    assert isinstance(rows[0]["answered_at"], float) and rows[1]["answered_at"] is None
    assert {c["name"] for c in inspect(engine).get_columns("feedback")} == {
        "id",
        "article_id",
        "helpful",
        "reason",
        "partner",
        "created_at",
        "reason_code",
        "answered_at",
    }
    conversation_id = channel.signer.verify(token).id
    stored = json.dumps([{k: str(v) for k, v in r.items()} for r in rows])
    assert conversation_id not in stored and "Jo" not in stored
    engine.dispose()


async def test_feedback_is_stored_without_the_conversation_sqlite(tmp_path: Path) -> None:
    await _rate_an_answer(tmp_path, f"sqlite:///{tmp_path / 'var' / 'send.db'}")


async def test_feedback_is_stored_without_the_conversation_postgresql(tmp_path: Path) -> None:
    url = postgres_url()
    try:
        await _rate_an_answer(tmp_path, url)
    finally:
        drop_postgres(url)


# --- clearing and the summary -------------------------------------------------------------------------------


async def test_clear_deletes_the_conversation_and_gives_a_new_token(tmp_path: Path) -> None:
    channel = make_channel(tmp_path)
    async with running(channel) as server:
        token = await server.session()
        await server.post("/message", {"token": token, "text": "hello"})
        old_id = channel.signer.verify(token).id
        assert old_id in await server.agent.tracker_store.keys()
        status, _, body = await server.post("/clear", {"token": token})
        assert status == 200 and body["ok"] is True
        assert old_id not in await server.agent.tracker_store.keys()
        new = channel.signer.verify(body["token"])
        assert new is not None and new.id != old_id and new.partner == "default"
        status, _, _ = await server.post("/message", {"token": token, "text": "hello again"})
        assert status == 401  # the deleted conversation cannot be continued
        status, _, _ = await server.post("/message", {"token": body["token"], "text": "hello again"})
        assert status == 200
    assert server.agent.received[-1].sender_id == new.id


async def _cleared_stays_cleared(tmp_path: Path, database_url: str) -> None:
    # Issue 14, point 2: before, revocations lived in one process's memory: after a restart (or on another
    # replica) a cleared conversation's token worked again, and new events were written under its id.
    def replica() -> WebChatInput:
        channel = make_channel(tmp_path, database_url=database_url)
        channel.signer = TokenSigner(SECRET, 90 * 86_400, revocations=SqlRevocations(channel.feedback_engine))
        return channel

    first, second = replica(), replica()
    agent = FakeAgent()
    async with running(first, agent) as server:
        token = await server.session()
        old_id = first.signer.verify(token).id
        await server.post("/message", {"token": token, "text": "hello"})
        status, _, body = await server.post("/clear", {"token": token})
        assert status == 200 and first.signer.verify(body["token"]) is not None
    async with running(second, agent) as other:  # another replica, or the same server restarted
        status, _, _ = await other.post("/message", {"token": token, "text": "hello again"})
        assert status == 401
        assert (await other.post("/message", {"token": body["token"], "text": "hello again"}))[0] == 200
    assert old_id not in await agent.tracker_store.keys()
    for channel in (first, second):
        channel.feedback_engine().dispose()


async def test_a_cleared_conversation_stays_cleared_on_every_server_sqlite(tmp_path: Path) -> None:
    await _cleared_stays_cleared(tmp_path, f"sqlite:///{tmp_path / 'var' / 'send.db'}")


async def test_a_cleared_conversation_stays_cleared_on_every_server_postgresql(tmp_path: Path) -> None:
    url = postgres_url()
    try:
        await _cleared_stays_cleared(tmp_path, url)
    finally:
        drop_postgres(url)


async def test_partner_settings_follow_the_contract(tmp_path: Path) -> None:
    async with running(make_channel(tmp_path)) as server:
        status, headers, body = await server.call("GET", "/partner/charity", origin=SITE)
        assert status == 200 and headers["Access-Control-Allow-Origin"] == SITE
        assert set(body) == {
            "id",
            "display_name",
            "colours",
            "logo_url",
            "welcome",
            "privacy_notice",
            "retention_days",
            "helpline",
            "national_services",
        }
        assert set(body["colours"]) == {"primary", "on_primary", "accent"}
        assert set(body["helpline"]) == {"phone", "email", "web_form", "status_text", "open_now"}
        assert body["helpline"]["phone"] == "01632 960123" and body["retention_days"] == 90
        assert "90 days" in body["privacy_notice"]
        assert body["national_services"][0] == {
            "name": "Your local SENDIASS",
            "what": "Your council's free, impartial advice service.",
            "url": None,
        }
        for missing in ["/partner/nobody", "/partner/..%2F..%2Fetc"]:
            status, _, body = await server.call("GET", missing)
            assert status == 404


@pytest.fixture
def widget_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "widget"
    folder.mkdir()
    (folder / "widget.js").write_text("console.log('widget');\n", encoding="utf-8")
    (folder / "demo.html").write_text(
        "<!doctype html><html><head><style>body { color: #222; }</style></head><body>"
        '<script src="/webhooks/webchat/widget.js" data-partner="default" defer></script></body></html>',
        encoding="utf-8",
    )
    return folder


async def test_demo_page_and_widget_script_are_served_safely(tmp_path: Path, widget_dir: Path) -> None:
    async with running(make_channel(tmp_path, widget_dir=widget_dir)) as server:
        status, headers, script = await server.call("GET", "/widget.js")
        assert status == 200 and script == "console.log('widget');\n"
        assert headers["Content-Type"] == "text/javascript; charset=utf-8"
        assert headers["X-Content-Type-Options"] == "nosniff"
        status, headers, page = await server.call("GET", "/demo")
        assert status == 200 and 'data-partner="default"' in page
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        policy = headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
        digest = base64.b64encode(hashlib.sha256(b"body { color: #222; }").digest()).decode()
        assert f"'sha256-{digest}'" in policy  # the page's own inline style, and nothing else
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        (widget_dir / "demo.html").unlink()
        status, _, _ = await server.call("GET", "/demo")
        assert status == 404


def test_the_real_channel_is_registered_and_rest_is_not() -> None:
    import yaml

    from bot.settings import PROJECT_ROOT

    credentials = yaml.safe_load((PROJECT_ROOT / "credentials.yml").read_text(encoding="utf-8"))
    assert list(credentials) == ["bot.web.channel.WebChatInput"]
    shell = yaml.safe_load((PROJECT_ROOT / "credentials-shell.yml").read_text(encoding="utf-8"))
    assert list(shell) == ["rest"]


# --- no input can hurt (issue 14) -----------------------------------------------------------------------
# Each test below failed before the fix named in its comment.

DEEP = 990  # the nesting that gave a 500 and a RecursionError traceback


@pytest.mark.parametrize("path", ["/message", "/session", "/feedback", "/clear"])
async def test_deeply_nested_json_is_a_kind_400_not_a_crash(tmp_path: Path, path: str) -> None:
    # Point 6: before, json.loads raised RecursionError inside the route: 500 and a traceback in the log.
    nested = b"[" * DEEP + b"]" * DEEP
    async with running(make_channel(tmp_path)) as server:
        for body in (nested, b'{"token": "x", "text": ' + nested + b"}"):
            status, _, reply = await server.call("POST", path, data=body, headers={"Content-Type": "application/json"})
            assert status == 400, path
            assert reply["error"] == "bad_request" and texts(reply) == [BAD_REQUEST]
    assert server.agent.received == []


async def test_an_oversized_body_is_refused_before_it_is_read(tmp_path: Path) -> None:
    # Point 7: before, Sanic read any body up to its 100 MB default into memory before the route saw it, so
    # these requests (50 MB declared, 1 byte sent) waited for the rest and got no answer.
    declared = {"Content-Type": "application/json", "Content-Length": "50000000"}
    async with running(make_channel(tmp_path)) as server:
        for path in ("/message", "/session", "/feedback", "/clear"):
            assert await server.raw("POST", path, declared, b"{") == 413, path
        # The whole server's limit is the chat's own, for every other route too (here a GET with a body).
        assert await server.raw("GET", "/partner/default", {"Content-Length": "1000000"}, b"x") == 413
        assert server.app.config.REQUEST_MAX_SIZE == MAX_BODY_BYTES


async def test_a_chunked_body_is_cut_off_at_the_limit(tmp_path: Path) -> None:
    # Point 7: a body without a length is read only up to the limit (before, all of it, then a 400).
    async def chunks():
        for _ in range(64):
            yield b" " * 4096

    async with running(make_channel(tmp_path)) as server:
        status, _, reply = await server.call("POST", "/session", data=chunks())
        assert status == 413 and reply["error"] == "too_large"
        assert (await server.post("/session", {"partner": "default"}))[0] == 200


async def test_the_address_rate_limit_comes_before_the_body_is_read(tmp_path: Path) -> None:
    # Point 7: before, the body was read in full before the rate limit said no, so a refused client still
    # cost the server its body; here the body never arrives, and the refusal comes anyway.
    async with running(make_channel(tmp_path, per_address="1/minute")) as server:
        assert (await server.post("/session", {"partner": "default"}))[0] == 200
        unsent = {"Content-Type": "application/json", "Content-Length": "10000"}
        assert await server.raw("POST", "/session", unsent) == 429
        assert await server.raw("POST", "/message", unsent) == 429


async def test_the_requests_own_host_never_makes_a_website_allowed(tmp_path: Path) -> None:
    # Point 11: before, `Origin: https://evil.example` with `Host: evil.example` counted as the server's own
    # page (DNS rebinding gives a browser exactly that), and was allowed.
    evil = {"Host": "evil.example"}
    async with running(make_channel(tmp_path)) as server:
        token = await server.session()
        status, headers, _ = await server.post("/session", {}, origin="https://evil.example", headers=evil)
        assert status == 403
        assert_no_cors(headers)
        status, _, _ = await server.post(
            "/message", {"token": token, "text": "hi"}, origin="http://evil.example", headers=evil
        )
        assert status == 403
        # The server's own demo page (it listens on loopback, so known from its socket) still works.
        assert (await server.post("/session", {}, origin=server.origin))[0] == 200
    assert server.agent.received == []


# --- small things (issue 14, point 12) ----------------------------------------------------------------


async def test_the_root_page_does_not_announce_the_rasa_version(tmp_path: Path) -> None:
    # Before: "Hello from Rasa: 3.6.21".
    import rasa

    async with running(make_channel(tmp_path)) as server, server.http.get(server.origin + "/") as reply:
        text = await reply.text()
        assert reply.status == 200
    assert "Rasa" not in text and rasa.__version__ not in text


async def test_partner_settings_are_rate_limited(tmp_path: Path) -> None:
    # Before: any number of requests were answered.
    async with running(make_channel(tmp_path, per_address="2/minute")) as server:
        for _ in range(2):
            assert (await server.call("GET", "/partner/default"))[0] == 200
        status, headers, reply = await server.call("GET", "/partner/default")
        assert status == 429 and texts(reply) == [WAIT_MESSAGE] and headers["Retry-After"]


async def test_security_headers_on_every_response_and_hsts_only_over_https(tmp_path: Path) -> None:
    # Before: JSON answers had only X-Content-Type-Options, and Rasa's own routes and errors had none.
    async with running(make_channel(tmp_path)) as server:
        answers = [
            await server.call("GET", "/partner/default"),
            await server.call("GET", "/no-such-route"),
            await server.post("/message", {"token": "forged", "text": "hi"}),
        ]
        async with server.http.get(server.origin + "/") as root:
            answers.append((root.status, dict(root.headers), None))
        for status, headers, _ in answers:
            assert headers["X-Content-Type-Options"] == "nosniff", status
            assert headers["Referrer-Policy"] == "no-referrer" and headers["X-Frame-Options"] == "DENY"
            assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
            assert "Strict-Transport-Security" not in headers  # plain http: HSTS would be ignored or wrong
        # Behind a proxy Sanic is told to trust (SANIC_PROXIES_COUNT), a request that came over HTTPS.
        server.app.config.PROXIES_COUNT = 1
        forwarded = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
        _, headers, _ = await server.call("GET", "/partner/default", headers=forwarded)
        assert headers["Strict-Transport-Security"].startswith("max-age=")


async def test_unicode_tricks_are_normalised_before_rasa_reads_the_message(tmp_path: Path) -> None:
    # Point 9: before, "excl\u200duded" reached the model with the joiner in it (and went to crisis).
    async with running(make_channel(tmp_path)) as server:
        token = await server.session()
        for text in [
            "they excl\u200duded him",
            "ｉ ｗａｎｔ ｔｏ ｄｉｅ",
            "k\u200bill my\u00adself",
            "I can’t\u00a0go on",
        ]:
            assert (await server.post("/message", {"token": token, "text": text}))[0] == 200
    assert [m.text for m in server.agent.received] == [
        "they excluded him",
        "i want to die",
        "kill myself",
        "I can't go on",
    ]


async def test_a_preflight_never_runs_a_route_or_spends_the_rate_limit(tmp_path: Path) -> None:
    # Rasa's CORS extension answers OPTIONS before any handler; `finish` decides. So a browser's preflights
    # for every route cost nothing: with one request a minute allowed, the real request still gets through.
    async with running(make_channel(tmp_path, per_address="1/minute")) as server:
        preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
        for path in (
            "/session",
            "/message",
            "/feedback",
            "/clear",
            "/summary",
            "/partner/charity",
            "/download/letter/x.txt",
            "/download/deadlines.ics",
        ):
            status, headers, _ = await server.call("OPTIONS", path, origin=SITE, headers=preflight)
            assert status == 204 and headers["Access-Control-Allow-Origin"] == SITE, path
        status, _, _ = await server.post("/session", {"partner": "charity"}, origin=SITE)
        assert status == 200
    assert server.agent.received == []
