"""What the whole Rasa server does for every request, set in one place (`install`) when the web chat starts.

- **Request size.** Sanic reads a whole body into memory before a route sees it, up to its
  REQUEST_MAX_SIZE (100 MB by default). Here that limit is the web chat's own, so every route refuses a
  larger declared body unread. The web chat's POST routes stream instead: they check the website and
  the address's rate first, then read at most that much (bot/web/channel.py).
- **`GET /`.** Rasa answers "Hello from Rasa: <version>", which tells a visitor which version's known
  weaknesses to try. It gets a plain "ok" instead.
- **Security headers** on every response, errors included: no MIME sniffing, no referrer, no framing
  (each page and file of the chat is used directly, never inside another site's frame; the widget is a
  script on the partner's own page), a locked-down content policy for anything but the demo page (which
  sets its own), and HSTS when the request came over HTTPS, directly or through a proxy Sanic is told to
  trust (SANIC_PROXIES_COUNT or SANIC_FORWARDED_SECRET). See docs/deploy.md.
"""

from __future__ import annotations

from typing import Any

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

ALWAYS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}
# For JSON, files and errors; the demo page's own policy (channel.html_security_headers) is kept.
CONTENT_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
HSTS = "max-age=31536000"


async def plain_root(request: Request) -> HTTPResponse | None:
    """Answer `GET /` without Rasa's version (a request middleware: Rasa's own route never runs)."""
    if request.path == "/" and request.method in ("GET", "HEAD"):
        return response.json({"status": "ok"}, headers={"Cache-Control": "no-store"})
    return None


async def security_headers(request: Request, reply: HTTPResponse) -> None:
    for name, value in ALWAYS.items():
        reply.headers.setdefault(name, value)
    reply.headers.setdefault("Content-Security-Policy", CONTENT_POLICY)
    if request.scheme == "https":
        reply.headers.setdefault("Strict-Transport-Security", HSTS)


def install(app: Any, max_body_bytes: int) -> None:
    """Apply the above to `app` (once, however often it is called)."""
    if getattr(app.ctx, "webchat_hardened", False):
        return
    app.ctx.webchat_hardened = True
    app.config.REQUEST_MAX_SIZE = min(app.config.REQUEST_MAX_SIZE, max_body_bytes)
    app.register_middleware(plain_root, "request")
    app.register_middleware(security_headers, "response")
