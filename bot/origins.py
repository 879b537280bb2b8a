"""Which websites may use the chat: each partner's allowed origins, plus the server's own pages.

Pure functions over strings, so the rules are tested without a server. Browsers send an `Origin` header
with every cross-site request; a request without one comes from the same page or from a program, which
the token and the rate limits govern instead.

The request's own `Host` header never counts: a page on https://evil.example whose name points at this
server (DNS rebinding) sends `Host: evil.example` too. The demo page on this machine is recognised from
the socket instead (`from_this_machine`: a loopback page, to a server reached on loopback). A demo page
served under a public name must be listed in the default partner's allowed origins.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]", "::1"})
ALLOWED_METHODS = "GET, POST, OPTIONS"
ALLOWED_HEADERS = "Content-Type, X-Conversation-Token"
PREFLIGHT_MAX_AGE = "600"
HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")


def _split(value: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of a bare origin such as 'https://example.org', or None."""
    if not isinstance(value, str) or any(ch.isspace() for ch in value.strip()):
        return None
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in DEFAULT_PORTS or not host or parts.username or parts.password:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment or value.strip().endswith("/"):
        return None
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    elif not HOST.match(host):  # no wildcards or other odd characters
        return None
    return scheme, host, port or DEFAULT_PORTS[scheme]


def normalise_origin(value: str) -> str | None:
    """'HTTPS://Example.org:443' -> 'https://example.org'; None if the value is not a bare origin."""
    split = _split(value)
    if split is None:
        return None
    scheme, host, port = split
    return f"{scheme}://{host}" if port == DEFAULT_PORTS[scheme] else f"{scheme}://{host}:{port}"


def origin_problem(value: object) -> str | None:
    """Why a value cannot be an allowed origin in a partner file, or None if it can."""
    if not isinstance(value, str) or _split(value) is None:
        return (
            f"'{value}' is not an origin: write the scheme and host only, such as 'https://www.example.org' "
            "(no path, no trailing slash, no wildcard)"
        )
    scheme, host, _ = _split(value)  # type: ignore[misc]
    if scheme == "http" and host not in LOOPBACK_HOSTS:
        return f"'{value}' must use https (plain http is allowed only for localhost and 127.0.0.1)"
    return None


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


def from_this_machine(origin: str | None, sockname: Any) -> bool:
    """Whether a page served on this machine's loopback (the demo page, directly or through the local
    nginx) sent a request that reached us on loopback. Known from the socket, never from the request's
    Host header; no website elsewhere has a loopback origin, DNS rebinding included."""
    split = _split(origin) if origin else None
    if split is None or not isinstance(sockname, tuple) or len(sockname) < 2:
        return False
    return _loopback(split[1]) and _loopback(str(sockname[0]))


def is_allowed(origin: str | None, allowed_origins: Iterable[str]) -> bool:
    """A request may proceed if it has no Origin or comes from one of the allowed origins (never its Host)."""
    if origin is None or origin == "":
        return True
    normalised = normalise_origin(origin)
    if normalised is None:  # includes the opaque origin "null" (sandboxed frames, local files)
        return False
    return normalised in {normalise_origin(o) for o in allowed_origins}


def cors_headers(origin: str) -> dict[str, str]:
    """Headers that let the page at `origin` read a response (only ever sent for an allowed origin)."""
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Expose-Headers": "Content-Disposition, Retry-After",
        "Vary": "Origin",
    }


def preflight_headers(origin: str) -> dict[str, str]:
    """Headers answering a browser's OPTIONS preflight from an allowed origin."""
    return {
        **cors_headers(origin),
        "Access-Control-Allow-Methods": ALLOWED_METHODS,
        "Access-Control-Allow-Headers": ALLOWED_HEADERS,
        "Access-Control-Max-Age": PREFLIGHT_MAX_AGE,
    }
