"""The staff console's web server (aiohttp, already a dependency): sign-in, pages, CSV export.

Nothing but the sign-in page and the static files answers without a session: other pages redirect to
sign-in, POSTs and exports are refused. Every POST carries the session's CSRF token (the sign-in form a
token in a short-lived cookie of its own), and a POST from another origin is refused as well.
"""

from __future__ import annotations

import asyncio
import csv
import hmac
import io
import logging
import re
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web

from bot.console import accounts, pages
from bot.console.accounts import Session
from bot.console.config import ConsoleConfig
from bot.console.html import csrf_field, esc, layout
from bot.console.retention import purge_console
from bot.settings import PROJECT_ROOT

logger = logging.getLogger(__name__)

SESSION_COOKIE = "console_session"
SIGNIN_COOKIE = "console_signin"
STATIC = Path(__file__).resolve().parent / "static"
CHART_JS = PROJECT_ROOT / "node_modules" / "chart.js" / "dist" / "chart.umd.min.js"
PUBLIC = ("/sign-in", "/static/")
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SIGN_IN_FAILED = (
    "That username and password don't match an account, or the account is locked after "
    f"{accounts.MAX_FAILURES} failed tries in a row (for {accounts.LOCK_MINUTES} minutes)."
)
PURGE_EVERY_SECONDS = 3600
TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")
CTX = web.AppKey("ctx", pages.Context)
CONFIG = web.AppKey("config", ConsoleConfig)
RETENTION = web.AppKey("retention_days", int)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _page(title: str, body: str, request: web.Request, status: int = 200, current: str = "") -> web.Response:
    session: Session | None = request.get("session")
    html = layout(title, body, session.user if session else None, session.csrf_token if session else "", current)
    return web.Response(text=html, content_type="text/html", charset="utf-8", status=status)


def _refused(request: web.Request, status: int, why: str) -> web.Response:
    return _page("Not allowed" if status == 403 else "Not found", f"<p>{esc(why)}</p>", request, status)


def _same(given: str | None, expected: str | None) -> bool:
    return bool(given) and bool(expected) and hmac.compare_digest(str(given), str(expected))


def _cross_origin(request: web.Request) -> bool:
    origin = request.headers.get("Origin")
    return origin is not None and origin not in (f"http://{request.host}", f"https://{request.host}")


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        response = exc
    except Exception:  # e.g. the database is down: say so kindly, log the details, show no trace
        logger.exception("console: %s %s failed", request.method, request.path)
        response = _page(
            "Something went wrong",
            "<p>The console could not load this just now (the log says why). Please try again in a minute.</p>",
            request,
            500,
        )
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"  # "no-referrer" makes Chrome send `Origin: null`
    response.headers["X-Frame-Options"] = "DENY"
    if not request.path.startswith("/static/"):
        response.headers["Cache-Control"] = "no-store"
    if isinstance(response, web.HTTPException):
        raise response
    return response


