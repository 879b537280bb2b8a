"""Anonymous "was this helpful?" feedback, one row per answer rated.

A row says which article, helpful or not, the reason picked from REASON_CODES and an optional comment
(`reason`), the partner and when. It never holds the conversation id or anything the parent typed in the
chat. `answered_at` is the time the rated answer was stored in the conversation: the staff console finds
the question with it while the conversation is kept, and nothing once it is deleted or purged. Personal
data in the comment (e-mail addresses, phone numbers, postcodes, NHS numbers, birth dates, names: see
bot/storage/redact.py) is replaced with "[removed]" before it is stored.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Column, DateTime, Float, Integer, MetaData, String, Table, Text, insert, inspect, select
from sqlalchemy import text as sql
from sqlalchemy.engine import Engine

from bot.settings import DEFAULT_MAX_OVERFLOW, DEFAULT_POOL_SIZE
from bot.storage import redact as personal_data
from bot.storage.database import make_engine, private_sqlite_file

MAX_REASON_CHARS = 500
REMOVED = "[removed]"
# The one reason a parent picks for "not helpful" (widget/widget.js shows them in plain words).
REASON_CODES = ("wrong_topic", "hard_to_understand", "did_not_answer", "out_of_date", "other")

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
    Column("reason_code", String(40), nullable=True),
    Column("answered_at", Float, nullable=True),
)
# Columns added after the first release: created in an existing table by `feedback_engine`.
ADDED_COLUMNS = {"reason_code": "VARCHAR(40)", "answered_at": "FLOAT"}


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
    _add_missing_columns(engine)
    return engine


def _add_missing_columns(engine: Engine) -> None:
    present = {column["name"] for column in inspect(engine).get_columns("feedback")}
    for name, kind in ADDED_COLUMNS.items():
        if name not in present:
            with engine.begin() as conn:
                conn.execute(sql(f"ALTER TABLE feedback ADD COLUMN {name} {kind}"))


def store_feedback(
    engine: Engine,
    article_id: str,
    helpful: bool,
    reason: str | None,
    partner: str,
    now: dt.datetime | None = None,
    reason_code: str | None = None,
    answered_at: float | None = None,
) -> None:
    """Store one rating. `reason` must already be at most MAX_REASON_CHARS long; it is redacted here.
    `reason_code` must be one of REASON_CODES or None."""
    cleaned = redact(reason.strip()) if reason and reason.strip() else None
    created = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).replace(tzinfo=None)
    with engine.begin() as conn:
        conn.execute(
            insert(feedback_table).values(
                article_id=article_id,
                helpful=helpful,
                reason=cleaned,
                partner=partner,
                created_at=created,
                reason_code=reason_code,
                answered_at=answered_at,
            )
        )


def all_feedback(engine: Engine) -> list[dict]:
    """Every row, oldest first (for staff reports and tests)."""
    with engine.connect() as conn:
        rows = conn.execute(select(feedback_table).order_by(feedback_table.c.id)).mappings().all()
    return [dict(row) for row in rows]
