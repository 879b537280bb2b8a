"""Staff console security: nothing without a session, CSRF on every POST, lock-out, roles, cookies,
partner isolation and no unredacted personal data anywhere in the console."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.console import accounts
from bot.console.app import SESSION_COOKIE, create_app
from bot.console.config import ConsoleConfig, load_config
from bot.console.retention import purge_console
from bot.console.tables import EDITOR, PARTNER_VIEWER, audit, sessions
from tests.console_helpers import DAY, NOW, make_context, rate, store_conversation, turn

PASSWORD = "correct horse battery staple"
PAGES = ["/unanswered", "/answers", "/health", "/partners", "/audit"]
EXPORTS = [
    "/export/unanswered/groups.csv",
    "/export/answers/articles.csv",
    "/export/answers/comments.csv",
    "/export/health/files.csv",
    "/export/audit/log.csv",
    "/export/partners/summary.csv",
]


@pytest.fixture
async def ctx(tmp_path):
    url = f"sqlite:///{tmp_path / 'console.db'}"
    await store_conversation(
        url,
        "parent-a",
        turn(
            "my son Jack has been sent home, call 07700 900123",
            "nlu_fallback",
            0.1,
            ["action_did_you_mean"],
            NOW - DAY,
            partner="default",
        ),
    )
    await store_conversation(
        url,
        "parent-b",
        turn(
            "secret charity question about transport",
            "nlu_fallback",
            0.1,
            ["action_did_you_mean"],
            NOW - DAY,
            partner="example-charity",
        )
        + turn(
            "/talk_to_adviser",
            "talk_to_adviser",
            1.0,
            ["action_answer_situation"],
            NOW - DAY + 5,
            partner="example-charity",
            article="talk-to-adviser",
        ),
    )
    context = make_context(url, tmp_path)
    rate(context, "ehc-delay", False, NOW - DAY, "other", "ring jo@example.com or 07700 900123")
    accounts.add_user(context.engine, "editor1", PASSWORD, EDITOR)
    accounts.add_user(context.engine, "charity1", PASSWORD, PARTNER_VIEWER, "example-charity")
    yield context
    context.engine.dispose()


@pytest.fixture
async def client(ctx):
    app = create_app(ctx, ConsoleConfig(secure_cookies=False), purge=False)
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


def csrf_in(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


async def sign_in(client: TestClient, username: str = "editor1", password: str = PASSWORD):
    page = await client.get("/sign-in")
    token = csrf_in(await page.text())
    return await client.post(
        "/sign-in", data={"username": username, "password": password, "csrf_token": token}, allow_redirects=False
    )


async def test_nothing_is_visible_without_signing_in(client) -> None:
    for path in [*PAGES, "/"]:
        response = await client.get(path, allow_redirects=False)
        assert response.status == 303 and response.headers["Location"] == "/sign-in", path
    for path in EXPORTS:
        response = await client.get(path)
        assert response.status == 403, path
        assert "text/csv" not in response.headers["Content-Type"]
    response = await client.post("/unanswered/decide", data={"decision": "dismissed", "keys": "a" * 64})
    assert response.status == 403


async def test_sign_in_shows_the_pages_and_sign_out_ends_the_session(client, ctx) -> None:
    response = await sign_in(client)
    assert response.status == 303 and response.headers["Location"] == "/unanswered"
    for path in PAGES:
        page = await client.get(path)
        assert page.status == 200, path
        assert "Signed in as editor1" in await page.text()
    for path in EXPORTS:
        export = await client.get(path)
        assert export.status == 200 and export.headers["Content-Type"].startswith("text/csv"), path
    html = await (await client.get("/answers")).text()
    response = await client.post("/sign-out", data={"csrf_token": csrf_in(html)}, allow_redirects=False)
    assert response.status == 303
    assert (await client.get("/answers", allow_redirects=False)).status == 303
    with ctx.engine.connect() as conn:
        actions = [row.action for row in conn.execute(select(audit).order_by(audit.c.id))]
    assert actions[-2:] == ["exported", "signed out"] and "signed in" in actions
    log = await (await client.get("/export/audit/log.csv", allow_redirects=False)).text()
    assert "Please sign in" in log  # signed out: refused


async def test_session_cookie_is_httponly_samesite_strict_and_secure_when_configured(ctx) -> None:
    app = create_app(ctx, ConsoleConfig(secure_cookies=True), purge=False)
    async with TestClient(TestServer(app)) as secure_client:
        page = await secure_client.get("/sign-in")
        form_cookie = page.cookies["console_signin"]
        assert form_cookie["httponly"] and form_cookie["secure"] and form_cookie["samesite"] == "Strict"
        token = csrf_in(await page.text())
        # The client keeps Secure cookies for HTTPS, so this one is sent by hand over the test's plain http.
        response = await secure_client.post(
            "/sign-in",
            data={"username": "editor1", "password": PASSWORD, "csrf_token": token},
            headers={"Cookie": f"console_signin={token}"},
            allow_redirects=False,
        )
    assert response.status == 303
    cookie = response.cookies[SESSION_COOKIE]
    assert cookie["httponly"] and cookie["secure"] and cookie["samesite"] == "Strict"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_plain_http_cookies_only_on_loopback(monkeypatch) -> None:
    monkeypatch.setenv("CONSOLE_SECURE_COOKIES", "0")
    assert load_config("127.0.0.1").secure_cookies is False
    with pytest.raises(ValueError, match="loopback"):
        load_config("0.0.0.0")
    monkeypatch.delenv("CONSOLE_SECURE_COOKIES")
    assert load_config("0.0.0.0").secure_cookies is True


async def test_every_post_needs_the_session_csrf_token(client, ctx) -> None:
    await sign_in(client)
    groups_page = await (await client.get("/unanswered")).text()
    keys = re.search(r'name="keys" value="([^"]+)"', groups_page).group(1)
    form = {"decision": "dismissed", "keys": keys, "days": "7"}
    for bad in ({}, {"csrf_token": "guess"}, {"csrf_token": ""}):
        response = await client.post("/unanswered/decide", data={**form, **bad})
        assert response.status == 403
    response = await client.post("/sign-out", data={"csrf_token": "guess"})
    assert response.status == 403
    # From another website, even with the right token.
    token = csrf_in(groups_page)
    response = await client.post(
        "/unanswered/decide", data={**form, "csrf_token": token}, headers={"Origin": "https://evil.example"}
    )
    assert response.status == 403
    response = await client.post("/unanswered/decide", data={**form, "csrf_token": token})
    assert response.status == 200 and "marked “dismissed”" in await response.text()


async def test_sign_in_form_needs_its_own_token(client) -> None:
    response = await client.post(
        "/sign-in", data={"username": "editor1", "password": PASSWORD, "csrf_token": "x"}, allow_redirects=False
    )
    assert response.status == 403 and SESSION_COOKIE not in response.cookies


async def test_lock_out_after_repeated_failures_even_with_the_right_password(client, ctx) -> None:
    for _ in range(accounts.MAX_FAILURES):
        assert (await sign_in(client, password="wrong password!!")).status == 401
    response = await sign_in(client)
    assert response.status == 401 and "locked" in await response.text()
    later = accounts.utc_now() + dt.timedelta(minutes=accounts.LOCK_MINUTES + 1)
    assert accounts.sign_in(ctx.engine, "editor1", PASSWORD, now=later).user is not None
    with ctx.engine.connect() as conn:
        details = [row.detail for row in conn.execute(select(audit).where(audit.c.username == "editor1"))]
    assert details.count("account locked") >= 2


def test_failures_are_counted_in_the_database_and_reset_by_a_good_sign_in(ctx) -> None:
    for _ in range(accounts.MAX_FAILURES - 1):
        assert accounts.sign_in(ctx.engine, "editor1", "nope nope nope").user is None
    assert accounts.sign_in(ctx.engine, "editor1", PASSWORD).user is not None
    for _ in range(accounts.MAX_FAILURES - 1):
        accounts.sign_in(ctx.engine, "editor1", "nope nope nope")
    assert accounts.sign_in(ctx.engine, "editor1", PASSWORD).user is not None


def test_accounts_need_a_good_name_password_and_role(ctx) -> None:
    with pytest.raises(accounts.AccountError, match="12 characters"):
        accounts.add_user(ctx.engine, "short", "tooshort", EDITOR)
    with pytest.raises(accounts.AccountError, match="already"):
        accounts.add_user(ctx.engine, "Editor1", PASSWORD, EDITOR)
    with pytest.raises(accounts.AccountError, match="partner"):
        accounts.add_user(ctx.engine, "viewer2", PASSWORD, PARTNER_VIEWER)
    with pytest.raises(accounts.AccountError, match="username"):
        accounts.add_user(ctx.engine, "<script>", PASSWORD, EDITOR)
    with ctx.engine.connect() as conn:
        stored = conn.execute(select(accounts.users.c.password_hash)).scalars().all()
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in stored)


async def test_a_partner_viewer_sees_only_their_partner(client) -> None:
    response = await sign_in(client, "charity1")
    assert response.headers["Location"] == "/partners"
    for path in ["/unanswered", "/answers", "/health", "/audit"]:
        assert (await client.get(path)).status == 403, path
    for path in EXPORTS[:5]:
        assert (await client.get(path)).status == 403, path
    html = await (await client.get("/partners")).text()
    assert "example-charity" in html and "<td>default</td>" not in html
    summary = await (await client.get("/export/partners/summary.csv")).text()
    assert summary.splitlines()[1].startswith("example-charity,1,1,100%")
    assert "default" not in summary
    weeks = await (await client.get("/export/partners/weeks.csv")).text()
    assert "default" not in weeks
    # Counts only: not even their own parents' words.
    assert "transport" not in html
    # Nor can they decide about messages, even with their own valid CSRF token.
    response = await client.post("/unanswered/decide", data={"csrf_token": csrf_in(html), "decision": "dismissed"})
    assert response.status == 403


async def test_no_unredacted_personal_data_anywhere_in_the_console(client) -> None:
    await sign_in(client)
    shown = [await (await client.get(path)).text() for path in PAGES]
    shown += [await (await client.get(path)).text() for path in EXPORTS]
    everything = "\n".join(shown)
    assert "sent home" in everything  # the message is there...
    for personal in ("Jack", "07700 900123", "jo@example.com"):
        assert personal not in everything  # ...without the personal details
    assert "[removed]" in everything


async def test_csv_export_makes_formulas_inert(client, ctx) -> None:
    await store_conversation(
        str(ctx.engine.url),
        "p3",
        turn('=HYPERLINK("x") school transport', "nlu_fallback", 0.1, ["action_did_you_mean"], NOW - 3600),
    )
    await sign_in(client)
    text = await (await client.get("/export/unanswered/groups.csv")).text()
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text


def test_retention_deletes_old_console_records_and_expired_sessions(ctx) -> None:
    user = accounts.sign_in(ctx.engine, "editor1", PASSWORD).user
    accounts.start_session(ctx.engine, user, now=accounts.utc_now() - dt.timedelta(hours=2))
    accounts.record(ctx.engine, "editor1", "decided", now=accounts.utc_now() - dt.timedelta(days=91))
    counts = purge_console(ctx.engine, 90)
    assert counts["audit record(s)"] == 1 and counts["expired session(s)"] == 1
    with ctx.engine.connect() as conn:
        assert conn.execute(select(sessions)).first() is None


def test_accounts_lock_out_and_sessions_on_postgresql() -> None:
    from bot.console.tables import console_engine
    from tests.db import drop_postgres, postgres_url

    url = postgres_url()
    engine = console_engine(url)
    try:
        accounts.add_user(engine, "editor1", PASSWORD, EDITOR)
        with pytest.raises(accounts.AccountError):
            accounts.add_user(engine, "editor1", PASSWORD, EDITOR)
        for _ in range(accounts.MAX_FAILURES):
            accounts.sign_in(engine, "editor1", "wrong password!!")
        assert accounts.sign_in(engine, "editor1", PASSWORD).locked
        later = accounts.utc_now() + dt.timedelta(minutes=accounts.LOCK_MINUTES + 1)
        user = accounts.sign_in(engine, "editor1", PASSWORD, now=later).user
        token, csrf = accounts.start_session(engine, user, now=later)
        assert accounts.find_session(engine, token, now=later).csrf_token == csrf
        assert accounts.find_session(engine, token, now=later + dt.timedelta(hours=2)) is None
    finally:
        engine.dispose()
        drop_postgres(url)


async def test_a_database_failure_gets_a_kind_page_without_details(client, ctx, monkeypatch) -> None:
    await sign_in(client)

    def broken(*args, **kwargs):
        raise RuntimeError("secret connection detail")

    monkeypatch.setattr("bot.console.pages.load_turns", broken)
    response = await client.get("/unanswered")
    text = await response.text()
    assert response.status == 500 and "Something went wrong" in text and "secret" not in text
    assert response.headers["Cache-Control"] == "no-store"