@web.middleware
async def require_session(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.path in ("/sign-in", "/favicon.ico") or request.path.startswith("/static/"):
        return await handler(request)
    engine = request.app[CTX].engine
    session = await asyncio.to_thread(accounts.find_session, engine, request.cookies.get(SESSION_COOKIE))
    if session is None:
        if request.method == "GET" and not request.path.startswith("/export/"):
            raise web.HTTPSeeOther("/sign-in")
        return _refused(request, 403, "Please sign in first.")
    request["session"] = session
    if request.method == "POST":
        form = await request.post()
        if _cross_origin(request) or not _same(form.get("csrf_token"), session.csrf_token):  # type: ignore[arg-type]
            await asyncio.to_thread(accounts.record, engine, session.user.username, "refused", "CSRF check failed")
            return _refused(request, 403, "This form has expired or did not come from the console. Please try again.")
    return await handler(request)


def _cookie(response: web.StreamResponse, request: web.Request, name: str, value: str, path: str = "/") -> None:
    response.set_cookie(
        name, value, path=path, httponly=True, samesite="Strict", secure=request.app[CONFIG].secure_cookies
    )


def _sign_in_form(request: web.Request, token: str, message: str = "", status: int = 200) -> web.Response:
    alert = f'<p class="error" role="alert">{esc(message)}</p>' if message else ""
    body = (
        f'{alert}<form method="post" action="/sign-in" class="sign-in">{csrf_field(token)}'
        '<p><label for="username">Username</label><input id="username" name="username" autocomplete="username" '
        'required maxlength="80"></p>'
        '<p><label for="password">Password</label><input id="password" name="password" type="password" '
        'autocomplete="current-password" required maxlength="1024"></p>'
        '<p><button type="submit">Sign in</button></p></form>'
        "<p>Accounts are made by a developer with <code>python -m bot staff add-user</code>.</p>"
    )
    response = _page("Sign in", body, request, status)
    _cookie(response, request, SIGNIN_COOKIE, token, path="/sign-in")
    return response


async def sign_in_page(request: web.Request) -> web.StreamResponse:
    session = await asyncio.to_thread(
        accounts.find_session, request.app[CTX].engine, request.cookies.get(SESSION_COOKIE)
    )
    if session is not None:
        raise web.HTTPSeeOther(_landing(session))
    # The token already given to this browser, if any: a second tab, or a redirect to this page from a
    # request the browser makes by itself, must not spoil the form already open.
    given = request.cookies.get(SIGNIN_COOKIE) or ""
    return _sign_in_form(request, given if TOKEN.match(given) else secrets.token_urlsafe(32))


async def sign_in(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    if _cross_origin(request) or not _same(form.get("csrf_token"), request.cookies.get(SIGNIN_COOKIE)):  # type: ignore[arg-type]
        return _sign_in_form(request, secrets.token_urlsafe(32), "The form had expired. Please try again.", 403)
    engine = request.app[CTX].engine
    username, password = str(form.get("username") or ""), str(form.get("password") or "")
    result = await asyncio.to_thread(accounts.sign_in, engine, username, password)
    if result.user is None:
        return _sign_in_form(request, secrets.token_urlsafe(32), SIGN_IN_FAILED, 401)
    token, csrf = await asyncio.to_thread(accounts.start_session, engine, result.user)
    response = web.HTTPSeeOther(_landing(Session(result.user, csrf)))
    _cookie(response, request, SESSION_COOKIE, token)
    response.del_cookie(SIGNIN_COOKIE, path="/sign-in")
    return response


def _landing(session: Session) -> str:
    return "/unanswered" if session.user.is_editor else "/partners"


async def sign_out(request: web.Request) -> web.StreamResponse:
    session: Session = request["session"]
    engine = request.app[CTX].engine
    await asyncio.to_thread(accounts.end_session, engine, request.cookies.get(SESSION_COOKIE))
    await asyncio.to_thread(accounts.record, engine, session.user.username, "signed out")
    response = web.HTTPSeeOther("/sign-in")
    response.del_cookie(SESSION_COOKIE, path="/")
    return response


async def home(request: web.Request) -> web.StreamResponse:
    raise web.HTTPSeeOther(_landing(request["session"]))


def _build(name: str, ctx: pages.Context, session: Session, query) -> pages.Built | None:
    if name == "partners":
        return pages.build_partners(ctx, query, session.user)
    if not session.user.is_editor:
        return None
    if name == "unanswered":
        return pages.build_unanswered(ctx, query, session.csrf_token)
    if name == "answers":
        return pages.build_answers(ctx, query)
    if name == "health":
        return pages.build_health(ctx, query)
    if name == "audit":
        return pages.build_audit(ctx, query)
    return None


TITLES = {
    "unanswered": "What we couldn't answer",
    "answers": "Answers",
    "health": "Knowledge health",
    "partners": "Partners",
    "audit": "Audit log",
}


def page_handler(name: str) -> Handler:
    async def show(request: web.Request) -> web.StreamResponse:
        built = await asyncio.to_thread(_build, name, request.app[CTX], request["session"], request.rel_url.query)
        if built is None:
            return _refused(request, 403, "This page is for editors. Your account shows your partner's figures.")
        return _page(TITLES[name], built.body, request, current=f"/{name}")

    return show


async def decide(request: web.Request) -> web.StreamResponse:
    session: Session = request["session"]
    if not session.user.is_editor:
        return _refused(request, 403, "Only editors can decide about messages.")
    form = {k: str(v) for k, v in (await request.post()).items()}
    ctx = request.app[CTX]
    try:
        notice = await asyncio.to_thread(pages.decide_group, ctx, session.user, form)
    except ValueError as exc:
        notice = f"Nothing changed: {exc}."
    else:
        detail = f"{form.get('decision')} ({len(form.get('keys', '').split(','))} message key(s))"
        if form.get("decision") == "existing situation":
            detail += f", intent {form.get('intent')}"
        await asyncio.to_thread(accounts.record, ctx.engine, session.user.username, "decided", detail)
    built = await asyncio.to_thread(_build, "unanswered", ctx, session, {"days": form.get("days", "7")})
    body = f'<p class="notice" role="status">{esc(notice)}</p>' + (built.body if built else "")
    return _page(TITLES["unanswered"], body, request, current="/unanswered")


def csv_text(headers, rows) -> str:
    """CSV with cells that a spreadsheet would run as a formula made inert (a leading apostrophe)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(
            ["'" + c if isinstance(c, str) and c[:1] in ("=", "+", "-", "@", "\t", "\r") else c for c in row]
        )
    return out.getvalue()


async def export(request: web.Request) -> web.StreamResponse:
    name, table_id = request.match_info["page"], request.match_info["table"]
    if name not in TITLES:
        return _refused(request, 404, "No such page.")
    built = await asyncio.to_thread(_build, name, request.app[CTX], request["session"], request.rel_url.query)
    if built is None:
        return _refused(request, 403, "This table is for editors.")
    found = built.tables.get(table_id)
    if found is None:
        return _refused(request, 404, "No such table.")
    session: Session = request["session"]
    await asyncio.to_thread(
        accounts.record, request.app[CTX].engine, session.user.username, "exported", f"{name}/{table_id}.csv"
    )
    return web.Response(
        text=csv_text(found.headers, found.rows),
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}-{table_id}.csv"'},
    )


async def chart_library(request: web.Request) -> web.StreamResponse:
    if not CHART_JS.exists():
        return web.Response(status=404, text="chart.js is not installed: run npm ci")
    return web.FileResponse(CHART_JS, headers={"Content-Type": "text/javascript; charset=utf-8"})


async def _purge_forever(app: web.Application) -> None:
    while True:
        try:
            await asyncio.to_thread(purge_console, app[CTX].engine, app[RETENTION])
        except Exception:  # a database hiccup must not stop the console; the next hour tries again
            logger.exception("console: records past retention could not be deleted")
        await asyncio.sleep(PURGE_EVERY_SECONDS)


async def _start_purging(app: web.Application) -> None:
    app["purge_task"] = asyncio.ensure_future(_purge_forever(app))


async def _stop_purging(app: web.Application) -> None:
    task = app.get("purge_task")
    if task is not None:
        task.cancel()


def create_app(ctx: pages.Context, config: ConsoleConfig, retention_days: int = 90, purge: bool = True):
    app = web.Application(middlewares=[security_headers, require_session], client_max_size=64 * 1024)
    app[CTX], app[CONFIG], app[RETENTION] = ctx, config, retention_days
    app.router.add_get("/sign-in", sign_in_page)
    app.router.add_post("/sign-in", sign_in)
    app.router.add_post("/sign-out", sign_out)
    app.router.add_get("/", home)
    app.router.add_get("/favicon.ico", lambda request: web.Response(status=204))
    for name in TITLES:
        app.router.add_get(f"/{name}", page_handler(name))
    app.router.add_post("/unanswered/decide", decide)
    app.router.add_get("/export/{page}/{table}.csv", export)
    app.router.add_get("/static/chart.umd.min.js", chart_library)
    app.router.add_static("/static/", STATIC)
    if purge:
        app.on_startup.append(_start_purging)
        app.on_cleanup.append(_stop_purging)
    return app
