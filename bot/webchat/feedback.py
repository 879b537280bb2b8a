"""Anonymous "was this helpful?" feedback, one row per answer rated.

A row says which article, helpful or not, an optional reason, the partner and when. It never holds
the conversation id or anything the parent typed in the chat, and e-mail addresses and phone numbers
in the reason are replaced with "[removed]" before it is stored.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from sqlalchemy import Boolean, Column, DateTime, Integer, MetaData, String, Table, Text, insert, select
from sqlalchemy.engine import Engine

from bot.index import make_engine

MAX_REASON_CHARS = 500
REMOVED = "[removed]"

metadata = MetaData()

feedback_table = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(120), nullable=False),
    Column("helpful", Boolean, nullable=False),
    Column("reason", Text, nullable=True),
    Column("partner", String(120), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# A run of digits, spaces, dots, dashes and brackets that may be a phone number; kept only if it holds
# 7 or more digits, so "20 weeks" or "year 9" stay.
PHONE_CANDIDATE = re.compile(r"(?:\+|\b)\d[\d\s().-]{5,}\d\b")


def redact(text: str) -> str:
    """Replace e-mail addresses and phone numbers with "[removed]"."""
    text = EMAIL.sub(REMOVED, text)

    def phone(match: re.Match[str]) -> str:
        return REMOVED if sum(ch.isdigit() for ch in match.group(0)) >= 7 else match.group(0)

    return PHONE_CANDIDATE.sub(phone, text)


def feedback_engine(database_url: str) -> Engine:
    """The engine for DATABASE_URL with the feedback table created (SQLite folder made if needed)."""
    if database_url.startswith("sqlite:///"):
        Path(database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(database_url)
    metadata.create_all(engine)
    return engine


def store_feedback(
    engine: Engine,
    article_id: str,
    helpful: bool,
    reason: str | None,
    partner: str,
    now: dt.datetime | None = None,
) -> None:
    """Store one rating. `reason` must already be at most MAX_REASON_CHARS long; it is redacted here."""
    cleaned = redact(reason.strip()) if reason and reason.strip() else None
    created = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).replace(tzinfo=None)
    with engine.begin() as conn:
        conn.execute(
            insert(feedback_table).values(
                article_id=article_id, helpful=helpful, reason=cleaned, partner=partner, created_at=created
            )
        )


def all_feedback(engine: Engine) -> list[dict]:
    """Every row, oldest first (for staff reports and tests)."""
    with engine.connect() as conn:
        rows = conn.execute(select(feedback_table).order_by(feedback_table.c.id)).mappings().all()
    return [dict(row) for row in rows]
