"""Time limits on PostgreSQL and Redis, which Rasa calls on its event loop (issue 14, point 4).

While the database or Redis does not answer, a Rasa process answers nobody: the event loop waits inside
the call. Each wait is bounded by the settings (docs/configuration.md#timeouts):

- PostgreSQL (psycopg2): `connect_timeout`; `statement_timeout`, so the server cancels a slow statement;
  TCP keepalives, so a dead idle connection is noticed; and a deadline on the client's own waits, because
  none of those helps when the line stays open and nothing comes back (a stuck proxy or load balancer,
  a half-dead network path): the server never sees the statement to cancel it, and the kernel at the
  other end still answers keepalives. Past the deadline the connection is shut down, SQLAlchemy takes it
  as a disconnect (the pool is refreshed), and the caller gets an `OperationalError` it already handles.
- Redis (redis-py): `socket_connect_timeout` and `socket_timeout`, with keepalives.

The deadline uses psycopg2's wait callback, which is one per process: once installed, every psycopg2
connection waits through it, and only connections carrying our timeouts get a deadline.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import socket
import time
from typing import Any

import psycopg2
import psycopg2.extensions
import redis
import sqlalchemy.event
from sqlalchemy.engine import Engine

from bot.settings import DEFAULT_REDIS_TIMEOUT_SECONDS, Settings

# The server's own cancel ("canceling statement due to statement timeout") needs a moment to arrive;
# past this, the line itself is taken as dead.
ANSWER_GRACE_SECONDS = 1.0
# Probe an idle connection after 30 s, every 10 s, 3 times: a dead one is dropped within a minute.
KEEPALIVES = {"keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3}
STATEMENT_TIMEOUT = re.compile(r"statement_timeout\s*=\s*(\d+)")


def postgres_connect_args(settings: Settings) -> dict[str, Any]:
    """The psycopg2 connection parameters that bound every wait (the URL's own values win)."""
    return {
        "connect_timeout": settings.db_connect_timeout_seconds,
        "options": f"-c statement_timeout={settings.db_statement_timeout_seconds * 1000}",
        **KEEPALIVES,
    }


def limit_postgres_waits(engine: Engine, settings: Settings) -> None:
    """Bound every wait of this engine's connections made from now on; nothing to do for SQLite."""
    if engine.dialect.name != "postgresql" or engine.dialect.driver != "psycopg2":
        return
    wanted = postgres_connect_args(settings)

    @sqlalchemy.event.listens_for(engine, "do_connect")
    def _with_timeouts(dialect: Any, record: Any, cargs: Any, cparams: dict[str, Any]) -> None:
        options = cparams.get("options") or ""
        for name, value in wanted.items():
            if name != "options":
                cparams.setdefault(name, value)
        if "statement_timeout" not in options:
            cparams["options"] = f"{options} {wanted['options']}".strip()

    if psycopg2.extensions.get_wait_callback() is not wait_with_deadline:
        psycopg2.extensions.set_wait_callback(wait_with_deadline)
    engine.dispose()  # a connection opened before now (creating tables) would have no limits


def _deadline_seconds(conn: Any) -> float | None:
    """How long one wait of this connection may take: its connect timeout while connecting, its statement
    timeout plus the grace afterwards; None (no limit) for a connection without our timeouts."""
    parameters = conn.info.dsn_parameters
    if conn.status == psycopg2.extensions.STATUS_SETUP:
        raw = parameters.get("connect_timeout")
        return float(raw) if raw and float(raw) > 0 else None
    found = STATEMENT_TIMEOUT.search(parameters.get("options") or "")
    return int(found.group(1)) / 1000 + ANSWER_GRACE_SECONDS if found and int(found.group(1)) > 0 else None


def wait_with_deadline(conn: Any) -> None:
    """psycopg2's wait callback: psycopg2's own select() loop (`psycopg2.extras.wait_select`), with a deadline."""
    limit = _deadline_seconds(conn)
    deadline = None if limit is None else time.monotonic() + limit
    while True:
        state = conn.poll()
        if state == psycopg2.extensions.POLL_OK:
            return
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            _shut_down(conn)
            raise psycopg2.OperationalError(f"the database did not answer within {limit:g} s")
        if state == psycopg2.extensions.POLL_READ:
            select.select([conn.fileno()], [], [], remaining)
        elif state == psycopg2.extensions.POLL_WRITE:
            select.select([], [conn.fileno()], [], remaining)
        else:
            raise psycopg2.OperationalError(f"bad state from poll: {state}")


def _shut_down(conn: Any) -> None:
    """End a connection that stopped answering. Not conn.close(), which waits for the answer: shutting the
    socket down makes libpq see the end of the line, so psycopg2 marks the connection broken."""
    with contextlib.suppress(OSError), socket.socket(fileno=os.dup(conn.fileno())) as line:
        line.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(psycopg2.Error):
        conn.poll()


def redis_client(
    url: str,
    socket_timeout: float = DEFAULT_REDIS_TIMEOUT_SECONDS,
    connect_timeout: float = DEFAULT_REDIS_TIMEOUT_SECONDS,
) -> redis.Redis:
    """A Redis client for REDIS_URL (password, TLS and database number in it) whose every wait is bounded."""
    return redis.Redis.from_url(
        url, socket_timeout=socket_timeout, socket_connect_timeout=connect_timeout, socket_keepalive=True
    )
