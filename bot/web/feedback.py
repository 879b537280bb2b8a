"""Anonymous "was this helpful?" feedback, one row per answer rated.

A row says which article, helpful or not, an optional reason, the partner and when. It never holds
the conversation id or anything the parent typed in the chat, and personal data in the reason (e-mail
addresses, phone numbers, postcodes, NHS numbers, birth dates, names: see bot/storage/redact.py) is replaced
with "[removed]" before it is stored.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Column, DateTime, Integer, MetaData, String, Table, Text, insert, select
from sqlalchemy.engine import Engine

from bot.settings import DEFAULT_MAX_OVERFLOW, DEFAULT_POOL_SIZE
from bot.storage import redact as personal_data
from bot.storage.database import make_engine, private_sqlite_file

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


def redact(text: str) -> str:
    """Replace personal data with "[removed]": one word for all, since staff read these and need no more."""
    return personal_data.redact(text, placeholder=REMOVED)


def feedback_engine(
    database_url: str, pool_size: int = DEFAULT_POOL_SIZE, max_overflow: int = DEFAULT_MAX_OVERFLOW
) -> Engine:
    """The engine for DATABASE_URL with the feedback table created (a SQLite file owner-only, folder made)."""
    private_sqlite_file(database_url)
    engine = make_engine(database_url, pool_size, max_overflow)
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
