"""Retention for the console's own tables, on the same period as conversations (RETENTION_DAYS).

The audit log and the decisions are deleted once older than the period; sessions once expired. The
decisions hold only a hash of a redacted message, but they are about parents' messages, so they go too.
Accounts stay until removed.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete
from sqlalchemy.engine import Engine

from bot.console.accounts import purge_sessions, utc_now
from bot.console.tables import audit, decisions


def purge_console(engine: Engine, retention_days: int, now: dt.datetime | None = None) -> dict[str, int]:
    """Delete what is past retention; returns how many rows of each kind went."""
    now = now or utc_now()
    cutoff = now - dt.timedelta(days=retention_days)
    with engine.begin() as conn:
        old_audit = conn.execute(delete(audit).where(audit.c.at < cutoff)).rowcount or 0
        old_decisions = conn.execute(delete(decisions).where(decisions.c.at < cutoff)).rowcount or 0
    return {
        "audit record(s)": old_audit,
        "decision(s)": old_decisions,
        "expired session(s)": purge_sessions(engine, now),
    }
